package graph_test

import (
	"reflect"
	"testing"

	"chainscope/graph"
	"chainscope/yuncheng"
)

// TestBuiltinCountiesByHand checks two scopes of the built-in 运城市 dataset
// against results worked out by hand from yuncheng.json (the records, flows
// and links of each scope are listed in the comments).
func TestBuiltinCountiesByHand(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	type seg struct {
		status  graph.Status
		reasons []graph.Reason
		broken  bool
		nodes   []string
	}
	single, planned := graph.ReasonSingle, graph.ReasonPlannedOnly
	cases := []struct {
		name, area, chain string
		completeness      float64
		totals            graph.Totals
		segments          map[string]seg
		cuts              []graph.CutNode
		bridges           []graph.Bridge
	}{
		{
			// 芮城县 with 风陵渡经济开发区 (140830-01): 亚宝 (chem, tcm), pharma-01 api,
			// -02 chem, -03 excipient in the zone; -04, -05 herb in the county; P-059 chem
			// started 2亿, P-060 health signed 2.5亿. Links: 04→亚宝, 05→亚宝, 01→02,
			// 01→P059, 01→亚宝, 03→02, 03→P059, 03→亚宝. distribution has ancestors
			// (chem, tcm) but no descendants, rnd no ancestors: neither is broken; the
			// four links from outside list herb or api, so nothing missing is supplied
			// externally. U: one component of 7 plus P-060 alone; removing 亚宝 leaves
			// {04}, {05}, {01,02,03,P059}: impact 7−1−4 = 2.
			name: "芮城县 生物医药", area: "140830", chain: "pharma", completeness: 0.75,
			totals: graph.Totals{Enterprises: 6, Projects: 2, Links: 8, InvestmentWan: 45000},
			segments: map[string]seg{
				"pharma.herb":         {graph.OK, nil, false, []string{"E-ruicheng-pharma-04", "E-ruicheng-pharma-05"}},
				"pharma.api":          {graph.Weak, []graph.Reason{single}, false, []string{"E-ruicheng-pharma-01"}},
				"pharma.excipient":    {graph.Weak, []graph.Reason{single}, false, []string{"E-ruicheng-pharma-03"}},
				"pharma.chem":         {graph.OK, nil, false, []string{"E-ruicheng-pharma-02", "E-yabao", "P-2024-059"}},
				"pharma.tcm":          {graph.Weak, []graph.Reason{single}, false, []string{"E-yabao"}},
				"pharma.health":       {graph.Weak, []graph.Reason{single, planned}, false, []string{"P-2024-060"}},
				"pharma.distribution": {graph.Missing, nil, false, nil},
				"pharma.rnd":          {graph.Missing, nil, false, nil},
			},
			cuts:    []graph.CutNode{{ID: "E-yabao", Impact: 2}},
			bridges: []graph.Bridge{{A: "E-ruicheng-pharma-04", B: "E-yabao", Impact: 1}, {A: "E-ruicheng-pharma-05", B: "E-yabao", Impact: 1}},
		},
		{
			// 垣曲县 with 垣曲经济技术开发区 (140827-01): 正弘 coke (county); battery-01
			// petcoke, -02 anode, -03 equip (zone); P-005 coke signed 1亿, P-006 equip
			// started, P-007 anode started. Links: 01→正弘, 正弘→02, 正弘→P007, 03→02,
			// 03→P007. cathode and electrolyte have no ancestors, cell/pack/recycle no
			// non-empty descendants: nothing is broken; the one link from outside lists
			// energy.grid. U: {01, 正弘, 02, 03, P007} (cycle 正弘–02–03–P007) plus P-005 and
			// P-006 alone; removing 正弘 leaves {01} and {02, 03, P007}: impact 5−1−3 = 1.
			name: "垣曲县 新能源电池", area: "140827", chain: "battery", completeness: 0.4444,
			totals: graph.Totals{Enterprises: 4, Projects: 3, Links: 5, InvestmentWan: 10000},
			segments: map[string]seg{
				"battery.petcoke":     {graph.Weak, []graph.Reason{single}, false, []string{"E-yuanqu-battery-01"}},
				"battery.coke":        {graph.OK, nil, false, []string{"E-zhenghong", "P-2024-005"}},
				"battery.anode":       {graph.OK, nil, false, []string{"E-yuanqu-battery-02", "P-2024-007"}},
				"battery.cathode":     {graph.Missing, nil, false, nil},
				"battery.electrolyte": {graph.Missing, nil, false, nil},
				"battery.cell":        {graph.Missing, nil, false, nil},
				"battery.pack":        {graph.Missing, nil, false, nil},
				"battery.recycle":     {graph.Missing, nil, false, nil},
				"battery.equip":       {graph.OK, nil, false, []string{"E-yuanqu-battery-03", "P-2024-006"}},
			},
			cuts:    []graph.CutNode{{ID: "E-zhenghong", Impact: 1}},
			bridges: []graph.Bridge{{A: "E-yuanqu-battery-01", B: "E-zhenghong", Impact: 1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ix.Analyze(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			if a.Completeness != tc.completeness || a.Totals != tc.totals {
				t.Errorf("completeness %v totals %+v, want %v %+v", a.Completeness, a.Totals, tc.completeness, tc.totals)
			}
			if len(a.Segments) != len(tc.segments) {
				t.Fatalf("%d segments, want %d", len(a.Segments), len(tc.segments))
			}
			for _, s := range a.Segments {
				want := tc.segments[s.ID]
				reasons := want.reasons
				if reasons == nil {
					reasons = []graph.Reason{}
				}
				nodes := want.nodes
				if nodes == nil {
					nodes = []string{}
				}
				if s.Status != want.status || !reflect.DeepEqual(s.Reasons, reasons) || s.Broken != want.broken ||
					s.SuppliedExternally || !reflect.DeepEqual(s.Nodes, nodes) {
					t.Errorf("%s: got %+v, want %+v", s.ID, s, want)
				}
			}
			if !reflect.DeepEqual(a.CutNodes, tc.cuts) || !reflect.DeepEqual(a.Bridges, tc.bridges) {
				t.Errorf("cut nodes %+v bridges %+v", a.CutNodes, a.Bridges)
			}
		})
	}
}
