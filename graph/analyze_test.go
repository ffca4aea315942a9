package graph

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"chainscope"
)

type segWant struct {
	status  Status
	reasons []Reason
	broken  bool
	ext     bool
	nodes   []string
}

func TestAnalyzeSegmentStatus(t *testing.T) {
	const yq, hj = "140827", "140882"
	op, signed, started, cancelled := chainscope.StatusOperating, chainscope.StatusSigned, chainscope.StatusStarted, chainscope.StatusCancelled
	type P = []chainscope.Project
	type E = []chainscope.Enterprise
	none := []Reason{}
	tests := []struct {
		name  string
		es    E
		ps    P
		ls    []chainscope.Link
		area  string
		chain string
		want  map[string]segWant
	}{
		{
			name: "missing and broken between present ancestor and descendant",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.c")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, broken: true, nodes: []string{}}},
		},
		{
			name: "missing and broken transitively over two missing segments",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.d")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.b": {status: Missing, reasons: none, broken: true, nodes: []string{}},
				"bat.c": {status: Missing, reasons: none, broken: true, nodes: []string{}},
			},
		},
		{
			name: "missing not broken with only ancestors present",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.b")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.c": {status: Missing, reasons: none, nodes: []string{}},
				"bat.d": {status: Missing, reasons: none, nodes: []string{}},
			},
		},
		{
			name: "missing not broken with only descendants present",
			es:   E{ent("E1", yq, "bat.d")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.a": {status: Missing, reasons: none, nodes: []string{}},
				"bat.b": {status: Missing, reasons: none, nodes: []string{}},
			},
		},
		{
			name: "missing segment without flows is never broken",
			es:   E{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.d")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.e": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "supplied externally from another county",
			es:   E{ent("O1", hj, "bat.b"), ent("E1", yq, "bat.c")},
			ls:   links("O1", "E1"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, ext: true, nodes: []string{}}},
		},
		{
			name: "supplied externally from a region-level record",
			es:   E{ent("R1", region, "bat.b"), ent("E1", yq, "bat.c")},
			ls:   links("R1", "E1"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, ext: true, nodes: []string{}}},
		},
		{
			name: "supplied externally by an outside project that is not operating",
			es:   E{ent("E1", yq, "bat.c")},
			ps:   P{proj("P1", hj, signed, nil, "bat.b")},
			ls:   links("P1", "E1"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, ext: true, nodes: []string{}}},
		},
		{
			name: "not supplied externally when the link runs outwards",
			es:   E{ent("O1", hj, "bat.b"), ent("E1", yq, "bat.c")},
			ls:   links("E1", "O1"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "not supplied externally when the outside supplier lists another segment",
			es:   E{ent("O1", hj, "bat.a"), ent("E1", yq, "bat.c")},
			ls:   links("O1", "E1"),
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.b": {status: Missing, reasons: none, nodes: []string{}},
				"bat.a": {status: Missing, reasons: none, ext: true, nodes: []string{}},
			},
		},
		{
			name: "not supplied externally when the customer is outside the area too",
			es:   E{ent("O1", hj, "bat.b"), ent("O2", hj, "bat.c"), ent("E1", yq, "bat.d")},
			ls:   links("O1", "O2"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "not supplied externally by a cancelled project",
			es:   E{ent("E1", yq, "bat.c")},
			ps:   P{proj("PX", hj, cancelled, wan(5), "bat.b")},
			ls:   links("PX", "E1"),
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "supplied externally from outside the zone, inside its county",
			es:   E{ent("O1", yq, "bat.b"), ent("E1", "Z-yq", "bat.c")},
			ls:   links("O1", "E1"),
			area: "Z-yq", chain: "bat",
			want: map[string]segWant{"bat.b": {status: Missing, reasons: none, ext: true, nodes: []string{}}},
		},
		{
			name: "never supplied externally in the whole region",
			es:   E{ent("O1", hj, "bat.a"), ent("E1", yq, "bat.d")},
			ls:   links("O1", "E1"),
			area: "*", chain: "bat",
			want: map[string]segWant{
				"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"O1"}},
				"bat.b": {status: Missing, reasons: none, broken: true, nodes: []string{}},
			},
		},
		{
			name: "weak single: one operating enterprise",
			es:   E{ent("E1", yq, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}}},
		},
		{
			name: "weak single: one operating project",
			ps:   P{proj("P1", yq, op, wan(1), "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"P1"}}},
		},
		{
			name: "weak planned_only: two projects not operating",
			ps:   P{proj("P1", yq, signed, nil, "bat.a"), proj("P2", yq, started, nil, "bat.a"), proj("P3", yq, chainscope.StatusStalled, nil, "bat.b"), proj("P4", yq, signed, nil, "bat.b")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.a": {status: Weak, reasons: []Reason{ReasonPlannedOnly}, nodes: []string{"P1", "P2"}},
				"bat.b": {status: Weak, reasons: []Reason{ReasonPlannedOnly}, nodes: []string{"P3", "P4"}},
			},
		},
		{
			name: "weak single and planned_only: one signed project",
			ps:   P{proj("P1", yq, signed, nil, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: Weak, reasons: []Reason{ReasonSingle, ReasonPlannedOnly}, nodes: []string{"P1"}}},
		},
		{
			name: "ok: two enterprises",
			es:   E{ent("E2", yq, "bat.a"), ent("E1", yq, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: OK, reasons: none, nodes: []string{"E1", "E2"}}},
		},
		{
			name: "ok: one operating project and one signed",
			ps:   P{proj("P1", yq, op, nil, "bat.a"), proj("P2", yq, signed, nil, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: OK, reasons: none, nodes: []string{"P1", "P2"}}},
		},
		{
			name: "cancelled project is never a node",
			es:   E{ent("E1", yq, "bat.a")},
			ps:   P{proj("PX", yq, cancelled, wan(100), "bat.a"), proj("PY", yq, cancelled, nil, "bat.b")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}},
				"bat.b": {status: Missing, reasons: none, nodes: []string{}},
			},
		},
		{
			name: "zone counts in its parent county",
			es:   E{ent("E1", "Z-yq", "bat.a"), ent("E2", yq, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: OK, reasons: none, nodes: []string{"E1", "E2"}}},
		},
		{
			name: "zone does not count in another county",
			es:   E{ent("E1", "Z-yq", "bat.a")},
			area: hj, chain: "bat",
			want: map[string]segWant{"bat.a": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "zone as an area holds the zone alone",
			es:   E{ent("E1", "Z-yq", "bat.a"), ent("E2", yq, "bat.a")},
			area: "Z-yq", chain: "bat",
			want: map[string]segWant{"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}}},
		},
		{
			name: "zone without parent is an area of its own",
			es:   E{ent("E1", "Z-free", "bat.a")},
			area: "Z-free", chain: "bat",
			want: map[string]segWant{"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}}},
		},
		{
			name: "region-level record is not in a county",
			es:   E{ent("R1", region, "bat.a"), ent("R2", "", "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: Missing, reasons: none, nodes: []string{}}},
		},
		{
			name: "region-level record counts in the whole region",
			es:   E{ent("R1", region, "bat.a"), ent("E1", yq, "bat.a"), ent("Z1", "Z-free", "bat.a")},
			area: "*", chain: "bat",
			want: map[string]segWant{"bat.a": {status: OK, reasons: none, nodes: []string{"E1", "R1", "Z1"}}},
		},
		{
			name: "node of another chain is not in the scope",
			es:   E{ent("E1", yq, "chem.x"), ent("E2", yq, "bat.a", "chem.y")},
			area: yq, chain: "chem",
			want: map[string]segWant{
				"chem.x": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}},
				"chem.y": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E2"}},
			},
		},
		{
			name: "node on two segments appears in both",
			es:   E{ent("E1", yq, "bat.a", "bat.b", "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{
				"bat.a": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}},
				"bat.b": {status: Weak, reasons: []Reason{ReasonSingle}, nodes: []string{"E1"}},
			},
		},
		{
			name: "nodes in ascending byte order",
			es:   E{ent("b", yq, "bat.a"), ent("中", yq, "bat.a"), ent("B", yq, "bat.a"), ent("a", yq, "bat.a"), ent("Z", yq, "bat.a"), ent("a-1", yq, "bat.a")},
			area: yq, chain: "bat",
			want: map[string]segWant{"bat.a": {status: OK, reasons: none, nodes: []string{"B", "Z", "a", "a-1", "b", "中"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := NewIndex(dataset(tc.es, tc.ps, tc.ls))
			if err != nil {
				t.Fatalf("NewIndex: %v", err)
			}
			a, err := ix.Analyze(tc.area, tc.chain)
			if err != nil {
				t.Fatalf("Analyze: %v", err)
			}
			checkInvariants(t, a)
			for _, s := range a.Segments {
				w, ok := tc.want[s.ID]
				if !ok {
					continue
				}
				got := segWant{s.Status, s.Reasons, s.Broken, s.SuppliedExternally, s.Nodes}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("segment %s = %+v, want %+v", s.ID, got, w)
				}
				delete(tc.want, s.ID)
			}
			for id := range tc.want {
				t.Errorf("segment %s not reported", id)
			}
		})
	}
}

// checkInvariants asserts what SPEC §6 promises of every analysis.
func checkInvariants(t *testing.T, a *Analysis) {
	t.Helper()
	if a.Segments == nil || a.CutNodes == nil || a.Bridges == nil {
		t.Errorf("nil list in %+v", a)
	}
	for _, s := range a.Segments {
		if s.Reasons == nil || s.Nodes == nil {
			t.Errorf("segment %s: nil reasons or nodes", s.ID)
		}
		if s.Status != Weak && len(s.Reasons) > 0 {
			t.Errorf("segment %s: reasons %v with status %s", s.ID, s.Reasons, s.Status)
		}
		if s.Status != Missing && (s.Broken || s.SuppliedExternally) {
			t.Errorf("segment %s: broken/supplied_externally with status %s", s.ID, s.Status)
		}
		if a.Area == AllAreas && s.SuppliedExternally {
			t.Errorf("segment %s supplied externally in *", s.ID)
		}
		if !slices.IsSorted(s.Nodes) {
			t.Errorf("segment %s: nodes not sorted: %v", s.ID, s.Nodes)
		}
	}
	for _, b := range a.Bridges {
		if b.A >= b.B {
			t.Errorf("bridge %s–%s not in byte order", b.A, b.B)
		}
	}
}

func TestAnalyzeCompletenessAndTotals(t *testing.T) {
	const yq = "140827"
	threeSeg := chainscope.Chain{ID: "three", Name: "三段", Segments: []chainscope.Segment{
		{ID: "t.1", Name: "一", Stage: chainscope.StageUpstream},
		{ID: "t.2", Name: "二", Stage: chainscope.StageMidstream},
		{ID: "t.3", Name: "三", Stage: chainscope.StageDownstream},
	}}
	noSeg := chainscope.Chain{ID: "empty", Name: "空链"}
	tests := []struct {
		name         string
		ds           *chainscope.Dataset
		area, chain  string
		completeness float64
		totals       Totals
	}{
		{
			name: "two of three rounds to 0.6667",
			ds:   dataset([]chainscope.Enterprise{ent("E1", yq, "t.1"), ent("E2", yq, "t.3")}, nil, nil),
			area: yq, chain: "three",
			completeness: 0.6667,
			totals:       Totals{Enterprises: 2},
		},
		{
			name: "one of three rounds to 0.3333",
			ds:   dataset([]chainscope.Enterprise{ent("E1", yq, "t.2")}, nil, nil),
			area: yq, chain: "three",
			completeness: 0.3333,
			totals:       Totals{Enterprises: 1},
		},
		{
			name: "weak segments count as present; totals count nodes, E and investment",
			ds: dataset(
				[]chainscope.Enterprise{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.b"), ent("E3", "140882", "bat.c")},
				[]chainscope.Project{
					proj("P1", yq, chainscope.StatusSigned, wan(10000), "bat.c"),
					proj("P2", "Z-yq", chainscope.StatusOperating, wan(12000), "bat.c"),
					proj("P3", yq, chainscope.StatusStarted, nil, "bat.d"),
					proj("PX", yq, chainscope.StatusCancelled, wan(99999), "bat.d"),
				},
				links("E1", "E2", "E2", "E1", "E2", "P1", "P1", "P2", "E3", "P1", "PX", "P3", "P2", "P3")),
			area: yq, chain: "bat",
			completeness: 0.8,
			totals:       Totals{Enterprises: 2, Projects: 3, Links: 5, InvestmentWan: 22000},
		},
		{
			name: "empty scope: completeness 0 and zero totals",
			ds:   dataset([]chainscope.Enterprise{ent("E1", "140882", "bat.a")}, nil, nil),
			area: "140802", chain: "bat",
			completeness: 0,
		},
		{
			name: "chain without segments: completeness 0, no division by zero",
			ds:   dataset([]chainscope.Enterprise{ent("E1", yq, "bat.a")}, nil, nil),
			area: "*", chain: "empty",
			completeness: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.ds.Chains = append(tc.ds.Chains, threeSeg, noSeg)
			ix, err := NewIndex(tc.ds)
			if err != nil {
				t.Fatal(err)
			}
			a, err := ix.Analyze(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, a)
			if a.Completeness != tc.completeness {
				t.Errorf("completeness = %v, want %v", a.Completeness, tc.completeness)
			}
			if a.Totals != tc.totals {
				t.Errorf("totals = %+v, want %+v", a.Totals, tc.totals)
			}
		})
	}
}

func TestAnalyzeEmptyScope(t *testing.T) {
	ix, err := NewIndex(dataset([]chainscope.Enterprise{ent("E1", "140882", "bat.a")}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ix.Analyze("140827", "bat")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Segments {
		if s.Status != Missing || s.Broken || s.SuppliedExternally || len(s.Nodes) != 0 {
			t.Errorf("segment %+v in an empty scope", s)
		}
	}
	if len(a.Segments) != 5 || a.Completeness != 0 || a.Totals != (Totals{}) || len(a.CutNodes) != 0 || len(a.Bridges) != 0 {
		t.Errorf("empty scope = %+v", a)
	}
}

func TestAnalyzeCutNodesAndBridges(t *testing.T) {
	const yq = "140827"
	seg := "bat.a"
	es := func(ids ...string) []chainscope.Enterprise {
		var out []chainscope.Enterprise
		for _, id := range ids {
			out = append(out, ent(id, yq, seg))
		}
		return out
	}
	tests := []struct {
		name    string
		es      []chainscope.Enterprise
		ls      []chainscope.Link
		cuts    []CutNode
		bridges []Bridge
		links   int
	}{
		{
			name: "triangle with a tail and a fork",
			// A–B–C triangle, C–D, D–E, E–F, D–G.
			es:   es("A", "B", "C", "D", "E", "F", "G"),
			ls:   links("A", "B", "B", "C", "C", "A", "C", "D", "D", "E", "E", "F", "G", "D"),
			cuts: []CutNode{{"D", 3}, {"C", 2}, {"E", 1}},
			bridges: []Bridge{
				{"C", "D", 3}, {"D", "E", 2}, {"D", "G", 1}, {"E", "F", 1},
			},
			links: 7,
		},
		{
			name: "opposite links merge into one edge of U but count twice in E",
			es:   es("a", "b", "c"),
			ls:   links("a", "b", "b", "a", "c", "b"),
			cuts: []CutNode{{"b", 1}},
			bridges: []Bridge{
				{"a", "b", 1}, {"b", "c", 1},
			},
			links: 3,
		},
		{
			name:    "cycle has no weak points",
			es:      es("a", "b", "c", "d"),
			ls:      links("a", "b", "b", "c", "c", "d", "d", "a"),
			cuts:    []CutNode{},
			bridges: []Bridge{},
			links:   4,
		},
		{
			name: "two components each measured in its own component",
			// Path p1–p2–p3–p4–p5 and star s0 with leaves s1..s3.
			es:   es("p1", "p2", "p3", "p4", "p5", "s0", "s1", "s2", "s3"),
			ls:   links("p1", "p2", "p2", "p3", "p3", "p4", "p4", "p5", "s1", "s0", "s2", "s0", "s0", "s3"),
			cuts: []CutNode{{"p3", 2}, {"s0", 2}, {"p2", 1}, {"p4", 1}},
			bridges: []Bridge{
				{"p2", "p3", 2}, {"p3", "p4", 2}, {"p1", "p2", 1}, {"p4", "p5", 1},
				{"s0", "s1", 1}, {"s0", "s2", 1}, {"s0", "s3", 1},
			},
			links: 7,
		},
		{
			name: "bridge ends in byte order whatever the link direction",
			es:   es("中", "Z"),
			ls:   links("中", "Z"),
			cuts: []CutNode{},
			bridges: []Bridge{
				{"Z", "中", 1},
			},
			links: 1,
		},
		{
			name: "links leaving the scope are not edges",
			es:   append(es("a", "b"), ent("out", "140882", seg), ent("other", yq, "chem.x")),
			ls:   links("a", "b", "b", "out", "other", "a"),
			cuts: []CutNode{},
			bridges: []Bridge{
				{"a", "b", 1},
			},
			links: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := NewIndex(dataset(tc.es, nil, tc.ls))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ix.Analyze(yq, "bat")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a.CutNodes, tc.cuts) {
				t.Errorf("cut nodes = %v, want %v", a.CutNodes, tc.cuts)
			}
			if !reflect.DeepEqual(a.Bridges, tc.bridges) {
				t.Errorf("bridges = %v, want %v", a.Bridges, tc.bridges)
			}
			if a.Totals.Links != tc.links {
				t.Errorf("links = %d, want %d", a.Totals.Links, tc.links)
			}
		})
	}
}

func TestAnalyzeJSON(t *testing.T) {
	tests := []struct {
		name string
		area string
		want string
	}{
		{
			name: "empty lists encode as []",
			area: "140802",
			want: `{"area":"140802","chain":"chem","completeness":0,"segments":[` +
				`{"id":"chem.x","name":"原料","stage":"upstream","status":"missing","reasons":[],"broken":false,"supplied_externally":false,"nodes":[]},` +
				`{"id":"chem.y","name":"产品","stage":"downstream","status":"missing","reasons":[],"broken":false,"supplied_externally":false,"nodes":[]},` +
				`{"id":"chem.z","name":"应用","stage":"downstream","status":"missing","reasons":[],"broken":false,"supplied_externally":false,"nodes":[]}],` +
				`"cut_nodes":[],"bridges":[],"totals":{"enterprises":0,"projects":0,"links":0,"investment_wan":0}}`,
		},
		{
			name: "fields of SPEC §6",
			area: "140827",
			want: `{"area":"140827","chain":"chem","completeness":0.6667,"segments":[` +
				`{"id":"chem.x","name":"原料","stage":"upstream","status":"ok","reasons":[],"broken":false,"supplied_externally":false,"nodes":["E-a","E-b"]},` +
				`{"id":"chem.y","name":"产品","stage":"downstream","status":"missing","reasons":[],"broken":true,"supplied_externally":true,"nodes":[]},` +
				`{"id":"chem.z","name":"应用","stage":"downstream","status":"weak","reasons":["single","planned_only"],"broken":false,"supplied_externally":false,"nodes":["P-c"]}],` +
				`"cut_nodes":[{"id":"E-a","impact":1}],"bridges":[{"a":"E-a","b":"E-b","impact":1},{"a":"E-a","b":"P-c","impact":1}],` +
				`"totals":{"enterprises":2,"projects":1,"links":2,"investment_wan":22000.5}}`,
		},
	}
	ds := dataset(
		[]chainscope.Enterprise{ent("E-a", "140827", "chem.x"), ent("E-b", "Z-yq", "chem.x"), ent("E-out", "140882", "chem.y")},
		[]chainscope.Project{proj("P-c", "140827", chainscope.StatusSigned, wan(22000.5), "chem.z")},
		links("E-a", "E-b", "E-a", "P-c", "E-out", "E-a"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ix.Analyze(tc.area, "chem")
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("JSON =\n%s\nwant\n%s", b, tc.want)
			}
		})
	}
}

