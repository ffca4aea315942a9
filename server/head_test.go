package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestHeadAnswersAsGet: HEAD on a read route answers with the status and
// headers a GET gets — ETag, Content-Type, Content-Length — and no body;
// it honours If-None-Match, and the unknown and the malformed are 404 and
// 400 as for GET. Writes have no HEAD.
func TestHeadAnswersAsGet(t *testing.T) {
	ts := start(t, nil)
	for _, path := range []string{
		"/healthz",
		"/api/v1/region",
		"/api/v1/enterprises?county=140827&per_page=5",
		"/api/v1/enterprises/E-yabao",
		"/api/v1/analysis?area=140827&chain=battery",
		"/api/v1/export.svg?area=140827&chain=battery",
		"/api/v1/gaps.xlsx?area=140827&chain=battery",
		"/api/v1/enterprises/E-nobody",
		"/api/v1/analysis?area=140827",
	} {
		get := ts.get(path)
		head := ts.do(request{method: http.MethodHead, path: path})
		if head.status != get.status {
			t.Errorf("HEAD %s = %d, GET %d", path, head.status, get.status)
		}
		if len(head.body) != 0 {
			t.Errorf("HEAD %s has a body of %d bytes", path, len(head.body))
		}
		for _, h := range []string{"Etag", "Content-Type", "Content-Security-Policy"} {
			if head.header.Get(h) != get.header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET %q", path, h, head.header.Get(h), get.header.Get(h))
			}
		}
		if cl := get.header.Get("Content-Length"); cl != "" && head.header.Get("Content-Length") != cl {
			t.Errorf("HEAD %s: Content-Length %q, GET %q", path, head.header.Get("Content-Length"), cl)
		}
		// A record's ETag names its version (SPEC §8), not its view with
		// neighbours, so it validates If-Match, never a 304.
		if tag := get.header.Get("Etag"); tag != "" && !strings.HasPrefix(tag, `"r-`) {
			if r := ts.do(request{method: http.MethodHead, path: path, header: map[string]string{"If-None-Match": tag}}); r.status != http.StatusNotModified {
				t.Errorf("HEAD %s with its ETag = %d, want 304", path, r.status)
			}
		}
	}
	if r := ts.do(request{method: http.MethodHead, path: "/api/v1/backup"}); r.status != http.StatusMethodNotAllowed {
		t.Errorf("HEAD /api/v1/backup = %d, want 405", r.status)
	}
}
