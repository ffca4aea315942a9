package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestReportPage: GET /report answers the A4 page with the CSP that allows
// its inline style only, in either language, and clear errors.
func TestReportPage(t *testing.T) {
	ts := start(t, nil)
	r := ts.get("/report?period=2024-04")
	if r.status != http.StatusOK {
		t.Fatalf("GET /report = %d %s", r.status, r.body)
	}
	body := string(r.body)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(body, "@page { size: A4") || !strings.Contains(body, "招商引资月度通报") || !strings.Contains(body, "2024年1–4月") {
		t.Errorf("page:\n%.2000s", body)
	}
	if again := ts.get("/report?period=2024-04", "If-None-Match", r.header.Get("ETag")); again.status != http.StatusNotModified {
		t.Errorf("again: %d", again.status)
	}
	if en := ts.get("/report?period=2024-04&area=140882&lang=en"); en.status != 200 || !strings.Contains(string(en.body), "Monthly investment progress report") {
		t.Errorf("en: %d %.300s", en.status, en.body)
	}
	for path, status := range map[string]int{
		"/report":                             http.StatusBadRequest,
		"/report?period=2024-13":              http.StatusBadRequest,
		"/report?period=2024-04&lang=fr":      http.StatusBadRequest,
		"/report?period=2024-04&area=000000":  http.StatusNotFound,
		"/report?period=2024-04&area=%3Cb%3E": http.StatusNotFound,
	} {
		got := ts.get(path)
		if got.status != status {
			t.Errorf("GET %s = %d %s, want %d", path, got.status, got.body, status)
		}
		if strings.Contains(string(got.body), "<b>") {
			t.Errorf("GET %s echoes markup: %s", path, got.body)
		}
	}
}
