package main

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"chainscope/graph"
	"chainscope/internal/pgtest"
	"chainscope/store"
	"chainscope/yuncheng"

	"github.com/jackc/pgx/v5"
)

// analyzeOutputs runs analyze on target for several scopes and outputs:
// --all (JSON lines and table), '*' and counties and a zone (JSON, table,
// --full), every chain.
func analyzeOutputs(t *testing.T, target string, ds snapScopes) []string {
	t.Helper()
	var out []string
	out = append(out, mustCLI(t, "analyze", "--db", target, "--all", "--json"), mustCLI(t, "analyze", "--db", target, "--all"))
	for _, c := range ds.chains {
		for _, a := range ds.areas {
			out = append(out, mustCLI(t, "analyze", "--db", target, "--area", a, "--chain", c, "--json"))
		}
		out = append(out, mustCLI(t, "analyze", "--db", target, "--area", ds.areas[1], "--chain", c),
			mustCLI(t, "analyze", "--db", target, "--area", "*", "--chain", c, "--json", "--full"))
	}
	return out
}

type snapScopes struct{ areas, chains []string }

// usesSnapshot reports whether analyze on target would take the stored
// index.
func usesSnapshot(t *testing.T, target string) bool {
	t.Helper()
	db, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, ix := snapshotIndex(context.Background(), &env{stdout: io.Discard, stderr: io.Discard}, db)
	return ix != nil
}

// checkAnalyzeSnapshot: analyze answers the same bytes from the stored
// index as from the records — with the index import stored, with a damaged
// one, with a stale one after a write, and with the index of the new
// version.
func checkAnalyzeSnapshot(t *testing.T, target string) {
	ctx := context.Background()
	dir := t.TempDir()
	mustCLI(t, "gen", "--enterprises", "700", "--projects", "200", "--links", "5000", "--seed", "4", "-o", filepath.Join(dir, "g.json"))
	mustCLI(t, "import", "--db", target, filepath.Join(dir, "g.json"))
	ds := loadDB(t, target)
	sc := snapScopes{areas: []string{"*"}}
	for _, c := range ds.Counties {
		if len(sc.areas) < 4 || c.Kind == "zone" && len(sc.areas) < 6 {
			sc.areas = append(sc.areas, c.Code)
		}
	}
	for _, c := range ds.Chains[:3] {
		sc.chains = append(sc.chains, c.ID)
	}
	if !usesSnapshot(t, target) {
		t.Fatal("import stored no index")
	}
	withIndex := analyzeOutputs(t, target, sc)

	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.PutSnapshot(ctx, v, graph.SnapshotFormat, []byte("CSIX damaged")); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if usesSnapshot(t, target) {
		t.Fatal("a damaged index was taken")
	}
	if got := analyzeOutputs(t, target, sc); !slices.Equal(got, withIndex) {
		t.Fatal("analyze from the records differs from analyze from the stored index")
	}

	// A write (an enterprise renamed, a project cancelled, a link dropped)
	// leaves the stored index stale: analyze reads the records.
	storeSnapshot(ctx, &env{stdout: io.Discard, stderr: io.Discard}, db)
	next := loadDB(t, target)
	next.Enterprises[5].Name += "（新）"
	for i := range next.Projects {
		if next.Projects[i].Status == "signed" {
			next.Projects[i].Status = "cancelled"
			break
		}
	}
	next.Links = slices.Delete(next.Links, 10, 11)
	if err := db.Replace(ctx, next); err != nil {
		t.Fatal(err)
	}
	if usesSnapshot(t, target) {
		t.Fatal("a stale index was taken")
	}
	stale := analyzeOutputs(t, target, sc)
	if slices.Equal(stale, withIndex) {
		t.Fatal("the write changed no answer: the test shows nothing")
	}
	storeSnapshot(ctx, &env{stdout: io.Discard, stderr: io.Discard}, db)
	if !usesSnapshot(t, target) {
		t.Fatal("the index of the new version was not stored")
	}
	if got := analyzeOutputs(t, target, sc); !slices.Equal(got, stale) {
		t.Fatal("after a write, analyze from the stored index differs from analyze from the records")
	}
}

func TestAnalyzeSnapshot(t *testing.T) {
	checkAnalyzeSnapshot(t, filepath.Join(t.TempDir(), "s.db"))
}

// Every command that writes stores the index of what it wrote: init, a copy
// (which does not carry the source's), boundaries (which move the data
// version).
func TestWritesStoreTheIndex(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	mustCLI(t, "init", "--db", a)
	if !usesSnapshot(t, a) {
		t.Fatal("init stored no index")
	}
	want := mustCLI(t, "analyze", "--db", a, "--all", "--json")
	mustCLI(t, "copy", "--from", a, "--to", b)
	if !usesSnapshot(t, b) {
		t.Fatal("copy stored no index")
	}
	if got := mustCLI(t, "analyze", "--db", b, "--all", "--json"); got != want {
		t.Fatal("the copy answers otherwise")
	}
	version := func() int64 {
		db, err := store.Open(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		v, _ := db.DataVersion(context.Background())
		return v
	}
	before := version()
	geo := filepath.Join(dir, "b.geojson")
	if err := os.WriteFile(geo, yuncheng.BoundariesGeoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "import-boundaries", "--db", b, geo)
	if version() == before {
		t.Fatal("import-boundaries moved no data version: the test shows nothing")
	}
	if !usesSnapshot(t, b) {
		t.Fatal("import-boundaries stored no index")
	}
	if got := mustCLI(t, "analyze", "--db", b, "--all", "--json"); got != want {
		t.Fatal("after import-boundaries the copy answers otherwise")
	}
}

func TestPostgresAnalyzeSnapshot(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE snap"); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/snap"
	checkAnalyzeSnapshot(t, u.String())
}
