package static_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/graph"
	"chainscope/server"
)

// views are the app's pages as a deep link opens them.
// Each names an element that only a fully rendered view has.
var views = []struct{ path, view, must string }{
	{"/", "dashboard", "#kpi-signed"},
	{"/dashboard", "dashboard", ".card table tbody tr"},
	{"/panorama?area=140827&chain=battery", "panorama", "#panorama-svg g[id^='node-']"},
	{"/panorama?area=*&chain=tourism", "panorama", "#seg-list .seg-row"},
	{"/cluster", "cluster", "#cluster-matrix td.matrix-cell a"},
	{"/gaps?area=140827", "gaps", ".gap-table .gap-row"},
	{"/gaps?area=140830&chain=pharma", "gaps", "section.card[data-chain='pharma']"},
	{"/projects", "projects", "#ledger-table tbody tr"},
	{"/projects?county=140882&sort=investment_wan&dir=desc", "projects", "#ledger-table tbody tr"},
	{"/enterprises", "enterprises", "#ent-table tbody tr"},
	{"/enterprises?county=140827&chain=battery", "enterprises", "#ent-table tbody tr"},
	{"/audit", "audit", "#audit-table tbody tr"},
}

// TestViewsLoadWithoutConsoleErrors opens every view by its address, in
// both languages, and fails on any console error, uncaught exception or
// browser error (a CSP violation included).
func TestViewsLoadWithoutConsoleErrors(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	for _, lang := range []string{"zh", "en"} {
		open(t, ctx, a, "/dashboard", "dashboard")
		do(t, ctx, js(fmt.Sprintf(`localStorage.setItem('chainscope.lang', %q)`, lang)))
		for _, v := range views {
			open(t, ctx, a, v.path, v.view)
			if h1 := text(t, ctx, "#view h1"); strings.TrimSpace(h1) == "" {
				t.Errorf("%s (%s): no heading", v.path, lang)
			}
			if !eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q) !== null`, v.must)) {
				t.Errorf("%s (%s): no %s on the page", v.path, lang, v.must)
			}
			// Text written from an array or null instead of elements.
			if body := text(t, ctx, "#view"); strings.Contains(body, "[object ") || strings.Contains(body, "undefined") || strings.Contains(body, "NaN") {
				t.Errorf("%s (%s): the page shows a JavaScript value as text: %.200q", v.path, lang, body)
			}
			noErrors(t, con, v.path+" ("+lang+")")
		}
	}
}

// TestDashboardFigures: the key figures on screen are the API's.
func TestDashboardFigures(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	var d graph.Dashboard
	a.getJSON("/api/v1/dashboard", &d)
	open(t, ctx, a, "/dashboard", "dashboard")
	signed := text(t, ctx, "#kpi-signed .kpi-value")
	invest := text(t, ctx, "#kpi-investment .kpi-value")
	countyRows := eval[int](t, ctx, `document.getElementById('dash-county-table').tBodies[0].rows.length`)
	chainBars := eval[int](t, ctx, `document.querySelectorAll('svg.chart')[1].querySelectorAll('.chart-bar').length`)
	if !strings.Contains(signed, fmt.Sprint(d.Region.Signed)) {
		t.Errorf("signed projects on screen %q, API %d", signed, d.Region.Signed)
	}
	if want := fmt.Sprintf("%.2f", d.Region.InvestmentWan/10000); !strings.Contains(strings.ReplaceAll(invest, ",", ""), want) {
		t.Errorf("investment on screen %q, want %s 亿元", invest, want)
	}
	// The projects of no county (市本级) are a row of their own.
	var own struct {
		RegionLevel *graph.AreaFigures `json:"region_level"`
	}
	a.getJSON("/api/v1/dashboard", &own)
	wantRows := len(d.Counties)
	if own.RegionLevel != nil {
		wantRows++
	}
	if countyRows != wantRows || chainBars != len(d.Chains) {
		t.Errorf("county rows %d (want %d), chain bars %d (want %d)", countyRows, wantRows, chainBars, len(d.Chains))
	}
	noErrors(t, con, "dashboard")
}

// segmentMarks reads how the picture marks each segment: the stroke of
// its outline (the rect drawn with fill="none"), which the picture's
// legend explains: green ok, orange weak, red missing, blue missing but
// supplied from outside. Segments are keyed by their group's id, seg-<id>.
const segmentMarks = `Object.fromEntries([...document.querySelectorAll('#panorama-svg g[id^="seg-"]')].map((g) => {
	const outline = [...g.querySelectorAll(':scope > rect')].find((r) => r.getAttribute('fill') === 'none');
	return [g.id.slice('seg-'.length), outline ? outline.getAttribute('stroke') : ''];
}))`

var markStatus = map[string]graph.Status{
	"#16a34a": graph.OK,
	"#ea580c": graph.Weak,
	"#dc2626": graph.Missing,
	"#2563eb": graph.Missing,
}

// TestPanoramaMarksWhatTheAnalysisReports: in the panorama of the
// built-in data, every segment the analysis calls weak or missing is
// marked so in the picture, every other one is marked ok, and the list
// beside the picture gives the same statuses.
func TestPanoramaMarksWhatTheAnalysisReports(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	seen := map[graph.Status]int{}
	for _, sc := range [][2]string{{"140827", "battery"}, {"140830", "pharma"}, {"*", "tourism"}, {"140882", "nev"}, {"140802", "steel"}} {
		var an graph.Analysis
		a.getJSON("/api/v1/analysis?area="+url.QueryEscape(sc[0])+"&chain="+sc[1], &an)
		open(t, ctx, a, "/panorama?area="+url.QueryEscape(sc[0])+"&chain="+sc[1], "panorama")
		marks := eval[map[string]string](t, ctx, segmentMarks)
		listed := eval[map[string]string](t, ctx,
			`Object.fromEntries([...document.querySelectorAll('#seg-list .seg-row')].map((r) => [r.dataset.id, r.dataset.status]))`)
		if len(marks) != len(an.Segments) {
			t.Errorf("%v: %d segments drawn, the analysis has %d", sc, len(marks), len(an.Segments))
		}
		for _, s := range an.Segments {
			seen[s.Status]++
			got, ok := markStatus[marks[s.ID]]
			if !ok {
				t.Errorf("%v: segment %s drawn with stroke %q, not a status colour", sc, s.ID, marks[s.ID])
				continue
			}
			if got != s.Status {
				t.Errorf("%v: segment %s marked %s in the picture, the analysis says %s", sc, s.ID, got, s.Status)
			}
			if s.Status == graph.Missing && s.SuppliedExternally && !s.Broken && marks[s.ID] != "#2563eb" {
				t.Errorf("%v: segment %s is supplied from outside but not drawn blue", sc, s.ID)
			}
			if listed[s.ID] != string(s.Status) {
				t.Errorf("%v: segment %s listed as %q, the analysis says %s", sc, s.ID, listed[s.ID], s.Status)
			}
		}
	}
	if seen[graph.Weak] == 0 || seen[graph.Missing] == 0 || seen[graph.OK] == 0 {
		t.Errorf("the scopes checked should show every status, saw %v", seen)
	}
	noErrors(t, con, "panorama")
}

// panelShows waits until the side panel shows the record key with the
// title want.
func panelShows(key, want string) chromedp.Action[chromedp.Void] {
	return until(fmt.Sprintf(`document.getElementById('detail-panel')?.dataset.key === %q && document.getElementById('panel-title')?.textContent === %q`, key, want))
}

// TestClickNodeOpensPanel: clicking an enterprise or project in the
// picture opens its panel with its name, details and why it matters;
// clicking a segment opens the segment's panel with its candidates.
func TestClickNodeOpensPanel(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	const area, chain = "140827", "battery"
	var rep graph.Report
	a.getJSON("/api/v1/analysis?area="+area+"&chain="+chain, &rep)
	if len(rep.CutNodes) == 0 {
		t.Fatal("the scope has no cut node to click")
	}
	open(t, ctx, a, "/panorama?area="+area+"&chain="+chain, "panorama")

	// A cut node: its panel names it and explains its impact.
	cut := rep.CutNodes[0]
	name := a.nodeName(cut.ID)
	clickID(t, ctx, "node-"+cut.ID)
	do(t, ctx, panelShows(cut.ID, name))
	if why := text(t, ctx, "#why-list"); !strings.Contains(why, fmt.Sprint(cut.Impact)) {
		t.Errorf("why-it-matters of cut node %s does not give its impact %d: %q", cut.ID, cut.Impact, why)
	}
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "node="+url.QueryEscape(cut.ID)) {
		t.Errorf("the address %s does not name the selected node %s", loc, cut.ID)
	}

	// Every other node of the scope too, each by its own box.
	for _, id := range nodesOf(&rep) {
		if id != cut.ID {
			clickID(t, ctx, "node-"+id)
			do(t, ctx, panelShows(id, a.nodeName(id)))
		}
	}

	// A weak or missing segment: its panel lists the gap's candidates,
	// and the row of the list beside the picture is selected with it.
	var gap *graph.SegmentResult
	for i := range rep.Segments {
		if rep.Segments[i].Status != graph.OK {
			gap = &rep.Segments[i]
			break
		}
	}
	if gap == nil {
		t.Fatal("no gap segment in the scope")
	}
	clickID(t, ctx, "seg-"+gap.ID)
	do(t, ctx, panelShows(gap.ID, gap.Name))
	var targets []graph.GapTarget
	a.getJSON("/api/v1/targets?area="+area+"&chain="+chain+"&limit=10", &targets)
	for _, g := range targets {
		if g.Segment == gap.ID {
			if shown := eval[int](t, ctx, `document.querySelectorAll('#candidates > li').length`); shown != len(g.Candidates) {
				t.Errorf("segment %s: %d candidates shown, the API has %d", gap.ID, shown, len(g.Candidates))
			}
		}
	}
	if sel := eval[string](t, ctx, `document.querySelector('#seg-list .seg-row.is-selected')?.dataset.id || ''`); sel != gap.ID {
		t.Errorf("selected list row %q, want %s", sel, gap.ID)
	}

	// A deep link with a node opens its panel directly.
	open(t, ctx, a, "/panorama?area="+area+"&chain="+chain+"&node="+url.QueryEscape(cut.ID), "panorama")
	if title := text(t, ctx, "#panel-title"); title != name {
		t.Errorf("deep-linked panel shows %q, want %q", title, name)
	}
	noErrors(t, con, "panorama clicks")
}

// nodesOf lists the ids of the scope's nodes, sorted.
func nodesOf(rep *graph.Report) []string {
	set := map[string]bool{}
	for _, s := range rep.Segments {
		for _, n := range s.Nodes {
			set[n] = true
		}
	}
	ids := make([]string, 0, len(set))
	for n := range set {
		ids = append(ids, n)
	}
	sort.Strings(ids)
	return ids
}

// nodeName is the name of an enterprise or project of the dataset.
func (a *app) nodeName(id string) string {
	for _, e := range a.ds.Enterprises {
		if e.ID == id {
			return e.Name
		}
	}
	for _, p := range a.ds.Projects {
		if p.ID == id {
			return p.Name
		}
	}
	a.t.Fatalf("unknown node %s", id)
	return ""
}

// TestZoomAndPan: the wheel and the buttons zoom and a drag pans, all by
// changing the picture's viewBox; a drag selects nothing.
func TestZoomAndPan(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	open(t, ctx, a, "/panorama?area=140827&chain=battery", "panorama")
	vb := func() (x, y, w, h float64) {
		s := eval[string](t, ctx, `document.getElementById('panorama-svg').getAttribute('viewBox')`)
		if _, err := fmt.Sscanf(s, "%g %g %g %g", &x, &y, &w, &h); err != nil {
			t.Fatalf("viewBox %q: %v", s, err)
		}
		return
	}
	_, _, w0, _ := vb()
	do(t, ctx, click("#zoom-in"))
	if _, _, w, _ := vb(); !(w < w0) {
		t.Errorf("zoom in: width %g, was %g", w, w0)
	}
	do(t, ctx, click("#zoom-fit"))
	if _, _, w, _ := vb(); w != w0 {
		t.Errorf("fit: width %g, want %g", w, w0)
	}
	mid := eval[[]float64](t, ctx, `(() => { const r = document.getElementById('pano-canvas').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	do(t, ctx, js(fmt.Sprintf(`document.getElementById('pano-canvas').dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: %g, clientY: %g, bubbles: true, cancelable: true}))`, mid[0], mid[1])))
	x1, y1, w1, _ := vb()
	if !(w1 < w0) {
		t.Errorf("wheel up should zoom in: width %g, was %g", w1, w0)
	}
	// Drag from the middle up and to the left: the view moves right and down.
	do(t, ctx, drag(mid[0], mid[1], mid[0]-120, mid[1]-40))
	if x2, y2, _, _ := vb(); !(x2 > x1) || !(y2 > y1) {
		t.Errorf("drag left-up should pan right-down: (%g,%g) → (%g,%g)", x1, y1, x2, y2)
	}
	if eval[bool](t, ctx, `!document.getElementById('detail-panel').hidden`) {
		t.Error("a drag opened a panel")
	}
	noErrors(t, con, "zoom")
}

// TestLanguageSwitch: the switch changes the texts of the shell, the view
// and the picture, and the choice survives a reload.
func TestLanguageSwitch(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	open(t, ctx, a, "/panorama?area=140827&chain=battery", "panorama")
	const navDash = `.nav-link[data-view="dashboard"]`
	if nav := text(t, ctx, navDash); nav != "总览" {
		t.Fatalf("default language: nav reads %q, want 总览", nav)
	}
	do(t, ctx, click("#lang-switch"), chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)), waitReady("panorama"))
	if nav, stored := text(t, ctx, navDash), eval[string](t, ctx, `localStorage.getItem('chainscope.lang')`); nav != "Dashboard" || stored != "en" {
		t.Errorf("after the switch: nav %q, stored %q", nav, stored)
	}
	do(t, ctx, chromedp.Reload(), waitReady("panorama"))
	if nav, lang := text(t, ctx, navDash), eval[string](t, ctx, `document.documentElement.lang`); nav != "Dashboard" || lang != "en" {
		t.Errorf("after reload: nav %q, lang %q; the choice was not remembered", nav, lang)
	}
	if legend := eval[string](t, ctx, `document.querySelector('#panorama-svg #legend text').textContent`); legend != "Legend" {
		t.Errorf("the English page shows the picture's legend as %q, want the English picture", legend)
	}
	do(t, ctx, click("#lang-switch"), chromedp.WaitReady(chromedp.CSS(`html[lang="zh-CN"]`)), waitReady("panorama"))
	if nav := text(t, ctx, navDash); nav != "总览" {
		t.Errorf("switched back: nav %q", nav)
	}
	noErrors(t, con, "language")
}

// TestDownloads: the SVG download is byte for byte the API's picture, the
// PNG a real picture of it, and the gap list a CSV that Excel reads.
func TestDownloads(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	dir := t.TempDir()
	allowDownloads(t, ctx, dir)
	open(t, ctx, a, "/panorama?area=140827&chain=battery", "panorama")

	res, want := a.get("/api/v1/export.svg?area=140827&chain=battery")
	if res.StatusCode != 200 {
		t.Fatalf("export.svg: %d", res.StatusCode)
	}
	do(t, ctx, click("#download-svg"))
	if got := waitFile(t, dir, "chainscope-140827-battery-zh.svg"); !bytes.Equal(got, want) {
		t.Errorf("downloaded SVG (%d bytes) differs from the API's (%d bytes)", len(got), len(want))
	}

	do(t, ctx, click("#download-png"))
	img, err := png.Decode(bytes.NewReader(waitFile(t, dir, "chainscope-140827-battery-zh.png")))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 400 {
		t.Errorf("PNG is %dx%d, too small for the picture", b.Dx(), b.Dy())
	}
	// Not a blank canvas: a fair share of the pixels are not white.
	ink, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			total++
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
		}
	}
	if ink < total/50 {
		t.Errorf("the PNG is nearly blank: %d of %d sampled pixels are not white", ink, total)
	}
	t.Logf("PNG %dx%d, %d bytes of SVG", b.Dx(), b.Dy(), len(want))

	open(t, ctx, a, "/gaps?area=140827&chain=battery", "gaps")
	do(t, ctx, click("#download-csv"))
	csv := waitFile(t, dir, "补链清单-垣曲县-新能源电池.csv")
	if !bytes.HasPrefix(csv, []byte("\xef\xbb\xbf县区,产业链,环节,")) {
		t.Errorf("CSV does not start with a BOM and the Chinese header: %q", csv[:min(len(csv), 60)])
	}
	var targets []graph.GapTarget
	a.getJSON("/api/v1/targets?area=140827&chain=battery&limit=5", &targets)
	rows := 1
	for _, g := range targets {
		rows += max(1, len(g.Candidates))
	}
	if n := bytes.Count(csv, []byte("\r\n")); n != rows {
		t.Errorf("CSV has %d lines, want %d (the header and one per candidate)", n, rows)
	}

	// The Excel workbook: the primary button links the API's workbook of
	// the same scope and language; fetched from the page it is an xlsx
	// (a zip), and a click saves it under the server's Chinese name.
	const xlsxPath = "/api/v1/gaps.xlsx?area=140827&chain=battery&lang=zh"
	if href := eval[string](t, ctx, `document.querySelector('a#download-xlsx.btn-primary').getAttribute('href')`); href != xlsxPath {
		t.Errorf("xlsx link %q, want %s", href, xlsxPath)
	}
	fetched := eval[[]string](t, ctx, `fetch(document.getElementById('download-xlsx').href).then(async (r) => {
		const b = new Uint8Array(await r.arrayBuffer());
		return [String(r.status), r.headers.get('content-type') || '', String.fromCharCode(b[0], b[1])];
	})`)
	if !slices.Equal(fetched, []string{"200", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"}) {
		t.Errorf("fetching the xlsx link gave status, type and first bytes %q", fetched)
	}
	res, book := a.get(xlsxPath)
	if res.StatusCode != 200 {
		t.Fatalf("gaps.xlsx: %d", res.StatusCode)
	}
	do(t, ctx, click("#download-xlsx"))
	if got := waitFile(t, dir, "补链清单-垣曲县-新能源电池.xlsx"); !bytes.Equal(got, book) {
		t.Errorf("downloaded workbook (%d bytes) differs from the API's (%d bytes)", len(got), len(book))
	}

	// Every chain, in English: the link follows the scope and the language.
	do(t, ctx, js(`localStorage.setItem('chainscope.lang', 'en')`))
	open(t, ctx, a, "/gaps?area=140827", "gaps")
	if href := eval[string](t, ctx, `document.getElementById('download-xlsx').getAttribute('href')`); href != "/api/v1/gaps.xlsx?area=140827&lang=en" {
		t.Errorf("xlsx link of every chain in English: %q", href)
	}
	if label := text(t, ctx, "#download-xlsx"); label != "Download Excel (xlsx)" {
		t.Errorf("xlsx button reads %q", label)
	}
	do(t, ctx, js(`localStorage.setItem('chainscope.lang', 'zh')`))
	noErrors(t, con, "downloads")
}

