package graph

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"chainscope"
)

// referenceAnalysis is SPEC §5–6 read literally, with maps and strings and
// brute force everywhere: the oracle the Index is checked against.
func referenceAnalysis(ds *chainscope.Dataset, area, chainID string) *Analysis {
	counties := map[string]chainscope.County{}
	for _, c := range ds.Counties {
		counties[c.Code] = c
	}
	inArea := func(county string) bool {
		if area == "*" {
			return true
		}
		for x, steps := county, 0; x != "" && steps < 100; steps++ {
			if x == area {
				return true
			}
			c, ok := counties[x]
			if !ok || c.Kind != chainscope.KindZone {
				return false
			}
			x = c.Parent
		}
		return false
	}
	var ch chainscope.Chain
	for _, c := range ds.Chains {
		if c.ID == chainID {
			ch = c
		}
	}
	inChain := map[string]bool{}
	for _, s := range ch.Segments {
		inChain[s.ID] = true
	}
	type node struct {
		segs      map[string]bool
		operating bool
		project   bool
		inv       float64
		county    string
	}
	live := map[string]node{}
	for _, e := range ds.Enterprises {
		n := node{segs: map[string]bool{}, operating: true, county: e.County}
		for _, s := range e.Segments {
			n.segs[s] = true
		}
		live[e.ID] = n
	}
	for _, p := range ds.Projects {
		if p.Status == chainscope.StatusCancelled {
			continue
		}
		n := node{segs: map[string]bool{}, operating: p.Status == chainscope.StatusOperating, project: true, inv: p.Investment(), county: p.County}
		for _, s := range p.Segments {
			n.segs[s] = true
		}
		live[p.ID] = n
	}
	hasChainSeg := func(n node) bool {
		for s := range n.segs {
			if inChain[s] {
				return true
			}
		}
		return false
	}
	N := map[string]bool{}
	var ids []string
	for id, n := range live {
		if inArea(n.county) && hasChainSeg(n) {
			N[id] = true
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)

	a := &Analysis{Area: area, Chain: chainID, Segments: []SegmentResult{}, CutNodes: []CutNode{}, Bridges: []Bridge{}}
	for _, id := range ids {
		if live[id].project {
			a.Totals.Projects++
			a.Totals.InvestmentWan += live[id].inv
		} else {
			a.Totals.Enterprises++
		}
	}
	adj := map[string]map[string]bool{}
	for _, id := range ids {
		adj[id] = map[string]bool{}
	}
	ext := map[string]bool{}
	for _, l := range ds.Links {
		if N[l.From] && N[l.To] {
			a.Totals.Links++
			adj[l.From][l.To] = true
			adj[l.To][l.From] = true
		}
		if from, ok := live[l.From]; ok && N[l.To] && !inArea(from.county) {
			for s := range from.segs {
				ext[s] = true
			}
		}
	}
	L := map[string][]string{}
	for _, id := range ids {
		for s := range live[id].segs {
			L[s] = append(L[s], id)
		}
	}
	closure := func(s string, forward bool) map[string]bool {
		seen := map[string]bool{}
		queue := []string{s}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			for _, f := range ch.Flows {
				from, to := f.From, f.To
				if !forward {
					from, to = to, from
				}
				if from == x && !seen[to] {
					seen[to] = true
					queue = append(queue, to)
				}
			}
		}
		return seen
	}
	anyPresent := func(set map[string]bool) bool {
		for s := range set {
			if len(L[s]) > 0 {
				return true
			}
		}
		return false
	}
	present := 0
	for _, s := range ch.Segments {
		r := SegmentResult{ID: s.ID, Name: s.Name, Stage: s.Stage, Reasons: []Reason{}, Nodes: []string{}}
		r.Nodes = append(r.Nodes, L[s.ID]...)
		slices.Sort(r.Nodes)
		switch {
		case len(r.Nodes) == 0:
			r.Status = Missing
			r.Broken = anyPresent(closure(s.ID, false)) && anyPresent(closure(s.ID, true))
			r.SuppliedExternally = area != "*" && ext[s.ID]
		default:
			present++
			if len(r.Nodes) == 1 {
				r.Reasons = append(r.Reasons, ReasonSingle)
			}
			op := false
			for _, id := range r.Nodes {
				op = op || live[id].operating
			}
			if !op {
				r.Reasons = append(r.Reasons, ReasonPlannedOnly)
			}
			r.Status = OK
			if len(r.Reasons) > 0 {
				r.Status = Weak
			}
		}
		a.Segments = append(a.Segments, r)
	}
	if len(ch.Segments) > 0 {
		a.Completeness = math.Round(float64(present)/float64(len(ch.Segments))*1e4) / 1e4
	}

	// Components of U without node `skip` and without edge {ea, eb}.
	comps := func(skip, ea, eb string) map[string]int {
		label := map[string]int{}
		for _, s := range ids {
			if s == skip {
				continue
			}
			if _, ok := label[s]; ok {
				continue
			}
			label[s] = len(label)
			root := label[s]
			stack := []string{s}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for y := range adj[x] {
					if y == skip || (x == ea && y == eb) || (x == eb && y == ea) {
						continue
					}
					if _, ok := label[y]; !ok {
						label[y] = root
						stack = append(stack, y)
					}
				}
			}
		}
		return label
	}
	sizes := func(label map[string]int) map[int]int {
		s := map[int]int{}
		for _, l := range label {
			s[l]++
		}
		return s
	}
	full := comps("", "", "")
	fullSize := sizes(full)
	for _, v := range ids {
		c := fullSize[full[v]]
		l := comps(v, "", "")
		pieces := map[int]int{}
		for _, u := range ids {
			if u != v && full[u] == full[v] {
				pieces[l[u]]++
			}
		}
		if len(pieces) > 1 {
			largest := 0
			for _, k := range pieces {
				largest = max(largest, k)
			}
			a.CutNodes = append(a.CutNodes, CutNode{v, c - 1 - largest})
		}
	}
	for _, x := range ids {
		for y := range adj[x] {
			if x >= y {
				continue
			}
			l := comps("", x, y)
			if l[x] != l[y] {
				s := sizes(l)
				a.Bridges = append(a.Bridges, Bridge{x, y, min(s[l[x]], s[l[y]])})
			}
		}
	}
	slices.SortFunc(a.CutNodes, func(p, q CutNode) int {
		return cmp.Or(cmp.Compare(q.Impact, p.Impact), cmp.Compare(p.ID, q.ID))
	})
	slices.SortFunc(a.Bridges, func(p, q Bridge) int {
		return cmp.Or(cmp.Compare(q.Impact, p.Impact), cmp.Compare(p.A, q.A), cmp.Compare(p.B, q.B))
	})
	return a
}

