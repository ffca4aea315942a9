package server

import (
	"fmt"
	"net/http"
	"regexp"
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

// quoted matches a quoted name in a message ("E-nobody", "nochain").
var quoted = regexp.MustCompile(`"[^"]*"`)

// englishWords matches two English words in a row: a sentence, where a
// Chinese message may only hold single names (as_of, YYYY-MM-DD, merge).
var englishWords = regexp.MustCompile(`[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}`)

// TestDeepErrorsOneLanguage: errors raised below the server (graph, store,
// dataset) reach users in the language of Accept-Language, never both,
// each with the same code in both languages.
func TestDeepErrorsOneLanguage(t *testing.T) {
	ds := builtin(t)
	ts := start(t, ds)
	_, zones := countyCodes(ds)
	if len(zones) == 0 || len(ds.Links) == 0 || len(ds.Enterprises) == 0 {
		t.Fatal("the built-in dataset has no zone, link or enterprise")
	}
	l := ds.Links[0]
	calls := []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/api/v1/analysis?area=999999&chain=battery", "", 404, "not_found"},          // graph: unknown area
		{"GET", "/api/v1/analysis?area=*&chain=nochain", "", 404, "not_found"},               // graph: unknown chain
		{"GET", "/api/v1/analysis?area=*&chain=battery&as_of=yesterday", "", 400, "invalid"}, // store: malformed as_of
		{"GET", "/api/v1/region?as_of=99", "", 404, "not_found"},                             // store: no such revision
		{"GET", "/api/v1/region?as_of=1999-01-01", "", 404, "not_found"},                     // store: nothing before
		{"GET", "/api/v1/changes?from=99", "", 404, "not_found"},                             // store: unknown revision
		{"GET", "/api/v1/relatedness?area=" + zones[0], "", 400, "invalid"},                  // graph: a zone
		{"POST", "/api/v1/whatif", `{"area": "*", "chain": "battery", "remove": ["E-nobody"]}`, 404, "not_found"},
		{"POST", "/api/v1/whatif", fmt.Sprintf(`{"area": "*", "chain": "battery", "operate": [%q]}`, ds.Enterprises[0].ID), 400, "invalid"},
		{"DELETE", "/api/v1/enterprises/E-nobody", "", 404, "not_found"},  // dataset: unknown record
		{"DELETE", "/api/v1/links?from=E-a&to=E-b", "", 404, "not_found"}, // dataset: unknown link
		{"DELETE", "/api/v1/leads/L-nobody", "", 404, "not_found"},        // dataset: unknown lead
		{"POST", "/api/v1/links", fmt.Sprintf(`{"from": %q, "to": %q}`, l.From, l.To), 409, "conflict"},
		{"POST", "/api/v1/dataset?mode=sideways", `{}`, 400, "invalid"}, // dataset: upload mode
	}
	langs := []struct{ header, lang string }{{"", "zh"}, {"zh-CN", "zh"}, {"en-US,en;q=0.9", "en"}}
	for _, c := range calls {
		texts := map[string]string{}
		for _, lg := range langs {
			h := map[string]string{"Authorization": "Bearer " + testToken}
			if lg.header != "" {
				h["Accept-Language"] = lg.header
			}
			var body []byte
			if c.body != "" {
				body = []byte(c.body)
				h["Content-Type"] = "application/json"
			}
			r := ts.do(request{method: c.method, path: c.path, body: body, header: h})
			if r.status != c.status {
				t.Fatalf("%s %s (%q): %d, want %d: %s", c.method, c.path, lg.header, r.status, c.status, r.body)
			}
			e := r.errorBody(t)
			if e.Code != c.code {
				t.Errorf("%s %s (%q): code %q, want %q", c.method, c.path, lg.header, e.Code, c.code)
			}
			if lg.lang == "en" {
				if hasHan(e.Error) {
					t.Errorf("%s %s: English error holds Chinese: %q", c.method, c.path, e.Error)
				}
			} else {
				rest := quoted.ReplaceAllString(e.Error, `""`)
				if !hasHan(e.Error) || strings.Contains(e.Error, " / ") || englishWords.MatchString(rest) {
					t.Errorf("%s %s (%q): not a Chinese error: %q", c.method, c.path, lg.header, e.Error)
				}
			}
			if prev, ok := texts[lg.lang]; ok && prev != e.Error {
				t.Errorf("%s %s: two %s texts %q and %q", c.method, c.path, lg.lang, prev, e.Error)
			}
			texts[lg.lang] = e.Error
		}
		if texts["zh"] == texts["en"] {
			t.Errorf("%s %s: the same text in both languages: %q", c.method, c.path, texts["zh"])
		}
	}
}
