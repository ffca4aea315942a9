package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"chainscope"
)

// withLeads is the built-in dataset with three leads of its own records.
func withLeads(t *testing.T) *chainscope.Dataset {
	ds := *builtin(t)
	p := ds.Projects[1] // P-2022-002, 140802, pharma.chem
	ds.Leads = []chainscope.Lead{
		{ID: "T-1", Name: "甲公司", County: "140802-01", Segments: []string{"equipment.machinery"}, Stage: chainscope.LeadIntent,
			Dates: map[string]string{"visited": "2024-01-03", "intent": "2024-02-01"}, Owner: "李四"},
		{ID: "T-2", Name: "乙公司", County: "140821", Segments: []string{"tourism.agri"}, Stage: chainscope.LeadVisited},
		{ID: "T-3", Name: "丙公司", County: p.County, Segments: p.Segments, Stage: chainscope.LeadSigned,
			Dates: map[string]string{"signed": "2024-03-01"}, Project: p.ID},
	}
	return &ds
}

func leadIDs(t *testing.T, r *response) ([]string, int) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("= %d %s", r.status, r.body)
	}
	var out Leads
	r.decode(t, &out)
	var ids []string
	for _, l := range out.Leads {
		ids = append(ids, l.ID)
	}
	return ids, out.Total
}

func TestLeadsList(t *testing.T) {
	ts := start(t, withLeads(t))
	cases := []struct {
		query string
		want  []string
		total int
	}{
		{"", []string{"T-1", "T-2", "T-3"}, 3},
		{"?area=*", []string{"T-1", "T-2", "T-3"}, 3},
		{"?area=140802", []string{"T-1", "T-3"}, 2}, // a county includes its zones
		{"?area=140802-01", []string{"T-1"}, 1},
		{"?chain=tourism", []string{"T-2"}, 1},
		{"?stage=signed", []string{"T-3"}, 1},
		{"?q=李四", []string{"T-1"}, 1},
		{"?q=乙", []string{"T-2"}, 1},
		{"?offset=1&limit=1", []string{"T-2"}, 3},
		{"?chain=", []string{"T-1", "T-2", "T-3"}, 3},
	}
	for _, tc := range cases {
		ids, total := leadIDs(t, ts.get("/api/v1/leads"+tc.query))
		if !slices.Equal(ids, tc.want) || total != tc.total {
			t.Errorf("%s: %v (%d), want %v (%d)", tc.query, ids, total, tc.want, tc.total)
		}
	}
	for _, bad := range []struct {
		q    string
		code int
	}{{"?stage=talking", 400}, {"?area=999999", 404}, {"?chain=nope", 404}, {"?offset=-1", 400}, {"?limit=0", 400}} {
		if r := ts.get("/api/v1/leads" + bad.q); r.status != bad.code {
			t.Errorf("%s = %d, want %d", bad.q, r.status, bad.code)
		}
	}
	if r := ts.get("/api/v1/leads/T-404"); r.status != 404 {
		t.Errorf("unknown lead = %d", r.status)
	}
}

