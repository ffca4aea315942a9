package server

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"chainscope/graph"
)

// waitWarm waits until no warming pass is scheduled or running.
func waitWarm(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s.warm.mu.Lock()
		running := s.warm.running
		s.warm.mu.Unlock()
		if !running {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("warming did not finish")
}

func TestWarmAfterWrite(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	if n := ts.warm.passes.Load(); n != 0 {
		t.Fatalf("%d warming passes before any write", n)
	}
	// Writes in a row share passes: at most one pass is scheduled at a
	// time, and one running pass takes every write that came meanwhile.
	const writes = 6
	for i := range writes {
		body := fmt.Sprintf(`{"id": "P-warm", "name": "预热 %d", "county": %q, "segments": [], "status": "signed", "emerging": false}`, i, ds.Counties[0].Code)
		method, path, want := http.MethodPut, "/api/v1/projects/P-warm", http.StatusOK
		if i == 0 {
			method, path, want = http.MethodPost, "/api/v1/projects", http.StatusCreated
		}
		if r := ts.edit(method, path, []byte(body)); r.status != want {
			t.Fatalf("write %d: %d %s", i, r.status, r.body)
		}
	}
	waitWarm(t, ts.Server)
	passes := ts.warm.passes.Load()
	if passes < 1 || passes >= writes {
		t.Errorf("%d warming passes for %d writes in a row", passes, writes)
	}
	snap := ts.snap.Load()
	// Every chain's whole-region analysis and every county's is in the
	// cache of the current snapshot, and a read is answered from it: the
	// entry under the request's exact query is the warmed one.
	for _, area := range []string{graph.AllAreas, "140827"} {
		for _, ch := range ds.Chains {
			key := "/api/v1/analysis?" + url.Values{"area": {area}, "chain": {ch.ID}}.Encode()
			warmed, ok := snap.cache.response(key)
			if !ok {
				t.Fatalf("%s not warmed", key)
			}
			path := "/api/v1/analysis?area=" + area + "&chain=" + ch.ID
			r := ts.get(path)
			if r.status != http.StatusOK || string(r.body) != string(warmed.body) || r.header.Get("ETag") != warmed.etag {
				t.Fatalf("%s: %d, body or ETag differs from the warmed answer", path, r.status)
			}
			served, _ := snap.cache.response("raw:/api/v1/analysis?area=" + area + "&chain=" + ch.ID)
			if served != warmed {
				t.Fatalf("%s was computed again, not served from the warmed cache", path)
			}
			// The warmed answer is the one a cold server gives.
			cold, _ := analysisOf(snap.ds, snap.ix, area, ch.ID)
			if string(mustJSON(t, cold)) != string(warmed.body) {
				t.Fatalf("%s: warmed answer differs from a fresh one", path)
			}
		}
	}
	if warmed, ok := snap.cache.response("/api/v1/dashboard?"); !ok {
		t.Error("dashboard not warmed")
	} else if r := ts.get("/api/v1/dashboard"); string(r.body) != string(warmed.body) || r.header.Get("ETag") != warmed.etag {
		t.Error("the dashboard served is not the warmed one")
	} else if d := mustJSON(t, ts.dashboardOf(snap)); string(d) != string(warmed.body) {
		t.Error("the warmed dashboard differs from a fresh one")
	}
}
