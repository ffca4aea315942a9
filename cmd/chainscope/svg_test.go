package main

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/render"
	"chainscope/server"
	"chainscope/store"
)

// TestSVGCommandMatchesAPI checks that `chainscope svg` and GET
// /api/v1/export.svg give the same bytes for the same data, and that the
// picture is in the office-safe subset.
func TestSVGCommandMatchesAPI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	out := filepath.Join(dir, "p.svg")
	mustCLI(t, "svg", "--db", db, "--area", "140827", "--chain", "battery", "-o", out)
	cliBytes, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := render.CheckSVG(cliBytes); err != nil {
		t.Fatalf("svg not office-safe: %v", err)
	}
	if again := mustCLI(t, "svg", "--db", db, "--area", "140827", "--chain", "battery", "-o", "-"); again != string(cliBytes) {
		t.Fatal("svg output is not deterministic")
	}

	sdb, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	srv, err := server.New(server.Config{DB: sdb})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/api/v1/export.svg?area=140827&chain=battery")
	if err != nil {
		t.Fatal(err)
	}
	apiBytes, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("export.svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if string(apiBytes) != string(cliBytes) {
		t.Fatal("chainscope svg and /api/v1/export.svg differ")
	}

	if code, _, errOut := cli(t, "svg", "--db", db, "--area", "140899", "--chain", "battery", "-o", out); code != 1 || !strings.Contains(errOut, "140899") {
		t.Fatalf("unknown area: exit %d %s", code, errOut)
	}
}
