package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"chainscope"
)

// A lead's change names its id and its dates as one field; a report's
// names its area, from and to (SPEC §8).
func TestDiffLeadAndReport(t *testing.T) {
	n := 156
	a := &chainscope.Dataset{Region: chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty}},
		Leads: []chainscope.Lead{{ID: "L-1", Name: "x", County: "140827", Stage: chainscope.LeadVisited,
			Dates: map[string]string{"visited": "2024-01-10"}}},
		Reports: []chainscope.Report{{Area: "140800", From: "2024-01-01", To: "2024-04-30", SignedProjects: &n}}}
	b := *a
	b.Leads = []chainscope.Lead{a.Leads[0]}
	b.Leads[0].Stage = chainscope.LeadIntent
	b.Leads[0].Dates = map[string]string{"visited": "2024-01-10", "intent": "2024-02-01"}
	b.Reports = nil
	b.Counties = []chainscope.County{a.Counties[0]}
	b.Counties[0].Chains = []string{"battery"}
	ixA, err := NewIndex(a)
	if err != nil {
		t.Fatal(err)
	}
	ixB, err := NewIndex(&b)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := Diff(a, &b, ixA, ixB)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(ch.Records)
	for _, want := range []string{
		`{"kind":"county","id":"140827","change":"changed","fields":{"chains":[null,["battery"]]}}`,
		`{"kind":"lead","id":"L-1","change":"changed","fields":{"dates":[{"visited":"2024-01-10"},{"intent":"2024-02-01","visited":"2024-01-10"}],"stage":["visited","intent"]}}`,
		`{"kind":"report","area":"140800","from":"2024-01-01","to":"2024-04-30","change":"removed"}`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}
