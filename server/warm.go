package server

import (
	"encoding/json"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
)

// Warming after writes. A write drops the response cache with its
// snapshot, so without help the first reader of each scope pays for its
// analysis. After a new snapshot is installed, one background goroutine
// computes the answers people read most into the new snapshot's cache, in
// this order: the dashboard, the whole-region analysis of every chain, then
// every county's analysis of every chain. Writes that arrive together share
// one pass (a pass starts warmDelay after the first of them and warms the
// snapshot current then); a pass stops as soon as a newer snapshot is
// installed, and the next pass starts on that one. Reads never wait for it:
// a read of a scope not warmed yet computes its answer as before, and the
// pass holds back (between answers) while any API request is being served,
// so that on a small machine the reader has the cores.
const (
	warmDelay    = 50 * time.Millisecond
	warmPoll     = 5 * time.Millisecond
	warmYieldMax = 2 * time.Second
)

// warmer is the state of the background warming.
type warmer struct {
	mu      sync.Mutex
	running bool // a pass is scheduled or running
	again   bool // a snapshot was installed after the running pass began
	passes  atomic.Int64
	scopes  atomic.Int64 // answers computed by warming, for the tests
	serving atomic.Int64 // API requests in progress
}

// countRequests counts the API requests in progress, for warmPass.
func (s *Server) countRequests(c *gin.Context) {
	s.warm.serving.Add(1)
	defer s.warm.serving.Add(-1)
	c.Next()
}

// yield waits while API requests are being served, up to warmYieldMax
// in all, so that a steady stream of requests cannot stop warming.
func (s *Server) yield() {
	for waited := time.Duration(0); s.warm.serving.Load() > 0 && waited < warmYieldMax; waited += warmPoll {
		time.Sleep(warmPoll)
	}
}

// warmAfterInstall schedules a warming pass for the snapshot just
// installed, or marks the running one to go again.
func (s *Server) warmAfterInstall() {
	w := &s.warm
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		w.again = true
		return
	}
	w.running = true
	go s.warmLoop()
}

func (s *Server) warmLoop() {
	w := &s.warm
	for {
		time.Sleep(warmDelay)
		w.mu.Lock()
		w.again = false
		w.mu.Unlock()
		if !s.closing.Load() {
			w.passes.Add(1)
			s.warmPass(s.snap.Load())
		}
		w.mu.Lock()
		if !w.again {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
	}
}

// warmPass fills snap's cache with the most-read answers until done or
// until snap is no longer current.
func (s *Server) warmPass(snap *snapshot) {
	if snap == nil {
		return
	}
	stale := func() bool { return s.snap.Load() != snap || s.closing.Load() }
	s.warmOne(snap, "/api/v1/dashboard", nil, func() (any, error) { return s.dashboardOf(snap), nil })
	areas := []string{graph.AllAreas}
	for _, c := range snap.ds.Counties {
		if c.Kind != chainscope.KindZone && c.Code != snap.ds.Region.Code {
			areas = append(areas, c.Code)
		}
	}
	for _, area := range areas {
		for _, ch := range snap.ds.Chains {
			if s.yield(); stale() {
				return
			}
			q := url.Values{"area": {area}, "chain": {ch.ID}}
			s.warmOne(snap, "/api/v1/analysis", q, func() (any, error) { return analysisOf(snap.ds, snap.ix, area, ch.ID) })
		}
	}
}

// warmOne computes one answer into snap's cache under the key and ETag
// serveData gives the same request, unless it is there already.
func (s *Server) warmOne(snap *snapshot, path string, q url.Values, compute func() (any, error)) {
	key := path + "?" + q.Encode()
	if _, ok := snap.cache.response(key); ok {
		return
	}
	v, err := compute()
	if err != nil {
		return // the reader gets the error when it asks
	}
	body, err := json.Marshal(v)
	if err != nil {
		return
	}
	snap.cache.keep(key, &cachedResponse{body: body, etag: etag(snap.version, key)})
	s.warm.scopes.Add(1)
}