// TestSearch: the search box finds an enterprise by its USCC, and the hit
// opens the record's panel in its panorama.
func TestSearch(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	var uscc, name string
	for _, e := range a.ds.Enterprises {
		if e.USCC != "" && len(e.Segments) > 0 {
			uscc, name = e.USCC, e.Name
			break
		}
	}
	if uscc == "" {
		t.Fatal("the built-in data has no enterprise with a USCC")
	}
	open(t, ctx, a, "/dashboard", "dashboard")
	const hit = `#search-results .search-hit[data-kind="enterprise"]`
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#search-input"), uscc),
		chromedp.WaitVisible(chromedp.CSS(hit)),
		click(hit),
		waitReady("panorama"),
		until(fmt.Sprintf(`document.getElementById('panel-title')?.textContent === %q`, name)))
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "area=") || !strings.Contains(loc, "chain=") {
		t.Errorf("a search hit opened %s without its area and chain", loc)
	}
	noErrors(t, con, "search")
}

// TestDeepLinksAndHistory: the address names view, area and chain;
// selectors push history entries; back and forward restore them; an old
// hash link is understood.
func TestDeepLinksAndHistory(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	open(t, ctx, a, "/panorama?area=140827&chain=battery", "panorama")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#chain-select"), "alloy"),
		js(`document.getElementById('chain-select').dispatchEvent(new Event('change'))`))
	check := func(wantChain string) {
		t.Helper()
		do(t, ctx, until(fmt.Sprintf(`document.body.dataset.ready === 'panorama' && document.getElementById('chain-select')?.value === %q`, wantChain)))
		if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "chain="+wantChain) {
			t.Errorf("the selector shows %s at %s", wantChain, loc)
		}
	}
	check("alloy")
	do(t, ctx, chromedp.NavigateBack())
	check("battery")
	do(t, ctx, chromedp.NavigateForward())
	check("alloy")
	do(t, ctx, click(`.nav-link[data-view="cluster"]`), waitReady("cluster"), chromedp.NavigateBack())
	check("alloy")

	// A cell of the cluster matrix opens that panorama.
	open(t, ctx, a, "/cluster", "cluster")
	do(t, ctx, click(`td[data-area="140830"][data-chain="pharma"] a`), waitReady("panorama"))
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/panorama?area=140830&chain=pharma") {
		t.Errorf("the matrix cell led to %s", loc)
	}

	// The hash form of a deep link.
	open(t, ctx, a, "/#/panorama?area=140882&chain=nev", "panorama")
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/panorama?area=140882&chain=nev") {
		t.Errorf("the hash link ended at %s", loc)
	}
	noErrors(t, con, "history")
}

