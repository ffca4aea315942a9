package graph

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/synth"
)

// changed returns a copy of ds (slices copied, records shared unless
// changed) with the given nodes removed, links included, and the given
// projects made operating: the what-if applied to the data itself.
func changed(ds *chainscope.Dataset, remove, operate []string) *chainscope.Dataset {
	out := *ds
	out.Enterprises = nil
	for _, e := range ds.Enterprises {
		if !slices.Contains(remove, e.ID) {
			out.Enterprises = append(out.Enterprises, e)
		}
	}
	out.Projects = nil
	for _, p := range ds.Projects {
		if slices.Contains(remove, p.ID) {
			continue
		}
		if slices.Contains(operate, p.ID) && p.Status != chainscope.StatusCancelled {
			p.Status = chainscope.StatusOperating
		}
		out.Projects = append(out.Projects, p)
	}
	out.Links = nil
	for _, l := range ds.Links {
		if !slices.Contains(remove, l.From) && !slices.Contains(remove, l.To) {
			out.Links = append(out.Links, l)
		}
	}
	return &out
}

func cutTotal(a *Analysis) int {
	t := 0
	for _, c := range a.CutNodes {
		t += c.Impact
	}
	return t
}

func mustIndex(t testing.TB, ds *chainscope.Dataset) *Index {
	t.Helper()
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestProjectImpact(t *testing.T) {
	const yq, hj = "140827", "140882"
	signed, started, op := chainscope.StatusSigned, chainscope.StatusStarted, chainscope.StatusOperating
	type P = []chainscope.Project
	type E = []chainscope.Enterprise
	weakTo := func(id string, from []Reason) SegmentChange {
		return SegmentChange{ID: id, From: Weak, To: OK, FromReasons: from, ToReasons: []Reason{}}
	}
	tests := []struct {
		name string
		es   E
		ps   P
		ls   []chainscope.Link
		want []ProjectImpact // Name, County, Status, InvestmentWan and segment names/stages are checked apart
	}{
		{
			name: "fills a missing segment between two present ones",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.c")},
			ps:   P{proj("P1", yq, signed, wan(500), "bat.b")},
			ls:   links("E1", "P1", "P1", "E2"),
			want: []ProjectImpact{{
				ID: "P1",
				Changes: []SegmentChange{{ID: "bat.b", From: Missing, To: Weak, FromReasons: []Reason{}, ToReasons: []Reason{ReasonSingle},
					FromBroken: true}},
				Filled: 1, CompletenessGain: 0.2,
				// With P1 the path E1–P1–E2 hangs on P1 (impact 1); without it nothing is cut.
				CutImpactRemoved: -1, Rank: 1,
			}},
		},
		{
			name: "planned only becomes ok",
			ps:   P{proj("P1", yq, signed, wan(100), "bat.a"), proj("P2", yq, started, wan(300), "bat.a")},
			want: []ProjectImpact{
				// Without P2, P1 alone is single and planned only; with P2 operating it is ok.
				{ID: "P2", Changes: []SegmentChange{weakTo("bat.a", []Reason{ReasonSingle, ReasonPlannedOnly})}, WeakToOK: 1, Rank: 1},
				{ID: "P1", Changes: []SegmentChange{weakTo("bat.a", []Reason{ReasonSingle, ReasonPlannedOnly})}, WeakToOK: 1, Rank: 2},
			},
		},
		{
			name: "single becomes ok; ok stays ok",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.b"), ent("E3", yq, "bat.b")},
			ps:   P{proj("P1", yq, signed, nil, "bat.a", "bat.b")},
			want: []ProjectImpact{{ID: "P1", Changes: []SegmentChange{weakTo("bat.a", []Reason{ReasonSingle})}, WeakToOK: 1, Rank: 1}},
		},
		{
			name: "a project closing a loop removes a cut node",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.b"), ent("E3", yq, "bat.c"), ent("E4", yq, "bat.c")},
			ps:   P{proj("P1", yq, signed, nil, "bat.c")},
			ls:   links("E1", "E2", "E2", "E3", "E3", "P1", "P1", "E1"),
			// Without P1: the path E1–E2–E3, E2 cut (impact 1). With it a cycle.
			want: []ProjectImpact{{ID: "P1", Changes: []SegmentChange{}, CutImpactRemoved: 1, Rank: 1}},
		},
		{
			name: "ranking: filled, then weak to ok, then cut impact, then investment, then id",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.c"), ent("E3", yq, "bat.c")},
			ps: P{
				proj("P-fill", yq, signed, wan(1), "bat.d"),
				proj("P-weak", yq, signed, wan(1), "bat.a"),
				proj("P-rich", yq, started, wan(900), "bat.c"),
				proj("P-b", yq, signed, wan(10), "bat.c"),
				proj("P-a", yq, signed, wan(10), "bat.c"),
				proj("P-stalled", yq, chainscope.StatusStalled, wan(5), "bat.e"),
				proj("P-op", yq, op, wan(5), "bat.e"),
				proj("P-away", hj, signed, wan(5), "bat.e"),
				proj("P-gone", yq, chainscope.StatusCancelled, wan(5), "bat.e"),
			},
			want: []ProjectImpact{
				{ID: "P-fill", Changes: []SegmentChange{{ID: "bat.d", From: Missing, To: Weak, FromReasons: []Reason{}, ToReasons: []Reason{ReasonSingle}}},
					Filled: 1, CompletenessGain: 0.2, Rank: 1},
				{ID: "P-weak", Changes: []SegmentChange{weakTo("bat.a", []Reason{ReasonSingle})}, WeakToOK: 1, Rank: 2},
				{ID: "P-rich", Changes: []SegmentChange{}, Rank: 3},
				{ID: "P-a", Changes: []SegmentChange{}, Rank: 4},
				{ID: "P-b", Changes: []SegmentChange{}, Rank: 5},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := dataset(tc.es, tc.ps, tc.ls)
			ix := mustIndex(t, ds)
			got, err := ix.ProjectImpact(yq, "bat")
			if err != nil {
				t.Fatal(err)
			}
			var segs = map[string]chainscope.Segment{}
			for _, s := range ds.Chains[0].Segments {
				segs[s.ID] = s
			}
			for i := range tc.want {
				w := &tc.want[i]
				for _, p := range ds.Projects {
					if p.ID == w.ID {
						w.Name, w.County, w.Status, w.InvestmentWan = p.Name, p.County, p.Status, p.Investment()
					}
				}
				for j := range w.Changes {
					s := segs[w.Changes[j].ID]
					w.Changes[j].Name, w.Changes[j].Stage = s.Name, s.Stage
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ProjectImpact:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestProjectImpactEmptyAndUnknown(t *testing.T) {
	ix := mustIndex(t, dataset([]chainscope.Enterprise{ent("E1", "140827", "bat.a")}, nil, nil))
	got, err := ix.ProjectImpact("140827", "bat")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("ProjectImpact without projects = %v, %v; want [] and no error", got, err)
	}
	if b, _ := json.Marshal(got); string(b) != "[]" {
		t.Errorf("JSON = %s, want []", b)
	}
	for _, tc := range []struct{ area, chain string }{{"999999", "bat"}, {"140827", "nope"}} {
		if _, err := ix.ProjectImpact(tc.area, tc.chain); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
			t.Errorf("ProjectImpact(%q, %q) error = %v, want ENOTFOUND", tc.area, tc.chain, err)
		}
	}
}

// TestProjectImpactAgainstReference recomputes every project's impact with
// the brute-force reference analysis on the dataset without the project and
// with it operating: cut totals from the block–cut structure, and (searched)
// from a search per project.
func TestProjectImpactAgainstReference(t *testing.T) {
	for _, plans := range []bool{true, false} {
		t.Run(map[bool]string{true: "structure", false: "searched"}[plans], func(t *testing.T) {
			projectImpactAgainstReference(t, plans)
		})
	}
}

func projectImpactAgainstReference(t *testing.T, plans bool) {
	r := rand.New(rand.NewPCG(31, 7))
	areas := []string{"*", "140827", "140882", "Z-yq"}
	for i := 0; i < 40; i++ {
		ds := randomDataset(r, 25, 1.2)
		ix := mustIndex(t, ds)
		for _, area := range areas {
			for _, c := range ds.Chains {
				sc, err := ix.Scope(area, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				got := sc.projectImpact(plans)
				now := referenceAnalysis(ds, area, c.ID)
				var want []string
				for _, sr := range now.Segments {
					for _, id := range sr.Nodes {
						for _, p := range ds.Projects {
							if p.ID == id && (p.Status == chainscope.StatusSigned || p.Status == chainscope.StatusStarted) && !slices.Contains(want, id) {
								want = append(want, id)
							}
						}
					}
				}
				if len(got) != len(want) {
					t.Fatalf("dataset %d %s/%s: %d projects, want %d (%v)", i, area, c.ID, len(got), len(want), want)
				}
				for k, pi := range got {
					if pi.Rank != k+1 {
						t.Fatalf("rank %d at position %d", pi.Rank, k)
					}
					checkImpact(t, ds, area, c.ID, pi)
				}
			}
		}
	}
}

func checkImpact(t *testing.T, ds *chainscope.Dataset, area, chain string, pi ProjectImpact) {
	t.Helper()
	before := referenceAnalysis(changed(ds, []string{pi.ID}, nil), area, chain)
	after := referenceAnalysis(changed(ds, nil, []string{pi.ID}), area, chain)
	var p chainscope.Project
	for _, x := range ds.Projects {
		if x.ID == pi.ID {
			p = x
		}
	}
	want := ProjectImpact{ID: p.ID, Name: p.Name, County: p.County, Status: p.Status, InvestmentWan: p.Investment(), Changes: []SegmentChange{}, Rank: pi.Rank}
	if want.County == "" {
		want.County = region
	}
	for s := range before.Segments {
		b, a := before.Segments[s], after.Segments[s]
		if !slices.Contains(p.Segments, b.ID) || (b.Status == a.Status && slices.Equal(b.Reasons, a.Reasons)) {
			continue
		}
		want.Changes = append(want.Changes, SegmentChange{ID: b.ID, Name: b.Name, Stage: b.Stage, From: b.Status, To: a.Status,
			FromReasons: b.Reasons, ToReasons: a.Reasons, FromBroken: b.Broken, ToBroken: a.Broken})
		switch {
		case b.Status == Missing:
			want.Filled++
		case b.Status == Weak && a.Status == OK:
			want.WeakToOK++
		}
	}
	want.CompletenessGain = round4(after.Completeness - before.Completeness)
	want.CutImpactRemoved = cutTotal(before) - cutTotal(after)
	if !reflect.DeepEqual(pi, want) {
		t.Fatalf("%s/%s project %s:\n got %+v\nwant %+v", area, chain, pi.ID, pi, want)
	}
}

var (
	synthOnce  sync.Once
	synthDS    *chainscope.Dataset
	synthIndex *Index
)

// synthProvince is synth's province (100 000 enterprises, 20 000 projects,
// 1 000 000 links), indexed once per test binary.
func synthProvince(b *testing.B) (*chainscope.Dataset, *Index) {
	if testing.Short() {
		b.Skip("province-scale benchmark skipped in -short mode")
	}
	synthOnce.Do(func() {
		synthDS = synth.Generate(synth.Province())
		var err error
		if synthIndex, err = NewIndex(synthDS); err != nil {
			panic(err)
		}
	})
	return synthDS, synthIndex
}

// busiestScopes returns the chain with the most project nodes region-wide
// and the county × chain scope with the most signed or started projects.
func busiestScopes(b *testing.B, ds *chainscope.Dataset, ix *Index) (chain, county, countyChain string) {
	best, bestCounty := -1, -1
	all, err := ix.AnalyzeAll()
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range all {
		if a.Area == AllAreas && a.Totals.Projects > best {
			best, chain = a.Totals.Projects, a.Chain
		}
		if a.Area != AllAreas && a.Totals.Projects > bestCounty {
			bestCounty, county, countyChain = a.Totals.Projects, a.Area, a.Chain
		}
	}
	return chain, county, countyChain
}

// BenchmarkProjectImpact ranks the projects of the province's busiest
// chain region-wide, and of its busiest county scope: with the cut totals
// from the block–cut structure, and (-search) with every project searched.
func BenchmarkProjectImpact(b *testing.B) {
	ds, ix := synthProvince(b)
	chain, county, countyChain := busiestScopes(b, ds, ix)
	for _, sc := range []struct {
		name, area, chain string
		plans             bool
	}{
		{"region", AllAreas, chain, true}, {"county", county, countyChain, true},
		{"region-search", AllAreas, chain, false}, {"county-search", county, countyChain, false},
	} {
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			cpu := meterCPU(b)
			for b.Loop() {
				forget(ix)
				scope, err := ix.Scope(sc.area, sc.chain)
				if err != nil {
					b.Fatal(err)
				}
				n = len(scope.projectImpact(sc.plans))
			}
			cpu.report()
			b.ReportMetric(float64(n), "projects")
		})
	}
}

func TestSegmentChangeJSON(t *testing.T) {
	b, err := json.Marshal(SegmentChange{ID: "s", From: Weak, To: OK, FromReasons: []Reason{ReasonSingle}, ToReasons: []Reason{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"id":"s"`, `"from":"weak"`, `"to":"ok"`, `"from_reasons":["single"]`, `"to_reasons":[]`, `"from_broken":false`, `"to_broken":false`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
}

// TestCutTotal checks the reduced search of ProjectImpact against
// WeakPoints on the graph with the node's edges taken out.
func TestCutTotal(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 2))
	var w cutWork
	for i := 0; i < 500; i++ {
		n := 1 + r.IntN(16)
		g := simpleGraph(r, n, r.IntN(3*n))
		gone := int32(r.IntN(n+1)) - 1 // -1: nothing removed
		var edges [][2]int32
		for v := int32(0); int(v) < n; v++ {
			for _, u := range g.Neighbors(v) {
				if v < u && v != gone && u != gone {
					edges = append(edges, [2]int32{v, u})
				}
			}
		}
		cuts, _ := WeakPoints(NewUndirectedCSR(n, edges))
		want := 0
		for _, c := range cuts {
			want += int(c.Impact)
		}
		if got := w.total(g.Offsets, g.Targets, n, gone); got != want {
			t.Fatalf("graph %v without %d: total %d, want %d", g, gone, got, want)
		}
	}
}

// TestCertificateKeepsTwoCuts checks the sparse certificate ProjectImpact
// searches: with every node (and none) removed, the total cut-node impact
// is the same as in the whole graph, on random graphs from sparse to dense
// and on shapes full of separation pairs.
func TestCertificateKeepsTwoCuts(t *testing.T) {
	r := rand.New(rand.NewPCG(73, 4))
	type shape struct {
		name string
		g    *CSR
	}
	var shapes []shape
	ring := func(n int) *CSR {
		var e [][2]int32
		for i := 0; i < n; i++ {
			e = append(e, [2]int32{int32(i), int32((i + 1) % n)})
		}
		return NewUndirectedCSR(n, e)
	}
	shapes = append(shapes, shape{"ring", ring(9)})
	wheel := [][2]int32{}
	for i := 1; i <= 8; i++ {
		wheel = append(wheel, [2]int32{0, int32(i)}, [2]int32{int32(i), int32(i%8 + 1)})
	}
	shapes = append(shapes, shape{"wheel", NewUndirectedCSR(9, wheel)})
	ladder := [][2]int32{}
	for i := int32(0); i < 6; i++ {
		ladder = append(ladder, [2]int32{2 * i, 2*i + 1})
		if i < 5 {
			ladder = append(ladder, [2]int32{2 * i, 2*i + 2}, [2]int32{2*i + 1, 2*i + 3})
		}
	}
	shapes = append(shapes, shape{"ladder", NewUndirectedCSR(12, ladder)})
	for i := 0; i < 3000; i++ {
		n := 2 + r.IntN(18)
		shapes = append(shapes, shape{"random", simpleGraph(r, n, r.IntN(n*n/2+2))})
	}
	var w cutWork
	for _, s := range shapes {
		n := s.g.N()
		hoff, htgt := certificate(s.g.Offsets, s.g.Targets, n, 3)
		if len(htgt) > 2*3*(n-1) {
			t.Fatalf("%s: certificate has %d edge ends for %d nodes", s.name, len(htgt), n)
		}
		for gone := int32(-1); int(gone) < n; gone++ {
			want := w.total(s.g.Offsets, s.g.Targets, n, gone)
			if got := w.total(hoff, htgt, n, gone); got != want {
				t.Fatalf("%s %v without %d: certificate total %d, graph %d", s.name, s.g, gone, got, want)
			}
		}
	}
}
