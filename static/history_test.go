package static_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/server"
)

// put writes a record through the API with the editor token, as another
// editor would while the page is open, and fails the test unless it is
// saved.
func (a *app) put(path string, record any) {
	a.t.Helper()
	a.putWith(editorToken, path, record)
}

// putWith writes a record through the API with the editor token tok.
func (a *app) putWith(tok, path string, record any) {
	a.t.Helper()
	body, err := json.Marshal(record)
	if err != nil {
		a.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, a.url(path), bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		a.t.Fatalf("PUT %s: %d %s", path, res.StatusCode, b)
	}
}

// renameProject renames a project and sets its investment through the
// API (revision 2 on a fresh app) and returns it as it was before.
func (a *app) renameProject(id, name string, investmentWan float64) chainscope.Project {
	a.t.Helper()
	var v server.ProjectView
	a.getJSON("/api/v1/projects/"+url.PathEscape(id), &v)
	before := v.Project
	after := before
	after.Name = name
	after.InvestmentWan = &investmentWan
	a.put("/api/v1/projects/"+url.PathEscape(id), after)
	return before
}

// beijingToday is today's date in Beijing, the day an as_of date means.
func beijingToday() string {
	return time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

// TestAsOfDeepLink: after an edit made through the API, an address with
// ?as_of=1 shows the value before it — in the panorama's panel, in the
// ledger after following the navigation, after a reload — with the
// banner saying so, editing off, and the downloads of that time; a date
// names the last revision of that day; 回到当前 shows the edit.
func TestAsOfDeepLink(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	p := a.ds.Projects[0]
	const newName = "改名后的项目（API 修改）"
	old := a.renameProject(p.ID, newName, 12345)
	panel := "/panorama?node=" + url.QueryEscape(p.ID) + "&kind=project"

	open(t, ctx, a, panel+"&as_of=1", "panorama")
	do(t, ctx, until(fmt.Sprintf(`document.getElementById('panel-title')?.textContent === %q`, old.Name)))
	do(t, ctx, until(`document.getElementById('asof-banner-text').textContent.includes('修订 1')`))
	if banner := text(t, ctx, "#asof-banner"); !strings.Contains(banner, "正在查看修订 1 的数据") || !strings.Contains(banner, "回到当前") {
		t.Errorf("banner reads %q", banner)
	}
	if btn := text(t, ctx, "#asof-button"); !strings.Contains(btn, "修订 1") {
		t.Errorf("the header's as-of button reads %q", btn)
	}
	// The scope the panorama chose for the record keeps the as-of time,
	// and so does every link of the page and of the navigation.
	loc := get(t, ctx, chromedp.Location())
	if !strings.Contains(loc, "as_of=1") || !strings.Contains(loc, "area=") {
		t.Errorf("address %s", loc)
	}
	for _, sel := range []string{`.nav-link[data-view="projects"]`, `.nav-link[data-view="gaps"]`, `#brand`, `.pano-json a`} {
		if href := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('href')`, sel)); !strings.Contains(href, "as_of=1") {
			t.Errorf("%s links to %s, without the as-of time", sel, href)
		}
	}

	// The SVG download is the picture of revision 1, named for it.
	dir := t.TempDir()
	allowDownloads(t, ctx, dir)
	scope, _ := url.ParseQuery(loc[strings.Index(loc, "?")+1:])
	res, want := a.get("/api/v1/export.svg?area=" + url.QueryEscape(scope.Get("area")) + "&chain=" + scope.Get("chain") + "&as_of=1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export.svg as of 1: %d", res.StatusCode)
	}
	if _, now := a.get("/api/v1/export.svg?area=" + url.QueryEscape(scope.Get("area")) + "&chain=" + scope.Get("chain")); bytes.Equal(now, want) {
		t.Fatal("the edit did not change the picture; the test cannot tell the two times apart")
	}
	do(t, ctx, click("#download-svg"))
	area := scope.Get("area")
	if area == "*" {
		area = "all"
	}
	if got := waitFile(t, dir, "chainscope-"+area+"-"+scope.Get("chain")+"-zh-asof-1.svg"); !bytes.Equal(got, want) {
		t.Errorf("the SVG downloaded as of revision 1 (%d bytes) is not the API's picture of revision 1 (%d bytes)", len(got), len(want))
	}

	// With the editor token, the ledger of the past still offers no edit.
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', 't')`),
		click(`.nav-link[data-view="projects"]`), waitReady("projects"))
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#ledger-filters input[name="q"]`), p.ID),
		click(`#ledger-filters button[type="submit"]`),
		until(`location.search.includes('q=') && document.body.dataset.ready === 'projects'`))
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "as_of=1") {
		t.Errorf("the ledger's filter lost the as-of time: %s", loc)
	}
	check := func(when, want string) {
		t.Helper()
		if name := text(t, ctx, fmt.Sprintf(`#ledger-table tr[data-id=%q] td.ledger-name`, p.ID)); name != want {
			t.Errorf("%s: the ledger shows %q, want %q", when, name, want)
		}
	}
	check("as of 1", old.Name)
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-edit], #project-new').length`); n != 0 {
		t.Errorf("%d edit controls while viewing the past", n)
	}
	if sub := text(t, ctx, "#ledger-sub"); !strings.Contains(sub, "不能") {
		t.Errorf("the ledger does not say editing is off: %q", sub)
	}
	// Every link of the view (names, sorting, reset) stays in the past.
	for _, href := range eval[[]string](t, ctx, `[...document.querySelectorAll('#view a[href^="/"]')].map((a) => a.getAttribute('href'))`) {
		if !strings.Contains(href, "as_of=1") {
			t.Errorf("a link of the past ledger leads to now: %s", href)
		}
	}
	do(t, ctx, chromedp.Reload(), waitReady("projects"))
	check("as of 1, reloaded", old.Name)

	// The gap report's downloads are of the same time.
	open(t, ctx, a, "/gaps?area=140827&chain=battery&as_of=1", "gaps")
	if href := eval[string](t, ctx, `document.getElementById('download-xlsx').getAttribute('href')`); href != "/api/v1/gaps.xlsx?area=140827&chain=battery&lang=zh&as_of=1" {
		t.Errorf("xlsx link as of 1: %q", href)
	}
	do(t, ctx, click("#download-csv"))
	waitFile(t, dir, "补链清单-垣曲县-新能源电池-修订1.csv")

	// A date: the last revision of that day, Beijing time (the edit).
	today := beijingToday()
	open(t, ctx, a, "/projects?q="+url.QueryEscape(p.ID)+"&as_of="+today, "projects")
	check("as of today", newName)
	do(t, ctx, until(`document.getElementById('asof-banner-text').textContent.includes('修订 2')`))
	if banner := text(t, ctx, "#asof-banner-text"); banner != "正在查看 "+today+" 的数据（修订 2）" {
		t.Errorf("banner of a date reads %q", banner)
	}

	// The header control: choose revision 1 from the list.
	do(t, ctx, click("#asof-button"), chromedp.WaitVisible(chromedp.CSS("#asof-form")),
		until(`document.querySelector('#asof-rev option[value="1"]') !== null`),
		chromedp.SetValue(chromedp.CSS("#asof-rev"), "1"),
		click("#asof-apply"),
		until(`location.search.includes('as_of=1') && document.body.dataset.ready === 'projects'`))
	check("revision 1 chosen in the header", old.Name)

	// Back to now: the edit shows, and editing is on again.
	do(t, ctx, click("#asof-back"), until(`!location.search.includes('as_of') && document.body.dataset.ready === 'projects'`))
	check("back to now", newName)
	if eval[bool](t, ctx, `!document.getElementById('asof-banner').hidden`) {
		t.Error("the banner still shows after going back to now")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-edit]').length`); n != 1 {
		t.Errorf("%d edit buttons after going back to now, want 1", n)
	}
	noErrors(t, con, "as of")

	// A day before the first revision: the banner and the view say so.
	do(t, ctx, chromedp.Navigate(a.url("/dashboard?as_of=2000-01-01")), waitReady("dashboard"),
		until(`document.getElementById('asof-banner').classList.contains('is-error')`))
	if msg := text(t, ctx, "#asof-banner-text"); !strings.Contains(msg, "2000-01-01") || !strings.Contains(msg, "之前没有任何修订") {
		t.Errorf("banner of a day before any revision reads %q", msg)
	}
	if !eval[bool](t, ctx, `document.body.dataset.error === 'true'`) {
		t.Error("the view of a day before any revision shows no error")
	}
	for _, e := range con.take() {
		if !strings.Contains(e, "404") {
			t.Errorf("unexpected console error: %s", e)
		}
	}
}

