package static_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"chainscope/graph"
	"chainscope/render"
	"chainscope/server"
	"chainscope/store"
)

// TestExportSVG: GET /api/v1/export.svg serves the briefing picture of a
// scope — the bytes render.SVG gives with server.BriefingOptions, which
// `chainscope svg` uses too — with an ETag, and JSON errors for unknown or
// missing parameters. It needs no browser.
func TestExportSVG(t *testing.T) {
	a := newApp(t)
	ix, err := graph.NewIndex(a.ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, area, chain, lang string }{
		{"county", "140827", "battery", ""},
		{"region", "*", "steel", ""},
		{"zone", "140830-01", "pharma", ""},
		{"english", "140827", "battery", "en"},
		{"chinese named", "140882", "nev", "zh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an, err := ix.Analyze(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			opts, err := server.BriefingOptions(t.Context(), a.db, tc.lang, render.Aspect{}, "")
			if err != nil {
				t.Fatal(err)
			}
			want, err := render.SVG(a.ds, an, opts)
			if err != nil {
				t.Fatal(err)
			}
			path := "/api/v1/export.svg?area=" + strings.ReplaceAll(tc.area, "*", "%2A") + "&chain=" + tc.chain
			if tc.lang != "" {
				path += "&lang=" + tc.lang
			}
			res, got := a.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", res.StatusCode, got)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
				t.Errorf("Content-Type %q", ct)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("served %d bytes, render.SVG gives %d", len(got), len(want))
			}
			if err := render.CheckSVG(got); err != nil {
				t.Errorf("served SVG outside the office subset: %v", err)
			}
			tag := res.Header.Get("ETag")
			if tag == "" {
				t.Fatal("no ETag")
			}
			if res, body := a.get(path, "If-None-Match", tag); res.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("If-None-Match: %d with %d bytes, want 304 and no body", res.StatusCode, len(body))
			}
		})
	}

	// The date printed is the day of the latest revision (Asia/Shanghai),
	// not today's: the same data gives the same picture any day.
	revs, _, err := a.db.Revisions(t.Context(), 1, 0)
	if err != nil || len(revs) != 1 {
		t.Fatalf("revisions: %v %v", revs, err)
	}
	latest := revs[0].At.In(store.Shanghai).Format("2006-01-02")
	_, zh := a.get("/api/v1/export.svg?area=140827&chain=battery")
	if !bytes.Contains(zh, []byte(">数据截至 "+latest+"<")) {
		t.Errorf("the picture does not print the data's date %s", latest)
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v1/export.svg?area=999999&chain=battery", http.StatusNotFound},
		{"/api/v1/export.svg?area=140827&chain=nosuch", http.StatusNotFound},
		{"/api/v1/export.svg?chain=battery", http.StatusBadRequest},
		{"/api/v1/export.svg?area=140827", http.StatusBadRequest},
		{"/api/v1/export.svg?area=140827&chain=battery&lang=fr", http.StatusBadRequest},
		{"/api/v1/export.svg?area=140827&chain=battery&aspect=16x9", http.StatusBadRequest},
	} {
		res, body := a.get(tc.path)
		var e server.ErrorBody
		if res.StatusCode != tc.status || json.Unmarshal(body, &e) != nil || e.Error == "" {
			t.Errorf("%s: %d %s, want %d with a JSON error", tc.path, res.StatusCode, body, tc.status)
		}
	}
}

// TestWebAppServed: the server serves the embedded app at /, its assets
// with their types, and index.html for a deep link, under the strict
// Content-Security-Policy.
func TestWebAppServed(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/", "text/html", `<script type="module" src="/app.js">`},
		{"/panorama?area=140827&chain=battery", "text/html", `<div id="app">`},
		{"/app.js", "text/javascript", "import"},
		{"/views/panorama.js", "text/javascript", "export async function render"},
		{"/app.css", "text/css", ":root"},
		{"/favicon.svg", "image/svg+xml", "<svg"},
	} {
		res, body := a.get(tc.path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("%s: %d %s", tc.path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s does not contain %q", tc.path, tc.contains)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
	}
}
