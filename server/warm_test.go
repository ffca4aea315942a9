package server

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
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
	if warmed, ok := snap.cache.response(betweennessKey); !ok {
		t.Error("betweenness not warmed")
	} else if r := ts.get("/api/v1/betweenness"); string(r.body) != string(warmed.body) || r.header.Get("ETag") != warmed.etag {
		t.Error("the betweenness served is not the warmed one")
	} else if b := mustJSON(t, snap.ix.Betweenness(graph.DefaultTop)); string(b) != string(warmed.body) {
		t.Error("the warmed betweenness differs from a fresh one")
	}
	if warmed, ok := snap.cache.response("/api/v1/dashboard?"); !ok {
		t.Error("dashboard not warmed")
	} else if r := ts.get("/api/v1/dashboard"); string(r.body) != string(warmed.body) || r.header.Get("ETag") != warmed.etag {
		t.Error("the dashboard served is not the warmed one")
	} else if d := mustJSON(t, ts.dashboardOf(snap)); string(d) != string(warmed.body) {
		t.Error("the warmed dashboard differs from a fresh one")
	}
}

// TestWarmUp: a server warms nothing by itself; WarmUp computes the data it
// loaded into the cache, as a write would, without a request.
func TestWarmUp(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	time.Sleep(2 * warmDelay)
	if n := ts.warm.passes.Load(); n != 0 {
		t.Fatalf("%d warming passes before WarmUp", n)
	}
	ts.WarmUp()
	waitWarm(t, ts.Server)
	if n := ts.warm.passes.Load(); n != 1 {
		t.Fatalf("%d warming passes after WarmUp, want 1", n)
	}
	snap := ts.snap.Load()
	for _, ch := range ds.Chains {
		key := "/api/v1/analysis?" + url.Values{"area": {graph.AllAreas}, "chain": {ch.ID}}.Encode()
		warmed, ok := snap.cache.response(key)
		if !ok {
			t.Fatalf("%s not warmed", key)
		}
		cold, _ := analysisOf(snap.ds, snap.ix, graph.AllAreas, ch.ID)
		if string(mustJSON(t, cold)) != string(warmed.body) {
			t.Fatalf("%s: warmed answer differs from a fresh one", key)
		}
	}
	if _, ok := snap.cache.response(dashboardKey); !ok {
		t.Error("dashboard not warmed")
	}
}

// Concurrent askers of one answer share one computation; an error reaches
// every asker and is not kept, so the next asker computes again.
func TestCachedAnswerSingleFlight(t *testing.T) {
	ts := start(t, nil)
	snap := ts.snap.Load()
	var calls atomic.Int64
	release := make(chan struct{})
	compute := func() (any, error) {
		calls.Add(1)
		<-release
		return map[string]int{"n": 1}, nil
	}
	const askers = 8
	got := make([]*cachedResponse, askers)
	var wg sync.WaitGroup
	for i := range askers {
		wg.Go(func() {
			r, err := ts.cachedAnswer(snap, "/test/flight?", compute)
			if err != nil {
				t.Error(err)
			}
			got[i] = r
		})
	}
	// Let every asker reach the flight before the computation ends.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		ts.warm.fmu.Lock()
		_, flying := ts.warm.flights[flightKey{snap, "/test/flight?"}]
		ts.warm.fmu.Unlock()
		if flying || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d computations for %d concurrent askers", n, askers)
	}
	for i, r := range got {
		if r == nil || r != got[0] || string(r.body) != `{"n":1}` {
			t.Fatalf("asker %d got %+v", i, r)
		}
	}
	if kept, _ := snap.cache.response("/test/flight?"); kept != got[0] {
		t.Fatal("the shared answer is not kept in the cache")
	}

	fails := 0
	bad := func() (any, error) { fails++; return nil, fmt.Errorf("boom %d", fails) }
	for i := 1; i <= 2; i++ {
		if _, err := ts.cachedAnswer(snap, "/test/bad?", bad); err == nil || err.Error() != fmt.Sprintf("boom %d", i) {
			t.Fatalf("ask %d: error %v", i, err)
		}
	}
	if _, ok := snap.cache.response("/test/bad?"); ok {
		t.Fatal("an error was kept")
	}
	ts.warm.fmu.Lock()
	left := len(ts.warm.flights)
	ts.warm.fmu.Unlock()
	if left != 0 {
		t.Fatalf("%d flights left after every computation ended", left)
	}
}

// Concurrent first reads of one scope over HTTP compute it once, and
// every reader gets the same body.
func TestConcurrentReadsComputeOnce(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	path := "/api/v1/analysis?area=*&chain=" + ds.Chains[0].ID
	before := ts.warm.computed.Load()
	const readers = 6
	bodies := make([]string, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, ts.http.URL+path, nil)
			res, err := ts.http.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%d %s", res.StatusCode, b)
			}
			bodies[i] = string(b)
		})
	}
	wg.Wait()
	if n := ts.warm.computed.Load() - before; n != 1 {
		t.Errorf("%d computations of %s for %d concurrent readers", n, path, readers)
	}
	for i := range bodies {
		if bodies[i] != bodies[0] {
			t.Fatalf("reader %d got a different body", i)
		}
	}
}

// Warming computes first what readers asked for: most asked first, ties in
// the order they were first asked; then the default order.
func TestWarmOrderFollowsReaders(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	snap := ts.snap.Load()
	base := ts.warmOrder(snap)
	first := "/api/v1/analysis?" + url.Values{"area": {"*"}, "chain": {ds.Chains[0].ID}}.Encode()
	if base[0].key != "/api/v1/dashboard?" || base[1].key != first {
		t.Fatalf("default order starts %s, %s", base[0].key, base[1].key)
	}
	if k := base[1+len(ds.Chains)].key; k != betweennessKey {
		t.Fatalf("after '*' of every chain: %s, want the betweenness", k)
	}
	county := "/api/v1/analysis?" + url.Values{"area": {"140827"}, "chain": {ds.Chains[len(ds.Chains)-1].ID}}.Encode()
	whole := "/api/v1/analysis?" + url.Values{"area": {"*"}, "chain": {ds.Chains[len(ds.Chains)-1].ID}}.Encode()
	// Read over HTTP, as a reader would: the county first, then '*'.
	for _, key := range []string{county, whole} {
		if r := ts.get(key); r.status != http.StatusOK {
			t.Fatalf("%s: %d", key, r.status)
		}
	}
	ts.asked("/api/v1/analysis?bogus=1") // not a warmed answer: no effect on the order
	order := ts.warmOrder(snap)
	if len(order) != len(base) {
		t.Fatalf("%d answers to warm, %d before", len(order), len(base))
	}
	if order[0].key != county || order[1].key != whole || order[2].key != "/api/v1/dashboard?" {
		t.Fatalf("order starts %s, %s, %s", order[0].key, order[1].key, order[2].key)
	}
	ts.asked(whole) // asked twice now: first
	if order = ts.warmOrder(snap); order[0].key != whole || order[1].key != county {
		t.Fatalf("order starts %s, %s", order[0].key, order[1].key)
	}
	// The rest keep the default order.
	rest := order[2:]
	j := 0
	for _, it := range base {
		if it.key == county || it.key == whole {
			continue
		}
		if rest[j].key != it.key {
			t.Fatalf("position %d: %s, want %s", j+2, rest[j].key, it.key)
		}
		j++
	}
}
