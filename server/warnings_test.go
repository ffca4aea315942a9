package server

import (
	"net/http"
	"strings"
	"testing"

	"chainscope"
)

// TestOperatingWithoutStartedWarning: a project saved as operating (投产)
// without a started date is stored and answered with the warning, in the
// request's language; with a started date, or another status, there is
// none. An import of such a project lists it among its warnings, with
// the row.
func TestOperatingWithoutStartedWarning(t *testing.T) {
	ts := start(t, nil)
	ds := builtin(t)
	p := ds.Projects[0]
	p.Status, p.Started = chainscope.StatusOperating, ""
	for _, lang := range []string{"zh-CN", "en"} {
		r := ts.edit("PUT", "/api/v1/projects/"+p.ID, mustJSON(t, p), "Accept-Language", lang)
		if r.status != http.StatusOK {
			t.Fatalf("PUT: %d %s", r.status, r.body)
		}
		var got ProjectWritten
		r.decode(t, &got)
		if got.ID != p.ID || got.Status != chainscope.StatusOperating {
			t.Errorf("answer %+v", got.Project)
		}
		if len(got.Warnings) != 1 || got.Warnings[0].Code != "operating_without_started" {
			t.Fatalf("warnings %+v", got.Warnings)
		}
		if msg := got.Warnings[0].Message; (lang == "en") == hasHan(msg) || msg == "" {
			t.Errorf("%s warning %q", lang, msg)
		}
	}
	if stored := ts.stored(); stored.Projects[0].Status != chainscope.StatusOperating {
		t.Error("the warned project was not stored")
	}
	p.Started = "2024-03-01"
	q := ds.Projects[1]
	q.ID, q.Status, q.Started = "P-new-signed", chainscope.StatusSigned, ""
	for _, w := range []struct {
		method, path string
		rec          chainscope.Project
		status       int
	}{{"PUT", "/api/v1/projects/" + p.ID, p, 200}, {"POST", "/api/v1/projects", q, 201}} {
		r := ts.edit(w.method, w.path, mustJSON(t, w.rec))
		if r.status != w.status || strings.Contains(string(r.body), `"warnings"`) {
			t.Errorf("%s %s: %d %s", w.method, w.path, r.status, r.body)
		}
	}

	// An upload: the warning names the row.
	up := builtin(t)
	up.Projects[2].Status, up.Projects[2].Started = chainscope.StatusOperating, ""
	r := ts.edit("POST", "/api/v1/dataset?mode=replace", xlsxOf(t, up))
	if r.status != 200 {
		t.Fatalf("upload %d %s", r.status, r.body)
	}
	var res UploadResult
	r.decode(t, &res)
	n := 0
	for _, p := range up.Projects {
		if p.Status == chainscope.StatusOperating && p.Started == "" {
			n++
		}
	}
	var found []chainscope.Problem
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "开工日期") {
			found = append(found, w)
		}
	}
	if len(found) != n || n == 0 {
		t.Fatalf("%d warnings about 开工日期, want %d: %+v", len(found), n, res.Warnings)
	}
	for _, w := range found {
		if w.Row < 2 || w.Sheet == "" || w.Column == "" {
			t.Errorf("warning without its place: %+v", w)
		}
	}
}
