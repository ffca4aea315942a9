package server

import (
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
)

// TestNamedEditors: two named editors write with their own tokens and
// /revisions names each; /editor says who a token is, 401 for a wrong or
// missing one; a named editor's X-Editor-Name is ignored while the shared
// legacy token keeps it; no token or digest appears in any answer, the
// OpenAPI document or the log.
func TestNamedEditors(t *testing.T) {
	const tokA, tokB = "token-of-zhang-san-4711", "token-of-li-si-0815"
	ts := start(t, nil, func(c *Config) {
		c.Editors = []Editor{NewEditor("张三", tokA), NewEditor("Li Si", tokB)}
	})
	secrets := []string{tokA, tokB, testToken}
	for _, tok := range secrets {
		ed := NewEditor("x", tok)
		secrets = append(secrets, hex.EncodeToString(ed.TokenSHA256[:]))
	}
	var bodies []string
	keep := func(r *response) *response {
		bodies = append(bodies, string(r.body))
		for k, vs := range r.header {
			bodies = append(bodies, k+": "+strings.Join(vs, ","))
		}
		return r
	}

	for _, tc := range []struct{ token, header, want string }{
		{tokA, "", "张三"}, {tokB, "", "Li Si"}, {tokA, "Mallory", "张三"},
		{testToken, "", "editor"}, {testToken, "%E7%8E%8B%E4%BA%94", "王五"},
	} {
		h := []string{"Authorization", "Bearer " + tc.token}
		if tc.header != "" {
			h = append(h, "X-Editor-Name", tc.header)
		}
		r := keep(ts.get("/api/v1/editor", h...))
		var who EditorInfo
		if r.status != http.StatusOK {
			t.Fatalf("/editor with %s: %d %s", tc.want, r.status, r.body)
		}
		r.decode(t, &who)
		if who.Name != tc.want {
			t.Errorf("/editor = %q, want %q", who.Name, tc.want)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("/editor Cache-Control %q", cc)
		}
	}
	for _, h := range [][]string{{"Authorization", "Bearer wrong"}, {"X-Editor-Token", tokA + "x"}, nil} {
		r := keep(ts.get("/api/v1/editor", h...))
		if r.status != http.StatusUnauthorized || r.errorBody(t).Code != "unauthorized" {
			t.Errorf("/editor with %v: %d %s", h, r.status, r.body)
		}
	}

	// Each writes one project; the revisions are recorded under their names.
	ds := builtin(t)
	for i, tok := range []string{tokA, tokB} {
		p := ds.Projects[i]
		p.Name += "（改）"
		r := keep(ts.edit("PUT", "/api/v1/projects/"+p.ID, mustJSON(t, p), "Authorization", "Bearer "+tok, "X-Editor-Name", "Mallory"))
		if r.status != http.StatusOK {
			t.Fatalf("PUT: %d %s", r.status, r.body)
		}
	}
	var page RevisionPage
	r := keep(ts.get("/api/v1/revisions?limit=2"))
	r.decode(t, &page)
	if len(page.Revisions) != 2 || page.Revisions[0].By != "Li Si" || page.Revisions[1].By != "张三" {
		t.Errorf("revisions %+v, want by Li Si then 张三", page.Revisions)
	}
	keep(ts.get("/api/v1/openapi.json"))
	var audit AuditPage
	keep(ts.get("/api/v1/audit?per_page=2")).decode(t, &audit)
	if len(audit.Items) != 2 || audit.Items[0].By != "Li Si" || audit.Items[1].By != "张三" {
		t.Errorf("audit %+v, want by Li Si then 张三", audit.Items)
	}
	for _, s := range secrets {
		for _, b := range bodies {
			if strings.Contains(b, s) {
				t.Errorf("an answer holds a token or its digest %q: %.300s", s, b)
			}
		}
		if strings.Contains(ts.logs.String(), s) {
			t.Errorf("the log holds a token or its digest %q", s)
		}
	}
}

// TestReadOnlyEditor: without any editor /editor and writes answer 403
// read_only.
func TestReadOnlyEditor(t *testing.T) {
	ts := start(t, nil, func(c *Config) { c.EditorToken = "" })
	for _, r := range []*response{
		ts.get("/api/v1/editor", "Authorization", "Bearer x"),
		ts.edit("DELETE", "/api/v1/projects/P-1", nil),
	} {
		if r.status != http.StatusForbidden || r.errorBody(t).Code != "read_only" {
			t.Errorf("%d %s", r.status, r.body)
		}
	}
}

// TestEditorsConfig: a bad name or two editors with one token stop New.
func TestEditorsConfig(t *testing.T) {
	db, _ := newDB(t, builtin(t))
	for _, eds := range [][]Editor{
		{NewEditor("", "t1")},
		{NewEditor(" 张三", "t1")},
		{NewEditor(strings.Repeat("名", 41), "t1")},
		{NewEditor("a\nb", "t1")},
		{NewEditor("张三", "t1"), NewEditor("李四", "t1")},
		{NewEditor("张三", testToken)},
	} {
		if _, err := New(Config{DB: db, Logger: discardLogger(), EditorToken: testToken, Editors: eds}); err == nil {
			t.Errorf("New accepted editors %v", eds)
		}
	}
}
