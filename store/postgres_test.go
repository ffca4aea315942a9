package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"chainscope"
	"chainscope/internal/pgtest"
)

func TestRebindDollar(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`INSERT INTO t (a, b) VALUES (?, ?), (?, ?)`, `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)`},
		{`SELECT seq FROM e WHERE id = ?1 UNION ALL SELECT seq FROM p WHERE id = ?1`,
			`SELECT seq FROM e WHERE id = $1 UNION ALL SELECT seq FROM p WHERE id = $1`},
		// As SQLite numbers them: a bare ? follows the largest number so far.
		{`kind = ? AND rev_from <= ?2 AND rev_to > ?2 AND x = ?`, `kind = $1 AND rev_from <= $2 AND rev_to > $2 AND x = $3`},
		{`SELECT '?', "a?b", ? -- what?` + "\n" + `, ?`, `SELECT '?', "a?b", $1 -- what?` + "\n" + `, $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
	} {
		if got := rebindDollar(tc.in); got != tc.want {
			t.Errorf("rebindDollar(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestMigrationsSameOnBothEngines(t *testing.T) {
	lite, err := migrationsIn(sqliteMigrations)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrationsIn(postgresMigrations)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d: %s on SQLite, %s on PostgreSQL", i+1, lite[i].name, pg[i].name)
		}
	}
}

// TestPGSchemaMirrorsSQLite: every table of the SQLite schema has the same
// columns, in the same order, on PostgreSQL (plus the version table).
func TestPGSchemaMirrorsSQLite(t *testing.T) {
	ctx := context.Background()
	lite, _ := openTemp(t)
	pg, _ := openTempPG(t)
	columns := func(db *DB, query string) map[string][]string {
		rows, err := db.read.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string][]string{}
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], col)
		}
		return out
	}
	got := columns(pg, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'chainscope_schema' ORDER BY table_name, ordinal_position`)
	want := columns(lite, `SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
		WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid`)
	for table, cols := range want {
		if !slices.Equal(got[table], cols) {
			t.Errorf("%s: PostgreSQL columns %v, SQLite %v", table, got[table], cols)
		}
	}
	for table := range got {
		if want[table] == nil {
			t.Errorf("table %s only on PostgreSQL", table)
		}
	}
	// Ids sort in byte order (SPEC §10).
	var collation string
	if err := pg.read.QueryRowContext(ctx, `SELECT collation_name FROM information_schema.columns
		WHERE table_name = 'enterprises' AND column_name = 'id'`).Scan(&collation); err != nil || collation != "C" {
		t.Errorf("enterprises.id collation %q, %v; want C", collation, err)
	}
}

