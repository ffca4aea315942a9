package server

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"chainscope/store"
	"chainscope/yuncheng"
)

// openAgain opens the database at path a second time, as another process
// would.
func openAgain(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls ts at path until ok says its answer shows what was
// written, and returns how long that took; it fails after limit.
func waitFor(t testing.TB, ts *testServer, path string, limit time.Duration, ok func(r *response) bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		r := ts.get(path)
		if ok(r) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s still answers %d %.300s after %v", path, r.status, r.body, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sameAnswers fails unless b answers every path as c does (same status,
// same body).
func sameAnswers(t testing.TB, b, c *testServer, paths ...string) {
	t.Helper()
	for _, p := range paths {
		rb, rc := b.get(p), c.get(p)
		if rb.status != rc.status || !bytes.Equal(rb.body, rc.body) {
			t.Errorf("%s: the following server answers %d %.200s, a fresh one %d %.200s", p, rb.status, rb.body, rc.status, rc.body)
		}
	}
}

// TestTwoServersOneFile: two servers on one SQLite file. What is written
// through A is answered by B within its refresh interval, B taking in just
// the records written (it loads everything only for new boundaries), and B
// then answers exactly as a server started afresh on the file.
func TestTwoServersOneFile(t *testing.T) {
	a := start(t, nil)
	b := serveDB(t, openAgain(t, a.path), a.path, func(c *Config) { c.Logger = discardLogger() })
	b.refreshEvery = 200 * time.Millisecond
	within := b.refreshEvery + time.Second // the interval, and a margin for a busy machine

	ds := a.stored()
	ent, link := ds.Enterprises[0], ds.Links[0]
	writes := []struct {
		name         string
		method, path string
		body         string
		check        string // a path of B whose answer must change
	}{
		{"rename an enterprise", "PUT", "/api/v1/enterprises/" + ent.ID,
			`{"name": "跟随改名企业", "county": "` + ent.County + `", "segments": [], "leader_of": []}`, "/api/v1/enterprises/" + ent.ID},
		{"add an enterprise", "POST", "/api/v1/enterprises",
			`{"id": "E-follow", "name": "跟随新企业", "county": "` + ent.County + `", "segments": [], "leader_of": []}`, "/api/v1/enterprises/E-follow"},
		{"link it", "POST", "/api/v1/links", `{"from": "E-follow", "to": "` + link.To + `", "product": "跟随产品"}`, "/api/v1/links?from=E-follow"},
		{"change a link", "PUT", "/api/v1/links?from=" + url.QueryEscape(link.From) + "&to=" + url.QueryEscape(link.To),
			`{"product": "跟随改产品"}`, "/api/v1/links?from=" + url.QueryEscape(link.From)},
		{"add a lead", "POST", "/api/v1/leads", `{"id": "L-follow", "name": "跟随线索", "county": "` + ent.County + `", "segments": [], "stage": "visited"}`,
			"/api/v1/leads"},
		{"remove the enterprise and its link", "DELETE", "/api/v1/enterprises/E-follow?cascade=true", "", "/api/v1/enterprises/E-follow"},
	}
	for i, w := range writes {
		before := b.get(w.check)
		r := a.edit(w.method, w.path, []byte(w.body), "Content-Type", "application/json")
		if r.status >= 300 {
			t.Fatalf("%s through A: %d %s", w.name, r.status, r.body)
		}
		took := waitFor(t, b, w.check, within, func(r *response) bool {
			return r.status != before.status || !bytes.Equal(r.body, before.body)
		})
		t.Logf("%s: answered by B after %v", w.name, took)
		if got := b.stats.followed.Load(); got != int64(i+1) {
			t.Fatalf("after %s: B followed %d writes, want %d", w.name, got, i+1)
		}
		if got := b.stats.reloaded.Load(); got != 0 {
			t.Fatalf("after %s: B loaded everything %d times", w.name, got)
		}
	}

	// B holds exactly what the file holds, and answers as a fresh server.
	stored := a.stored()
	if got := b.snap.Load().ds; !reflect.DeepEqual(got, stored) {
		t.Fatal("B's dataset differs from the stored one")
	}
	c := serveDB(t, openAgain(t, a.path), a.path, func(c *Config) { c.Logger = discardLogger() })
	sameAnswers(t, b, c, "/api/v1/region", "/api/v1/enterprises?per_page=1000", "/api/v1/links?per_page=1000",
		"/api/v1/analysis", "/api/v1/leads", "/api/v1/dashboard")

	// New boundaries are no revision: B loads everything once.
	before := b.get("/api/v1/boundaries")
	r := a.edit(http.MethodPut, "/api/v1/boundaries", yuncheng.BoundariesGeoJSON(), "Content-Type", "application/geo+json")
	if r.status != 200 {
		t.Fatalf("boundaries: %d %s", r.status, r.body)
	}
	waitFor(t, b, "/api/v1/boundaries", within, func(r *response) bool { return !bytes.Equal(r.body, before.body) })
	if got := b.stats.reloaded.Load(); got != 1 {
		t.Fatalf("after new boundaries B loaded everything %d times, want 1", got)
	}
}

// TestDatabaseWentBack: the database is restored from a backup taken
// before a write (or a replica that lacked the last commits is promoted):
// its data version is lower than the server's snapshot. The server serves
// what the database holds — it neither keeps the lost write on show nor
// refuses every later write as stale — and forgets the past revisions it
// had built.
func TestDatabaseWentBack(t *testing.T) {
	a := start(t, nil)
	a.refreshEvery = 100 * time.Millisecond
	ctx := context.Background()
	ent := a.stored().Enterprises[0]
	path := "/api/v1/enterprises/" + ent.ID
	bak := filepath.Join(t.TempDir(), "backup.db")
	if err := a.db.Backup(ctx, bak); err != nil {
		t.Fatal(err)
	}
	body := `{"name": "备份之后改的名", "county": "` + ent.County + `", "segments": [], "leader_of": []}`
	if r := a.edit(http.MethodPut, path, []byte(body), "Content-Type", "application/json"); r.status != 200 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	if r := a.get(path + "?as_of=2"); r.status != 200 || !bytes.Contains(r.body, []byte("备份之后改的名")) {
		t.Fatalf("as_of=2 before the restore: %d %.200s", r.status, r.body)
	}

	restoreFrom(t, a.path, bak)

	waitFor(t, a, path, 5*time.Second, func(r *response) bool {
		return r.status == 200 && bytes.Contains(r.body, []byte(ent.Name))
	})
	if r := a.get(path + "?as_of=2"); r.status != 404 && r.status != 400 {
		t.Errorf("as_of=2 names a revision the restored database does not have: %d %.200s", r.status, r.body)
	}
	// Writes go on, on the restored data.
	body = `{"name": "恢复之后改的名", "county": "` + ent.County + `", "segments": [], "leader_of": []}`
	if r := a.edit(http.MethodPut, path, []byte(body), "Content-Type", "application/json"); r.status != 200 {
		t.Fatalf("a write after the restore: %d %s", r.status, r.body)
	}
	if r := a.get(path); !bytes.Contains(r.body, []byte("恢复之后改的名")) {
		t.Fatalf("after the write: %.200s", r.body)
	}
}

// restoreFrom restores the SQLite database at path from the backup bak, as
// pg_restore --clean --data-only would make it: every table's rows replaced
// by the backup's, in one transaction, under a running server.
func restoreFrom(t *testing.T, path, bak string) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	restore := []string{`ATTACH DATABASE '` + bak + `' AS bak`, `BEGIN`}
	rows, err := raw.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		restore = append(restore, `DELETE FROM main."`+name+`"`, `INSERT INTO main."`+name+`" SELECT * FROM bak."`+name+`"`)
	}
	rows.Close()
	restore = append(restore, `COMMIT`, `DETACH DATABASE bak`)
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range restore {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
