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
