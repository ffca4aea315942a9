package server

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/gin-gonic/gin"
)

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// TestErrorsOneLanguage: every error body is in the language the
// request's Accept-Language asks for (English for a first tag en…,
// Chinese otherwise and by default), never both, with a stable code.
func TestErrorsOneLanguage(t *testing.T) {
	ts := start(t, nil)
	ts.engine.GET("/test/fail", func(c *gin.Context) { ts.fail(c, &pathError{"disk on fire"}) })
	type call struct {
		method, path string
		auth         string
		status       int
		code         string
	}
	calls := []call{
		{"GET", "/api/v1/projects?page=x", "", 400, "bad_parameter"},
		{"GET", "/api/v1/search", "", 400, "bad_parameter"},
		{"GET", "/api/v1/projects/P-nobody", "", 404, "not_found"},
		{"GET", "/api/v1/enterprises/E-nobody", "", 404, "not_found"},
		{"GET", "/api/v1/no-such-route", "", 404, "not_found"},
		{"DELETE", "/api/v1/region", "", 405, "method_not_allowed"},
		{"PUT", "/api/v1/projects/P-1", "", 401, "unauthorized"},
		{"PUT", "/api/v1/projects/P-1", "Bearer wrong", 401, "unauthorized"},
		{"PUT", "/api/v1/projects/P-1", "Bearer " + testToken, 400, "invalid"},
		{"GET", "/api/v1/history?kind=planet&key=x", "", 400, "bad_parameter"},
		{"GET", "/test/fail", "", 500, "internal"},
	}
	langs := []struct{ header, lang string }{
		{"", "zh"}, {"zh-CN,zh;q=0.9,en;q=0.8", "zh"}, {"en", "en"}, {"en-US,en;q=0.9", "en"},
		{"EN-gb", "en"}, {"fr-FR, en;q=0.5", "zh"},
	}
	for _, c := range calls {
		texts := map[string]string{}
		for _, l := range langs {
			h := map[string]string{}
			if l.header != "" {
				h["Accept-Language"] = l.header
			}
			if c.auth != "" {
				h["Authorization"] = c.auth
			}
			var body []byte
			if c.method == "PUT" {
				body = []byte(`[1]`)
			}
			r := ts.do(request{method: c.method, path: c.path, body: body, header: h})
			if r.status != c.status {
				t.Fatalf("%s %s (%s): %d, want %d: %s", c.method, c.path, l.header, r.status, c.status, r.body)
			}
			e := r.errorBody(t)
			if e.Code != c.code {
				t.Errorf("%s %s: code %q, want %q", c.method, c.path, e.Code, c.code)
			}
			switch l.lang {
			case "en":
				if hasHan(e.Error) {
					t.Errorf("%s %s (Accept-Language %q): English error holds Chinese: %q", c.method, c.path, l.header, e.Error)
				}
			default:
				if !hasHan(e.Error) || strings.Contains(e.Error, " / ") {
					t.Errorf("%s %s (Accept-Language %q): not a Chinese error: %q", c.method, c.path, l.header, e.Error)
				}
			}
			if prev, ok := texts[l.lang]; ok && prev != e.Error {
				t.Errorf("%s %s: two %s texts %q and %q", c.method, c.path, l.lang, prev, e.Error)
			}
			texts[l.lang] = e.Error
		}
		if texts["zh"] == texts["en"] {
			t.Errorf("%s %s: the same text in both languages: %q", c.method, c.path, texts["zh"])
		}
	}
	// 500s say nothing but 内部错误 / internal error.
	r := ts.get("/test/fail", "Accept-Language", "en")
	if e := r.errorBody(t); e.Error != "internal error" || r.status != http.StatusInternalServerError {
		t.Errorf("500 body %s", r.body)
	}
}

// TestInvalidDataErrorOneLanguage: invalid data (422) says in one
// language how many problems there are, and lists them.
func TestInvalidDataErrorOneLanguage(t *testing.T) {
	ts := start(t, nil)
	for _, lang := range []string{"zh-CN", "en"} {
		r := ts.edit(http.MethodPost, "/api/v1/projects", []byte(`{"id":"P-new","name":"x","status":"planet"}`), "Accept-Language", lang)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%d %s", r.status, r.body)
		}
		e := r.errorBody(t)
		if e.Code != "invalid" || len(e.Problems) == 0 {
			t.Fatalf("%s", r.body)
		}
		if (lang == "en") == hasHan(e.Error) {
			t.Errorf("%s: %q", lang, e.Error)
		}
	}
}
