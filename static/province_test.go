package static_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chainscope/graph"
	"chainscope/server"
	"chainscope/static"
	"chainscope/store"
	"chainscope/synth"
)

// The province (synth.Province: 100 000 enterprises, 20 000 projects,
// 1 000 000 links, 117 counties with their zones) is generated, imported
// and served once per test binary: every test of this file shares one
// server over one database, which TestMain removes at the end.
var province struct {
	once sync.Once
	dir  string
	app  *app // its t is the first caller's: provinceApp hands out copies
	took time.Duration
	err  error
}

// TestMain removes the province's database after the last test.
func TestMain(m *testing.M) {
	code := m.Run()
	if province.app != nil {
		province.app.srv.Close()
		province.app.db.Close()
	}
	if province.dir != "" {
		os.RemoveAll(province.dir)
	}
	os.Exit(code)
}

// provinceApp is the web app served over the generated province, built on
// the first call of the test binary (a few seconds) and shared after.
func provinceApp(t testing.TB) *app {
	t.Helper()
	province.once.Do(func() {
		start := time.Now()
		province.dir, province.err = os.MkdirTemp("", "chainscope-province-")
		if province.err != nil {
			return
		}
		ctx := context.Background()
		ds := synth.Generate(synth.Province())
		db, err := store.Open(ctx, filepath.Join(province.dir, "chainscope.db"))
		if err != nil {
			province.err = err
			return
		}
		if err := db.Replace(ctx, ds); err != nil {
			db.Close()
			province.err = err
			return
		}
		s, err := server.New(server.Config{
			DB:     db,
			Static: static.FS,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err != nil {
			db.Close()
			province.err = err
			return
		}
		// As `chainscope serve` does: the most-read answers are computed
		// in the background from the start.
		s.WarmUp()
		province.app = &app{ds: ds, db: db, srv: httptest.NewServer(s.Handler())}
		province.took = time.Since(start)
	})
	if province.err != nil {
		t.Fatalf("the province: %v", province.err)
	}
	a := *province.app
	a.t = t
	return &a
}

// viewTimes are the page's own measurements of one visit (milliseconds
// since navigation start, performance.now()): when the view had
// rendered (data-ready) and when the first frame after that had been
// painted (data-painted: style, layout and paint of what it rendered).
type viewTimes struct {
	Ready   float64 `json:"ready"`
	Painted float64 `json:"painted"`
}

// visit loads path in a fresh page load and returns the page's timings.
func visit(t *testing.T, ctx context.Context, a *app, path, view string) viewTimes {
	t.Helper()
	open(t, ctx, a, path, view)
	do(t, ctx, until(`document.body.dataset.paintedMs !== undefined`))
	return eval[viewTimes](t, ctx, `({ready: Number(document.body.dataset.readyMs), painted: Number(document.body.dataset.paintedMs)})`)
}

// viewBudgetMs is how long a view of the province may take, from the
// start of its navigation until its first frame is painted, and an
// interaction (a sort, a filter, a panel) until its result is painted.
const viewBudgetMs = 2000

// overBudget fails the test when ms exceeds the budget, unless the
// machine is oversubscribed (a 1-minute load average above
// twice its cores, as when other processes build beside the tests on a
// shared VM): then a wall-clock figure says little about the page, and it
// is only logged. What the page is made of (answer sizes, elements, rows)
// is asserted whatever the load.
func overBudget(t *testing.T, what string, ms float64) {
	t.Helper()
	if ms <= viewBudgetMs {
		return
	}
	if load, ok := loadAverage(); ok && load > 2*float64(runtime.NumCPU()) {
		t.Logf("%s: %.0f ms, over the %d ms budget, not asserted: load average %.1f on %d cores", what, ms, viewBudgetMs, load, runtime.NumCPU())
		return
	}
	t.Errorf("%s: %.0f ms, want ≤ %d", what, ms, viewBudgetMs)
}

// loadAverage is the 1-minute load average (Linux), if known.
func loadAverage() (float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, false
	}
	x, err := strconv.ParseFloat(f[0], 64)
	return x, err == nil
}

// bestVisit visits path up to three times, until one is within the
// budget, and returns the quickest (a shared 2-core machine has moments
// when another process takes the cores); every visit is logged.
func bestVisit(t *testing.T, ctx context.Context, a *app, path, view string) viewTimes {
	t.Helper()
	var best viewTimes
	for i := range 3 {
		tm := visit(t, ctx, a, path, view)
		picture := eval[float64](t, ctx, `(performance.getEntriesByName('panorama-picture').pop() || {startTime: 0}).startTime`)
		t.Logf("%s visit %d: ready %.0f ms, painted %.0f ms after the navigation started (picture %.0f ms); API: %s", path, i+1, tm.Ready, tm.Painted, picture,
			eval[string](t, ctx, `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).map((e) => e.name.replace(/^.*\/api\/v1/, '') + ' ' + e.duration.toFixed(0) + ' ms').join(', ')`))
		if i == 0 || tm.Painted < best.Painted {
			best = tm
		}
		if best.Painted <= viewBudgetMs {
			break
		}
	}
	overBudget(t, path+": painted after the navigation started, at best", best.Painted)
	return best
}

// elements counts the elements of the page.
func elements(t *testing.T, ctx context.Context) int {
	return eval[int](t, ctx, `document.getElementsByTagName('*').length`)
}

// afterPaint runs a statement in the page, waits until a condition holds
// and the next frame is painted, and returns the milliseconds that took.
func afterPaint(t *testing.T, ctx context.Context, action, cond string) float64 {
	t.Helper()
	return eval[float64](t, ctx, fmt.Sprintf(`(async () => {
		const t0 = performance.now();
		%s;
		while (!(%s)) { await new Promise((r) => setTimeout(r, 5)); }
		await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
		return performance.now() - t0;
	})()`, action, cond))
}

// clusterJSON is the answer of GET /api/v1/cluster as the app reads it.
type clusterJSON struct {
	server.ClusterView
}

// TestProvinceViews: with a whole province loaded (117 counties and their
// zones, 10 chains, 1.1 million records), the dashboard, the cluster
// matrix and the whole-region panorama are painted within 2 s of the
// navigation (the page's own clock, performance.now()), and so are a
// sort, a filter and a segment's panel: the answers and pages are sized
// for a person (the cluster answer names the largest flows, not all
// 70 000; the panorama draws segments with counts, not 12 000 nodes; a
// segment's panel names 30 members, not thousands; the matrix holds the
// rows in view, not all 121). The seconds are asserted unless the machine
// is oversubscribed (overBudget); the sizes always.
func TestProvinceViews(t *testing.T) {
	a := provinceApp(t)
	t.Logf("the province (%d counties and zones, %d enterprises, %d projects, %d links) generated, imported and served in %v",
		len(a.ds.Counties), len(a.ds.Enterprises), len(a.ds.Projects), len(a.ds.Links), province.took.Round(time.Millisecond))
	ctx, con := browserCtx(t, 1280, 720)

	t.Run("dashboard", func(t *testing.T) {
		var d dashboardJSON
		a.getJSON("/api/v1/dashboard", &d)
		bestVisit(t, ctx, a, "/dashboard", "dashboard")
		if rows := eval[int](t, ctx, `document.getElementById('dash-county-table').tBodies[0].rows.length`); rows != len(d.Counties)+1 {
			t.Errorf("the county table has %d rows, want %d counties and the 省本级 row", rows, len(d.Counties))
		}
		if n := elements(t, ctx); n > 6000 {
			t.Errorf("the dashboard has %d elements, want ≤ 6000", n)
		}
		// The county bars are scaled to the largest county, not to the
		// sum of the 100 others, which is cut at the end of the track.
		bars := eval[[]float64](t, ctx, `(() => {
			const chart = document.querySelectorAll('svg.chart')[0];
			const track = Number(chart.querySelector('.chart-track').getAttribute('width'));
			return [...chart.querySelectorAll('.chart-bar')].map((b) => Number(b.getAttribute('width')) / track);
		})()`)
		cut := eval[int](t, ctx, `document.querySelectorAll('svg.chart')[0].querySelectorAll('.chart-bar-cut').length`)
		if len(bars) != 21 || bars[0] < 0.999 || bars[20] < 0.999 || cut != 1 {
			t.Errorf("the county bars are %v of the track (%d cut), want the largest county and the cut others bar full", bars, cut)
		}
	})

	t.Run("cluster", func(t *testing.T) {
		res, body := a.get("/api/v1/cluster")
		if res.StatusCode != 200 {
			t.Fatalf("cluster: %d", res.StatusCode)
		}
		var cl clusterJSON
		a.getJSON("/api/v1/cluster", &cl)
		t.Logf("/api/v1/cluster: %d bytes, %d cells, %d of %d flows", len(body), len(cl.Cells), len(cl.Flows), cl.FlowsTotal)
		if len(body) > 400<<10 || cl.FlowsTotal < 1000 || len(cl.Flows) > 50 {
			t.Errorf("/api/v1/cluster is %d bytes with %d of %d flows: want ≤ 400 KiB naming the largest few of the thousands", len(body), len(cl.Flows), cl.FlowsTotal)
		}
		bestVisit(t, ctx, a, "/cluster", "cluster")
		// The first scroll of the box stays where it went, with rows
		// there.
		scrolled := eval[[]float64](t, ctx, `(async () => {
			const w = document.getElementById('matrix-wrap');
			w.scrollTop = 900;
			await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
			const rows = [...document.querySelectorAll('#cluster-matrix tbody tr[data-area]')].map((tr) => tr.getBoundingClientRect());
			const box = w.getBoundingClientRect();
			const out = [w.scrollTop, rows.filter((r) => r.bottom > box.top && r.top < box.bottom).length, box.height];
			w.scrollTop = 0;
			return out;
		})()`)
		if scrolled[0] != 900 || scrolled[1] < scrolled[2]/100 {
			t.Errorf("scrolled to 900 px, the box is at %v px with %v rows in its %v px", scrolled[0], scrolled[1], scrolled[2])
		}
		// Only the rows in view are in the page; scrolled through, the
		// matrix shows every county once, in code order.
		if n := elements(t, ctx); n > 3000 {
			t.Errorf("the cluster page has %d elements, want ≤ 3000 (the rows in view)", n)
		}
		if got := matrixOrder(t, ctx); !slices.Equal(got, cl.Areas) {
			t.Fatalf("scrolled through, the matrix shows %d rows %v…, want the %d counties in code order", len(got), got[:min(5, len(got))], len(cl.Areas))
		}

		// Sticky: scrolled down and right (in a box narrower than the
		// table, as on a small screen), the header row and the county
		// column stay at the box's edges.
		edges := eval[[]float64](t, ctx, `(async () => {
			const w = document.getElementById('matrix-wrap');
			w.style.maxWidth = '640px';
			window.scrollTo(0, w.getBoundingClientRect().top + window.scrollY - 80);
			w.scrollTop = 2000; w.scrollLeft = 300;
			for (let i = 0; i < 2; i++) { await new Promise((r) => requestAnimationFrame(() => setTimeout(r))); }
			const box = w.getBoundingClientRect();
			const head = document.querySelector('#cluster-matrix thead th:nth-child(3)').getBoundingClientRect();
			const rows = [...document.querySelectorAll('#cluster-matrix tbody th')];
			const row = rows.find((th) => th.getBoundingClientRect().top > head.bottom).getBoundingClientRect();
			const out = [w.scrollTop, w.scrollLeft, head.top - box.top, row.left - box.left];
			w.style.maxWidth = '';
			w.scrollLeft = 0;
			return out;
		})()`)
		if edges[0] < 1000 || edges[1] < 100 || edges[2] < -1 || edges[2] > 2 || edges[3] < -1 || edges[3] > 2 {
			t.Errorf("scrolled to (%v, %v): the header row is %.1f px and the county column %.1f px from the box's edges, want 0",
				edges[1], edges[0], edges[2], edges[3])
		}

		// Sorting by a chain: its completeness, highest first, empty
		// cells last, ties in county order.
		chain := cl.Chains[len(cl.Chains)-1]
		value := map[string]float64{}
		for _, c := range cl.Cells {
			if c.Chain == chain {
				value[c.Area] = c.Completeness
				if c.Nodes == 0 {
					value[c.Area] = -1
				}
			}
		}
		want := slices.Clone(cl.Areas)
		slices.SortStableFunc(want, func(x, y string) int { return cmpDesc(value[x], value[y]) })
		ms := afterPaint(t, ctx, fmt.Sprintf(`document.querySelector('#cluster-matrix thead [data-sort=%q] button').click()`, chain),
			fmt.Sprintf(`document.getElementById('cluster-matrix').dataset.sort === %q`, chain))
		got := matrixOrder(t, ctx)
		if !slices.Equal(got, want) {
			t.Errorf("sorted by %s, the rows are %v…, want %v…", chain, got[:5], want[:5])
		}
		t.Logf("sort by %s: painted in %.0f ms", chain, ms)
		overBudget(t, "the sort, painted", ms)
		if loc := get(t, ctx, chromedp.Location()); !strings.Contains(loc, "sort="+chain) {
			t.Errorf("the address %s does not keep the sort", loc)
		}
		// Again: lowest first, empty cells still last (the rows at the
		// top of the box).
		ascending := func(v map[string]float64) []string {
			out := slices.Clone(cl.Areas)
			slices.SortStableFunc(out, func(x, y string) int {
				a, b := v[x], v[y]
				switch {
				case a < 0 && b < 0:
					return 0
				case a < 0:
					return 1
				case b < 0:
					return -1
				}
				return cmp.Compare(a, b)
			})
			return out
		}
		wantAsc := ascending(value)
		do(t, ctx, click(fmt.Sprintf(`#cluster-matrix thead [data-sort=%q] button`, chain)), until(`document.getElementById('cluster-matrix').dataset.dir === 'asc'`))
		if top := matrixTop(t, ctx); len(top) < 5 || !slices.Equal(top, wantAsc[:len(top)]) {
			t.Errorf("ascending, the rows at the top are %v, want %v", top, wantAsc[:min(len(top), len(wantAsc))])
		}
		// Coloured by closeness, the column sorts by closeness; a cell it
		// does not apply to (nothing missing) still comes last.
		closeness := map[string]float64{}
		for _, c := range cl.Cells {
			if c.Chain == chain {
				closeness[c.Area] = -1
				if c.Closeness != nil {
					closeness[c.Area] = *c.Closeness
				}
			}
		}
		do(t, ctx, js(`document.querySelector('#cluster-color [data-measure="closeness"]').click()`), until(`document.getElementById('cluster-matrix').dataset.measure === 'closeness'`))
		if top, want := matrixTop(t, ctx), ascending(closeness); len(top) < 5 || !slices.Equal(top, want[:len(top)]) {
			t.Errorf("by closeness, ascending, the rows at the top are %v, want %v", top, want[:min(len(top), len(want))])
		}
		do(t, ctx, js(`document.querySelector('#cluster-color [data-measure="completeness"]').click()`), until(`document.getElementById('cluster-matrix').dataset.measure === 'completeness'`))
		if top := matrixTop(t, ctx); len(top) < 5 || !slices.Equal(top, wantAsc[:len(top)]) {
			t.Error("back to completeness, the rows are not in the order they had")
		}
		got = wantAsc

		// Filtering by a part of a name: the counties whose name or code
		// holds it, in the sorted order.
		q := "市"
		var match []string
		for i, area := range cl.Areas {
			if strings.Contains(cl.AreaNames[i], q) || strings.Contains(area, q) {
				match = append(match, area)
			}
		}
		if len(match) == 0 || len(match) == len(cl.Areas) {
			t.Fatalf("%d of %d county names hold %q: pick another filter", len(match), len(cl.Areas), q)
		}
		ms = afterPaint(t, ctx, fmt.Sprintf(`(() => { const f = document.getElementById('cluster-filter'); f.value = %q; f.dispatchEvent(new Event('input')); })()`, q),
			fmt.Sprintf(`document.getElementById('cluster-count').textContent.includes(%q)`, strconv.Itoa(len(match))))
		shown := eval[[]string](t, ctx, `[...document.querySelectorAll('#cluster-matrix tbody tr[data-area]')].map((tr) => tr.dataset.area)`)
		var wantShown []string
		for _, area := range got {
			if slices.Contains(match, area) {
				wantShown = append(wantShown, area)
			}
		}
		if !slices.Equal(shown, wantShown) {
			t.Errorf("filtered by %q: %v, want %v", q, shown, wantShown)
		}
		t.Logf("filter %q (%d counties): painted in %.0f ms", q, len(match), ms)
		overBudget(t, "the filter, painted", ms)

		// The flows: the largest 20, then a page more per click, of all.
		if n := eval[int](t, ctx, `document.querySelectorAll('#flows-table tbody tr').length`); n != 20 {
			t.Errorf("%d flows listed at first, want 20", n)
		}
		if total := text(t, ctx, "#flows-total"); !strings.Contains(total, num(cl.FlowsTotal)) {
			t.Errorf("the flows' total reads %q, want %d", total, cl.FlowsTotal)
		}
		ms = afterPaint(t, ctx, `document.getElementById('flows-more').click()`, `document.querySelectorAll('#flows-table tbody tr').length === 120`)
		links := eval[[]int](t, ctx, `[...document.querySelectorAll('#flows-table tbody tr td:nth-child(5)')].map((td) => Number(td.textContent.replace(/,/g, '')))`)
		for i := 1; i < len(links); i++ {
			if links[i] > links[i-1] {
				t.Fatalf("flow %d has %d links, more than the one before (%d)", i+1, links[i], links[i-1])
			}
		}
		t.Logf("100 more flows: painted in %.0f ms", ms)
		// One chain's flows: the largest 20 of that chain, and its total.
		var page graph.FlowPage
		a.getJSON("/api/v1/cluster/flows?chain="+chain, &page)
		do(t, ctx, js(fmt.Sprintf(`(() => { const s = document.getElementById('flows-chain'); s.value = %q; s.dispatchEvent(new Event('change')); })()`, chain)),
			until(fmt.Sprintf(`[...document.querySelectorAll('#flows-table tbody tr')].every((tr) => tr.dataset.chain === %q)`, chain)))
		if n := eval[int](t, ctx, `document.querySelectorAll('#flows-table tbody tr').length`); n != min(20, page.Total) {
			t.Errorf("%d flows of %s listed, want %d", n, chain, min(20, page.Total))
		}
		if total := text(t, ctx, "#flows-total"); !strings.Contains(total, num(page.Total)) {
			t.Errorf("the flows of %s: the total reads %q, want %d", chain, total, page.Total)
		}
	})

	t.Run("panorama", func(t *testing.T) {
		chain := a.ds.Chains[0]
		bestVisit(t, ctx, a, "/panorama?area=*&chain="+chain.ID, "panorama")
		segs := len(chain.Segments)
		drawn := eval[[]int](t, ctx, `[document.querySelectorAll('#panorama-svg g[id^="node-"]').length, document.querySelectorAll('#panorama-svg g[id^="seg-"]').length]`)
		if drawn[0] != 0 || drawn[1] != segs {
			t.Errorf("the whole-region panorama draws %d nodes and %d segments, want 0 and the chain's %d", drawn[0], drawn[1], segs)
		}
		if n := elements(t, ctx); n > 2000 {
			t.Errorf("the panorama has %d elements, want ≤ 2000", n)
		}
		var r struct {
			Segments []struct {
				ID    string
				Nodes []string
			}
		}
		a.getJSON("/api/v1/analysis?area=*&chain="+chain.ID, &r)
		big := r.Segments[0]
		for _, s := range r.Segments {
			if len(s.Nodes) > len(big.Nodes) {
				big = s
			}
		}
		ms := afterPaint(t, ctx, fmt.Sprintf(`document.querySelector('#seg-list .seg-row[data-id=%q]').click()`, big.ID),
			`document.getElementById('seg-members') !== null`)
		t.Logf("segment %s (%d members): panel painted in %.0f ms", big.ID, len(big.Nodes), ms)
		overBudget(t, "the panel of "+big.ID+", painted", ms)
		listed := eval[[]string](t, ctx, `[...document.querySelectorAll('#seg-members [data-id]')].map((b) => b.dataset.id)`)
		if !slices.Equal(listed, big.Nodes[:30]) {
			t.Errorf("the panel lists %v, want the first 30 of the segment's %d", listed, len(big.Nodes))
		}
		if more := text(t, ctx, "#seg-members-more"); !strings.Contains(more, num(len(big.Nodes)-30)) {
			t.Errorf("the panel's last line %q does not count the %d members not listed", more, len(big.Nodes)-30)
		}
		// Its link: the enterprises of the segment, the filter shown.
		var page struct{ Total int }
		a.getJSON("/api/v1/enterprises?segment="+big.ID, &page)
		do(t, ctx, click(`#seg-members-more a[href^="/enterprises"]`), waitReady("enterprises"))
		if c := text(t, ctx, "#ent-count"); !strings.Contains(c, num(page.Total)) {
			t.Errorf("the enterprise list of %s says %q, want %d", big.ID, c, page.Total)
		}
		if v := eval[string](t, ctx, `document.getElementById('segment-filter').value`); v != big.ID {
			t.Errorf("the segment filter shows %q, want %s", v, big.ID)
		}
	})
	noErrors(t, con, "province views")
}

// matrixOrder scrolls the cluster matrix from top to bottom, a box at a
// time (the rows around the box are in the page too), and returns the counties of its rows in the order shown
// (only the rows in view are in the page), then scrolls back to the top.
func matrixOrder(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `(async () => {
		const w = document.getElementById('matrix-wrap');
		// The rows of a scroll come in the next frame (cluster.js renders
		// them from an animation frame requested by the scroll event).
		const frames = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
		const seen = [];
		const take = () => {
			for (const tr of document.querySelectorAll('#cluster-matrix tbody tr[data-area]')) {
				if (!seen.includes(tr.dataset.area)) { seen.push(tr.dataset.area); }
			}
		};
		w.scrollTop = 0;
		await frames();
		take();
		while (w.scrollTop + w.clientHeight < w.scrollHeight - 1) {
			w.scrollTop += Math.max(100, w.clientHeight);
			await frames();
			take();
		}
		w.scrollTop = 0;
		await frames();
		return seen;
	})()`)
}

