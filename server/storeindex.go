package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"chainscope/graph"
)

// Storing the served index. `chainscope analyze` decodes the stored index
// of the current data version (store.DB.PutSnapshot) instead of reading and
// indexing every record; a server holds that index already. When
// Config.StoreIndexAfter is set, once no newer data version has been
// installed for that long, one background goroutine encodes the current
// snapshot's index and stores it under its version — unless the stored one
// is of that version already (another server on the same PostgreSQL
// database, or an import, stored it). Requests never wait for it: the
// index is immutable, and the store writes it under its own write lock
// only while the version is still current, so an index a write overtook
// is not stored, and two servers storing one version store the same
// thing.

// indexStorer is the state of the background storing.
type indexStorer struct {
	after time.Duration // Config.StoreIndexAfter; 0: off

	mu     sync.Mutex
	timer  *time.Timer
	closed bool
	runs   sync.WaitGroup

	run    sync.Mutex // one store at a time
	stored int64      // the data version last stored or found stored
	puts   atomic.Int64
}

// storeIndexLater (re)starts the quiet period after which the current
// index is stored.
func (s *Server) storeIndexLater() {
	st := &s.storer
	if st.after <= 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return
	}
	if st.timer == nil {
		st.timer = time.AfterFunc(st.after, s.storeIndexNow)
		return
	}
	st.timer.Reset(st.after)
}

// storeIndexNow stores the current snapshot's index if the database does
// not hold the index of its version yet.
func (s *Server) storeIndexNow() {
	st := &s.storer
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return
	}
	st.runs.Add(1)
	st.mu.Unlock()
	defer st.runs.Done()
	st.run.Lock()
	defer st.run.Unlock()

	snap := s.snap.Load()
	if snap == nil || snap.version == st.stored { // not <: the database may have gone back
		return
	}
	ctx := context.Background()
	log := func(msg string, attrs ...slog.Attr) {
		s.log.LogAttrs(ctx, slog.LevelDebug, msg, append(attrs, slog.Int64("data_version", snap.version))...)
	}
	v, format, err := s.db.SnapshotVersion(ctx)
	if err != nil {
		log("stored index: version check failed", slog.String("error", err.Error()))
		return
	}
	if v >= snap.version && format == graph.SnapshotFormat {
		st.stored = v
		return
	}
	start := time.Now()
	body, err := snap.ix.MarshalBinary()
	if err != nil {
		log("stored index: encoding failed", slog.String("error", err.Error()))
		return
	}
	ok, err := s.db.PutSnapshot(ctx, snap.version, graph.SnapshotFormat, body)
	if err != nil {
		log("stored index: write failed", slog.String("error", err.Error()))
		return
	}
	if ok {
		st.stored = snap.version
		st.puts.Add(1)
	}
	log("stored index", slog.Bool("stored", ok), slog.Int("bytes", len(body)),
		slog.Duration("took", time.Since(start)))
}

// stopStoringIndex cancels a pending store and waits for a running one.
func (s *Server) stopStoringIndex() {
	st := &s.storer
	st.mu.Lock()
	st.closed = true
	if st.timer != nil {
		st.timer.Stop()
	}
	st.mu.Unlock()
	st.runs.Wait()
}