// TestTimeToInteractive measures, for fresh loads of the dashboard and of
// panoramas, the time from navigation start until the app marks the view
// rendered (body[data-ready]). It reports the figures and asserts nothing
// about them: wall-clock time depends on the machine.
func TestTimeToInteractive(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	for _, v := range []struct{ path, view string }{
		{"/dashboard", "dashboard"},
		{"/panorama?area=140827&chain=battery", "panorama"},
		{"/panorama?area=*&chain=steel", "panorama"},
	} {
		var ms []float64
		for range 5 {
			open(t, ctx, a, v.path, v.view)
			var f float64
			fmt.Sscan(eval[string](t, ctx, `document.body.dataset.readyMs`), &f)
			ms = append(ms, f)
		}
		sorted := slices.Sorted(slices.Values(ms))
		t.Logf("time to interactive %-38s median %6.1f ms (runs: %v)", v.path, sorted[len(sorted)/2], ms)
	}
	noErrors(t, con, "tti")
}

// TestLedgerFiltersAndSort: the ledger's filters go into the address and
// the API query, and a sort orders every matching project, not a page.
func TestLedgerFiltersAndSort(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	var page server.Page[chainscope.Project]
	a.getJSON("/api/v1/projects?county=140802&per_page=500", &page)
	open(t, ctx, a, "/projects?county=140802&sort=investment_wan&dir=desc&per_page=100", "projects")
	ids := eval[[]string](t, ctx, `[...document.querySelectorAll('#ledger-table tbody tr')].map((tr) => tr.dataset.id)`)
	if len(ids) != page.Total {
		t.Fatalf("%d rows shown, the API has %d projects in 140802", len(ids), page.Total)
	}
	inv := map[string]float64{}
	for _, p := range page.Items {
		inv[p.ID] = p.Investment()
		if p.InvestmentWan == nil {
			inv[p.ID] = -1
		}
	}
	for i := 1; i < len(ids); i++ {
		if inv[ids[i-1]] < inv[ids[i]] {
			t.Errorf("row %d (%s, %g) before row %d (%s, %g): not sorted by investment, descending", i, ids[i-1], inv[ids[i-1]], i+1, ids[i], inv[ids[i]])
		}
	}

	// The filter form: status 投产 only.
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#ledger-filters select[name="status"]`), "operating"),
		click(`#ledger-filters button[type="submit"]`),
		until(`location.search.includes('status=operating') && document.body.dataset.ready === 'projects'`))
	statuses := eval[[]string](t, ctx, `[...document.querySelectorAll('#ledger-table tbody tr td .badge')].map((b) => b.className)`)
	if len(statuses) == 0 {
		t.Fatal("no operating project shown")
	}
	for _, s := range statuses {
		if !strings.Contains(s, "badge-project-operating") {
			t.Errorf("a row of another status is shown: %s", s)
		}
	}
	if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "county=140802") {
		t.Errorf("the county filter was lost: %s", loc)
	}

	// A sort over more than one page: page 2 of the whole ledger by name,
	// descending, is rows 21–40 of every project so ordered (ties by id).
	all := slices.Clone(a.ds.Projects)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Name != all[j].Name {
			return all[i].Name > all[j].Name
		}
		return all[i].ID < all[j].ID
	})
	if len(all) <= 40 {
		t.Fatalf("only %d projects: no second page of 20", len(all))
	}
	open(t, ctx, a, "/projects?sort=name&dir=desc&page=2", "projects")
	ids = eval[[]string](t, ctx, `[...document.querySelectorAll('#ledger-table tbody tr')].map((tr) => tr.dataset.id)`)
	var want []string
	for _, p := range all[20:40] {
		want = append(want, p.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("page 2 by name, descending, shows\n%v\nwant\n%v", ids, want)
	}
	if mark := text(t, ctx, `#ledger-table th[aria-sort="descending"] a`); !strings.HasSuffix(mark, "▼") {
		t.Errorf("the sorted column reads %q", mark)
	}
	noErrors(t, con, "ledger")
}