// TestRecordHistory: an edit made through the API is listed in the
// 修改历史 of the record — in the panorama's panel and in the ledger —
// with its revision, time, editor and the fields it changed from what to
// what; viewing revision 1, the edit is marked as later.
func TestRecordHistory(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	p := a.ds.Projects[0]
	const newName = "改名后的项目（API 修改）"
	old := a.renameProject(p.ID, newName, 12345)

	var e chainscope.Enterprise
	for _, x := range a.ds.Enterprises {
		if len(x.Segments) > 0 {
			e = x
			break
		}
	}
	var ev server.EnterpriseView
	a.getJSON("/api/v1/enterprises/"+url.PathEscape(e.ID), &ev)
	changed := ev.Enterprise
	changed.Note = "API 修改的备注"
	a.put("/api/v1/enterprises/"+url.PathEscape(e.ID), changed)

	const done = `#detail-panel .hist[data-state="done"]`
	type event struct {
		Rev    string
		Change string
		Text   string
		Later  bool
	}
	events := func(scope string) []event {
		return eval[[]event](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((li) => ({
			Rev: li.dataset.rev, Change: li.dataset.change, Text: li.textContent, Later: li.classList.contains('is-later')}))`, scope+" .hist-event"))
	}
	// field is the change of one field by the newest event.
	field := func(scope, name string) string {
		return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q)?.textContent || ''`, scope+` .hist-event:first-child tr[data-field="`+name+`"]`))
	}
	checkProject := func(where, scope string) {
		t.Helper()
		got := events(scope)
		if len(got) != 2 || got[0].Rev != "2" || got[0].Change != "changed" || got[1].Rev != "1" || got[1].Change != "added" {
			t.Fatalf("%s: history lists %+v, want revision 2 changed, then revision 1 added", where, got)
		}
		if !strings.Contains(got[0].Text, "修订 2") || !strings.Contains(got[0].Text, "网页编辑") || !strings.Contains(got[0].Text, "修改项目 "+p.ID) {
			t.Errorf("%s: the edit reads %q", where, got[0].Text)
		}
		if name := field(scope, "name"); name != "名称"+old.Name+" → "+newName {
			t.Errorf("%s: the name change reads %q", where, name)
		}
		if inv := field(scope, "investment_wan"); !strings.HasPrefix(inv, "总投资") || !strings.HasSuffix(inv, "→ 1.23 亿元") {
			t.Errorf("%s: the investment change reads %q", where, inv)
		}
		if n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%q).length`, scope+` .hist-event[data-rev="2"] tr`)); n != 2 {
			t.Errorf("%s: %d fields listed as changed, want 2 (name, investment)", where, n)
		}
	}

	panel := "/panorama?node=" + url.QueryEscape(p.ID) + "&kind=project"
	open(t, ctx, a, panel, "panorama")
	do(t, ctx, until(`document.querySelector('`+done+`') !== null`))
	checkProject("panorama panel", "#detail-panel")

	// As of revision 1 the edit is later than the time on screen, and its
	// link shows the data right after it.
	open(t, ctx, a, panel+"&as_of=1", "panorama")
	do(t, ctx, until(`document.querySelector('`+done+`') !== null`))
	if got := events("#detail-panel"); len(got) != 2 || !got[0].Later || got[1].Later {
		t.Errorf("as of 1: history %+v, want revision 2 marked later", got)
	}
	do(t, ctx, click(`#detail-panel .hist-event[data-rev="2"] .hist-then`),
		until(`location.search.includes('as_of=2') && document.body.dataset.ready === 'panorama'`),
		until(fmt.Sprintf(`document.getElementById('panel-title')?.textContent === %q`, newName)))

	// An enterprise's panel lists its own edit.
	open(t, ctx, a, "/panorama?node="+url.QueryEscape(e.ID)+"&kind=enterprise", "panorama")
	do(t, ctx, until(`document.querySelector('`+done+`') !== null`))
	if got := events("#detail-panel"); len(got) == 0 || got[0].Rev != "3" || !strings.Contains(got[0].Text, "修改企业 "+e.ID) {
		t.Errorf("enterprise history: %+v, want revision 3 first", got)
	}
	if note := field("#detail-panel", "note"); !strings.HasSuffix(note, "→ API 修改的备注") {
		t.Errorf("enterprise history: the note change reads %q", note)
	}

	// The ledger: the history button of the row, for every reader.
	open(t, ctx, a, "/projects?q="+url.QueryEscape(p.ID), "projects")
	do(t, ctx, click(fmt.Sprintf(`[data-history=%q]`, p.ID)),
		chromedp.WaitVisible(chromedp.CSS("#record-dialog")),
		until(`document.querySelector('#record-dialog .hist[data-state="done"]') !== null`))
	checkProject("ledger", "#record-dialog")

	// And the editor's form, folded until asked for.
	do(t, ctx, click("#record-close"), js(`sessionStorage.setItem('chainscope.editorToken', 't')`), chromedp.Reload(), waitReady("projects"),
		click(fmt.Sprintf(`[data-edit=%q]`, p.ID)), chromedp.WaitVisible(chromedp.CSS("#project-dialog")),
		click("#pf-history > summary"),
		until(`document.querySelector('#pf-history .hist[data-state="done"]') !== null`))
	checkProject("edit form", "#pf-history")
	noErrors(t, con, "history")
}

