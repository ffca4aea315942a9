package server

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
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
// computes the answers people read most into the new snapshot's cache:
// first those readers asked for in earlier snapshots (most asked first,
// then the one first asked earliest), then the rest in this order: the
// dashboard, the whole-region analysis of every chain, the region's
// betweenness, every county's analysis of every chain. Writes that arrive
// together share one pass (a pass starts warmDelay after the first of them
// and warms the snapshot current then); a pass stops as soon as a newer
// snapshot is installed, and the next pass starts on that one.
//
// Every answer of a snapshot is computed at most once at a time
// (cachedAnswer, a single flight per snapshot and key): a read of a scope
// being warmed waits for that computation instead of starting a second
// one, and a read of a scope not warmed yet computes it at once, while the
// pass holds back (between answers) as long as any API request is being
// served, so that on a small machine the reader has the cores.
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

	fmu      sync.Mutex             // guards flights and demand
	flights  map[flightKey]*flight  // answers being computed
	demand   map[string]*demandStat // cache key → how readers asked for it
	asks     int64                  // reads recorded in demand, for its order
	computed atomic.Int64           // answers computed by cachedAnswer, for the tests
}

// The cache keys of the answers warming computes (see cacheKey).
var (
	betweennessKey = cacheKey("/api/v1/betweenness", nil)
	dashboardKey   = cacheKey("/api/v1/dashboard", nil)
	analysisPrefix = cacheKey("/api/v1/analysis", nil)
)

// maxDemand caps the keys demand remembers (a few per scope a person reads).
const maxDemand = 4096

// demandStat is how often readers asked for one warmable answer: reads
// that were the first of their snapshot, and the order of the first ever.
type demandStat struct{ count, first int64 }

// flightKey names one answer of one snapshot.
type flightKey struct {
	snap *snapshot
	key  string
}

// flight is one answer being computed; done is closed when res or err is set.
type flight struct {
	done chan struct{}
	res  *cachedResponse
	err  error
}

// asked records that a reader asked for the answer under key (the first
// read of it in its snapshot: later ones are cache hits and not seen
// here), if warming computes such answers.
func (s *Server) asked(key string) {
	if !strings.HasPrefix(key, analysisPrefix) && key != dashboardKey && key != betweennessKey {
		return
	}
	w := &s.warm
	w.fmu.Lock()
	defer w.fmu.Unlock()
	w.asks++
	if d, ok := w.demand[key]; ok {
		d.count++
		return
	}
	if len(w.demand) >= maxDemand {
		return
	}
	if w.demand == nil {
		w.demand = map[string]*demandStat{}
	}
	w.demand[key] = &demandStat{count: 1, first: w.asks}
}

// cachedAnswer returns the answer kept in snap's cache under key, computing
// and keeping it if it is not there. Concurrent callers for one snapshot
// and key share one computation: the first computes, the others wait for
// its result. Errors are returned to every waiter and never kept.
func (s *Server) cachedAnswer(snap *snapshot, key string, compute func() (any, error)) (*cachedResponse, error) {
	if hit, ok := snap.cache.response(key); ok {
		return hit, nil
	}
	w := &s.warm
	fk := flightKey{snap, key}
	w.fmu.Lock()
	if f, ok := w.flights[fk]; ok {
		w.fmu.Unlock()
		<-f.done
		return f.res, f.err
	}
	// A flight keeps its answer before it ends: looked at again under the
	// lock, a miss here means no finished flight was missed.
	if hit, ok := snap.cache.response(key); ok {
		w.fmu.Unlock()
		return hit, nil
	}
	if w.flights == nil {
		w.flights = map[flightKey]*flight{}
	}
	f := &flight{done: make(chan struct{}), err: errors.New("the computation of " + key + " did not finish")}
	w.flights[fk] = f
	w.fmu.Unlock()
	defer func() {
		w.fmu.Lock()
		delete(w.flights, fk)
		w.fmu.Unlock()
		close(f.done)
	}()
	w.computed.Add(1)
	v, err := compute()
	if err != nil {
		f.err = err
		return nil, err
	}
	body, err := json.Marshal(v)
	if err != nil {
		f.err = err
		return nil, err
	}
	res := &cachedResponse{body: body, etag: etag(snap.version, key)}
	snap.cache.keep(key, res)
	f.res, f.err = res, nil
	return res, nil
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

// WarmUp computes the answers people read most (the dashboard, every
// chain's whole-region and county analyses, the betweenness) of the data
// loaded by New in the background, as a write does for its new version:
// `chainscope serve` calls it at start, so that after a restart the first
// reader of a province's panorama does not pay for its analysis. Requests
// are served meanwhile and have the cores first.
func (s *Server) WarmUp() { s.warmAfterInstall() }

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

// warmItem is one answer warming computes.
type warmItem struct {
	key     string
	compute func() (any, error)
}

// warmOrder lists the answers a pass computes for snap, in the order of
// the package comment: what readers asked for (most asked first, then
// first asked earliest), then the dashboard, '*' of every chain, the
// betweenness and every county of every chain.
func (s *Server) warmOrder(snap *snapshot) []warmItem {
	items := []warmItem{{key: dashboardKey, compute: func() (any, error) { return s.dashboardOf(snap), nil }}}
	areas := []string{graph.AllAreas}
	for _, c := range snap.ds.Counties {
		if c.Kind != chainscope.KindZone && c.Code != snap.ds.Region.Code {
			areas = append(areas, c.Code)
		}
	}
	for i, area := range areas {
		for _, ch := range snap.ds.Chains {
			q := url.Values{"area": {area}, "chain": {ch.ID}}
			items = append(items, warmItem{key: cacheKey("/api/v1/analysis", q),
				compute: func() (any, error) { return analysisOf(snap.ds, snap.ix, area, ch.ID) }})
		}
		if i == 0 {
			// The region's betweenness, after '*' of every chain: computed
			// once per index, it makes every later top= answer a copy.
			items = append(items, warmItem{key: betweennessKey,
				compute: func() (any, error) { return snap.ix.Betweenness(graph.DefaultTop), nil }})
		}
	}
	w := &s.warm
	w.fmu.Lock()
	asked := make([]demandStat, len(items))
	for i, it := range items {
		if d, ok := w.demand[it.key]; ok {
			asked[i] = *d
		}
	}
	w.fmu.Unlock()
	rank := make([]int, len(items))
	for i := range rank {
		rank[i] = i
	}
	slices.SortStableFunc(rank, func(a, b int) int {
		da, db := asked[a], asked[b]
		if c := cmp.Compare(db.count, da.count); c != 0 {
			return c
		}
		if da.count == 0 {
			return 0
		}
		return cmp.Compare(da.first, db.first)
	})
	out := make([]warmItem, len(items))
	for i, r := range rank {
		out[i] = items[r]
	}
	return out
}

// warmPass fills snap's cache with the most-read answers until done or
// until snap is no longer current.
func (s *Server) warmPass(snap *snapshot) {
	if snap == nil {
		return
	}
	stale := func() bool { return s.snap.Load() != snap || s.closing.Load() }
	for _, it := range s.warmOrder(snap) {
		if s.yield(); stale() {
			return
		}
		s.warmOne(snap, it.key, it.compute)
	}
}

// warmOne computes one answer into snap's cache under the key and ETag
// serveData gives the same request, unless it is there already or being
// computed (then it waits for that computation).
func (s *Server) warmOne(snap *snapshot, key string, compute func() (any, error)) {
	if _, ok := snap.cache.response(key); ok {
		return
	}
	if _, err := s.cachedAnswer(snap, key, compute); err == nil {
		s.warm.scopes.Add(1)
	}
}
