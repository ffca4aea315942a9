package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"chainscope"
	"chainscope/store"
)

// A server follows the writes of other processes on its database (another
// `chainscope serve` on the same PostgreSQL database, `chainscope import`
// on the same file) by loading just the records their revisions wrote
// (store.DB.Changes) and applying them to its snapshot (graph.Index.Follow),
// as it does with its own edits; only what cannot be followed record by
// record (a bulk import, new boundaries, an error) makes it load
// everything. It learns of the writes by polling the data version (current,
// at most once per refresh interval, on a request) and, where the database
// announces its commits (PostgreSQL: store.DB.Watch), at once.

// follow returns the snapshot of data version v made from snap by applying
// the changes of the revisions in between, or an error (store.ErrNeedReload
// among others) when it cannot: the caller then loads everything.
func (s *Server) follow(ctx context.Context, snap *snapshot, v int64) (*snapshot, int, error) {
	changes, err := s.db.Changes(ctx, snap.version, v)
	if err != nil {
		return nil, 0, err
	}
	ds, ix, err := snap.ix.Follow(snap.ds, changes)
	if err != nil {
		return nil, 0, err
	}
	// The lookups by id stay valid when no enterprise or project came or
	// went (see lookup.next).
	sameNodes := true
	for i := range changes {
		c := &changes[i]
		if (c.Kind == chainscope.RecordEnterprise || c.Kind == chainscope.RecordProject) && (c.Before == nil || c.After == nil) {
			sameNodes = false
		}
	}
	return &snapshot{version: v, ds: ds, ix: ix, lk: snap.lk.next(ds, sameNodes),
		cache: responseCache{limit: s.cacheLimit}, bounds: snap.bounds}, len(changes), nil
}

// startWatching follows the commits the database announces, if it does,
// until Close.
func (s *Server) startWatching() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopWatch = cancel
	ch := s.db.Watch(ctx)
	if ch == nil {
		return // SQLite: the requests poll (see current)
	}
	s.watching.Add(1)
	go s.watch(ctx, ch)
}

// watchRetry bounds the wait before trying again to catch up when the
// database did not answer.
const watchRetry = 2 * time.Second

// watch brings the snapshot up to every data version announced on ch,
// promptly (SPEC §10: within 2 s of the commit), in the background: reads
// go on with the snapshot they have and never wait for it. It also checks
// the data version once per refresh interval, for a write committed before
// the store was listening (between the load and the LISTEN) or while it
// reconnected. When the database does not answer it tries again now and
// then, and logs the failure once; the store announces the latest version
// again once it is back.
func (s *Server) watch(ctx context.Context, ch <-chan int64) {
	defer s.watching.Done()
	tick := time.NewTicker(refreshEvery)
	defer tick.Stop()
	var (
		want    int64
		retry   <-chan time.Time
		wait    = 100 * time.Millisecond
		failing bool
	)
	for {
		check := false
		select {
		case <-ctx.Done():
			return
		case v, ok := <-ch:
			if !ok {
				return
			}
			want = max(want, v)
		case <-retry:
			check = true
		case <-tick.C:
			check = time.Now().UnixNano()-s.checked.Load() >= int64(refreshEvery)
		}
		if !check && want <= s.snap.Load().version {
			continue
		}
		retry = nil
		if err := s.catchUp(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			if !failing {
				s.log.LogAttrs(ctx, slog.LevelWarn, "catching up with the database failed; serving the data in memory",
					slog.Int64("data_version", s.snap.Load().version), slog.Int64("announced", want), slog.String("error", err.Error()))
			}
			failing = true
			retry = time.After(wait)
			wait = min(2*wait, watchRetry)
			continue
		}
		if failing {
			s.log.LogAttrs(ctx, slog.LevelInfo, "caught up with the database again", slog.Int64("data_version", s.snap.Load().version))
		}
		failing, wait = false, 100*time.Millisecond
	}
}

// catchUp brings the snapshot up to the stored data version.
func (s *Server) catchUp(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.fresh(ctx, s.snap.Load())
	if err == nil {
		s.checked.Store(time.Now().UnixNano())
	}
	return err
}

// Close stops what the server does in the background (following the
// database's announcements of writes, storing the index) and waits for it. Serve calls it
// when it returns; whoever serves Handler by other means calls it when
// done, before closing the database.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		if s.stopWatch != nil {
			s.stopWatch()
		}
		s.watching.Wait()
		s.stopStoringIndex()
	})
}

// errUnreachable is what a request that needed the database is told while
// the database cannot be reached (store.ErrUnavailable): reads answered
// from memory go on meanwhile.
var errUnreachable = chainscope.Localizedf(eUnavailable,
	"暂时无法连接数据库，本次操作未执行（未保存任何修改），请稍后重试",
	"the database cannot be reached right now; nothing was done (nothing was saved). Try again shortly")

// unreachable says whether err means the database cannot be reached.
func unreachable(err error) bool { return errors.Is(err, store.ErrUnavailable) }
