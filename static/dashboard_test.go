package static_test

import (
	"strconv"
	"strings"
	"testing"

	"chainscope/graph"
	"chainscope/synth"
)

// dashboardJSON is the dashboard with the row of the projects of no
// county (contract of issue #12, item 5).
type dashboardJSON struct {
	graph.Dashboard
	RegionLevel *graph.AreaFigures `json:"region_level"`
}

// TestDashboardAddsUp: the county table of a province with 100 counties
// has a row for the projects of no county (省本级) and adds up to the
// region's signed projects; the bar chart draws the top 20 counties and
// the rest as one bar (其他 N 个县区), the table lists every one; without
// a known target no percentage is shown. The built-in 运城市 data keeps
// its 市本级 row and its target. A province's pages say 全省.
func TestDashboardAddsUp(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 3000, Projects: 1500, Links: 6000, Seed: 7, Counties: 100})
	a := newAppWith(t, ds)
	ctx, con := browserCtx(t, 1280, 720)
	var d dashboardJSON
	a.getJSON("/api/v1/dashboard", &d)
	if d.RegionLevel == nil {
		t.Fatal("the synthetic province has no 省本级 projects: the dashboard has no region_level")
	}
	open(t, ctx, a, "/dashboard", "dashboard")

	rows := eval[int](t, ctx, `document.getElementById('dash-county-table').tBodies[0].rows.length`)
	if rows != len(d.Counties)+1 {
		t.Errorf("the county table has %d rows, want %d counties and the 省本级 row", rows, len(d.Counties))
	}
	own := text(t, ctx, `.card table tr.dash-region-row th`)
	if !strings.Contains(own, "省本级") || !strings.Contains(own, ds.Region.Name) {
		t.Errorf("the region's own row is named %q, want %s · 省本级", own, ds.Region.Name)
	}
	signed := d.RegionLevel.Signed
	for _, c := range d.Counties {
		signed += c.Signed
	}
	if signed != d.Region.Signed {
		t.Errorf("the rows add up to %d signed projects, the region has %d", signed, d.Region.Signed)
	}

	bars := eval[[]string](t, ctx, `[...document.querySelectorAll('svg.chart')[0].querySelectorAll('.chart-label')].map((x) => x.textContent)`)
	others := len(d.Counties) + 1 - 20
	if len(bars) != 21 || bars[20] != "其他 "+strconv.Itoa(others)+" 个县区" {
		t.Errorf("the county chart has %d bars, the last %q; want 20 and 其他 %d 个县区", len(bars), bars[len(bars)-1], others)
	}

	if d.Region.TargetWan != 0 {
		t.Fatalf("the synthetic province has a target of %v 万元", d.Region.TargetWan)
	}
	if kpi := text(t, ctx, "#kpi-investment"); strings.Contains(kpi, "%") {
		t.Errorf("without a target the investment card shows a percentage: %q", kpi)
	}

	// A province is 全省, never 全市.
	open(t, ctx, a, "/panorama?area=*&chain="+ds.Chains[0].ID, "panorama")
	if h1 := text(t, ctx, "h1"); !strings.HasPrefix(h1, "全省") {
		t.Errorf("the province's panorama is titled %q, want 全省 …", h1)
	}
	open(t, ctx, a, "/gaps?area=*&chain="+ds.Chains[0].ID, "gaps")
	if v := text(t, ctx, "#view"); strings.Contains(v, "全市") || !strings.Contains(v, "全省范围内") {
		t.Errorf("the province's gap report says 全市 or lacks 全省: %.200q", v)
	}

	// The built-in city: its 市本级 row, and its target's percentage.
	b := newApp(t)
	var y dashboardJSON
	b.getJSON("/api/v1/dashboard", &y)
	open(t, ctx, b, "/dashboard", "dashboard")
	if y.RegionLevel != nil {
		if own := text(t, ctx, `.card table tr.dash-region-row th`); !strings.Contains(own, "市本级") {
			t.Errorf("the city's own row is named %q", own)
		}
	}
	if kpi := text(t, ctx, "#kpi-investment"); y.Region.TargetWan > 0 != strings.Contains(kpi, "%") {
		t.Errorf("target %v 万元, the investment card reads %q", y.Region.TargetWan, kpi)
	}
	noErrors(t, con, "dashboard adds up")
}
