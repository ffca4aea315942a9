package static_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chainscope/graph"
)

// relatedRow is one row of the 延链建议 section as the page shows it.
type relatedRow struct {
	Segment string `json:"segment"`
	Chain   string `json:"chain"`
	Density string `json:"density"` // the number next to the bar
	Bar     string `json:"bar"`     // the bar's width in the meter
	Track   string `json:"track"`   // the meter's full width
	Because string `json:"because"`
}

const readRelated = `[...document.querySelectorAll('#related-table .rel-row')].map((r) => ({
	segment: r.dataset.segment, chain: r.dataset.chain,
	density: r.querySelector('.rel-density').textContent,
	bar: r.querySelector('.meter-bar').getAttribute('width'),
	track: r.querySelector('.meter-track').getAttribute('width'),
	because: r.querySelector('.rel-because').textContent}))`

// TestRelatedSuggestions: the gap report of a county lists the API's 延链
// suggestions (SPEC §11) in the API's order with their densities as bars
// and numbers, names the `because` segments in words, says what density
// means, and a click on a suggestion opens the panorama of that chain in
// that county with the segment marked.
func TestRelatedSuggestions(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	names := map[string]string{}
	for _, c := range a.ds.Chains {
		for _, s := range c.Segments {
			names[s.ID] = s.Name
		}
	}
	for _, sc := range []struct{ area, chain string }{{"140827", ""}, {"140802", ""}, {"140830", "pharma"}} {
		var rel graph.Relatedness
		a.getJSON("/api/v1/relatedness?area="+sc.area+"&chain="+sc.chain+"&limit=8", &rel)
		var want []graph.Suggestion
		for _, s := range rel.Suggestions {
			if s.Density > 0 {
				want = append(want, s)
			}
		}
		if len(want) == 0 {
			t.Fatalf("%v: the API suggests nothing with a density; pick another county", sc)
		}
		open(t, ctx, a, "/gaps?area="+sc.area+"&chain="+sc.chain, "gaps")
		rows := eval[[]relatedRow](t, ctx, readRelated)
		if len(rows) != len(want) {
			t.Fatalf("%v: %d suggestions on the page, the API has %d with a density", sc, len(rows), len(want))
		}
		for i, s := range want {
			r := rows[i]
			if r.Segment != s.Segment || r.Chain != s.Chain {
				t.Errorf("%v row %d: %s (%s), the API has %s (%s)", sc, i, r.Segment, r.Chain, s.Segment, s.Chain)
			}
			if r.Density != strconv.FormatFloat(s.Density, 'f', 2, 64) {
				t.Errorf("%v %s: density shown %q, the API says %v", sc, s.Segment, r.Density, s.Density)
			}
			bar, _ := strconv.ParseFloat(r.Bar, 64)
			track, _ := strconv.ParseFloat(r.Track, 64)
			if track == 0 || abs(bar/track-s.Density) > 0.01 {
				t.Errorf("%v %s: the bar is %s of %s wide for a density of %v", sc, s.Segment, r.Bar, r.Track, s.Density)
			}
			if len(s.Because) == 0 {
				continue
			}
			first := s.Because[0]
			if !strings.HasPrefix(r.Because, "因为") || !strings.Contains(r.Because, names[first.Segment]+"（邻近度 "+strconv.FormatFloat(first.Proximity, 'f', 2, 64)+"）") {
				t.Errorf("%v %s: the reason reads %q; want the first of %v in words", sc, s.Segment, r.Because, s.Because)
			}
			for _, b := range s.Because[1:] {
				if !strings.Contains(r.Because, names[b.Segment]) {
					t.Errorf("%v %s: the reason %q does not name %s", sc, s.Segment, r.Because, b.Segment)
				}
			}
		}
		if explain := text(t, ctx, "#related .rel-explain"); !strings.Contains(explain, "不是预测") {
			t.Errorf("%v: the section does not say what density means: %q", sc, explain)
		}
	}

	// A click on a suggestion opens the panorama with the segment marked.
	open(t, ctx, a, "/gaps?area=140827", "gaps")
	first := eval[relatedRow](t, ctx, readRelated+`[0]`)
	do(t, ctx, click(`#related-table .rel-row:first-child .rel-because`), waitReady("panorama"),
		until(`document.querySelector('#cs-overlay') !== null && document.getElementById('detail-panel').dataset.key !== ''`))
	loc := get(t, ctx, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); u.Path != "/panorama" || q.Get("area") != "140827" || q.Get("chain") != first.Chain || q.Get("seg") != first.Segment {
		t.Errorf("the suggestion %s (%s) led to %s", first.Segment, first.Chain, loc)
	}
	if got := eval[string](t, ctx, `document.getElementById('chain-select').value + ' ' + document.getElementById('area-select').value`); got != first.Chain+" 140827" {
		t.Errorf("the panorama shows %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#seg-list .seg-row.is-selected')?.dataset.id || ''`); got != first.Segment {
		t.Errorf("the segment list marks %q, want %s", got, first.Segment)
	}
	if got := eval[string](t, ctx, `document.getElementById('detail-panel').dataset.key`); got != first.Segment {
		t.Errorf("the panel shows %q, want %s", got, first.Segment)
	}
	// The ring is drawn around the segment's box in the picture.
	ring := fmt.Sprintf(`(() => {
		const g = document.getElementById(%q).getBBox();
		const r = document.querySelector('#cs-overlay rect');
		return Math.abs(r.x.baseVal.value + 4 - g.x) < 0.5 && Math.abs(r.y.baseVal.value + 4 - g.y) < 0.5;
	})()`, "seg-"+first.Segment)
	if !eval[bool](t, ctx, ring) {
		t.Errorf("the highlight is not around seg-%s", first.Segment)
	}

	// The whole region and a zone have no suggestions of their own: a hint.
	open(t, ctx, a, "/gaps?area=*", "gaps")
	if eval[bool](t, ctx, `document.querySelector('#related-table') !== null || document.querySelector('#related-hint') === null`) {
		t.Error("the whole region: want the hint to choose a county, not a list")
	}
	open(t, ctx, a, "/gaps?area=140881-01", "gaps")
	if got := eval[string](t, ctx, `document.querySelector('#related-hint a')?.getAttribute('href') || ''`); got != "/gaps?area=140881" {
		t.Errorf("a zone: the hint links to %q, want its county's report", got)
	}
	noErrors(t, con, "related")
}

// TestClusterCloseness: the cluster map's switch colours every county ×
// chain cell by the API's closeness on its own scale, shows the legend,
// marks a cell without closeness as not applicable, keeps the choice in
// the address and switches back.
func TestClusterCloseness(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	var cl struct {
		Cells []struct {
			Area, Chain string
			Closeness   *float64
		}
	}
	a.getJSON("/api/v1/cluster", &cl)
	open(t, ctx, a, "/cluster", "cluster")
	if eval[bool](t, ctx, `document.getElementById('closeness-legend') !== null || document.getElementById('heat-legend') === null`) {
		t.Fatal("the map should open coloured by completeness")
	}
	do(t, ctx, click(`#cluster-color [data-measure="closeness"]`), until(`document.getElementById('closeness-legend') !== null`))
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/cluster?color=closeness") {
		t.Errorf("the switch left the address at %s", loc)
	}
	ticks := text(t, ctx, "#closeness-legend .close-legend-ticks")
	if !strings.HasPrefix(ticks, "0") || !strings.HasSuffix(ticks, "1") {
		t.Errorf("the legend's scale reads %q, want 0 … 1", ticks)
	}
	cells := eval[map[string][]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('#cluster-matrix td.matrix-cell[data-area]')].map((c) =>
		[c.dataset.area + '/' + c.dataset.chain, [[...c.classList].find((k) => k.startsWith('close-') || k === 'heat-none') || '', c.querySelector('.matrix-pct').textContent]]))`)
	steps := []float64{0, 0.05, 0.1, 0.2, 0.3, 0.5}
	seen := map[string]bool{}
	nulls := 0
	for _, c := range cl.Cells {
		got := cells[c.Area+"/"+c.Chain]
		if len(got) != 2 {
			t.Errorf("cell %s/%s is not on the map", c.Area, c.Chain)
			continue
		}
		if c.Closeness == nil {
			nulls++
			if got[0] != "heat-none" || got[1] != "不适用" {
				t.Errorf("cell %s/%s has no closeness but shows %v", c.Area, c.Chain, got)
			}
			continue
		}
		step := 0
		for i, s := range steps {
			if *c.Closeness >= s {
				step = i
			}
		}
		want := fmt.Sprintf("close-%d", step)
		seen[want] = true
		if got[0] != want || got[1] != strconv.FormatFloat(*c.Closeness, 'f', 2, 64) {
			t.Errorf("cell %s/%s: closeness %v shown as %v, want %s", c.Area, c.Chain, *c.Closeness, got, want)
		}
	}
	if len(seen) < 3 {
		t.Errorf("the built-in data should use several colours of the scale, used %v", seen)
	}
	t.Logf("%d cells, %d without closeness, colours %v", len(cl.Cells), nulls, seen)

	// A deep link keeps the choice; the switch goes back to completeness.
	open(t, ctx, a, "/cluster?color=closeness", "cluster")
	do(t, ctx, until(`document.getElementById('closeness-legend') !== null`),
		click(`#cluster-color [data-measure="completeness"]`), until(`document.getElementById('heat-legend') !== null`))
	if eval[bool](t, ctx, `document.querySelector('#cluster-matrix td[class*="close-"]') !== null`) {
		t.Error("cells kept the closeness colours after switching back")
	}
	noErrors(t, con, "cluster closeness")
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
