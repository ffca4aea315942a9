package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestPanicIsJSON500: a panicking handler answers 500 with the plain
// internal-error body; the stack goes to the log only.
func TestPanicIsJSON500(t *testing.T) {
	ts := start(t, nil)
	ts.engine.GET("/test/panic", func(*gin.Context) { panic("boom: secret detail") })
	ts.engine.GET("/test/panic-error", func(*gin.Context) { panic(http.ErrNotSupported) })
	for _, path := range []string{"/test/panic", "/test/panic-error"} {
		r := ts.get(path)
		if r.status != http.StatusInternalServerError {
			t.Fatalf("GET %s = %d", path, r.status)
		}
		if got := strings.TrimSpace(string(r.body)); got != `{"error":"内部错误","code":"internal"}` {
			t.Errorf("body %s", got)
		}
		for _, leak := range []string{"goroutine", "boom", "panic", ".go:"} {
			if strings.Contains(string(r.body), leak) {
				t.Errorf("body leaks %q", leak)
			}
		}
		checkSecurityHeaders(t, path, r.header, true) // outside /api: the page policy
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, "boom: secret detail") || !strings.Contains(logs, "goroutine") {
		t.Errorf("the panic and its stack are not logged:\n%.1000s", logs)
	}
	// The server goes on serving.
	if r := ts.get("/healthz"); r.status != 200 {
		t.Fatalf("after a panic /healthz = %d", r.status)
	}
}

// TestInternalErrorsHidden: an error that is not an application error is
// shown as the internal-error message, and logged.
func TestInternalErrorsHidden(t *testing.T) {
	ts := start(t, nil)
	ts.engine.GET("/test/fail", func(c *gin.Context) {
		ts.fail(c, &pathError{"/var/lib/secret.db: disk on fire"})
	})
	r := ts.get("/test/fail")
	if r.status != 500 || r.errorBody(t).Error != "内部错误" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if !strings.Contains(ts.logs.String(), "disk on fire") {
		t.Error("internal error not logged")
	}
}

type pathError struct{ msg string }

func (e *pathError) Error() string { return e.msg }

// checkSecurityHeaders: the web app's pages (page) carry its policy and
// X-Frame-Options; everything else carries the policy that allows nothing.
func checkSecurityHeaders(t *testing.T, what string, h http.Header, page bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	want := []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"}
	if page {
		want = []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"}
		if h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", what, h.Get("X-Frame-Options"))
		}
	} else if strings.Contains(csp, "'self'") {
		t.Errorf("%s: CSP %q allows more than nothing", what, csp)
	}
	for _, w := range want {
		if !strings.Contains(csp, w) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, w)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("%s: CSP allows unsafe sources: %q", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, h.Get("X-Content-Type-Options"))
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", what)
	}
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			t.Errorf("%s: CORS header %s: %s", what, k, h.Get(k))
		}
	}
}

// TestSecurityHeadersEverywhere: every kind of response carries the
// security headers and none carries CORS headers, even when asked from
// another origin.
func TestSecurityHeadersEverywhere(t *testing.T) {
	ts := start(t, nil)
	origin := []string{"Origin", "https://evil.example"}
	cases := []struct {
		name string
		req  request
		want int
	}{
		{"json", request{method: "GET", path: "/api/v1/region", header: pairs(origin)}, 200},
		{"cached json", request{method: "GET", path: "/api/v1/analysis?area=*&chain=battery", header: pairs(origin)}, 200},
		{"not found", request{method: "GET", path: "/api/v1/nope", header: pairs(origin)}, 404},
		{"bad request", request{method: "GET", path: "/api/v1/analysis", header: pairs(origin)}, 400},
		{"method not allowed", request{method: "PATCH", path: "/api/v1/region", header: pairs(origin)}, 405},
		{"preflight", request{method: "OPTIONS", path: "/api/v1/enterprises", header: pairs(append(origin, "Access-Control-Request-Method", "POST"))}, 405},
		{"forbidden write", request{method: "POST", path: "/api/v1/enterprises", body: []byte(`{}`), header: pairs(origin)}, 401},
		{"web app", request{method: "GET", path: "/", header: pairs(origin)}, 200},
		{"health", request{method: "GET", path: "/healthz"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.do(tc.req)
			if r.status != tc.want {
				t.Fatalf("%s %s = %d, want %d: %s", tc.req.method, tc.req.path, r.status, tc.want, r.body)
			}
			checkSecurityHeaders(t, tc.name, r.header, tc.name == "web app")
			if tc.want >= 400 {
				r.errorBody(t)
			}
		})
	}
	r := ts.get("/api/v1/region")
	if r2 := ts.get("/api/v1/region", "If-None-Match", r.header.Get("ETag")); r2.status != 304 {
		t.Fatalf("304 expected, got %d", r2.status)
	} else {
		checkSecurityHeaders(t, "not modified", r2.header, false)
	}
}
