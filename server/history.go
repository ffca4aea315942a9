package server

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// ePrecondition: an If-Match that no longer names the record's version: 412.
const ePrecondition = "precondition_failed"

// recordETag is the validator of one record's current version (SPEC §8): it
// changes when any field of the record changes, and only then.
func recordETag(rec any) string {
	b, err := json.Marshal(rec)
	if err != nil {
		return `"r-invalid"`
	}
	h := fnv.New64a()
	h.Write(b)
	return `"r-` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// etagMatches reports whether an If-Match header names tag (or is "*").
func etagMatches(header, tag string) bool {
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || part == tag {
			return true
		}
	}
	return false
}

// serveRecord answers the GET of one record: the view, with the ETag of
// the record's version. The view also shows neighbours, which other edits
// change, so it is never answered 304 from that ETag.
func (s *Server) serveRecord(c *gin.Context, rec any, view any) {
	c.Header("ETag", recordETag(rec))
	c.Header("Cache-Control", "no-cache")
	writeJSON(c, http.StatusOK, view)
}

// asOfKey marks a request context that carries the snapshot of a past
// revision (see withAsOf).
type asOfKey struct{}

// noAsOf lists the routes that answer about history itself and take no
// as_of (SPEC §8).
var noAsOf = map[string]bool{"/api/v1/revisions": true, "/api/v1/changes": true, "/api/v1/audit": true, "/api/v1/history": true}

// withAsOf serves a GET that carries ?as_of= (a revision or a date, SPEC §8)
// from the snapshot of that revision: every read handler takes its
// snapshot with current, which returns the one this puts in the context.
func (s *Server) withAsOf(c *gin.Context) {
	v := ""
	// Most requests have no as_of: only a query that names it, or might
	// under percent-encoding, is parsed here (a cached answer is then
	// served without parsing the query at all).
	if raw := c.Request.URL.RawQuery; strings.Contains(raw, "as_of") || strings.Contains(raw, "%") {
		v = c.Query("as_of")
	}
	if v == "" || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) || noAsOf[c.FullPath()] {
		c.Next()
		return
	}
	snap, _, err := s.snapshotAsOf(c.Request.Context(), v)
	if err != nil {
		s.fail(c, err)
		c.Abort()
		return
	}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), asOfKey{}, snap))
	c.Next()
}

// snapshotAsOf returns the snapshot of the revision an as_of value names,
// and that revision.
func (s *Server) snapshotAsOf(ctx context.Context, asOf string) (*snapshot, int64, error) {
	rev, latest, err := s.db.ResolveAsOf(ctx, asOf)
	if err != nil {
		return nil, 0, err
	}
	snap, err := s.snapshotAt(ctx, rev, latest)
	return snap, rev, err
}

// snapshotAt returns the snapshot of revision rev: the current one for the
// latest revision, else a past one from pastCache.
func (s *Server) snapshotAt(ctx context.Context, rev, latest int64) (*snapshot, error) {
	if rev == latest {
		return s.current(ctx), nil
	}
	return s.past.get(ctx, rev, func() (*snapshot, error) {
		ds, err := s.db.LoadAsOf(ctx, rev)
		if err != nil {
			return nil, err
		}
		// A past revision never changes: its number is its version, kept
		// apart from data versions by its sign.
		return newSnapshot(-rev, ds, s.cacheLimit)
	})
}

// pastCache keeps the snapshots of a few past revisions, least recently
// used out first; it never holds the current one.
type pastCache struct {
	mu    sync.Mutex
	limit int
	snaps []*pastEntry // most recently used last
}

type pastEntry struct {
	rev  int64
	done chan struct{} // closed once snap or err is set
	snap *snapshot
	err  error
}

// reset forgets every snapshot (the database went back to an earlier
// version: its revisions after that point may be written again with other
// data). A build in progress finishes for those who wait for it.
func (pc *pastCache) reset() {
	pc.mu.Lock()
	pc.snaps = nil
	pc.mu.Unlock()
}

// get returns the snapshot of rev, building it with build on first use;
// concurrent requests for one revision share one build. A failed build is
// not kept: whoever waited for it builds for itself.
func (pc *pastCache) get(ctx context.Context, rev int64, build func() (*snapshot, error)) (*snapshot, error) {
	pc.mu.Lock()
	for i, e := range pc.snaps {
		if e.rev != rev {
			continue
		}
		pc.snaps = append(append(pc.snaps[:i:i], pc.snaps[i+1:]...), e)
		pc.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			return build()
		}
		return e.snap, nil
	}
	e := &pastEntry{rev: rev, done: make(chan struct{})}
	pc.snaps = append(pc.snaps, e)
	if len(pc.snaps) > pc.limit {
		pc.snaps = pc.snaps[len(pc.snaps)-pc.limit:]
	}
	pc.mu.Unlock()

	e.snap, e.err = build()
	if e.err != nil {
		pc.mu.Lock()
		if i := slices.Index(pc.snaps, e); i >= 0 {
			pc.snaps = slices.Delete(pc.snaps, i, i+1)
		}
		pc.mu.Unlock()
	}
	close(e.done)
	return e.snap, e.err
}