func TestAnalyzeUnknown(t *testing.T) {
	ix, err := NewIndex(dataset(nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, area, chain, want string
	}{
		{"unknown area", "140899", "bat", `未知的县区 "140899" / unknown area "140899"`},
		{"region code is not an area", region, "bat", `未知的县区 "140800" / unknown area "140800"`},
		{"empty area", "", "bat", `未知的县区 "" / unknown area ""`},
		{"unknown chain", "140827", "steel", `未知的产业链 "steel" / unknown chain "steel"`},
		{"unknown chain in *", "*", "", `未知的产业链 "" / unknown chain ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, call := range []func() error{
				func() error { _, err := ix.Analyze(tc.area, tc.chain); return err },
				func() error { _, err := ix.LeaderDependency(tc.area, tc.chain); return err },
			} {
				err := call()
				var e *chainscope.Error
				if !errors.As(err, &e) || e.Code != chainscope.ENOTFOUND {
					t.Fatalf("error = %#v, want *chainscope.Error ENOTFOUND", err)
				}
				if e.Error() != tc.want {
					t.Errorf("message = %q, want %q", e.Error(), tc.want)
				}
			}
		})
	}
}

func TestAnalyzeAll(t *testing.T) {
	ds := dataset(
		[]chainscope.Enterprise{ent("E1", "140827", "bat.a", "chem.x"), ent("E2", "Z-hj", "bat.b"), ent("E3", region, "chem.y"), ent("E4", "Z-free", "bat.c")},
		[]chainscope.Project{proj("P1", "140802", chainscope.StatusStarted, wan(3), "bat.d")},
		links("E1", "E2", "E2", "P1", "E3", "E1"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.AnalyzeAll()
	if err != nil {
		t.Fatal(err)
	}
	var scopes []string
	for _, a := range all {
		scopes = append(scopes, a.Area+"/"+a.Chain)
		one, err := ix.Analyze(a.Area, a.Chain)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, one) {
			t.Errorf("AnalyzeAll %s/%s differs from Analyze:\n%+v\n%+v", a.Area, a.Chain, a, one)
		}
	}
	want := "*/bat */chem 140802/bat 140802/chem 140827/bat 140827/chem 140882/bat 140882/chem"
	if got := strings.Join(scopes, " "); got != want {
		t.Errorf("scopes = %s, want %s", got, want)
	}
}

func TestConcurrentUse(t *testing.T) {
	ds := randomDataset(rand.New(rand.NewPCG(77, 1)), 40, 2)
	ds.Enterprises = append(ds.Enterprises, leader("L-1", "140827", []string{"c0"}, "c0.s0"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ix.AnalyzeAll()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i, a := range want {
				if i%8 != g%8 && g < 4 {
					continue
				}
				got, err := ix.Analyze(a.Area, a.Chain)
				if err != nil || !reflect.DeepEqual(got, a) {
					t.Errorf("concurrent Analyze %s/%s differs", a.Area, a.Chain)
				}
				if _, err := ix.LeaderDependency(a.Area, a.Chain); err != nil {
					t.Error(err)
				}
				if _, err := ix.ChainDOT(a.Chain); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestRegionWeakPoints(t *testing.T) {
	// Across chains and counties: A (bat, 垣曲) – B (chem, 河津) – C (region) – D (cancelled: ignored).
	ds := dataset(
		[]chainscope.Enterprise{ent("A", "140827", "bat.a"), ent("B", "140882", "chem.x"), ent("C", region, "bat.e")},
		[]chainscope.Project{proj("D", "140827", chainscope.StatusCancelled, nil, "bat.a")},
		links("A", "B", "C", "B", "B", "A", "C", "D"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ix.RegionCutNodes(), []CutNode{{"B", 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("RegionCutNodes = %v, want %v", got, want)
	}
	if got, want := ix.RegionBridges(), []Bridge{{"A", "B", 1}, {"B", "C", 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("RegionBridges = %v, want %v", got, want)
	}
	if s := ix.String(); !strings.Contains(s, "3 nodes, 3 links") {
		t.Errorf("String = %s", s)
	}
}

// TestSyntheticProvinceAgainstReference checks a small synthetic province —
// big enough that links are resolved in parallel and scopes have real
// structure — against the reference on every scope small enough for it.
func TestSyntheticProvinceAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("brute force on a synthetic province")
	}
	cfg := provinceConfig{counties: 12, zones: 5, chains: 4, segments: 6, enterprises: 3000, projects: 600, links: 40_000, sameChain: 0.8, nearby: 0.7}
	ds := syntheticProvince(9, cfg)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.AnalyzeAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != (cfg.counties+1)*cfg.chains {
		t.Fatalf("%d scopes", len(all))
	}
	checked := 0
	for _, a := range all {
		if a.Totals.Enterprises+a.Totals.Projects > 150 {
			continue
		}
		checked++
		if want := referenceAnalysis(ds, a.Area, a.Chain); !reflect.DeepEqual(a, want) {
			t.Fatalf("scope %s/%s:\n got %+v\nwant %+v", a.Area, a.Chain, a, want)
		}
	}
	for _, z := range ds.Counties[cfg.counties:] {
		a, err := ix.Analyze(z.Code, ds.Chains[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Totals.Enterprises+a.Totals.Projects <= 150 {
			checked++
			if want := referenceAnalysis(ds, z.Code, ds.Chains[0].ID); !reflect.DeepEqual(a, want) {
				t.Fatalf("zone scope %s:\n got %+v\nwant %+v", z.Code, a, want)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d scopes small enough to check", checked)
	}
	t.Logf("%d scopes checked against the reference", checked)
}
