package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// The stored analysis index (store.DB.PutSnapshot): import and init store
// the index of what they wrote, so that analyze decodes it instead of
// reading and indexing every record and link.

// debugf writes a diagnostic line to w when CHAINSCOPE_DEBUG is set: what
// the commands do on the side (the stored index) and that never changes
// their answer.
func debugf(w io.Writer, format string, args ...any) {
	if os.Getenv("CHAINSCOPE_DEBUG") != "" {
		fmt.Fprintf(w, "debug: "+format+"\n", args...)
	}
}

// storeSnapshot indexes the data db holds now and stores the index under
// its data version, after a write has committed (import, init,
// import-boundaries, copy). It is a help for later
// reads, not part of the write: a failure, or a write by another process
// meanwhile (the index is then stale and not stored), is only reported by
// debugf.
func storeSnapshot(ctx context.Context, e *env, db *store.DB) {
	start := time.Now()
	// A write that changed nothing (an import of what is stored) left the
	// version, and the index stored for it, as they were.
	if v, err := db.DataVersion(ctx); err == nil {
		if sv, f, err := db.SnapshotVersion(ctx); err == nil && sv == v && f == graph.SnapshotFormat {
			debugf(e.stderr, "snapshot of data version %d: stored already", v)
			return
		}
	}
	ds, pairs, version, err := db.LoadForAnalysisVersion(ctx, "")
	if err != nil {
		debugf(e.stderr, "snapshot: %v", err)
		return
	}
	ix, err := graph.NewIndexPairs(ds, pairs)
	if err != nil {
		debugf(e.stderr, "snapshot: %v", err)
		return
	}
	body, err := ix.MarshalBinary()
	if err != nil {
		debugf(e.stderr, "snapshot: %v", err)
		return
	}
	ok, err := db.PutSnapshot(ctx, version, graph.SnapshotFormat, body)
	debugf(e.stderr, "snapshot of data version %d (%d bytes): stored %v, %v, in %v", version, len(body), ok, err, time.Since(start))
}

// snapshotIndex returns the stored index of db's current data and the
// drive dataset beside it (store.Snapshot), or nil when there is none of
// the current version and format or it does not decode.
func snapshotIndex(ctx context.Context, e *env, db *store.DB) (*chainscope.Dataset, *graph.Index) {
	start := time.Now()
	s, err := db.LoadSnapshot(ctx, graph.SnapshotFormat)
	loaded := time.Now()
	if err != nil || s.Body == nil {
		if err != nil {
			debugf(e.stderr, "snapshot: %v", err)
		}
		return nil, nil
	}
	ix, err := graph.UnmarshalIndex(s.Body)
	if err != nil {
		debugf(e.stderr, "snapshot of data version %d: %v", s.SnapshotVersion, err)
		return nil, nil
	}
	debugf(e.stderr, "snapshot of data version %d: read %d bytes in %v, decoded in %v",
		s.SnapshotVersion, len(s.Body), loaded.Sub(start), time.Since(loaded))
	return s.Drive, ix
}
