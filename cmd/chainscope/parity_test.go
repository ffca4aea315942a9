package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chainscope/internal/pgtest"
)

// pgDatabases starts a throwaway PostgreSQL cluster for the test and returns
// a function that creates a new, empty database on it and returns its URL.
func pgDatabases(t *testing.T) func() string {
	t.Helper()
	c := pgtest.Start(t)
	conn := c.Connect(t)
	var n atomic.Int64
	return func() string {
		name := fmt.Sprintf("parity_%d", n.Add(1))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(c.URL())
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		return u.String()
	}
}

// exportAll exports the database db in every format that keeps the whole
// dataset: file name → bytes (the CSV folder's files under csv/).
func exportAll(t *testing.T, db string) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	out := map[string][]byte{}
	for _, f := range []string{"json", "xlsx", "graphml"} {
		p := filepath.Join(dir, "export."+f)
		mustCLI(t, "export", "--db", db, "--format", f, "-o", p)
		if f == "xlsx" {
			// The zip's entries carry the time of the export: compare
			// the parts of the workbook, byte for byte.
			for name, b := range zipParts(t, p) {
				out["xlsx:"+name] = b
			}
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	mustCLI(t, "export", "--db", db, "--format", "csv", "-o", filepath.Join(dir, "csv"))
	entries, err := os.ReadDir(filepath.Join(dir, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, "csv", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out["csv/"+e.Name()] = b
	}
	return out
}

// zipParts reads every entry of the zip file at path.
func zipParts(t *testing.T, path string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

// sameExports fails t unless the two exports hold the same files with the
// same bytes.
func sameExports(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || !bytes.Equal(g, w) {
			t.Fatalf("%s: %s differs (%d bytes, want %d)", what, name, len(g), len(w))
		}
	}
}

// TestAcrossEngines runs the tests of exports, imports and copies between
// SQLite and PostgreSQL on one throwaway cluster.
func TestAcrossEngines(t *testing.T) {
	newPG := pgDatabases(t)
	t.Run("export parity", func(t *testing.T) { testExportParity(t, newPG) })
	t.Run("failed import", func(t *testing.T) { testFailedImportOnPostgres(t, newPG) })
	t.Run("copy", func(t *testing.T) { testCopyCommand(t, newPG) })
}

// testExportParity: `chainscope export` of a SQLite database,
// imported into PostgreSQL and exported again, gives the same bytes, in
// every format, and the other way round — for the built-in dataset and a
// generated city. The clock is fixed, so that the xlsx, which carries the
// revision's date, can be compared too.
func testExportParity(t *testing.T, newPG func() string) {
	now := fakeClock(t)
	*now = time.Date(2024, 6, 1, 2, 3, 4, 0, time.UTC)
	dir := t.TempDir()
	city := filepath.Join(dir, "city.json")
	mustCLI(t, "gen", "--enterprises", "2000", "--projects", "400", "--links", "20000", "--seed", "7", "-o", city)

	for _, tc := range []struct {
		name string
		fill func(db string)
	}{
		{"built-in", func(db string) { mustCLI(t, "init", "--db", db) }},
		{"generated city", func(db string) { mustCLI(t, "import", "--db", db, city) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, first := range []string{"sqlite", "postgres"} {
				t.Run("from "+first, func(t *testing.T) {
					sqlitePath := filepath.Join(t.TempDir(), "a.db")
					pgURL := newPG()
					from, to := sqlitePath, pgURL
					if first == "postgres" {
						from, to = pgURL, sqlitePath
					}
					tc.fill(from)
					want := exportAll(t, from)
					// Each format imported into a fresh database of the
					// other engine exports as the original did.
					for _, f := range []string{"json", "xlsx", "csv"} {
						src := filepath.Join(t.TempDir(), "export."+f)
						if f == "csv" {
							src = filepath.Join(t.TempDir(), "csv")
						}
						mustCLI(t, "export", "--db", from, "--format", f, "-o", src)
						target := to
						if f != "json" {
							if first == "sqlite" {
								target = newPG()
							} else {
								target = filepath.Join(t.TempDir(), f+".db")
							}
						}
						mustCLI(t, "import", "--db", target, src)
						sameExports(t, f+" → "+strings.TrimSuffix(first, "ql")+" → other engine", exportAll(t, target), want)
					}
				})
			}
		})
	}
}

// testFailedImportOnPostgres: an import into PostgreSQL
// that fails (a link between unknown enterprises), in replace and in merge
// mode, leaves the export byte-identical.
func testFailedImportOnPostgres(t *testing.T, newPG func() string) {
	db := newPG()
	mustCLI(t, "init", "--db", db)
	before := exportAll(t, db)
	bad := filepath.Join(t.TempDir(), "bad.json")
	b := exportJSON(t, db)
	b = bytes.Replace(b, []byte(`"links": [`), []byte(`"links": [{"from": "E-nobody", "to": "E-nowhere"}, `), 1)
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"replace", "merge"} {
		code, _, errOut := cli(t, "import", "--db", db, "--mode", mode, bad)
		if code == 0 || !strings.Contains(errOut, "E-nobody") {
			t.Fatalf("%s import of a bad link: exit %d, %s", mode, code, errOut)
		}
		sameExports(t, mode+" import that failed", exportAll(t, db), before)
	}
	// A zero byte passes every check but PostgreSQL's text: the store's
	// transaction fails, over stored data and into a new database alike.
	zero := filepath.Join(t.TempDir(), "zero.json")
	b = exportJSON(t, db)
	b = bytes.Replace(b, []byte(`"links": [`), []byte(`"links": [{"from": "E-zhenghong", "to": "E-jianlong", "note": "a\u0000b"}, `), 1)
	if err := os.WriteFile(zero, b, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := newPG()
	emptyBefore := exportAll(t, empty)
	for _, target := range []string{db, empty} {
		code, _, errOut := cli(t, "import", "--db", target, zero)
		if code != 1 || !strings.Contains(errOut, "U+0000") {
			t.Fatalf("import of a zero byte: exit %d, %s", code, errOut)
		}
	}
	sameExports(t, "import of a zero byte over data", exportAll(t, db), before)
	sameExports(t, "import of a zero byte into a new database", exportAll(t, empty), emptyBefore)
}

// testCopyCommand: `chainscope copy` moves a database with its six CLI
// revisions from SQLite to PostgreSQL and back; every revision exports
// (JSON, CSV, GraphML) as on the original, and the last one also analyses,
// renders and answers what-ifs alike. A target that holds data is refused
// without --force.
func testCopyCommand(t *testing.T, newPG func() string) {
	h := buildHistory(t)
	pg := newPG()
	back := filepath.Join(t.TempDir(), "back.db")
	out := mustCLI(t, "copy", "--from", h.db, "--to", pg)
	if u, _ := url.Parse(pg); u == nil || strings.Contains(out, func() string { p, _ := u.User.Password(); return p }()) {
		t.Fatalf("copy shows the password: %s", out)
	}
	mustCLI(t, "copy", "--from", pg, "--to", back)
	for _, db := range []string{pg, back} {
		c := *h
		c.db = db
		for r := range h.snaps {
			dir := t.TempDir()
			asOf := strconv.Itoa(r + 1)
			if got := mustCLI(t, "export", "--db", db, "--as-of", asOf, "--format", "json", "-o", "-"); got != string(h.snaps[r].json) {
				t.Fatalf("%s: JSON export as of revision %d differs from the original", db, r+1)
			}
			if got := mustCLI(t, "export", "--db", db, "--as-of", asOf, "--format", "graphml", "-o", "-"); got != string(h.snaps[r].graphml) {
				t.Fatalf("%s: GraphML export as of revision %d differs from the original", db, r+1)
			}
			mustCLI(t, "export", "--db", db, "--as-of", asOf, "--format", "csv", "-o", filepath.Join(dir, "csv"))
			for name, want := range h.snaps[r].csv {
				if got, err := os.ReadFile(filepath.Join(dir, "csv", name)); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s: %s as of revision %d differs from the original (%v)", db, name, r+1, err)
				}
			}
		}
		if got := takeSnapshot(t, &c, ""); !reflect.DeepEqual(got, h.snaps[len(h.snaps)-1]) {
			t.Fatalf("%s: the current data reads differently from the original's", db)
		}
		if got, want := mustCLI(t, "history", "--db", db, "--json"), mustCLI(t, "history", "--db", h.db, "--json"); got != want {
			t.Fatalf("history of %s:\n%s\nwant\n%s", db, got, want)
		}
	}
	code, _, errOut := cli(t, "copy", "--from", h.db, "--to", pg)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("copy over data: exit %d, %s", code, errOut)
	}
	mustCLI(t, "copy", "--force", "--from", back, "--to", pg)
	c := *h
	c.db = pg
	if got := takeSnapshot(t, &c, ""); !reflect.DeepEqual(got, h.snaps[len(h.snaps)-1]) {
		t.Fatal("the forced copy differs from the original")
	}
}
