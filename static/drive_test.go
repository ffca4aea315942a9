package static_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"chainscope"
	"chainscope/server"
)

// send writes through the API with the editor token and fails the test
// unless the answer is one of the 2xx codes.
func (a *app) send(method, path string, record any) []byte {
	a.t.Helper()
	var body io.Reader
	if record != nil {
		b, err := json.Marshal(record)
		if err != nil {
			a.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.url(path), body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+editorToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		a.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return b
}

// inArea says whether a county code lies in area (a county includes the
// zones whose parent it is), from the dataset itself.
func inArea(ds *chainscope.Dataset, county, area string) bool {
	if county == area {
		return true
	}
	for _, c := range ds.Counties {
		if c.Code == county && c.Parent == area {
			return true
		}
	}
	return false
}

// missingSegment finds, record by record, a segment of chain that no
// enterprise and no live project of area lists.
func missingSegment(t *testing.T, ds *chainscope.Dataset, area, chain string) string {
	t.Helper()
	have := map[string]bool{}
	for _, e := range ds.Enterprises {
		if inArea(ds, e.County, area) {
			for _, s := range e.Segments {
				have[s] = true
			}
		}
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled && inArea(ds, p.County, area) {
			for _, s := range p.Segments {
				have[s] = true
			}
		}
	}
	for _, c := range ds.Chains {
		if c.ID != chain {
			continue
		}
		for _, s := range c.Segments {
			if !have[s.ID] {
				return s.ID
			}
		}
	}
	t.Fatalf("no missing segment of %s in %s", chain, area)
	return ""
}

// navTime follows a link to path inside the app, as a click on a link of
// the page does, and returns the milliseconds (performance.now()) from the
// click until the view is ready.
func navTime(t *testing.T, ctx context.Context, path, view string) float64 {
	t.Helper()
	do(t, ctx, js(fmt.Sprintf(`(() => { const a = document.createElement('a'); a.href = %q; document.body.appendChild(a);
		window.__navStart = performance.now(); a.click(); a.remove(); })()`, path)), waitReady(view))
	if eval[bool](t, ctx, `document.body.dataset.error === 'true'`) {
		t.Fatalf("%s: the view shows an error: %s", path, text(t, ctx, "#view"))
	}
	return eval[float64](t, ctx, `Number(document.body.dataset.readyMs) - window.__navStart`)
}

// TestChangesView: after an editor fills a missing segment with a new
// enterprise and a signed project starts, 变化对比 between revision 1 and
// now lists the segment under 补链 and the project under 开工, with links
// into the panorama as of either end; by default it compares the last two
// revisions; it is ready within 1 s of the navigation.
func TestChangesView(t *testing.T) {
	a := newApp(t)
	const area, chain = "140827", "battery"
	seg := missingSegment(t, a.ds, area, chain)
	a.send(http.MethodPost, "/api/v1/enterprises", chainscope.Enterprise{ID: "E-test-fill", Name: "补链测试企业", County: area, Segments: []string{seg}})
	var started chainscope.Project
	for _, p := range a.ds.Projects {
		if p.Status == chainscope.StatusSigned {
			started = p
			break
		}
	}
	if started.ID == "" {
		t.Fatal("no signed project in the built-in data")
	}
	var v server.ProjectView
	a.getJSON("/api/v1/projects/"+url.PathEscape(started.ID), &v)
	p := v.Project
	p.Status = chainscope.StatusStarted
	p.Started = "2024-04-20"
	a.send(http.MethodPut, "/api/v1/projects/"+url.PathEscape(p.ID), p)

	ctx, con := browserCtx(t, 1280, 720)
	open(t, ctx, a, "/changes?from=1", "changes")
	closed := eval[[]string](t, ctx, `[...document.querySelectorAll('#chg-closed li')].map((li) => li.dataset.area + '/' + li.dataset.chain + '/' + li.dataset.segment)`)
	want := area + "/" + chain + "/" + seg
	found := false
	for _, c := range closed {
		found = found || c == want
	}
	if !found {
		t.Errorf("补链 lists %v, not %s", closed, want)
	}
	if got := eval[[]string](t, ctx, `[...document.querySelectorAll('#chg-started li')].map((li) => li.dataset.id)`); len(got) != 1 || got[0] != p.ID {
		t.Errorf("开工 lists %v, want [%s]", got, p.ID)
	}
	links := eval[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#chg-closed li[data-segment=%q] a')].map((a) => a.getAttribute('href'))`, seg))
	if len(links) != 2 {
		t.Fatalf("补链 row links %v, want the panorama at either end", links)
	}
	for i, rev := range []string{"1", "3"} {
		u, err := url.Parse(links[i])
		if err != nil || u.Path != "/panorama" || u.Query().Get("as_of") != rev || u.Query().Get("seg") != seg || u.Query().Get("area") != area {
			t.Errorf("link %d: %s, want the panorama of %s at rev %s", i, links[i], seg, rev)
		}
	}
	if n := text(t, ctx, "#chg-k-closed .kpi-value"); n != fmt.Sprint(len(closed)) {
		t.Errorf("补链 figure %s, list %d", n, len(closed))
	}

	// By default: the last two revisions (2 → 3), where only the project
	// changed.
	ms := navTime(t, ctx, "/changes", "changes")
	if ms > 1000 {
		t.Errorf("变化对比 ready %.0f ms after the navigation, want ≤ 1000", ms)
	}
	t.Logf("changes view ready in %.0f ms", ms)
	if got := eval[int](t, ctx, `document.querySelectorAll('#chg-closed li').length`); got != 0 {
		t.Errorf("rev 2 → 3 lists %d gaps closed, want 0", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('chg-from-rev').value + '→' + document.getElementById('chg-to-rev').value`); got != "2→3" {
		t.Errorf("default pickers %s, want 2→3", got)
	}
	noErrors(t, con, "changes view")
}
