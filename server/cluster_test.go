package server

import (
	"fmt"
	"slices"
	"testing"

	"chainscope/graph"
)

// TestClusterFlows: the pages of GET /cluster/flows, read one after
// another, hold every flow of graph's Cluster that the filter keeps, each
// once, ranked by links (then investment) descending, with the totals of
// them all; bad paging and a zone are 400s, an unknown chain or area 404s.
func TestClusterFlows(t *testing.T) {
	ts := start(t, nil)
	_, ix := storedIndex(t, ts)
	cl, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Flows) < 10 {
		t.Fatalf("the built-in data has %d flows: too few to page", len(cl.Flows))
	}
	for _, filter := range []struct{ chain, area string }{{"", ""}, {"battery", ""}, {"", "140827"}, {"battery", "140802"}} {
		var want []graph.CrossFlow
		links := 0
		for _, f := range cl.Flows {
			if (filter.chain == "" || f.Chain == filter.chain) && (filter.area == "" || f.From == filter.area || f.To == filter.area) {
				want = append(want, f)
				links += f.Links
			}
		}
		if len(want) == 0 {
			t.Fatalf("%v keeps no flow", filter)
		}
		var got []graph.CrossFlow
		for offset := 0; offset <= len(want); offset += 3 {
			var p graph.FlowPage
			r := ts.get(fmt.Sprintf("/api/v1/cluster/flows?chain=%s&area=%s&offset=%d&limit=3", filter.chain, filter.area, offset))
			if r.status != 200 {
				t.Fatalf("%v at %d: %d %s", filter, offset, r.status, r.body)
			}
			r.decode(t, &p)
			if p.Total != len(want) || p.Links != links || p.Offset != offset || p.Limit != 3 {
				t.Fatalf("%v at %d: total %d links %d offset %d limit %d, want %d %d", filter, offset, p.Total, p.Links, p.Offset, p.Limit, len(want), links)
			}
			got = append(got, p.Items...)
		}
		if len(got) != len(want) {
			t.Fatalf("%v: %d flows in the pages, want %d", filter, len(got), len(want))
		}
		for i, f := range got {
			if !slices.Contains(want, f) || slices.Index(got, f) != i {
				t.Errorf("%v: flow %+v is not graph's or comes twice", filter, f)
			}
			if i > 0 && (f.Links > got[i-1].Links || f.Links == got[i-1].Links && f.InvestmentWan > got[i-1].InvestmentWan) {
				t.Errorf("%v: flow %d %+v ranks above the one before it %+v", filter, i, f, got[i-1])
			}
		}
	}
	for path, status := range map[string]int{
		"/api/v1/cluster/flows?offset=-1":         400,
		"/api/v1/cluster/flows?limit=0":           400,
		"/api/v1/cluster/flows?area=*":            400,
		"/api/v1/cluster/flows?area=140830-01":    400,
		"/api/v1/cluster/flows?chain=nope":        404,
		"/api/v1/cluster/flows?area=149999":       404,
		"/api/v1/cluster/flows?chain=battery&x=1": 200,
	} {
		if r := ts.get(path); r.status != status {
			t.Errorf("GET %s = %d, want %d: %.200s", path, r.status, status, r.body)
		}
	}
}
