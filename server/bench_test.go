package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"chainscope"
	"chainscope/internal/pgtest"
	"chainscope/store"
	"chainscope/synth"
)

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark
// measures the server's own work per request.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkCachedAnalysis is one GET /api/v1/analysis answered from the
// cache, through every middleware (the request log encoded to io.Discard),
// without the network.
func BenchmarkCachedAnalysis(b *testing.B) {
	ts := start(b, nil, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil)) })
	h := ts.Handler()
	req := httptest.NewRequest("GET", "/api/v1/analysis?area=*&chain=battery", nil)
	req.RemoteAddr = "127.0.0.1:1234"
	h.ServeHTTP(&discardWriter{h: http.Header{}}, req) // fill the cache
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
	}
}

// BenchmarkTakeInWrite is how a server takes in one single-record write of
// another process at province scale (synth.Province: 120 000 nodes, 1 000 000
// links), on each engine: "follow" applies the revision's changes to its
// snapshot (what it does), "reload" loads and indexes everything (what it
// did before, and still does for what cannot be followed). The write itself
// (a few milliseconds) is inside the time.
func BenchmarkTakeInWrite(b *testing.B) {
	ds := synth.Generate(synth.Province())
	b.Run("sqlite", func(b *testing.B) {
		db, path := newDB(b, ds)
		benchTakeIn(b, db, openAgain(b, path))
	})
	b.Run("postgres", func(b *testing.B) {
		u := pgDatabase(b, pgtest.Start(b), ds)
		benchTakeIn(b, pgOpen(b, u), pgOpen(b, u))
	})
}

// benchTakeIn runs BenchmarkTakeInWrite on a server over db, written
// through other.
func benchTakeIn(b *testing.B, db, other *store.DB) {
	s, err := New(Config{DB: db, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	step := 0
	// write renames an enterprise through the other handle (a few
	// milliseconds: the server's snapshot holds the stored data).
	write := func() {
		cur := s.snap.Load().ds
		v, err := other.DataVersion(ctx)
		if err != nil {
			b.Fatal(err)
		}
		step++
		before := &cur.Enterprises[step%len(cur.Enterprises)]
		after := *before
		after.Name += "改"
		if _, err := other.Commit(ctx, v, []chainscope.RecordChange{{Kind: chainscope.RecordEnterprise, Key: after.ID, Before: before, After: &after}},
			store.Meta{By: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("follow", func(b *testing.B) {
		for b.Loop() {
			write()
			if err := s.catchUp(ctx); err != nil {
				b.Fatal(err)
			}
		}
		if s.stats.reloaded.Load() != 0 {
			b.Fatal("loaded everything")
		}
	})
	b.Run("reload", func(b *testing.B) {
		for b.Loop() {
			write()
			snap, err := s.loadSnapshot(ctx)
			if err != nil {
				b.Fatal(err)
			}
			s.install(snap)
		}
	})
}