// RevisionPage is the answer of GET /api/v1/revisions (SPEC §8).
type RevisionPage struct {
	Revisions []store.Revision `json:"revisions"`
	Total     int              `json:"total"`
}

// revisions answers GET /api/v1/revisions?limit=N&before=REV, newest first.
func (s *Server) revisions(c *gin.Context) {
	limit, err := intParam(c, "limit", 50)
	if err == nil && (limit < 1 || limit > maxPerPage) {
		err = paramErr("limit 应在 1 到 %d 之间", "limit must be 1 to %d", maxPerPage)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	before, err := intParam(c, "before", 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	revs, total, err := s.db.Revisions(c.Request.Context(), limit, int64(before))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	writeJSON(c, http.StatusOK, RevisionPage{Revisions: revs, Total: total})
}

// intParam parses an optional non-negative integer query parameter.
func intParam(c *gin.Context, name string, def int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, paramErr("参数 %s 应为非负整数：%q", "%s must be a non-negative integer: %q", name, v)
	}
	return n, nil
}

// changes answers GET /api/v1/changes?from=A&to=B (SPEC §8): the records
// and scopes that differ between two revisions; to defaults to the latest.
func (s *Server) changes(c *gin.Context) {
	ctx := c.Request.Context()
	from := c.Query("from")
	if from == "" {
		s.fail(c, paramErr("缺少参数 from", "from is required"))
		return
	}
	var ends [2]*snapshot
	var revs [2]int64
	var err error
	if ends[0], revs[0], err = s.snapshotAsOf(ctx, from); err != nil {
		s.fail(c, err)
		return
	}
	if to := c.Query("to"); to != "" {
		ends[1], revs[1], err = s.snapshotAsOf(ctx, to)
	} else {
		if revs[1], err = s.db.LatestRevision(ctx); err == nil {
			ends[1], err = s.snapshotAt(ctx, revs[1], revs[1])
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	key := "changes?" + strconv.FormatInt(revs[0], 10) + "-" + strconv.FormatInt(revs[1], 10)
	// Past revisions never change, so the answer is the later snapshot's
	// to cache.
	s.serveData(c, ends[1], key, true, func() (any, error) {
		out, err := graph.Diff(ends[0].ds, ends[1].ds, ends[0].ix, ends[1].ix)
		if err != nil {
			return nil, err
		}
		out.From, out.To = revs[0], revs[1]
		return out, nil
	})
}

// RecordHistory is the answer of GET /api/v1/history?kind=&key=: the
// revisions that wrote a record, its earlier versions, and the current one
// (absent when removed).
type RecordHistory struct {
	Kind     string                `json:"kind"`
	Key      string                `json:"key"`
	Events   []store.RecordEvent   `json:"events"`
	Versions []store.RecordVersion `json:"versions"`
	Current  any                   `json:"current,omitempty"`
}

// history answers GET /api/v1/history?kind=KIND&id=ID (or &from=&to= for a
// link): who changed the record, when, and what it held before.
func (s *Server) history(c *gin.Context) {
	kind := c.Query("kind")
	if !slices.Contains(chainscope.RecordKinds, kind) {
		s.fail(c, paramErr("未知的记录类型 %q", "unknown record kind %q", kind))
		return
	}
	key := c.Query("id")
	if kind == chainscope.RecordLink {
		key = chainscope.LinkKey(c.Query("from"), c.Query("to"))
	}
	if kind == chainscope.RecordReport {
		key = chainscope.ReportKey(c.Query("area"), c.Query("from"), c.Query("to"))
	}
	if kind == chainscope.RecordRegion {
		key = chainscope.RegionKey
	}
	snap := s.current(c.Request.Context())
	events, versions, err := s.db.RecordHistory(c.Request.Context(), kind, key)
	if err != nil {
		s.fail(c, err)
		return
	}
	current := snap.ds.Record(kind, key)
	if current == nil && len(events) == 0 && len(versions) == 0 {
		s.fail(c, notFoundErr("没有这条记录的历史", "no history of this record"))
		return
	}
	if versions == nil {
		versions = []store.RecordVersion{}
	}
	c.Header("Cache-Control", "no-cache")
	writeJSON(c, http.StatusOK, RecordHistory{Kind: kind, Key: key, Events: events, Versions: versions, Current: current})
}
