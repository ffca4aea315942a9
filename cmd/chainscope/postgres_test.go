package main

import (
	"bytes"
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"chainscope/internal/pgtest"
	"chainscope/store"
)

// TestPostgresCLI: import, export, analyze and serve take --db
// postgres://…, with the password from PGPASSWORD; an export from SQLite
// imported into PostgreSQL exports to the same bytes, the analysis is the
// same, serve seeds an empty PostgreSQL database with the built-in dataset
// and writes go to it; the password shows nowhere.
func TestPostgresCLI(t *testing.T) {
	c := pgtest.Start(t)
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	password, _ := u.User.Password()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, name := range []string{"imported", "served"} {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
	}
	target := func(name string) string {
		v := *u
		v.User = url.User(u.User.Username())
		v.Path = "/" + name
		return v.String()
	}
	t.Setenv("PGPASSWORD", password)
	noPassword := func(what, s string) {
		t.Helper()
		if strings.Contains(s, password) {
			t.Fatalf("%s shows the password", what)
		}
	}

	lite := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", lite)
	exported := filepath.Join(t.TempDir(), "export.json")
	mustCLI(t, "export", "--db", lite, "--format", "json", "-o", exported)

	pg := target("imported")
	out := mustCLI(t, "import", "--db", pg, exported)
	noPassword("import", out)
	if !strings.Contains(out, "imported postgres://") {
		t.Errorf("import says %q", out)
	}
	if got := exportJSON(t, pg); !bytes.Equal(got, builtinJSON(t)) {
		t.Fatal("SQLite → PostgreSQL → export changed the bytes")
	}
	// Importing the same file again writes a revision with no change.
	mustCLI(t, "import", "--db", pg, exported)
	if got := exportJSON(t, pg); !bytes.Equal(got, builtinJSON(t)) {
		t.Fatal("a second import changed the data")
	}
	for _, args := range [][]string{{"--all"}, {"--all", "--json"}, {"--area", "*", "--chain", "battery", "--json"}} {
		want := mustCLI(t, append([]string{"analyze", "--db", lite}, args...)...)
		got := mustCLI(t, append([]string{"analyze", "--db", pg}, args...)...)
		if got != want {
			t.Fatalf("analyze %v differs between SQLite and PostgreSQL:\n%.500s\nvs\n%.500s", args, got, want)
		}
	}
	if code, _, errOut := cli(t, "analyze", "--db", pg, "--all", "--as-of", "1"); code != 0 {
		t.Fatalf("analyze --as-of 1: exit %d %s", code, errOut)
	}

	// serve on an empty PostgreSQL database seeds it, and writes go there.
	served := target("served")
	p := startServe(t, t.TempDir(), []string{editorTokenEnv + "=tok-pg", "PGPASSWORD=" + password}, "--db", served)
	if status, body := p.send(t, "GET", "/api/v1/region", "", nil); status != 200 || !strings.Contains(body, "运城市") {
		t.Fatalf("region: %d %.300s", status, body)
	}
	ds := loadDB(t, served)
	l := ds.Links[0]
	if status, body := p.send(t, "DELETE", "/api/v1/links?from="+l.From+"&to="+l.To, "tok-pg", nil); status != 204 {
		t.Fatalf("delete link: %d %s", status, body)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, p.stderr.String())
	}
	noPassword("the serve log", p.stderr.String())
	if !strings.Contains(p.stderr.String(), store.SafeTarget(served)) {
		t.Errorf("the log does not name the database as %s:\n%.1000s", store.SafeTarget(served), p.stderr.String())
	}
	if got := loadDB(t, served); len(got.Links) != len(ds.Links)-1 {
		t.Fatalf("%d links after the delete, want %d", len(got.Links), len(ds.Links)-1)
	}
}
