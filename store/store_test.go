package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"chainscope"
)

func TestMigrationsNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("SchemaVersion() = %d with %d migrations", SchemaVersion(), len(ms))
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		ds   *chainscope.Dataset
	}{
		{"rich", richDataset()},
		{"generated", genDataset(genConfig{enterprises: 500, projects: 100, links: 3000, seed: 7})},
		{"empty", &chainscope.Dataset{
			Counties: []chainscope.County{}, Chains: []chainscope.Chain{}, Enterprises: []chainscope.Enterprise{},
			Projects: []chainscope.Project{}, Links: []chainscope.Link{}}},
	}
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				db, path := open(t)
				mustReplace(t, db, tc.ds)
				checkEqual(t, mustLoad(t, db), tc.ds)

				// And again from a fresh process's point of view.
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				db2, err := Open(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				defer db2.Close()
				checkEqual(t, mustLoad(t, db2), tc.ds)
			})
		}
	})
}

func TestReplaceReplaces(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		a := genDataset(genConfig{enterprises: 300, projects: 60, links: 2000, seed: 1})
		b := richDataset()
		mustReplace(t, db, a)
		mustReplace(t, db, b)
		checkSameRecords(t, mustLoad(t, db), b)
		mustReplace(t, db, a)
		checkSameRecords(t, mustLoad(t, db), a)
		if err := db.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEmptyDatabase(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ctx := context.Background()
		empty, err := db.Empty(ctx)
		if err != nil || !empty {
			t.Fatalf("Empty() = %v, %v; want true", empty, err)
		}
		want := &chainscope.Dataset{
			Counties: []chainscope.County{}, Chains: []chainscope.Chain{}, Enterprises: []chainscope.Enterprise{},
			Projects: []chainscope.Project{}, Links: []chainscope.Link{},
		}
		checkEqual(t, mustLoad(t, db), want)

		mustReplace(t, db, richDataset())
		if empty, err := db.Empty(ctx); err != nil || empty {
			t.Fatalf("after Replace Empty() = %v, %v; want false", empty, err)
		}
	})
}

func TestDataVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ctx := context.Background()
		version := func() int64 {
			t.Helper()
			v, err := db.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		v0 := version()
		mustReplace(t, db, richDataset())
		v1 := version()
		if v1 == v0 {
			t.Fatalf("version unchanged by Replace: %d", v1)
		}
		bad := richDataset()
		bad.Enterprises[0].Segments = []string{"no.such.segment"}
		if err := db.Replace(ctx, bad); err == nil {
			t.Fatal("Replace of a dangling reference succeeded")
		}
		if v := version(); v != v1 {
			t.Fatalf("failed Replace changed the version: %d → %d", v1, v)
		}
	})
}