// matrixTop scrolls the cluster matrix to its top and returns the
// counties of the rows in the page then (those in view and a few below).
func matrixTop(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `(async () => {
		document.getElementById('matrix-wrap').scrollTop = 0;
		await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
		return [...document.querySelectorAll('#cluster-matrix tbody tr[data-area]')].map((tr) => tr.dataset.area);
	})()`)
}

// cmpDesc orders numbers from the highest.
func cmpDesc(x, y float64) int {
	switch {
	case x > y:
		return -1
	case x < y:
		return 1
	}
	return 0
}

// num writes n as the app does in Chinese: digits grouped by thousands.
func num(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestProvinceScreenshots writes docs/screenshots/*-province.png: the
// dashboard, the cluster matrix (scrolled, sorted by a chain) and the
// whole-region panorama with a segment's panel, of the generated province
// at 1280×720. It runs only when asked (-screenshots), like
// TestScreenshots.
func TestProvinceScreenshots(t *testing.T) {
	if !*screenshots && os.Getenv("CHAINSCOPE_SCREENSHOTS") == "" {
		t.Skip("run with -screenshots (or CHAINSCOPE_SCREENSHOTS=1) to write docs/screenshots")
	}
	a := provinceApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	chain := a.ds.Chains[0].ID
	shots := []struct {
		name, path, view string
		then             func()
	}{
		// The counties: the largest 20 one by one, the rest as one bar.
		{name: "dashboard-province", path: "/dashboard", view: "dashboard", then: func() {
			do(t, ctx, js(`window.scrollTo(0, document.querySelector('.grid-2').getBoundingClientRect().top + window.scrollY - 72)`))
		}},
		{name: "cluster-province", path: "/cluster?sort=" + chain, view: "cluster", then: func() {
			do(t, ctx, js(`(() => { const w = document.getElementById('matrix-wrap');
				window.scrollTo(0, w.parentElement.getBoundingClientRect().top + window.scrollY - 64); w.scrollTop = 900; })()`),
				until(`document.querySelector('#cluster-matrix tbody tr[data-area]').getBoundingClientRect().top < document.getElementById('matrix-wrap').getBoundingClientRect().top`))
		}},
		{name: "cluster-province-filter", path: "/cluster?q=" + "市", view: "cluster", then: func() {
			do(t, ctx, js(`window.scrollTo(0, document.getElementById('matrix-wrap').parentElement.getBoundingClientRect().top + window.scrollY - 64)`))
		}},
		{name: "panorama-province", path: "/panorama?area=*&chain=" + chain, view: "panorama", then: func() {
			do(t, ctx, click(`#seg-list .seg-row`), until(`document.getElementById('seg-members') !== null`),
				js(`(() => { const side = document.querySelector('.pano-side'); const more = document.getElementById('seg-members-more');
					side.scrollTop += more.getBoundingClientRect().bottom - side.getBoundingClientRect().bottom + 12; })()`))
		}},
	}
	dir := filepath.Join("..", "docs", "screenshots")
	for _, s := range shots {
		open(t, ctx, a, s.path, s.view)
		if s.then != nil {
			s.then()
		}
		png := get(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, s.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s.png (%d bytes)", s.name, len(png))
	}
	noErrors(t, con, "province screenshots")
}