// TestPGIdsInByteOrder: the analysis sees ids in the order Load returns
// them, and what ORDER BY gives on PostgreSQL is byte order as on SQLite.
func TestPGIdsInByteOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		mustReplace(t, db, richDataset())
		rows, err := db.read.QueryContext(context.Background(), `SELECT id FROM enterprises ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		if !slices.IsSorted(ids) { // Go compares strings byte by byte
			t.Fatalf("ORDER BY id gives %q, not byte order", ids)
		}
	})
}

// TestOpenRefusesOtherPGDatabase: a PostgreSQL database holding other
// tables and no chainscope mark is refused, as an SQLite file of another
// program is, and left as it was.
func TestOpenRefusesOtherPGDatabase(t *testing.T) {
	u := newPGDatabase(t)
	rawExec(t, u, `CREATE TABLE invoices (id bigint PRIMARY KEY, total double precision)`)
	db, err := Open(context.Background(), u)
	if err == nil {
		db.Close()
		t.Fatal("Open of another program's database succeeded")
	}
	msg := chainscope.ErrorMessage(err)
	if !strings.Contains(msg, "is a PostgreSQL database of another program, not a chainscope database") ||
		!strings.Contains(msg, "其他程序的 PostgreSQL 数据库") {
		t.Fatalf("error %q", msg)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("tables after the refusal: %d, %v; want the one there was", n, err)
	}
}

// TestPGCredentials: the password may come from the URL, PGPASSWORD or a
// password file, and is never in Path or in an error: a wrong password, a
// refused connection, a host that does not exist.
func TestPGCredentials(t *testing.T) {
	full := newPGDatabase(t)
	u, err := url.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	password, _ := u.User.Password()
	user := u.User.Username()
	bare := *u
	bare.User = url.User(user)
	ctx := context.Background()
	noPassword := func(t *testing.T, what, s string) {
		t.Helper()
		if strings.Contains(s, password) {
			t.Fatalf("%s holds the password: %s", what, s)
		}
	}
	// No ~/.pgpass of the machine may answer for us.
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("PGPASSWORD", "")

	open := func(t *testing.T, target string) *DB {
		t.Helper()
		db, err := Open(ctx, target)
		if err != nil {
			noPassword(t, "error", err.Error())
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		noPassword(t, "Path()", db.Path())
		if db.Engine() != "postgres" || !strings.HasPrefix(db.Path(), "postgres://"+user+"@") {
			t.Fatalf("Engine %s, Path %s", db.Engine(), db.Path())
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	t.Run("in the URL", func(t *testing.T) { open(t, full) })
	t.Run("password parameter", func(t *testing.T) {
		p := bare
		q := p.Query()
		q.Set("password", password)
		p.RawQuery = q.Encode()
		open(t, p.String())
	})
	t.Run("PGPASSWORD", func(t *testing.T) {
		t.Setenv("PGPASSWORD", password)
		open(t, bare.String())
	})
	t.Run("password file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "pgpass")
		line := fmt.Sprintf("%s:%s:%s:%s:%s\n", u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"), user, password)
		if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PGPASSFILE", file)
		open(t, bare.String())
	})

	refused := func(t *testing.T, target, secret string, unavailable bool, says ...string) {
		t.Helper()
		start := time.Now()
		db, err := Open(ctx, target)
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded")
		}
		t.Logf("%v (%s)", err, time.Since(start).Round(time.Millisecond))
		for _, s := range []string{err.Error(), chainscope.ErrorMessage(err), fmt.Sprintf("%+v", err)} {
			if strings.Contains(s, secret) {
				t.Fatalf("the error holds the password: %s", s)
			}
		}
		if errors.Is(err, ErrUnavailable) != unavailable {
			t.Errorf("errors.Is(err, ErrUnavailable) = %v, want %v", !unavailable, unavailable)
		}
		for _, s := range says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not say %q", err, s)
			}
		}
	}
	t.Run("wrong password", func(t *testing.T) {
		wrong := *u
		wrong.User = url.UserPassword(user, "Wr0ng-"+password[:8])
		refused(t, wrong.String(), "Wr0ng-"+password[:8], false, "wrong user name or password", "用户名或密码错误")
		t.Setenv("PGPASSWORD", "Wr0ng-"+password[:8])
		refused(t, bare.String(), "Wr0ng-"+password[:8], false, "wrong user name or password")
	})
	t.Run("refused connection", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close() // nobody listens there now
		closed := *u
		closed.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		refused(t, closed.String(), password, true, "cannot reach the database", "无法连接数据库")
	})
	t.Run("bad host", func(t *testing.T) {
		bad := *u
		bad.Host = "no-such-host.invalid:5432"
		refused(t, bad.String(), password, true, "no-such-host.invalid")
	})
	t.Run("bad URL", func(t *testing.T) {
		refused(t, "postgres://"+user+":"+password+"@127.0.0.1:notaport/x", password, false, "invalid database URL")
	})
}

// TestCommitAcrossServers: two handles on one database (two servers, or
// two processes on one file) writing at once are serialised by the
// database: no write is lost, revisions have no gaps, and a write computed
// against data another one changed meanwhile is refused with ErrStale.
func TestCommitAcrossServers(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ctx := context.Background()
		a, target := open(t)
		mustReplace(t, a, richDataset())
		b, err := Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()

		// The same base on both: the second commit is stale.
		editNote := func(db *DB, base int64, cur *chainscope.Dataset, note string) error {
			next := *cur
			next.Enterprises = slices.Clone(cur.Enterprises)
			next.Enterprises[0].Note = note
			changes, err := chainscope.DiffDatasets(cur, &next)
			if err != nil {
				return err
			}
			_, err = db.Commit(ctx, base, changes, Meta{By: "test"})
			return err
		}
		curA, vA, err := a.LoadVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		curB, vB, err := b.LoadVersion(ctx)
		if err != nil || vA != vB {
			t.Fatalf("versions %d and %d, %v", vA, vB, err)
		}
		if err := editNote(a, vA, curA, "甲"); err != nil {
			t.Fatal(err)
		}
		if err := editNote(b, vB, curB, "乙"); !errors.Is(err, ErrStale) {
			t.Fatalf("second commit on the same base: %v, want ErrStale", err)
		}

		// Writers on both handles at once, each retrying when stale.
		const writers, each = 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			db := a
			if w%2 == 1 {
				db = b
			}
			wg.Go(func() {
				for i := range each {
					for {
						cur, v, err := db.LoadVersion(ctx)
						if err != nil {
							errs <- err
							return
						}
						next := *cur
						next.Projects = slices.Clone(cur.Projects)
						next.Projects[w%len(next.Projects)].Note = fmt.Sprintf("writer %d edit %d", w, i)
						changes, _ := chainscope.DiffDatasets(cur, &next)
						_, err = db.Commit(ctx, v, changes, Meta{By: fmt.Sprintf("w%d", w)})
						if errors.Is(err, ErrStale) {
							continue
						}
						if err != nil {
							errs <- err
						}
						break
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		revs, total, err := b.Revisions(ctx, 0, 0)
		if err != nil || total != 2+writers*each || len(revs) != total {
			t.Fatalf("%d revisions (%d listed), %v; want %d", total, len(revs), err, 2+writers*each)
		}
		for i, r := range revs {
			if r.Rev != int64(total-i) {
				t.Fatalf("revision %d listed at %d: numbers have gaps", r.Rev, i)
			}
		}
		va, _ := a.DataVersion(ctx)
		vb, _ := b.DataVersion(ctx)
		if va != vb {
			t.Fatalf("data versions %d and %d of one database", va, vb)
		}
	})
}

// TestWatch: a server sees the data versions that another one commits,
// announced at commit (never for a write that fails); on SQLite Watch is
// nil and servers poll.
func TestWatch(t *testing.T) {
	lite, _ := openTemp(t)
	if ch := lite.Watch(context.Background()); ch != nil {
		t.Fatal("Watch on SQLite is not nil")
	}

	a, target := openTempPG(t)
	b, err := Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := a.Watch(ctx)
	next := func(what string) int64 {
		t.Helper()
		select {
		case v, ok := <-ch:
			if !ok {
				t.Fatalf("%s: Watch closed", what)
			}
			return v
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no notice within 10 s", what)
		}
		return 0
	}
	// Let the listener connect before the first write.
	time.Sleep(300 * time.Millisecond)
	mustReplace(t, b, richDataset())
	v1, _ := b.DataVersion(context.Background())
	if got := next("Replace"); got != v1 {
		t.Fatalf("notice %d after Replace, data version %d", got, v1)
	}

	bad := richDataset()
	bad.Projects[0].Status = "planned"
	if err := b.Replace(context.Background(), bad); err == nil {
		t.Fatal("bad Replace succeeded")
	}
	if err := b.SetBoundaries(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	v2, _ := b.DataVersion(context.Background())
	if got := next("SetBoundaries"); got != v2 || v2 != v1+1 {
		t.Fatalf("notice %d after a failed write and SetBoundaries, data version %d (was %d)", got, v2, v1)
	}
	cancel()
	for range ch { // closed once ctx is done
	}

	// Closing the DB ends its listeners too.
	ch = b.Watch(context.Background())
	b.Close()
	select {
	case _, ok := <-ch:
		for ok {
			_, ok = <-ch
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch still open 10 s after Close")
	}
}

// TestPGUnavailable: when the server goes away, reads and writes fail with
// an error that ErrUnavailable matches (the server answers 503), without
// the password.
func TestPGUnavailable(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	db, err := Open(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustReplace(t, db, richDataset())
	c.Stop()
	u, _ := url.Parse(c.URL())
	password, _ := u.User.Password()
	for name, err := range map[string]error{
		"DataVersion": func() error { _, err := db.DataVersion(ctx); return err }(),
		"Load":        func() error { _, err := db.Load(ctx); return err }(),
		"Commit":      func() error { _, err := db.Commit(ctx, -1, nil, Meta{}); return err }(),
		"Ping":        db.Ping(ctx),
	} {
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s with the server gone: %v, want ErrUnavailable", name, err)
		}
		if err != nil && strings.Contains(err.Error(), password) {
			t.Errorf("%s: the error holds the password", name)
		}
	}
}

// TestPGOpenTogether: servers that start together on a new database each
// apply the migrations once between them (the advisory lock), and all open.
func TestPGOpenTogether(t *testing.T) {
	u := newPGDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(context.Background(), u)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if v := schemaVersion(t, u); v != SchemaVersion() {
		t.Fatalf("schema version %d, want %d", v, SchemaVersion())
	}
}
