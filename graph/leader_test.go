package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"chainscope"
)

func TestLeaderDependency(t *testing.T) {
	const yq, hj = "140827", "140882"
	// Supply into leader L: S1 (in 垣曲) and S2 (in 河津) supply L; X and Y
	// supply S1; W supplies X; Z supplies S2; Q supplies both X and S2.
	// N is a leader with no supplier; M leads another chain; K is a
	// cancelled project supplying L.
	ds := dataset(
		[]chainscope.Enterprise{
			leader("L", yq, []string{"bat"}, "bat.d"),
			leader("N", "Z-yq", []string{"bat", "chem"}),
			leader("M", yq, []string{"chem"}, "chem.y"),
			leader("H", hj, []string{"bat"}, "bat.d"),
			ent("S1", yq, "bat.c"), ent("S2", hj, "bat.c"),
			ent("X", yq, "bat.b"), ent("Y", yq, "bat.b"), ent("W", hj, "bat.a"), ent("Z", yq, "bat.b"),
			ent("Q", region, "bat.a"),
		},
		[]chainscope.Project{proj("K", yq, chainscope.StatusCancelled, nil, "bat.c")},
		links("S1", "L", "S2", "L", "X", "S1", "Y", "S1", "W", "X", "Z", "S2", "K", "L", "L", "M", "S1", "H", "Q", "X", "Q", "S2"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	half, one := 0.5, 1.0
	// What the old, list-valued answer said, by hand: the summary is
	// checked against these counts and lists.
	type want struct {
		id                              string
		direct, indirect, directOutside int
		dominators                      []Dominator
		rate                            *float64
	}
	tests := []struct {
		name, area, chain string
		want              []want
	}{
		{"county: leaders located in it, local supply rate over direct links", yq, "bat", []want{
			{"L", 2, 5, 1, []Dominator{{"S1", 3}, {"S2", 1}, {"X", 1}}, &half},
			{"N", 0, 0, 0, []Dominator{}, nil},
		}},
		{"whole region: every supplier is local", "*", "bat", []want{
			{"H", 1, 4, 0, []Dominator{{"S1", 4}, {"X", 2}}, &one},
			{"L", 2, 5, 0, []Dominator{{"S1", 3}, {"S2", 1}, {"X", 1}}, &one},
			{"N", 0, 0, 0, []Dominator{}, nil},
		}},
		{"zone: only the zone's leaders", "Z-yq", "bat", []want{{"N", 0, 0, 0, []Dominator{}, nil}}},
		{"no leader in scope", "140802", "bat", []want{}},
		{"leader's customer is not a supplier", yq, "chem", []want{
			{"M", 1, 7, 0, []Dominator{{"L", 7}, {"S1", 3}, {"S2", 1}, {"X", 1}}, &one},
			{"N", 0, 0, 0, []Dominator{}, nil},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ix.LeaderDependency(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d leaders, want %d", len(got), len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.ID != w.id || g.Name != "企业"+w.id || g.Direct != w.direct || g.Indirect != w.indirect ||
					g.DirectOutside != w.directOutside || !reflect.DeepEqual(g.Dominators, w.dominators) ||
					g.DominatorsTotal != len(w.dominators) || !reflect.DeepEqual(g.LocalSupplyRate, w.rate) {
					b, _ := json.Marshal(g)
					t.Errorf("leader %d: got %s, want %+v", i, b, w)
				}
				if g.Inside+g.Outside != g.Direct+g.Indirect || len(g.TopSuppliers) != min(LeaderTop, g.Direct+g.Indirect) {
					t.Errorf("leader %s: inside %d + outside %d, %d top suppliers", g.ID, g.Inside, g.Outside, len(g.TopSuppliers))
				}
			}
		})
	}
	// L in 垣曲: S1 (垣曲) and S2 (河津) direct; X, Y, Z (垣曲) at two links, Q
	// (the region itself) at two (via S2) and W (河津) at three. S1 dominates
	// more than S2, so it comes first among the direct suppliers.
	got, _ := ix.LeaderDependency(yq, "bat")
	var order []string
	for _, s := range got[0].TopSuppliers {
		order = append(order, fmt.Sprintf("%s/%d/%v", s.ID, s.Distance, s.Inside))
	}
	if w := "S1/1/true S2/1/false X/2/true Q/2/false Y/2/true Z/2/true W/3/false"; strings.Join(order, " ") != w {
		t.Errorf("suppliers %v, want %s", order, w)
	}
	if w := []CountyCount{{yq, 4, 1}, {hj, 2, 1}, {region, 1, 0}}; !reflect.DeepEqual(got[0].ByCounty, w) {
		t.Errorf("by county %+v, want %+v", got[0].ByCounty, w)
	}
}

func TestLeaderDependencyJSON(t *testing.T) {
	ix, err := NewIndex(dataset([]chainscope.Enterprise{leader("L", "140827", []string{"bat"})}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.LeaderDependency("*", "bat")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	want := `[{"id":"L","name":"企业L","direct":0,"indirect":0,"inside":0,"outside":0,"direct_outside":0,"by_county":[],"dominators":[],"dominators_total":0,"local_supply_rate":null,"top_suppliers":[]}]`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
}

// bruteSuppliers recounts one leader's suppliers from the dataset alone:
// breadth-first distances over the reversed links, and for each supplier d
// how many others stop reaching the leader once d is taken out.
func bruteSuppliers(ds *chainscope.Dataset, leaderID string) (dist map[string]int, dominates map[string]int) {
	alive := map[string]bool{}
	for _, e := range ds.Enterprises {
		alive[e.ID] = true
	}
	for _, p := range ds.Projects {
		alive[p.ID] = p.Status != chainscope.StatusCancelled
	}
	suppliers := map[string][]string{}
	for _, l := range ds.Links {
		if alive[l.From] && alive[l.To] {
			suppliers[l.To] = append(suppliers[l.To], l.From)
		}
	}
	reach := func(without string) map[string]int {
		d := map[string]int{leaderID: 0}
		queue := []string{leaderID}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, u := range suppliers[v] {
				if _, seen := d[u]; !seen && u != without {
					d[u] = d[v] + 1
					queue = append(queue, u)
				}
			}
		}
		delete(d, leaderID)
		return d
	}
	dist = reach("")
	dominates = map[string]int{}
	for d := range dist {
		dominates[d] = len(dist) - 1 - len(reach(d))
	}
	return dist, dominates
}

// bruteArea is the county area a record counts in (a zone's county), the
// region's code for none, and whether it lies in area.
func bruteArea(ds *chainscope.Dataset, county, area string) (string, bool) {
	kinds, parents := map[string]chainscope.Kind{}, map[string]string{}
	for _, c := range ds.Counties {
		kinds[c.Code], parents[c.Code] = c.Kind, c.Parent
	}
	in := area == "*"
	top := ds.Region.Code
	for c := county; c != "" && c != ds.Region.Code; c = parents[c] {
		in = in || c == area
		if kinds[c] != chainscope.KindZone {
			top = c
			break
		}
	}
	return top, in
}

func TestLeaderDependencyAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 34))
	checked, long, manyDominators := 0, 0, 0
	for i := 0; i < 60; i++ {
		ds := randomDataset(r, 40, 1.2+r.Float64()*2)
		if i%4 == 3 {
			// Larger and sparse: long supply chains, where a leader has
			// more dominators than a summary names.
			ds = randomDataset(r, 120, 0.9+r.Float64()*0.4)
		}
		for k := range ds.Enterprises {
			if r.IntN(3) == 0 {
				ds.Enterprises[k].LeaderOf = []string{ds.Chains[r.IntN(len(ds.Chains))].ID}
			}
		}
		county := map[string]string{}
		for _, e := range ds.Enterprises {
			county[e.ID] = e.County
		}
		for _, p := range ds.Projects {
			county[p.ID] = p.County
		}
		ix := mustIndex(t, ds)
		for _, area := range []string{"*", "140827", "140882", "Z-yq"} {
			for _, c := range ds.Chains {
				sc, err := ix.Scope(area, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				got := sc.LeaderDependency()
				var want []string
				for _, e := range ds.Enterprises {
					if _, in := bruteArea(ds, e.County, area); in && slices.Contains(e.LeaderOf, c.ID) {
						want = append(want, e.ID)
					}
				}
				slices.Sort(want)
				if len(got) != len(want) {
					t.Fatalf("dataset %d %s/%s: %d leaders, want %v", i, area, c.ID, len(got), want)
				}
				for k, g := range got {
					checkLeader(t, ds, sc, area, county, want[k], g)
					if g.DominatorsTotal > 0 && g.Outside > 0 {
						checked++
					}
					if g.Direct+g.Indirect > LeaderTop {
						long++ // the summary sorts only the closest suppliers: checked against the full order
					}
					if g.DominatorsTotal > LeaderTop {
						manyDominators++ // the summary keeps only the first dominators as they come
					}
				}
			}
		}
	}
	if checked < 50 || long < 20 || manyDominators < 5 {
		t.Fatalf("only %d leaders with dominators and outside suppliers, %d with more than %d suppliers, %d with more dominators: the test checks too little",
			checked, long, LeaderTop, manyDominators)
	}
}

func checkLeader(t *testing.T, ds *chainscope.Dataset, sc *Scope, area string, county map[string]string, id string, g LeaderDependency) {
	t.Helper()
	dist, dominates := bruteSuppliers(ds, id)
	var direct, inside, directOutside int
	byCounty := map[string]*CountyCount{}
	var doms []Dominator
	var all []Supplier
	for u, d := range dist {
		top, in := bruteArea(ds, county[u], area)
		if byCounty[top] == nil {
			byCounty[top] = &CountyCount{County: top}
		}
		byCounty[top].Suppliers++
		if d == 1 {
			direct++
			byCounty[top].Direct++
			if !in {
				directOutside++
			}
		}
		if in {
			inside++
		}
		if dominates[u] > 0 {
			doms = append(doms, Dominator{u, dominates[u]})
		}
		all = append(all, Supplier{ID: u, County: county[u], Distance: d, Inside: in, Dominates: dominates[u]})
	}
	if g.ID != id || g.Direct != direct || g.Indirect != len(dist)-direct || g.Inside != inside ||
		g.Outside != len(dist)-inside || g.DirectOutside != directOutside || g.DominatorsTotal != len(doms) {
		t.Fatalf("%s in %s: got %+v; want direct %d indirect %d inside %d direct outside %d dominators %d",
			id, area, g, direct, len(dist)-direct, inside, directOutside, len(doms))
	}
	if direct == 0 && g.LocalSupplyRate != nil || direct > 0 && (g.LocalSupplyRate == nil ||
		*g.LocalSupplyRate != math.Round(float64(direct-directOutside)/float64(direct)*1e4)/1e4) {
		t.Fatalf("%s: local supply rate %v with %d of %d direct suppliers outside", id, g.LocalSupplyRate, directOutside, direct)
	}
	if len(g.ByCounty) != len(byCounty) {
		t.Fatalf("%s: by county %+v, want %d counties", id, g.ByCounty, len(byCounty))
	}
	for k, cc := range g.ByCounty {
		if w := byCounty[cc.County]; w == nil || *w != cc || k > 0 && g.ByCounty[k-1].Suppliers < cc.Suppliers {
			t.Fatalf("%s: by county %+v", id, g.ByCounty)
		}
	}
	slices.SortFunc(doms, func(a, b Dominator) int {
		if a.Dominates != b.Dominates {
			return b.Dominates - a.Dominates
		}
		return strings.Compare(a.ID, b.ID)
	})
	if !reflect.DeepEqual(g.Dominators, doms[:min(len(doms), LeaderTop)]) && !(len(doms) == 0 && len(g.Dominators) == 0) {
		t.Fatalf("%s: dominators %v, want %v", id, g.Dominators, doms)
	}
	slices.SortFunc(all, func(a, b Supplier) int {
		if a.Distance != b.Distance {
			return a.Distance - b.Distance
		}
		if a.Dominates != b.Dominates {
			return b.Dominates - a.Dominates
		}
		return strings.Compare(a.ID, b.ID)
	})
	// Paging through every supplier, three at a time, gives the whole list.
	var paged []Supplier
	for off := 0; ; off += 3 {
		p, err := sc.LeaderSuppliers(id, off, 3)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != len(all) || p.Direct != direct || p.Indirect != len(all)-direct || p.Offset != off || len(p.Items) > 3 {
			t.Fatalf("%s page at %d: %+v", id, off, p)
		}
		if len(p.Items) == 0 {
			break
		}
		paged = append(paged, p.Items...)
	}
	if len(paged) != len(all) {
		t.Fatalf("%s: %d suppliers paged, want %d", id, len(paged), len(all))
	}
	for k := range all {
		p := paged[k]
		w := all[k]
		if p.ID != w.ID || p.Distance != w.Distance || p.Inside != w.Inside || p.Dominates != w.Dominates ||
			p.County != w.County && !(w.County == "" && p.County == ds.Region.Code) {
			t.Fatalf("%s: supplier %d is %+v, want %+v", id, k, p, w)
		}
	}
	if !reflect.DeepEqual(g.TopSuppliers, paged[:min(len(paged), LeaderTop)]) && len(paged) > 0 {
		t.Fatalf("%s: top suppliers are not the first page", id)
	}
}

func TestLeaderSuppliersNotALeader(t *testing.T) {
	ds := dataset([]chainscope.Enterprise{leader("L", "140827", []string{"bat"}), ent("S", "140827", "bat.a")}, nil, links("S", "L"))
	ix := mustIndex(t, ds)
	for _, tc := range [][3]string{{"S", "*", "bat"}, {"L", "*", "chem"}, {"L", "140882", "bat"}, {"nobody", "*", "bat"}} {
		sc, err := ix.Scope(tc[1], tc[2])
		if err != nil {
			t.Fatal(err)
		}
		_, err = sc.LeaderSuppliers(tc[0], 0, 10)
		var ce *chainscope.Error
		if !errors.As(err, &ce) || ce.Code != chainscope.ENOTFOUND {
			t.Errorf("%v: %v, want ENOTFOUND", tc, err)
		}
	}
	sc, _ := ix.Scope("*", "bat")
	p, err := sc.LeaderSuppliers("L", 5, 10)
	if err != nil || p.Total != 1 || len(p.Items) != 0 {
		t.Errorf("past the end: %+v %v", p, err)
	}
}
