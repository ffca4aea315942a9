package graph

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"chainscope"
	"chainscope/synth"
)

// clusterDataset spreads two chains over the three counties of the test
// region, with zones, region-level records and a cancelled project.
func clusterDataset() *chainscope.Dataset {
	const yq, hj, yh = "140827", "140882", "140802"
	signed := chainscope.StatusSigned
	return dataset(
		[]chainscope.Enterprise{
			ent("E1", yq, "bat.a"), ent("E2", "Z-yq", "bat.b", "chem.x"),
			ent("H1", hj, "bat.b"), ent("H2", "Z-hj", "chem.y"), ent("H3", hj, "bat.d"),
			ent("Y1", yh, "bat.d"),
			ent("R1", region, "bat.a"), ent("F1", "Z-free", "bat.b"),
		},
		[]chainscope.Project{
			proj("P1", yq, signed, wan(100), "bat.c"),
			proj("PH", hj, signed, wan(50), "bat.a", "chem.y"),
			proj("PX", yh, chainscope.StatusCancelled, wan(999), "bat.d"),
		},
		links(
			"E1", "E2", // inside 垣曲
			"H1", "E2", "PH", "E2", "H1", "P1", "PH", "P1", // 河津 → 垣曲
			"E2", "Y1", "P1", "Y1", // 垣曲 → 盐湖
			"P1", "H1", // 垣曲 → 河津
			"R1", "Y1", "F1", "H1", // an end in no county
			"H2", "Y1", // no chain in common
			"PX", "Y1", // cancelled
			"PH", "H1", // inside 河津
		),
	)
}

func TestCluster(t *testing.T) {
	ix := mustIndex(t, clusterDataset())
	cl, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"140802", "140827", "140882"}; !reflect.DeepEqual(cl.Areas, want) {
		t.Errorf("Areas = %v, want %v", cl.Areas, want)
	}
	if want := []string{"盐湖区", "垣曲县", "河津市"}; !reflect.DeepEqual(cl.AreaNames, want) {
		t.Errorf("AreaNames = %v, want %v", cl.AreaNames, want)
	}
	if !reflect.DeepEqual(cl.Chains, []string{"bat", "chem"}) || !reflect.DeepEqual(cl.ChainNames, []string{"新能源电池", "化工"}) {
		t.Errorf("Chains = %v %v", cl.Chains, cl.ChainNames)
	}
	wantCells := []ClusterCell{
		{Area: "140802", Chain: "bat", Nodes: 1, Enterprises: 1, Completeness: 0.2, Missing: 4, Weak: 1},
		{Area: "140802", Chain: "chem", Missing: 3},
		{Area: "140827", Chain: "bat", Nodes: 3, Enterprises: 2, Projects: 1, Completeness: 0.6, InvestmentWan: 100, Missing: 2, Weak: 3},
		{Area: "140827", Chain: "chem", Nodes: 1, Enterprises: 1, Completeness: 0.3333, Missing: 2, Weak: 1},
		{Area: "140882", Chain: "bat", Nodes: 3, Enterprises: 2, Projects: 1, Completeness: 0.6, InvestmentWan: 50, Missing: 2, Weak: 3, Broken: 1},
		{Area: "140882", Chain: "chem", Nodes: 2, Enterprises: 1, Projects: 1, Completeness: 0.3333, InvestmentWan: 50, Missing: 2},
	}
	if !reflect.DeepEqual(cl.Cells, wantCells) {
		t.Errorf("Cells:\n got %+v\nwant %+v", cl.Cells, wantCells)
	}
	wantFlows := []CrossFlow{
		{Chain: "bat", From: "140827", To: "140802", Links: 2, InvestmentWan: 100},
		{Chain: "bat", From: "140827", To: "140882", Links: 1, InvestmentWan: 100},
		// H1→E2, PH→E2, H1→P1, PH→P1: PH and P1 counted once each.
		{Chain: "bat", From: "140882", To: "140827", Links: 4, InvestmentWan: 150},
		{Chain: "chem", From: "140882", To: "140827", Links: 1, InvestmentWan: 50},
	}
	if !reflect.DeepEqual(cl.Flows, wantFlows) {
		t.Errorf("Flows:\n got %+v\nwant %+v", cl.Flows, wantFlows)
	}
	// Every cell agrees with Analyze of its scope.
	for _, c := range cl.Cells {
		a, err := ix.Analyze(c.Area, c.Chain)
		if err != nil {
			t.Fatal(err)
		}
		if a.Completeness != c.Completeness || a.Totals.Enterprises != c.Enterprises || a.Totals.Projects != c.Projects || a.Totals.InvestmentWan != c.InvestmentWan {
			t.Errorf("cell %+v disagrees with Analyze %+v", c, a)
		}
	}
}

