package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"chainscope/render"
	"chainscope/server"
	"chainscope/store"
	"chainscope/yuncheng"
)

// apiServer serves the database at path with an editor token.
func apiServer(t *testing.T, path string) *httptest.Server {
	t.Helper()
	sdb, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	srv, err := server.New(server.Config{DB: sdb, EditorToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, ts *httptest.Server, path string) (int, []byte) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var flowID = regexp.MustCompile(`id="flow-([^"]+)"`)

// TestMapCommandMatchesAPI checks that `chainscope map` and GET
// /api/v1/map.svg give the same bytes for the built-in region (which init
// stores with its boundaries), that the picture is office-safe with 13
// county paths, and that its flows are the chain's flows of /api/v1/cluster/flows.
func TestMapCommandMatchesAPI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	ts := apiServer(t, db)
	for _, c := range []struct{ args, query string }{
		{"", "chain=battery"},
		{"--metric investment --lang en", "chain=battery&metric=investment&lang=en"},
		{"--metric relatedness", "chain=pharma&metric=relatedness"},
	} {
		chain := strings.TrimPrefix(strings.Split(c.query, "&")[0], "chain=")
		out := filepath.Join(dir, chain+".svg")
		args := append([]string{"map", "--db", db, "--chain", chain, "-o", out}, strings.Fields(c.args)...)
		mustCLI(t, args...)
		cliBytes, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := render.CheckSVG(cliBytes); err != nil {
			t.Fatalf("map not office-safe: %v", err)
		}
		if n := strings.Count(string(cliBytes), `<path id="county-`); n != 13 {
			t.Fatalf("%s: %d county paths", c.query, n)
		}
		status, apiBytes := get(t, ts, "/api/v1/map.svg?"+c.query)
		if status != 200 || !bytes.Equal(apiBytes, cliBytes) {
			t.Fatalf("%s: map.svg %d differs from chainscope map %s", c.query, status, c.args)
		}

		_, body := get(t, ts, "/api/v1/cluster/flows?limit=1000&chain="+chain)
		var cl struct {
			Total int
			Items []struct{ Chain, From, To string }
		}
		if err := json.Unmarshal(body, &cl); err != nil {
			t.Fatal(err)
		}
		if cl.Total != len(cl.Items) {
			t.Fatalf("%s: %d flows, %d on the page", chain, cl.Total, len(cl.Items))
		}
		var want, got []string
		for _, f := range cl.Items {
			if f.Chain == chain {
				want = append(want, f.From+"-"+f.To)
			}
		}
		for _, m := range flowID.FindAllStringSubmatch(string(cliBytes), -1) {
			got = append(got, m[1])
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: flows on the map %v, /cluster/flows says %v", chain, got, want)
		}
		if chain == "battery" && len(want) == 0 {
			t.Error("the built-in battery chain has no cross-county flows to check")
		}
	}
	if code, _, errOut := cli(t, "map", "--db", db, "--chain", "battery", "--metric", "beauty", "-o", "x.svg"); code != 2 || !strings.Contains(errOut, "beauty") {
		t.Errorf("bad metric: exit %d %s", code, errOut)
	}
	if status, _ := get(t, ts, "/api/v1/map.svg?chain=battery&metric=beauty"); status != 400 {
		t.Errorf("bad metric: %d", status)
	}
	if status, _ := get(t, ts, "/api/v1/map.svg?chain=nope"); status != 404 {
		t.Errorf("unknown chain: %d", status)
	}
}

// TestImportBoundaries starts from a database without boundaries (an
// import of the built-in JSON): the map says how to add them; a GeoJSON
// missing a county is refused by the CLI and the upload route alike,
// naming the county, and changes nothing; the vendored file is accepted.
func TestImportBoundaries(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	data := filepath.Join(dir, "yc.json")
	os.WriteFile(data, yuncheng.JSON(), 0o644)
	mustCLI(t, "import", "--db", db, data)

	code, _, errOut := cli(t, "map", "--db", db, "--chain", "battery", "-o", filepath.Join(dir, "m.svg"))
	if code != 1 || !strings.Contains(errOut, "chainscope import-boundaries") {
		t.Fatalf("map without boundaries: exit %d %s", code, errOut)
	}

	var doc map[string]any
	if err := json.Unmarshal(yuncheng.BoundariesGeoJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	feats := doc["features"].([]any)
	doc["features"] = feats[1:] // 140802 盐湖区 left out
	partial, _ := json.Marshal(doc)
	bad := filepath.Join(dir, "partial.geojson")
	os.WriteFile(bad, partial, 0o644)
	code, _, errOut = cli(t, "import-boundaries", "--db", db, bad)
	if code != 1 || !strings.Contains(errOut, "县区 140802 盐湖区 在边界文件中没有对应的要素") || !strings.Contains(errOut, "partial.geojson") {
		t.Fatalf("partial boundaries: exit %d %s", code, errOut)
	}

	ts := apiServer(t, db)
	status, body := get(t, ts, "/api/v1/map.svg?chain=battery")
	if status != 404 || !strings.Contains(string(body), "import-boundaries") {
		t.Fatalf("map.svg without boundaries: %d %s", status, body)
	}
	put := func(b []byte, token string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPut, ts.URL+"/api/v1/boundaries", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/geo+json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	if status, _ := put(yuncheng.BoundariesGeoJSON(), ""); status != 401 {
		t.Errorf("upload without the token: %d", status)
	}
	if status, body := put(partial, "tok"); status != 422 || !strings.Contains(string(body), "county 140802 盐湖区 has no feature") {
		t.Fatalf("partial upload: %d %s", status, body)
	}
	if status, _ := get(t, ts, "/api/v1/map.svg?chain=battery"); status != 404 {
		t.Fatalf("a refused upload changed the boundaries: %d", status)
	}
	if status, body := put(yuncheng.BoundariesGeoJSON(), "tok"); status != 200 || !strings.Contains(string(body), `"140882"`) {
		t.Fatalf("upload: %d %s", status, body)
	}
	status, apiBytes := get(t, ts, "/api/v1/map.svg?chain=battery")
	if status != 200 || strings.Count(string(apiBytes), `<path id="county-`) != 13 {
		t.Fatalf("map.svg after the upload: %d", status)
	}
	// The CLI reads what the upload stored and draws the same bytes.
	out := filepath.Join(dir, "m.svg")
	mustCLI(t, "map", "--db", db, "--chain", "battery", "-o", out)
	if cliBytes, _ := os.ReadFile(out); !bytes.Equal(cliBytes, apiBytes) {
		t.Fatal("chainscope map differs from map.svg after an upload")
	}
	// And the CLI import of the vendored file works as well.
	good := filepath.Join(dir, "yc.geojson")
	os.WriteFile(good, yuncheng.BoundariesGeoJSON(), 0o644)
	if out := mustCLI(t, "import-boundaries", "--db", db, good); !strings.Contains(out, "13") {
		t.Errorf("import-boundaries said %q", out)
	}
}
