package server

import (
	"net/http"
	"testing"

	"chainscope"
	"chainscope/graph"
)

// TestFunnelRoute: the funnel of the stored data, its defaults, caching
// and errors. Every answer is checked against the OpenAPI document.
func TestFunnelRoute(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	r := ts.get("/api/v1/funnel")
	if r.status != http.StatusOK {
		t.Fatalf("GET /funnel = %d %s", r.status, r.body)
	}
	var f graph.Funnel
	r.decode(t, &f)
	want, err := graph.NewFunnel(ds, "*", "", graph.Period{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Area != "*" || len(f.Stages) != 5 || f.Stages[0].Stage != "visited" || f.Stages[0].Count != want.Stages[0].Count {
		t.Errorf("funnel = %+v, want %+v", f, want)
	}
	tag := r.header.Get("ETag")
	if again := ts.get("/api/v1/funnel?area=*&chain=", "If-None-Match", tag); again.status != http.StatusNotModified {
		t.Errorf("same funnel spelled differently: %d, want 304", again.status)
	}
	if r := ts.get("/api/v1/funnel?as_of=1&from=2024-01-01&to=2024-04-30"); r.status != http.StatusOK {
		t.Errorf("as_of: %d %s", r.status, r.body)
	}
	for path, status := range map[string]int{
		"/api/v1/funnel?area=000000":                         http.StatusNotFound,
		"/api/v1/funnel?chain=nope":                          http.StatusNotFound,
		"/api/v1/funnel?from=2024-02-30":                     http.StatusBadRequest,
		"/api/v1/funnel?from=2024-05-01&to=2024-04-01":       http.StatusBadRequest,
		"/api/v1/funnel?area=" + ds.Counties[0].Code:         http.StatusOK,
		"/api/v1/funnel?chain=" + ds.Chains[0].ID:            http.StatusOK,
		"/api/v1/funnel?as_of=999":                           http.StatusNotFound,
		"/api/v1/funnel?from=2024-01-01&chain=" + "<b>x</b>": http.StatusNotFound,
	} {
		if got := ts.get(path); got.status != status {
			t.Errorf("GET %s = %d %s, want %d", path, got.status, got.body, status)
		}
	}
}

// TestPeriodsRoute: the period figures of the built-in data as graph
// computes them with the server's target, recounted for the region's
// signed projects, and the route's errors.
func TestPeriodsRoute(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	r := ts.get("/api/v1/periods?kind=ytd&period=2024-04")
	if r.status != http.StatusOK {
		t.Fatalf("GET /periods = %d %s", r.status, r.body)
	}
	var pf graph.PeriodFigures
	r.decode(t, &pf)
	signed := 0
	for _, p := range ds.Projects {
		if p.Signed >= "2024-01-01" && p.Signed <= "2024-04-30" && p.Status != "cancelled" {
			signed++
		}
	}
	if pf.Area != "*" || pf.From != "2024-01-01" || pf.To != "2024-04-30" || pf.Figures.Signed != signed || len(pf.Counties) == 0 || len(pf.Rankings) != 5 {
		t.Errorf("periods = %+v, want %d signed", pf, signed)
	}
	if pf.Figures.TargetWan != ts.targetOf(ds) {
		t.Errorf("target %v, want %v", pf.Figures.TargetWan, ts.targetOf(ds))
	}
	if r := ts.get("/api/v1/periods?kind=month&period=2024-04&area=" + pf.Counties[0].Area + "&as_of=1"); r.status != http.StatusOK {
		t.Errorf("county: %d %s", r.status, r.body)
	}
	for path, status := range map[string]int{
		"/api/v1/periods":                                     http.StatusBadRequest,
		"/api/v1/periods?kind=week&period=2024-04":            http.StatusBadRequest,
		"/api/v1/periods?kind=month&period=2024-4":            http.StatusBadRequest,
		"/api/v1/periods?kind=month&period=2024-04&area=0000": http.StatusNotFound,
	} {
		if got := ts.get(path); got.status != status {
			t.Errorf("GET %s = %d %s, want %d", path, got.status, got.body, status)
		}
	}
}

// TestDriveRoutes: with a county's chains and leads stored, the analysis
// marks the missing segment pursued (在谈) and other chains not pursued
// (未布局), the cluster does too, the targets count the open lead, and the
// funnel counts the leads.
func TestDriveRoutes(t *testing.T) {
	ds := builtin(t)
	county, chain, other := ds.Counties[0].Code, ds.Chains[0].ID, ds.Chains[1].ID
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ix.Analyze(county, chain)
	if err != nil {
		t.Fatal(err)
	}
	seg := ""
	for _, s := range a.Segments {
		if s.Status == graph.Missing {
			seg = s.ID
			break
		}
	}
	if seg == "" {
		t.Fatalf("%s/%s has no missing segment; pick another", county, chain)
	}
	for i := range ds.Counties { // only the first county (its zones none) lists chains
		ds.Counties[i].Chains = nil
	}
	ds.Counties[0].Chains = []string{chain}
	ds.Leads = nil
	ds.Leads = append(ds.Leads, []chainscope.Lead{
		{ID: "L1", Name: "目标甲", County: county, Segments: []string{seg}, Stage: chainscope.LeadIntent, Dates: map[string]string{"visited": "2024-03-01", "intent": "2024-04-02"}},
		{ID: "L2", Name: "目标乙", County: county, Segments: []string{seg}, Stage: chainscope.LeadDropped, Dates: map[string]string{"visited": "2024-02-01", "dropped": "2024-03-01"}, Reason: "外迁"},
	}...)
	ts := start(t, ds)

	var rep graph.Report
	ts.get("/api/v1/analysis?area="+county+"&chain="+chain).decode(t, &rep)
	if rep.NotPursued || len(rep.Pursuing) != 1 || rep.Pursuing[0].Segment != seg || rep.Pursuing[0].OpenLeads != 1 || rep.Pursuing[0].Leads[0] != "L1" {
		t.Errorf("analysis pursuing %+v not_pursued %v", rep.Pursuing, rep.NotPursued)
	}
	for _, g := range rep.GapTargets {
		if g.Segment == seg && g.OpenLeads != 1 {
			t.Errorf("gap target %s open_leads %d", seg, g.OpenLeads)
		}
	}
	var targets []graph.GapTarget
	ts.get("/api/v1/targets?area="+county+"&chain="+chain).decode(t, &targets)
	found := false
	for _, g := range targets {
		found = found || g.Segment == seg && g.OpenLeads == 1
	}
	if !found {
		t.Errorf("targets lack %s with 1 open lead: %+v", seg, targets)
	}
	ts.get("/api/v1/analysis?area="+county+"&chain="+other).decode(t, &rep)
	if !rep.NotPursued {
		t.Errorf("%s/%s should be not_pursued", county, other)
	}
	var cl ClusterView
	ts.get("/api/v1/cluster").decode(t, &cl)
	for _, c := range cl.Cells {
		if c.Area == county && c.NotPursued != (c.Chain != chain) {
			t.Errorf("cluster cell %s/%s not_pursued %v", c.Area, c.Chain, c.NotPursued)
		}
		if c.Area != county && c.NotPursued {
			t.Errorf("cluster cell %s/%s of a county without chains is not_pursued", c.Area, c.Chain)
		}
	}
	var f graph.Funnel
	ts.get("/api/v1/funnel?area="+county).decode(t, &f)
	if f.Stages[0].Count != 2 || f.Stages[1].Count != 1 || f.Dropped != 1 {
		t.Errorf("funnel %+v", f)
	}
	ts.get("/api/v1/funnel?area="+county+"&from=2024-04-01&to=2024-04-30").decode(t, &f)
	if f.Stages[0].Count != 0 || f.Stages[1].Count != 1 || f.Dropped != 0 {
		t.Errorf("April funnel %+v", f)
	}
}