// TestUnknownScopeShowsError: an address naming an unknown area shows the
// API's message in the page, not a blank view.
func TestUnknownScopeShowsError(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	do(t, ctx, chromedp.Navigate(a.url("/panorama?area=999999&chain=battery")), waitReady("panorama"))
	if !eval[bool](t, ctx, `document.body.dataset.error === 'true'`) {
		t.Fatal("no error state for an unknown area")
	}
	if msg := text(t, ctx, "#view .alert-error"); !strings.Contains(msg, "999999") {
		t.Errorf("error shown as %q, want the API's message naming the area", msg)
	}
	for _, e := range con.take() {
		if !strings.Contains(e, "404") {
			t.Errorf("unexpected console error: %s", e) // only the 404 answer itself is expected
		}
	}
}

// TestCreateAndDeleteProject: with the token a new project is created
// through the form (a duplicate id is refused at the id field), then
// deleted; the API follows each step.
func TestCreateAndDeleteProject(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	open(t, ctx, a, "/projects", "projects")
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', 't')`), chromedp.Reload(), waitReady("projects"),
		click("#project-new"), chromedp.WaitVisible(chromedp.CSS("#project-dialog")))

	// An id that exists: refused, and said at the id field.
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#pf-id"), a.ds.Projects[0].ID),
		chromedp.SetValue(chromedp.CSS("#pf-name"), "重复编号"),
		click(`#pf-segments input[value="battery.coke"]`),
		click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="id"] div`)))
	con.take() // the 409 answer, logged as a failed load

	const id = "P-TEST-001"
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#pf-id"), id),
		chromedp.SetValue(chromedp.CSS("#pf-name"), "测试补链项目"),
		chromedp.SetValue(chromedp.CSS("#pf-county"), "140827"),
		chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "2.5"), // 亿元: 25000 万元
		chromedp.SetValue(chromedp.CSS("#pf-signed"), "2024-04-30"),
		chromedp.SetValue(chromedp.CSS("#pf-status"), "signed"),
		click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#toast")),
		waitReady("projects"))
	var view server.ProjectView
	a.getJSON("/api/v1/projects/"+id, &view)
	if p := view.Project; p.Name != "测试补链项目" || p.County != "140827" || !slices.Equal(p.Segments, []string{"battery.coke"}) ||
		p.InvestmentWan == nil || *p.InvestmentWan != 25000 || p.Signed != "2024-04-30" {
		t.Errorf("created project as stored: %+v", p)
	}
	// It counts in the analysis at once: 锻后焦 of 垣曲县 has one node more.
	var an graph.Analysis
	a.getJSON("/api/v1/analysis?area=140827&chain=battery", &an)
	for _, s := range an.Segments {
		if s.ID == "battery.coke" && !slices.Contains(s.Nodes, id) {
			t.Errorf("the new project is not a node of battery.coke: %v", s.Nodes)
		}
	}

	open(t, ctx, a, "/projects?q="+id, "projects")
	do(t, ctx,
		click(fmt.Sprintf(`[data-edit=%q]`, id)),
		chromedp.WaitVisible(chromedp.CSS("#project-dialog")),
		click("#project-delete"),
		click("#project-delete-confirm"),
		chromedp.WaitVisible(chromedp.CSS("#toast")),
		waitReady("projects"))
	if res, _ := a.get("/api/v1/projects/" + id); res.StatusCode != 404 {
		t.Errorf("after deleting, GET answers %d", res.StatusCode)
	}
	noErrors(t, con, "create and delete")
}