func TestClusterEmptyJSON(t *testing.T) {
	ds := dataset(nil, nil, nil)
	ds.Counties = nil
	cl, err := mustIndex(t, ds).Cluster()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cl)
	want := `{"areas":[],"area_names":[],"chains":["bat","chem"],"chain_names":["新能源电池","化工"],"cells":[],"flows":[]}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	b, _ = json.Marshal(ClusterCell{})
	for _, k := range []string{"area", "chain", "nodes", "enterprises", "projects", "completeness", "investment_wan", "missing", "weak", "broken"} {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("cell JSON %s lacks %s", b, k)
		}
	}
}

// BenchmarkCluster builds the county × chain matrix and cross-county flows
// of the province.
func BenchmarkCluster(b *testing.B) {
	_, ix := synthProvince(b)
	b.ReportAllocs()
	var cl *Cluster
	cpu := meterCPU(b)
	for b.Loop() {
		var err error
		if cl, err = ix.Cluster(); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
	b.ReportMetric(float64(len(cl.Cells)), "cells")
	b.ReportMetric(float64(len(cl.Flows)), "flows")
}

// TestChainCluster checks that one chain's cluster is exactly that chain's
// part of the whole matrix and flows.
func TestChainCluster(t *testing.T) {
	ix := mustIndex(t, clusterDataset())
	all, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	for k, chain := range all.Chains {
		cl, err := ix.ChainCluster(chain)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cl.Areas, all.Areas) || !reflect.DeepEqual(cl.AreaNames, all.AreaNames) ||
			!reflect.DeepEqual(cl.Chains, []string{chain}) || cl.ChainNames[0] != all.ChainNames[k] {
			t.Errorf("%s: heading %v %v %v", chain, cl.Areas, cl.Chains, cl.ChainNames)
		}
		var cells []ClusterCell
		for _, c := range all.Cells {
			if c.Chain == chain {
				cells = append(cells, c)
			}
		}
		flows := []CrossFlow{}
		for _, f := range all.Flows {
			if f.Chain == chain {
				flows = append(flows, f)
			}
		}
		if !reflect.DeepEqual(cl.Cells, cells) || !reflect.DeepEqual(cl.Flows, flows) {
			t.Errorf("%s: cells %v flows %v, want %v %v", chain, cl.Cells, cl.Flows, cells, flows)
		}
		if chain == "bat" && len(flows) == 0 {
			t.Error("the test data has no bat flows")
		}
	}
	if _, err := ix.ChainCluster("nope"); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
		t.Errorf("unknown chain: %v", err)
	}
}

// TestCrossFlowPage: pages of every filter, read one after another, are
// Cluster's flows that the filter keeps, ordered by links, then
// investment, descending, then as Cluster orders them; the totals count
// every flow kept. Bad filters are refused.
func TestCrossFlowPage(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 600, Projects: 200, Links: 5000, Seed: 3, Counties: 12})
	ix := mustIndex(t, ds)
	cl, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Flows) < 50 {
		t.Fatalf("only %d flows: the test needs pages", len(cl.Flows))
	}
	chainRank := map[string]int{}
	for i, c := range cl.Chains {
		chainRank[c] = i
	}
	for _, filter := range []struct{ chain, area string }{
		{"", ""}, {cl.Flows[0].Chain, ""}, {"", cl.Flows[0].To}, {cl.Flows[len(cl.Flows)-1].Chain, cl.Flows[len(cl.Flows)-1].From},
	} {
		// The flows the filter keeps, ranked by a comparison of all keys.
		var want []CrossFlow
		links := 0
		for _, f := range cl.Flows {
			if (filter.chain == "" || f.Chain == filter.chain) && (filter.area == "" || f.From == filter.area || f.To == filter.area) {
				want = append(want, f)
				links += f.Links
			}
		}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if a.Links != b.Links {
				return a.Links > b.Links
			}
			if a.InvestmentWan != b.InvestmentWan {
				return a.InvestmentWan > b.InvestmentWan
			}
			if a.Chain != b.Chain {
				return chainRank[a.Chain] < chainRank[b.Chain]
			}
			if a.From != b.From {
				return a.From < b.From
			}
			return a.To < b.To
		})
		var got []CrossFlow
		const limit = 7
		for offset := 0; ; offset += limit {
			p, err := ix.CrossFlowPage(filter.chain, filter.area, offset, limit)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != len(want) || p.Links != links || p.Offset != offset || p.Limit != limit || p.Chain != filter.chain || p.Area != filter.area {
				t.Fatalf("%v: page at %d says total %d, links %d (want %d, %d)", filter, offset, p.Total, p.Links, len(want), links)
			}
			if len(p.Items) == 0 {
				break
			}
			got = append(got, p.Items...)
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%v: %d flows paged, want %d in rank order", filter, len(got), len(want))
		}
	}
	for _, bad := range []struct {
		chain, area string
		code        string
	}{
		{"nope", "", chainscope.ENOTFOUND}, {"", "999999", chainscope.ENOTFOUND}, {"", "*", chainscope.EINVALID},
		{"", ds.Region.Code, chainscope.EINVALID}, {"", zoneOf(ds), chainscope.EINVALID},
	} {
		if _, err := ix.CrossFlowPage(bad.chain, bad.area, 0, 10); chainscope.ErrorCode(err) != bad.code {
			t.Errorf("CrossFlowPage(%q, %q): %v, want %s", bad.chain, bad.area, err, bad.code)
		}
	}
}

// zoneOf is the code of a development zone of ds.
func zoneOf(ds *chainscope.Dataset) string {
	for _, c := range ds.Counties {
		if c.Parent != "" {
			return c.Code
		}
	}
	return ""
}
