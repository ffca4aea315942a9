package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chainscope/render"
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

	ts := apiServer(t, db)
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

	// Page shapes: --aspect and ?aspect= give the same bytes in the shape
	// asked for; 16:9 is the default; a malformed one is a usage error
	// (exit 2) and a 400 that says what is accepted.
	for _, tc := range []struct {
		aspect string
		ratio  float64
	}{{"16:9", 16.0 / 9}, {"4:3", 4.0 / 3}, {"a4", 210.0 / 297}} {
		cliSVG := mustCLI(t, "svg", "--db", db, "--area", "*", "--chain", "tourism", "--aspect", tc.aspect, "-o", "-")
		w, h := svgSize(t, cliSVG)
		if r := w / h; r < tc.ratio*0.99 || r > tc.ratio*1.01 {
			t.Errorf("--aspect %s: %gx%g, ratio %.3f, want %.3f", tc.aspect, w, h, r, tc.ratio)
		}
		resp, err := ts.Client().Get(ts.URL + "/api/v1/export.svg?area=%2A&chain=tourism&aspect=" + tc.aspect)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != cliSVG {
			t.Errorf("aspect=%s: %d, API and CLI differ: %v", tc.aspect, resp.StatusCode, string(body) != cliSVG)
		}
		if tc.aspect == "16:9" {
			if plain := mustCLI(t, "svg", "--db", db, "--area", "*", "--chain", "tourism", "-o", "-"); plain != cliSVG {
				t.Error("16:9 is not the default")
			}
		}
	}
	if code, _, errOut := cli(t, "svg", "--db", db, "--area", "*", "--chain", "tourism", "--aspect", "wide", "-o", "-"); code != 2 || !strings.Contains(errOut, "16:9") {
		t.Errorf("--aspect wide: exit %d %s", code, errOut)
	}
	for _, bad := range []string{"wide", "16x9", "0:9", "10:1", "-4:3"} {
		resp, err := ts.Client().Get(ts.URL + "/api/v1/export.svg?area=140827&chain=battery&aspect=" + bad)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), "a4") {
			t.Errorf("aspect=%s: %d %s, want 400 naming what is accepted", bad, resp.StatusCode, body)
		}
	}
}

// TestSVGDataDate checks the date the picture says the data is as of: the
// day of the latest revision in Shanghai, the day asked for with --as-of
// DATE or ?as_of=DATE, the day of the revision with --as-of REV.
func TestSVGDataDate(t *testing.T) {
	now := fakeClock(t)
	db := filepath.Join(t.TempDir(), "d.db")
	*now = time.Date(2024, 4, 29, 17, 0, 0, 0, time.UTC) // 2024-04-30 01:00 in Shanghai
	mustCLI(t, "init", "--db", db)
	*now = time.Date(2024, 5, 3, 2, 0, 0, 0, time.UTC)
	mustCLI(t, "init", "--db", db, "--force")
	svg := func(args ...string) string {
		return mustCLI(t, append([]string{"svg", "--db", db, "--area", "140827", "--chain", "battery", "-o", "-"}, args...)...)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "数据截至 2024-05-03"},
		{[]string{"--as-of", "1"}, "数据截至 2024-04-30"},
		{[]string{"--as-of", "2024-05-01"}, "数据截至 2024-05-01"},
		{[]string{"--lang", "en", "--as-of", "1"}, "Data as of 2024-04-30"},
	} {
		if got := svg(tc.args...); !strings.Contains(got, ">"+tc.want+"<") {
			t.Errorf("svg %v does not say %q", tc.args, tc.want)
		}
	}

	ts := apiServer(t, db)
	for q, args := range map[string][]string{"": nil, "&as_of=1": {"--as-of", "1"}, "&as_of=2024-05-01": {"--as-of", "2024-05-01"}} {
		resp, err := ts.Client().Get(ts.URL + "/api/v1/export.svg?area=140827&chain=battery" + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != svg(args...) {
			t.Errorf("export.svg?%s differs from chainscope svg %v", q, args)
		}
	}
}

// svgSize reads the width and height of an SVG document's root.
func svgSize(t *testing.T, doc string) (w, h float64) {
	t.Helper()
	m := regexp.MustCompile(`<svg [^>]*width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("no width and height on <svg>")
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	return w, h
}