func TestLeadEdits(t *testing.T) {
	ts := start(t, withLeads(t))
	// create: checked as an import checks it
	bad := `{"id": "T-9", "name": "丁公司", "county": "140821", "segments": [], "stage": "signed"}`
	r := ts.edit("POST", "/api/v1/leads", []byte(bad))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "project") {
		t.Fatalf("signed without project = %d %s", r.status, r.body)
	}
	bad = `{"id": "T-9", "name": "丁公司", "county": "140821", "segments": [], "stage": "intent", "dates": {"visited": "2024-03-01", "intent": "2024-02-01"}}`
	if r := ts.edit("POST", "/api/v1/leads", []byte(bad)); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("out of order = %d %s", r.status, r.body)
	}
	good := `{"id": "T-9", "name": "丁公司", "county": "140821", "segments": ["tourism.agri"], "stage": "visited", "dates": {"visited": "2024-03-01"}}`
	if r := ts.edit("POST", "/api/v1/leads", []byte(good)); r.status != http.StatusCreated || r.header.Get("ETag") == "" {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	if r := ts.edit("POST", "/api/v1/leads", []byte(good)); r.status != http.StatusConflict {
		t.Fatalf("create twice = %d", r.status)
	}
	// advance with If-Match; a stale tag is 412 and writes nothing
	got := ts.get("/api/v1/leads/T-9")
	tag := got.header.Get("ETag")
	var l chainscope.Lead
	got.decode(t, &l)
	l.Stage = chainscope.LeadIntent
	l.Dates["intent"] = "2024-03-10"
	if r := ts.edit("PUT", "/api/v1/leads/T-9", mustJSON(t, l), "If-Match", tag); r.status != 200 {
		t.Fatalf("advance = %d %s", r.status, r.body)
	}
	l.Stage = chainscope.LeadDropped
	l.Reason = "外迁"
	if r := ts.edit("PUT", "/api/v1/leads/T-9", mustJSON(t, l), "If-Match", tag); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale PUT = %d", r.status)
	}
	if r := ts.edit("DELETE", "/api/v1/leads/T-9", nil, "If-Match", tag); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale DELETE = %d", r.status)
	}
	stored := ts.stored()
	i := slices.IndexFunc(stored.Leads, func(x chainscope.Lead) bool { return x.ID == "T-9" })
	if i < 0 || stored.Leads[i].Stage != chainscope.LeadIntent || stored.Leads[i].Dates["intent"] != "2024-03-10" {
		t.Fatalf("stored %+v", stored.Leads)
	}
	// the listing and /changes see it
	if ids, _ := leadIDs(t, ts.get("/api/v1/leads?stage=intent")); !slices.Equal(ids, []string{"T-1", "T-9"}) {
		t.Fatalf("intent leads %v", ids)
	}
	ch := ts.get("/api/v1/changes?from=1")
	if ch.status != 200 || !strings.Contains(string(ch.body), `{"kind":"lead","id":"T-9","change":"added"}`) {
		t.Fatalf("changes = %d %s", ch.status, ch.body)
	}
	// the key in the address wins over none in the body, and a differing one is refused
	other := l
	other.ID = "T-1"
	if r := ts.edit("PUT", "/api/v1/leads/T-9", mustJSON(t, other)); r.status != 400 {
		t.Fatalf("PUT with another id = %d", r.status)
	}
	// deleting the project a signed lead names is refused
	if r := ts.edit("DELETE", "/api/v1/projects/P-2022-002?cascade=true", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "T-3") {
		t.Fatalf("delete a lead's project = %d %s", r.status, r.body)
	}
	if r := ts.edit("DELETE", "/api/v1/leads/T-9", nil); r.status != http.StatusNoContent {
		t.Fatalf("delete = %d", r.status)
	}
	if r := ts.get("/api/v1/leads/T-9"); r.status != 404 {
		t.Fatalf("deleted lead = %d", r.status)
	}
	if r := ts.edit("DELETE", "/api/v1/leads/T-9", nil); r.status != 404 {
		t.Fatalf("delete twice = %d", r.status)
	}
	// as_of shows the lead as it was
	asOf := ts.get("/api/v1/leads/T-9?as_of=2") // rev 2 created it
	var was chainscope.Lead
	asOf.decode(t, &was)
	if asOf.status != 200 || was.Stage != chainscope.LeadVisited {
		t.Fatalf("as_of = %d %s", asOf.status, asOf.body)
	}
	if r := ts.get("/api/v1/leads/T-9?as_of=1"); r.status != 404 {
		t.Fatalf("as_of before it = %d", r.status)
	}
}

// A report's history is asked for by its area, from and to.
func TestReportHistory(t *testing.T) {
	ts := start(t, nil)
	r := ts.get("/api/v1/history?kind=report&area=140800&from=2024-01-01&to=2024-04-30")
	if r.status != 200 || !strings.Contains(string(r.body), `"signed_projects":156`) {
		t.Fatalf("= %d %s", r.status, r.body)
	}
	if r := ts.get("/api/v1/history?kind=report&area=140800&from=2024-01-01&to=2024-03-31"); r.status != 404 {
		t.Fatalf("unknown report = %d", r.status)
	}
}