// randomDataset builds a small dataset with random chains (random DAG
// flows), nodes spread over counties, zones and the region itself, projects
// of every status, and random links, including ones touching cancelled projects.
func randomDataset(r *rand.Rand, nodes int, density float64) *chainscope.Dataset {
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: region, Name: "运城市"}, Counties: testCounties()}
	var segs []string
	for c := 0; c < 1+r.IntN(3); c++ {
		ch := chainscope.Chain{ID: fmt.Sprintf("c%d", c), Name: fmt.Sprintf("链%d", c)}
		k := 1 + r.IntN(8)
		for s := 0; s < k; s++ {
			id := fmt.Sprintf("c%d.s%d", c, s)
			ch.Segments = append(ch.Segments, chainscope.Segment{ID: id, Name: id, Stage: chainscope.Stages[r.IntN(4)]})
			segs = append(segs, id)
		}
		for i := 0; i < k; i++ {
			for j := i + 1; j < k; j++ {
				if r.IntN(3) == 0 {
					ch.Flows = append(ch.Flows, chainscope.Flow{From: ch.Segments[i].ID, To: ch.Segments[j].ID})
				}
			}
		}
		ds.Chains = append(ds.Chains, ch)
	}
	places := []string{region, "", "140827", "140827", "140882", "140882", "140802", "Z-yq", "Z-hj", "Z-free"}
	var all []string
	for i := 0; i < nodes; i++ {
		county := places[r.IntN(len(places))]
		var ss []string
		for j := 0; j < 1+r.IntN(3); j++ {
			ss = append(ss, segs[r.IntN(len(segs))])
		}
		id := fmt.Sprintf("n%02d", r.IntN(1000))
		if slices.Contains(all, id) {
			continue
		}
		all = append(all, id)
		if r.IntN(2) == 0 {
			ds.Enterprises = append(ds.Enterprises, ent(id, county, ss...))
		} else {
			inv := float64(r.IntN(5000))
			p := proj(id, county, chainscope.Statuses[r.IntN(len(chainscope.Statuses))], &inv, ss...)
			if r.IntN(4) == 0 {
				p.InvestmentWan = nil
			}
			ds.Projects = append(ds.Projects, p)
		}
	}
	seen := map[[2]string]bool{}
	for i := 0; i < int(float64(len(all))*density); i++ {
		a, b := all[r.IntN(len(all))], all[r.IntN(len(all))]
		if a == b || seen[[2]string{a, b}] {
			continue
		}
		seen[[2]string{a, b}] = true
		ds.Links = append(ds.Links, link(a, b))
	}
	return ds
}

func TestAnalyzeAgainstReference(t *testing.T) {
	tests := []struct {
		name     string
		seed     uint64
		datasets int
		nodes    int
		density  float64
	}{
		{"sparse", 21, 80, 25, 0.8},
		{"medium", 22, 80, 30, 1.5},
		{"dense", 23, 40, 20, 4},
		{"tiny", 24, 80, 4, 1},
	}
	areas := []string{"*", "140827", "140882", "140802", "Z-yq", "Z-hj", "Z-free"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 5))
			for i := 0; i < tc.datasets; i++ {
				ds := randomDataset(r, tc.nodes, tc.density)
				ix, err := NewIndex(ds)
				if err != nil {
					t.Fatalf("dataset %d: %v", i, err)
				}
				all, err := ix.AnalyzeAll()
				if err != nil {
					t.Fatal(err)
				}
				if want := 4 * len(ds.Chains); len(all) != want {
					t.Fatalf("AnalyzeAll: %d scopes, want %d", len(all), want)
				}
				for _, a := range all {
					if want := referenceAnalysis(ds, a.Area, a.Chain); !reflect.DeepEqual(a, want) {
						t.Fatalf("dataset %d AnalyzeAll %s/%s:\n got %+v\nwant %+v", i, a.Area, a.Chain, a, want)
					}
				}
				for _, area := range areas {
					for _, c := range ds.Chains {
						got, err := ix.Analyze(area, c.ID)
						if err != nil {
							t.Fatal(err)
						}
						if want := referenceAnalysis(ds, area, c.ID); !reflect.DeepEqual(got, want) {
							t.Fatalf("dataset %d scope %s/%s:\n got %+v\nwant %+v", i, area, c.ID, got, want)
						}
					}
				}
			}
		})
	}
}
