package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"chainscope/graph"
	"chainscope/internal/pgtest"
)

// waitStored waits until the database holds the index of ts's current
// data version, and returns that version.
func waitStored(t *testing.T, ts *testServer) int64 {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		want := ts.snap.Load().version
		v, _, err := ts.db.SnapshotVersion(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if v == want {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("stored index of version %d, serving %d", v, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkStoredIndex decodes the stored index and compares its report of
// every scope with the one of the dataset the store holds, indexed afresh.
func checkStoredIndex(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	s, err := ts.db.LoadSnapshot(ctx, graph.SnapshotFormat)
	if err != nil || s.Body == nil {
		t.Fatalf("no stored index of the current version: %v", err)
	}
	got, err := graph.UnmarshalIndex(s.Body)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ts.db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	areas := []string{graph.AllAreas}
	for _, c := range ds.Counties {
		areas = append(areas, c.Code)
	}
	for _, c := range ds.Chains {
		for _, a := range areas {
			gs, err1 := got.Scope(a, c.ID)
			ws, err2 := want.Scope(a, c.ID)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			g, _ := json.Marshal(gs.DriveReport(s.Drive))
			w, _ := json.Marshal(ws.DriveReport(ds))
			if string(g) != string(w) {
				t.Fatalf("%s × %s: the stored index answers otherwise than the stored data", a, c.ID)
			}
		}
	}
}

// TestStoreIndexAfterWrites: a server stores the index it loaded, and after
// a burst of writes stores the index of the last one once, after the
// writes have been quiet; the stored index answers as the stored data.
func TestStoreIndexAfterWrites(t *testing.T) {
	ts := start(t, nil, func(c *Config) { c.StoreIndexAfter = time.Second })
	waitStored(t, ts)
	puts := ts.storer.puts.Load()
	county := ts.stored().Counties[0].Code
	var slowest time.Duration
	for i := range 3 {
		begin := time.Now()
		if r := ts.edit("POST", "/api/v1/enterprises", enterpriseBody(fmt.Sprintf("E-idx-%d", i), county), "Content-Type", "application/json"); r.status != 201 {
			t.Fatalf("write %d: %d %s", i, r.status, r.body)
		}
		slowest = max(slowest, time.Since(begin))
	}
	if v, _, _ := ts.db.SnapshotVersion(context.Background()); v == ts.snap.Load().version {
		t.Fatal("the index was stored before the writes had been quiet")
	}
	waitStored(t, ts)
	if n := ts.storer.puts.Load() - puts; n != 1 && slowest < ts.storer.after {
		t.Fatalf("%d stores for one burst of writes", n)
	}
	checkStoredIndex(t, ts)
	// Closed, it stores no more.
	ts.Close()
	stored := ts.snap.Load().version
	if r := ts.edit("POST", "/api/v1/enterprises", enterpriseBody("E-idx-closed", county), "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("write after Close: %d %s", r.status, r.body)
	}
	time.Sleep(1500 * time.Millisecond)
	if v, _, _ := ts.db.SnapshotVersion(context.Background()); v != stored || ts.snap.Load().version == stored {
		t.Fatalf("after Close: stored version %d, serving %d", v, ts.snap.Load().version)
	}
}

// TestPGStoreIndexTwoServers: two servers on one PostgreSQL database both
// store the index after a write through one of them; whichever stores it,
// it is the index of the current data.
func TestPGStoreIndexTwoServers(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	opt := func(c *Config) { c.StoreIndexAfter = 200 * time.Millisecond }
	a := serveDB(t, pgOpen(t, u), "", opt)
	b := serveDB(t, pgOpen(t, u), "", opt)
	waitStored(t, a)
	county := a.stored().Counties[0].Code
	if r := a.edit("POST", "/api/v1/enterprises", enterpriseBody("E-idx-pg", county), "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("write: %d %s", r.status, r.body)
	}
	waitFor(t, b, "/api/v1/enterprises/E-idx-pg", 5*time.Second, func(r *response) bool { return r.status == 200 })
	v := waitStored(t, a)
	if w := waitStored(t, b); w != v {
		t.Fatalf("servers at versions %d and %d", v, w)
	}
	checkStoredIndex(t, a)
}

// TestStoreIndexAfterGoingBack: once the database has gone back to an
// earlier data version (a restore), the server stores the index of the
// versions that follow again, although it had stored later ones before.
func TestStoreIndexAfterGoingBack(t *testing.T) {
	ts := start(t, nil, func(c *Config) { c.StoreIndexAfter = 200 * time.Millisecond })
	ts.refreshEvery = 100 * time.Millisecond
	first := waitStored(t, ts)
	bak := filepath.Join(t.TempDir(), "backup.db")
	if err := ts.db.Backup(context.Background(), bak); err != nil {
		t.Fatal(err)
	}
	county := ts.stored().Counties[0].Code
	write := func(id string) {
		t.Helper()
		if r := ts.edit("POST", "/api/v1/enterprises", enterpriseBody(id, county), "Content-Type", "application/json"); r.status != 201 {
			t.Fatalf("write %s: %d %s", id, r.status, r.body)
		}
	}
	write("E-back-1")
	write("E-back-2")
	if v := waitStored(t, ts); v <= first+1 {
		t.Fatalf("stored version %d after two writes from %d", v, first)
	}
	restoreFrom(t, ts.path, bak)
	waitFor(t, ts, "/api/v1/enterprises/E-back-1", 5*time.Second, func(r *response) bool { return r.status == 404 })
	write("E-back-3") // the version after the restored one, below those stored before it
	if v := waitStored(t, ts); v != first+1 {
		t.Fatalf("stored version %d after the restore and one write, want %d", v, first+1)
	}
	checkStoredIndex(t, ts)
}