// TestStaleEdit: the ledger's form sends the ETag it opened the project
// with; when another editor has saved the project in between, the save is
// refused (412) with the server's message and what the other editor
// changed, nothing is overwritten, and 载入最新内容 loads their version,
// which then saves.
func TestStaleEdit(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	p := a.ds.Projects[0]
	open(t, ctx, a, "/projects?q="+url.QueryEscape(p.ID), "projects")
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', 't')`), chromedp.Reload(), waitReady("projects"),
		click(fmt.Sprintf(`[data-edit=%q]`, p.ID)), chromedp.WaitVisible(chromedp.CSS("#project-dialog")))

	// Someone else renames it while the form is open.
	const theirs = "他人改过的名称"
	a.renameProject(p.ID, theirs, 777)

	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#pf-note"), "我的备注"),
		click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#project-reload")),
		until(`document.querySelector('#form-alert tr[data-field="name"]') !== null`))
	alert := text(t, ctx, "#form-alert")
	for _, want := range []string{"412", "记录已被他人修改", "他人修改了", theirs, "载入最新内容"} {
		if !strings.Contains(alert, want) {
			t.Errorf("the refusal %q does not contain %q", alert, want)
		}
	}
	var v server.ProjectView
	a.getJSON("/api/v1/projects/"+url.PathEscape(p.ID), &v)
	if v.Project.Name != theirs || v.Project.Note == "我的备注" {
		t.Errorf("a stale save changed the project: %+v", v.Project)
	}
	con.take() // the browser logs the 412 answer as a failed load

	// Load their version: the form shows it, and a save now goes through.
	do(t, ctx, click("#project-reload"),
		until(fmt.Sprintf(`document.getElementById('pf-name').value === %q`, theirs)))
	if inv := eval[string](t, ctx, `document.getElementById('pf-investment_wan').value`); inv != "0.0777" {
		t.Errorf("reloaded investment %q, want 0.0777 (亿元: 777 万元)", inv)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#pf-note"), "我的备注"),
		click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#toast")),
		waitReady("projects"))
	a.getJSON("/api/v1/projects/"+url.PathEscape(p.ID), &v)
	if v.Project.Name != theirs || v.Project.Note != "我的备注" {
		t.Errorf("after reloading and saving: %+v", v.Project)
	}
	noErrors(t, con, "stale edit")
}

// TestEveryViewAsOf opens every view as of revision 1 after an edit, by
// its address: each renders in full, with the banner, and without a
// console error.
func TestEveryViewAsOf(t *testing.T) {
	a := newApp(t)
	a.renameProject(a.ds.Projects[0].ID, "改名后的项目（API 修改）", 12345)
	ctx, con := browserCtx(t, 1280, 720)
	for _, v := range views {
		sep := "?"
		if strings.Contains(v.path, "?") {
			sep = "&"
		}
		path := v.path + sep + "as_of=1"
		open(t, ctx, a, path, v.view)
		if !eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, v.must)) {
			t.Errorf("%s: no %s on the page", path, v.must)
		}
		do(t, ctx, until(`document.getElementById('asof-banner-text').textContent.startsWith('正在查看修订 1')`))
		if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "as_of=1") {
			t.Errorf("%s ended at %s", path, loc)
		}
		noErrors(t, con, path)
	}
}
