package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// snapshot is one data version held in memory: the dataset as stored, its
// analysis index, lookups for the list filters and the cached responses.
// A snapshot never changes once built; a write builds a new one and swaps
// it in atomically, so a request that took a snapshot sees one dataset from
// start to end, never a mix of two.
type snapshot struct {
	version int64
	ds      *chainscope.Dataset
	ix      *graph.Index
	lk      *lookup
	cache   responseCache
	// bounds are the stored county boundaries (not versioned: a past
	// revision's snapshot has none and the map uses the current ones).
	bounds []chainscope.Boundary
}

// newSnapshot compiles ds, stored at version, for serving.
func newSnapshot(version int64, ds *chainscope.Dataset, cacheLimit int64) (*snapshot, error) {
	ix, err := graph.NewIndex(ds)
	if err != nil {
		// The store holds only data dataset.Build accepted, so this is a
		// bug or a file edited behind chainscope's back: not the user's fault.
		return nil, fmt.Errorf("index data version %d: %v", version, err)
	}
	return &snapshot{version: version, ds: ds, ix: ix, lk: newLookup(ds), cache: responseCache{limit: cacheLimit}}, nil
}

// loadSnapshot reads the stored dataset and the data version it belongs
// to. The version is read before and after the load: when both agree, no
// write committed in between, so the version names exactly this dataset.
func (s *Server) loadSnapshot(ctx context.Context) (*snapshot, error) {
	for range 10 {
		before, err := s.db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		ds, err := s.db.Load(ctx)
		if err != nil {
			return nil, err
		}
		bounds, err := s.db.Boundaries(ctx)
		if err != nil {
			return nil, err
		}
		after, err := s.db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		if before == after {
			snap, err := newSnapshot(after, ds, s.cacheLimit)
			if snap != nil {
				snap.bounds = bounds
			}
			return snap, err
		}
	}
	return nil, chainscope.Localizedf(eUnavailable, "数据正在频繁写入，请稍后重试", "the data is being rewritten; try again shortly")
}

// install makes snap the current snapshot unless a newer version is
// already current, and returns the one that is current afterwards.
func (s *Server) install(snap *snapshot) *snapshot {
	for {
		old := s.snap.Load()
		if old != nil && old.version >= snap.version {
			return old
		}
		if s.snap.CompareAndSwap(old, snap) {
			s.installed()
			return snap
		}
	}
}

// installed starts what follows a new current snapshot, in the background:
// warming its most-read answers, and storing its index once writes are
// quiet.
func (s *Server) installed() {
	s.warmAfterInstall()
	s.storeIndexLater()
}

// current returns the snapshot to serve a request from. At most once per
// refresh interval it asks the database for its data version, so that a
// write by another process (`chainscope import` on the same file) shows
// within about a second; in between it costs one atomic load. A write of
// this server swaps its snapshot in at once.
//
// A request with ?as_of= gets the snapshot of that revision (see withAsOf).
func (s *Server) current(ctx context.Context) *snapshot {
	if past, ok := ctx.Value(asOfKey{}).(*snapshot); ok {
		return past
	}
	snap := s.snap.Load()
	now := time.Now().UnixNano()
	last := s.checked.Load()
	if now-last < int64(s.refreshEvery) || !s.checked.CompareAndSwap(last, now) {
		return snap
	}
	// This request won the check. A write in progress swaps in its own
	// snapshot when done; do not wait for it.
	if !s.mu.TryLock() {
		return snap
	}
	defer s.mu.Unlock()
	fresh, err := s.fresh(ctx, snap)
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "data version check failed; serving the data in memory",
			slog.Int64("data_version", snap.version), slog.String("error", err.Error()))
		return snap
	}
	return fresh
}

// fresh returns snap if the database still holds its version, and
// otherwise brings it up to the stored data and installs that: by applying
// the changes of the revisions in between (follow), or when they cannot
// be read one by one, by loading everything. The caller holds s.mu.
func (s *Server) fresh(ctx context.Context, snap *snapshot) (*snapshot, error) {
	v, err := s.db.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if v == snap.version {
		return snap, nil
	}
	if v > snap.version {
		next, n, err := s.follow(ctx, snap, v)
		if err == nil {
			s.stats.followed.Add(1)
			s.log.LogAttrs(ctx, slog.LevelInfo, "data followed",
				slog.Int64("from_version", snap.version), slog.Int64("data_version", v), slog.Int("records", n))
			return s.install(next), nil
		}
		if ctx.Err() != nil || unreachable(err) {
			return nil, err
		}
		if !errors.Is(err, store.ErrNeedReload) {
			s.log.LogAttrs(ctx, slog.LevelWarn, "following the changes failed; loading all the data",
				slog.Int64("from_version", snap.version), slog.Int64("data_version", v), slog.String("error", err.Error()))
		}
	}
	next, err := s.loadSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	s.stats.reloaded.Add(1)
	if next.version < snap.version {
		// The database went back: restored from a backup, or a replica
		// promoted before it had the last commits. It holds the data now,
		// so serve it (install keeps only newer versions, against a slow
		// load finishing after a newer one; every install runs under s.mu,
		// which the caller holds) and forget the past revisions built
		// from the database as it was.
		s.log.LogAttrs(ctx, slog.LevelWarn, "the database went back to an earlier data version (restored or failed over?); serving what it holds",
			slog.Int64("from_version", snap.version), slog.Int64("data_version", next.version))
		s.past.reset()
		s.snap.Store(next)
		s.installed()
		return next, nil
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "data reloaded",
		slog.Int64("from_version", snap.version), slog.Int64("data_version", next.version))
	return s.install(next), nil
}

// responseCache keeps encoded responses of one snapshot, keyed by route and
// canonical query, up to limit bytes in all; it is dropped with its
// snapshot on the next write.
type responseCache struct {
	entries sync.Map // string → *cachedResponse
	size    atomic.Int64
	limit   int64
}

// response returns the response kept under key.
func (rc *responseCache) response(key string) (*cachedResponse, bool) {
	v, ok := rc.entries.Load(key)
	if !ok {
		return nil, false
	}
	return v.(*cachedResponse), true
}

// keep keeps r under key unless the cache is full or already holds the
// key. A response kept under two keys is counted twice, which errs on the
// safe side.
func (rc *responseCache) keep(key string, r *cachedResponse) {
	if _, ok := rc.entries.Load(key); ok {
		return
	}
	n := int64(len(r.body) + len(key) + len(r.etag))
	if rc.size.Add(n) > rc.limit {
		rc.size.Add(-n)
		return
	}
	if _, loaded := rc.entries.LoadOrStore(key, r); loaded {
		rc.size.Add(-n)
	}
}

// get returns the body kept under key, for routes whose answer is not
// JSON (serveBody: export.svg, gaps.xlsx).
func (rc *responseCache) get(key string) ([]byte, bool) {
	r, ok := rc.response(key)
	if !ok {
		return nil, false
	}
	return r.body, true
}

// put keeps body under key unless the cache is full.
func (rc *responseCache) put(key string, body []byte) {
	rc.keep(key, &cachedResponse{body: body})
}
