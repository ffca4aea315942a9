package server

import (
	"net/http"
	"testing"

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