// TestFailedReplaceKeepsData: whatever makes a Replace fail, the database
// afterwards holds exactly the dataset it held before, and still opens.
// (Every dataset here breaks a rule dataset.Build checks; the store
// refuses it all the same. What the store checks itself in Go, the
// references, is an internal error; what the database's constraints refuse
// keeps the code EINVALID, on both engines.)
func TestFailedReplaceKeepsData(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		big := genDataset(genConfig{enterprises: 2000, projects: 400, links: 30_000, seed: 3})
		tests := []struct {
			name    string
			ds      func() *chainscope.Dataset
			cancel  bool   // cancel the context from the first progress call
			code    string // chainscope.ErrorCode of the error, "" for a cancellation
			wantErr error
		}{
			{name: "unknown segment", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Enterprises[1].Segments = []string{"battery.anode", "no.such.segment"}
				return ds
			}},
			{name: "unknown county", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[2].County = "999999"
				return ds
			}},
			{name: "zone in unknown county", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Counties[0].Parent = "140899"
				return ds
			}},
			{name: "unknown investor", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[0].Investor = "E-nobody"
				return ds
			}},
			{name: "unknown leader chain", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Enterprises[0].LeaderOf = []string{"no-chain"}
				return ds
			}},
			{name: "flow to unknown segment", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Chains[1].Flows = []chainscope.Flow{{From: "alu.ore", To: "alu.nothing"}}
				return ds
			}},
			{name: "duplicate enterprise", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Enterprises = append(ds.Enterprises, ds.Enterprises[0])
				return ds
			}},
			{name: "duplicate segment id across chains", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Chains[2].Segments = []chainscope.Segment{{ID: "alu.ore", Name: "x", Stage: chainscope.StageUpstream}}
				return ds
			}},
			{name: "duplicate link late in a big import", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := genDataset(genConfig{enterprises: 2000, projects: 400, links: 30_000, seed: 4})
				ds.Links = append(ds.Links, ds.Links[17])
				return ds
			}},
			{name: "link to nothing", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Links[1].To = "E-nobody"
				return ds
			}},
			{name: "id both enterprise and project", code: chainscope.EINTERNAL, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[1].ID = "E-city"
				return ds
			}},
			{name: "self link", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Links[2].To = ds.Links[2].From
				return ds
			}},
			{name: "unknown status", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[1].Status = "planned"
				return ds
			}},
			{name: "negative investment", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[1].InvestmentWan = ptr(-1)
				return ds
			}},
			{name: "malformed date", code: chainscope.EINVALID, ds: func() *chainscope.Dataset {
				ds := richDataset()
				ds.Projects[0].Signed = "2024/03/15"
				return ds
			}},
			{name: "cancelled mid-way", cancel: true, wantErr: context.Canceled, ds: func() *chainscope.Dataset {
				return genDataset(genConfig{enterprises: 2000, projects: 400, links: 30_000, seed: 5})
			}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				db, path := open(t)
				big := big
				if db.Engine() == "postgres" {
					// What replaces it is written record by record, a
					// statement each: a smaller dataset keeps this quick.
					big = genDataset(genConfig{enterprises: 120, projects: 30, links: 600, seed: 3})
				}
				mustReplace(t, db, big)
				v0, _ := db.DataVersion(context.Background())

				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var calls int
				progress := func(done, total int) {
					calls++
					if tc.cancel {
						cancel()
					}
				}
				err := db.ReplaceWith(ctx, tc.ds(), ReplaceOptions{
					Progress: progress,
					Meta:     Meta{By: "test", Summary: "import replace"},
				})
				switch {
				case err == nil:
					t.Fatal("Replace succeeded")
				case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				case tc.code != "" && chainscope.ErrorCode(err) != tc.code:
					t.Fatalf("ErrorCode(%v) = %q, want %q", err, chainscope.ErrorCode(err), tc.code)
				}
				t.Logf("error: %v (%d progress calls)", err, calls)

				checkEqual(t, mustLoad(t, db), big)
				if v, _ := db.DataVersion(context.Background()); v != v0 {
					t.Errorf("data version %d → %d", v0, v)
				}
				if revs, _, _ := db.Revisions(context.Background(), 0, 0); len(revs) != 1 {
					t.Errorf("revisions after a failed import: %+v", revs)
				}
				// The connection is still usable for the next write.
				mustReplace(t, db, big)

				db.Close()
				db2, err := Open(context.Background(), path)
				if err != nil {
					t.Fatalf("reopen: %v", err)
				}
				defer db2.Close()
				checkEqual(t, mustLoad(t, db2), big)
				if err := db2.Check(context.Background()); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

func TestReplaceProgress(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ds := genDataset(genConfig{enterprises: 2000, projects: 400, links: 20_000, seed: 2})
		var calls [][2]int
		err := db.ReplaceWith(context.Background(), ds, ReplaceOptions{Progress: func(done, total int) {
			calls = append(calls, [2]int{done, total})
		}})
		if err != nil {
			t.Fatal(err)
		}
		total := countRows(ds)
		if len(calls) < total/progressEvery {
			t.Fatalf("%d progress calls for %d rows", len(calls), total)
		}
		for i, c := range calls {
			if c[1] != total || c[0] > total || (i > 0 && c[0] < calls[i-1][0]) {
				t.Fatalf("call %d: %v (total %d, previous %v)", i, c, total, calls[max(i-1, 0)])
			}
		}
		if last := calls[len(calls)-1]; last[0] != total {
			t.Fatalf("last call %v, want done == total == %d", last, total)
		}
	})
}

func TestReopenAndSchemaVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ctx := context.Background()
		db, path := open(t)
		mustReplace(t, db, richDataset())
		db.Close()

		// Reopening an up-to-date database applies nothing and keeps the data.
		for range 2 {
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			checkEqual(t, mustLoad(t, db), richDataset())
			db.Close()
		}

		// A database from a newer chainscope is refused, and left alone.
		newer := SchemaVersion() + 1
		setSchemaVersion(t, path, newer)
		_, err := Open(ctx, path)
		if err == nil {
			t.Fatal("Open of a newer schema succeeded")
		}
		for _, want := range []string{
			fmt.Sprintf("数据库结构版本 %d 高于本程序支持的 %d，请升级 chainscope", newer, SchemaVersion()),
			fmt.Sprintf("database schema version %d is newer than", newer),
		} {
			if !strings.Contains(chainscope.ErrorMessage(err), want) {
				t.Errorf("error %q does not say %q", chainscope.ErrorMessage(err), want)
			}
		}
		if v := schemaVersion(t, path); v != newer {
			t.Fatalf("schema version = %d; want %d untouched", v, newer)
		}
	})
}

// TestOpenRefuses: files Open must refuse with a clear message, not a
// panic and not by turning them into a database.
func TestOpenRefuses(t *testing.T) {
	header := "SQLite format 3\x00"
	tests := []struct {
		name    string
		make    func(path string) error
		message string
	}{
		{"text file", func(p string) error {
			return os.WriteFile(p, []byte("代码,名称\n140827,垣曲县\n"), 0o644)
		}, "不是 SQLite 数据库文件"},
		{"short file", func(p string) error { return os.WriteFile(p, []byte("SQLite"), 0o644) }, "is not an SQLite database file"},
		{"header then garbage", func(p string) error {
			return os.WriteFile(p, []byte(header+strings.Repeat("\xff\x00garbage", 1000)), 0o644)
		}, "SQLite"},
		{"directory", func(p string) error { return os.Mkdir(p, 0o755) }, "directory"},
		{"another program's database", func(p string) error {
			raw, err := sql.Open("sqlite", p)
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.Exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)`)
			return err
		}, "not a chainscope database"},
		{"another application id", func(p string) error {
			raw, err := sql.Open("sqlite", p)
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.Exec(`PRAGMA application_id = 42`)
			return err
		}, "不是 chainscope 数据库"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "input.db")
			if err := tc.make(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			db, err := Open(context.Background(), path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(chainscope.ErrorMessage(err), tc.message) {
				t.Fatalf("error %q (message %q) does not say %q", err, chainscope.ErrorMessage(err), tc.message)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Fatal("Open changed the refused file")
			}
			t.Logf("%v", err)
		})
	}
}

// setSchemaVersion writes the schema version of the database at target
// behind the store's back.
func setSchemaVersion(t *testing.T, target string, v int) {
	t.Helper()
	if isPostgresURL(target) {
		rawExec(t, target, fmt.Sprintf(`UPDATE chainscope_schema SET version = %d`, v))
		return
	}
	rawExec(t, target, fmt.Sprintf("PRAGMA user_version = %d", v))
}

// schemaVersion reads the schema version of the database at target.
func schemaVersion(t *testing.T, target string) int {
	t.Helper()
	var v int
	if isPostgresURL(target) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if err := conn.QueryRow(ctx, `SELECT version FROM chainscope_schema`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	raw, err := sql.Open("sqlite", target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenAwkwardPaths(t *testing.T) {
	for _, name := range []string{"空格 和 中文.db", "a?b#c%d.db", "file:x.db", "50%.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			db, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			mustReplace(t, db, richDataset())
			db.Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("database not at the path given: %v", err)
			}
			db, err = Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			checkEqual(t, mustLoad(t, db), richDataset())
		})
	}
	t.Run("empty file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "empty.db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	})
	t.Run("missing directory", func(t *testing.T) {
		_, err := Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir.db"))
		if err == nil {
			t.Fatal("Open in a missing directory succeeded")
		}
	})
}

func TestBackupRefusesExistingFile(t *testing.T) {
	db, _ := openTemp(t)
	mustReplace(t, db, richDataset())
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(out, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(context.Background(), out)
	if chainscope.ErrorCode(err) != chainscope.ECONFLICT {
		t.Fatalf("Backup over an existing file = %v, want ECONFLICT", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "precious" {
		t.Fatal("Backup overwrote the file")
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Fatalf("Backup left files behind: %v", ents)
	}

	// A fresh name works, and the copy is a chainscope database.
	out2 := filepath.Join(filepath.Dir(out), "backup2.db")
	if err := db.Backup(context.Background(), out2); err != nil {
		t.Fatal(err)
	}
	b, err := Open(context.Background(), out2)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkEqual(t, mustLoad(t, b), richDataset())
}

// rawExec runs statements on the database behind the store's back, as a
// damaged file or a future writer might leave it: foreign keys are not
// enforced (PostgreSQL: session_replication_role = replica).
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	if isPostgresURL(path) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, s := range append([]string{`SET session_replication_role = replica`}, stmts...) {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return
	}
	raw, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestLoadToleratesRenumbering: Load restores order and link ends from
// seq and node numbers even when they are not the dense 1…n that Replace
// writes.
func TestLoadToleratesRenumbering(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ds := richDataset()
		e := len(ds.Enterprises)
		for _, tc := range []struct {
			name  string
			stmts []string
		}{
			{"sparse link seq", []string{`UPDATE links SET seq = seq * 10 + 3`}},
			{"links seq reversed", []string{`UPDATE links SET seq = 100 - seq`}},
			{"node numbers with gaps", []string{
				fmt.Sprintf(`UPDATE links SET from_node = from_node + 100 WHERE from_node > %d`, e),
				fmt.Sprintf(`UPDATE links SET to_node = to_node + 100 WHERE to_node > %d`, e),
				`UPDATE projects SET seq = seq + 100`,
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db, path := open(t)
				mustReplace(t, db, ds)
				db.Close()
				rawExec(t, path, tc.stmts...)
				db2, err := Open(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				defer db2.Close()
				want := richDataset()
				if tc.name == "links seq reversed" {
					slices.Reverse(want.Links)
				}
				checkEqual(t, mustLoad(t, db2), want)
			})
		}
	})
}

// TestCheck: Check passes on what Replace writes and names what no
// constraint can refuse.
func TestCheck(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		for _, tc := range []struct {
			name, stmt, want string
		}{
			{"clean", ``, ``},
			{"shared node number", `UPDATE projects SET seq = 1 WHERE id = 'P-nil'`, "share node numbers"},
			{"link to no node", `INSERT INTO links (from_node, to_node, seq) VALUES (1, 999, 99)`, "no node"},
			{"dangling segment", `INSERT INTO enterprise_segments (enterprise_id, segment_id) VALUES ('E-anode', 'nothing')`, "dangling reference"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db, path := open(t)
				mustReplace(t, db, richDataset())
				if tc.stmt != "" {
					rawExec(t, path, tc.stmt)
				}
				err := db.Check(context.Background())
				switch {
				case tc.want == "" && err != nil:
					t.Fatal(err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Fatalf("Check() = %v, want an error about %q", err, tc.want)
				}
			})
		}
	})
}

// TestReplaceForeignKeysBackOn: Replace writes with foreign-key enforcement
// off on the write connection (references are checked in Go); whether it
// succeeds or fails, the connection serves the next write with it on again,
// and a dangling reference is named in the error.
func TestReplaceForeignKeysBackOn(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	fkOn := func() bool {
		t.Helper()
		var on bool
		if err := db.write.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil {
			t.Fatal(err)
		}
		return on
	}
	mustReplace(t, db, richDataset())
	if !fkOn() {
		t.Fatal("foreign_keys off after a successful Replace")
	}
	bad := richDataset()
	bad.Projects[0].Investor = "E-nobody"
	err := db.Replace(ctx, bad)
	if chainscope.ErrorCode(err) != chainscope.EINTERNAL || !strings.Contains(err.Error(), `investor "E-nobody" is not in enterprises`) {
		t.Fatalf("Replace with a dangling investor: %v", err)
	}
	if !fkOn() {
		t.Fatal("foreign_keys off after a failed Replace")
	}
	// A unique key is still SQLite's to refuse, with enforcement off.
	dup := richDataset()
	dup.Counties = append(dup.Counties, dup.Counties[1])
	if err := db.Replace(ctx, dup); chainscope.ErrorCode(err) != chainscope.EINVALID {
		t.Fatalf("Replace with a duplicate county: %v", err)
	}
	if !fkOn() {
		t.Fatal("foreign_keys off after a refused Replace")
	}
	checkEqual(t, mustLoad(t, db), richDataset())
}

// TestReplaceWithLinksLater: the links may come from a function called
// while the other records are written; what it gives is stored, and an
// error from it rolls everything back and is returned.
func TestReplaceWithLinksLater(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ctx := context.Background()
		want := genDataset(genConfig{enterprises: 2000, projects: 400, links: 30_000, seed: 6})
		nodes := *want
		nodes.Links = nil
		var last, total int
		err := db.ReplaceWith(ctx, &nodes, ReplaceOptions{
			Links:     func() ([]chainscope.Link, error) { return want.Links, nil },
			LinkCount: len(want.Links),
			Progress:  func(done, all int) { last, total = done, all },
		})
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, mustLoad(t, db), want)
		if total != countRows(want) || last != total {
			t.Fatalf("progress ended at %d of %d, want %d of %d", last, total, countRows(want), countRows(want))
		}

		v0, _ := db.DataVersion(ctx)
		refused := errors.New("a link has a problem")
		other := richDataset()
		err = db.ReplaceWith(ctx, other, ReplaceOptions{
			Links:     func() ([]chainscope.Link, error) { return nil, refused },
			LinkCount: 3,
		})
		if !errors.Is(err, refused) {
			t.Fatalf("Replace with failing links: %v, want %v", err, refused)
		}
		if v, _ := db.DataVersion(ctx); v != v0 {
			t.Fatalf("failed Replace changed the version %d → %d", v0, v)
		}
		checkEqual(t, mustLoad(t, db), want)
	})
}

// TestZeroByte: SQLite keeps a zero byte in a text as it is; PostgreSQL
// text cannot hold one, and the store says so in a clear EINVALID message
// and writes nothing.
func TestZeroByte(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ds := richDataset()
		ds.Region.Note = "零\x00字节"
		err := db.Replace(context.Background(), ds)
		if db.Engine() == "sqlite" {
			if err != nil {
				t.Fatal(err)
			}
			checkEqual(t, mustLoad(t, db), ds)
			return
		}
		if chainscope.ErrorCode(err) != chainscope.EINVALID || !strings.Contains(err.Error(), "U+0000") {
			t.Fatalf("Replace of a zero byte on PostgreSQL: %v; want EINVALID naming U+0000", err)
		}
		if empty, err := db.Empty(context.Background()); err != nil || !empty {
			t.Fatalf("after the failed Replace Empty() = %v, %v", empty, err)
		}
	})
}
