package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// builtinBounds is the vendored boundaries of the built-in dataset.
var builtinBounds = sync.OnceValue(func() []chainscope.Boundary {
	ds, _ := builtin()
	bs, err := yuncheng.Boundaries(ds)
	if err != nil {
		panic(err)
	}
	return bs
})

func mustMap(t testing.TB, ds *chainscope.Dataset, ix *graph.Index, bs []chainscope.Boundary, o MapOptions) []byte {
	t.Helper()
	doc, err := Map(ds, ix, bs, o)
	if err != nil {
		t.Fatalf("Map(%+v): %v", o, err)
	}
	assertSafeSVG(t, "map "+o.Chain, doc)
	if dir := os.Getenv("CHAINSCOPE_MAP_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("map-%s-%s-%s.svg", o.Chain, o.Metric, o.Lang)), doc, 0o644)
	}
	return doc
}

var countyPath = regexp.MustCompile(`<path id="county-([^"]+)"`)

// TestMapBuiltin draws every chain of the built-in region: 13 county
// paths, each county named on the map or in the legend, a legend, and the
// chain's cross-county flows exactly as ChainCluster gives them.
func TestMapBuiltin(t *testing.T) {
	ds, ix := builtin()
	for _, ch := range ds.Chains {
		doc := mustMap(t, ds, ix, builtinBounds(), MapOptions{Chain: ch.ID, Date: "2024-04-30"})
		var codes []string
		for _, m := range countyPath.FindAllSubmatch(doc, -1) {
			codes = append(codes, string(m[1]))
		}
		if len(codes) != 13 {
			t.Fatalf("%s: %d county paths %v", ch.ID, len(codes), codes)
		}
		s := readSVG(t, doc)
		for _, c := range ds.Counties {
			if c.Kind == chainscope.KindZone {
				if !contains(s.ids, "zone-"+c.Code) {
					t.Errorf("%s: no dot for zone %s", ch.ID, c.Code)
				}
				continue
			}
			if !contains(s.texts, c.Name) && !containsSub(s.texts, c.Name+" "+c.Code) {
				t.Errorf("%s: county %s %s is named nowhere", ch.ID, c.Code, c.Name)
			}
			if !containsSub(s.titles, c.Name+" "+c.Code) {
				t.Errorf("%s: county %s has no tooltip", ch.ID, c.Code)
			}
		}
		if !contains(s.ids, "legend") || !contains(s.texts, "产业链完整度") || !contains(s.texts, "跨县供需关系（按条数）") {
			t.Errorf("%s: no legend", ch.ID)
		}
		cl, err := ix.ChainCluster(ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for _, f := range cl.Flows {
			want = append(want, "flow-"+f.From+"-"+f.To)
		}
		for _, id := range s.ids {
			if strings.HasPrefix(id, "flow-") {
				got = append(got, id)
			}
		}
		if len(want) > MaxMapFlows {
			t.Fatalf("%s: %d flows; the built-in region should draw them all", ch.ID, len(want))
		}
		if strings.Join(sortedCopy(got), ",") != strings.Join(sortedCopy(want), ",") {
			t.Errorf("%s: flows drawn %v, want %v", ch.ID, got, want)
		}
		if again := mustMap(t, ds, ix, builtinBounds(), MapOptions{Chain: ch.ID, Date: "2024-04-30"}); !bytes.Equal(doc, again) {
			t.Errorf("%s: two renderings differ", ch.ID)
		}
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

// TestMapMetricsAndLanguages checks each metric fills and labels the
// counties by its own figure, in both languages.
func TestMapMetricsAndLanguages(t *testing.T) {
	ds, ix := builtin()
	cl, err := ix.ChainCluster("battery")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, metric := range MapMetrics {
			doc := mustMap(t, ds, ix, builtinBounds(), MapOptions{Chain: "battery", Metric: metric, Lang: lang})
			s := readSVG(t, doc)
			title := mapMessagesFor(lang).metric[metric]
			if !contains(s.texts, title) {
				t.Errorf("%s %s: legend title %q missing", lang, metric, title)
			}
			for _, cell := range cl.Cells {
				var want string
				switch metric {
				case MetricCompleteness:
					want = fmtPct(cell.Completeness)
				case MetricInvestment:
					want = chainscope.FormatAmount(cell.InvestmentWan, lang)
				case MetricRelatedness:
					if x, ok := ix.ChainCloseness(cell.Area, "battery"); ok {
						want = mapFixed(x, 4)
					}
				}
				if want != "" && !containsSub(s.titles, cell.Area+"\n"+title) {
					t.Errorf("%s %s: tooltip of %s lacks the metric", lang, metric, cell.Area)
				}
				if want != "" && !containsSub(s.titles, want) {
					t.Errorf("%s %s: value %s of %s shown nowhere", lang, metric, want, cell.Area)
				}
			}
			if lang == "en" && !containsSub(s.texts, "cluster map") {
				t.Errorf("no English title")
			}
		}
	}
	if _, err := Map(ds, ix, builtinBounds(), MapOptions{Chain: "battery", Metric: "beauty"}); chainscope.ErrorCode(err) != chainscope.EINVALID {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := Map(ds, ix, builtinBounds(), MapOptions{Chain: "nope"}); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
		t.Errorf("unknown chain: %v", err)
	}
	if _, err := Map(ds, ix, builtinBounds()[1:], MapOptions{Chain: "battery"}); err == nil || !strings.Contains(err.Error(), "140802") {
		t.Errorf("a county without a boundary: %v", err)
	}
}

// gridBounds gives each county of ds (not zones) a square of a grid over
// 34–40°N, 110–116°E, with a hole in every seventh and a second square
// (an exclave) in every eleventh: synthetic polygons for a province.
func gridBounds(ds *chainscope.Dataset) []chainscope.Boundary {
	var codes []chainscope.County
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone {
			codes = append(codes, c)
		}
	}
	n := 1
	for n*n < len(codes) {
		n++
	}
	step := 6.0 / float64(n)
	sq := func(x, y, s float64) [][2]float64 {
		return [][2]float64{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	var bs []chainscope.Boundary
	for i, c := range codes {
		x, y := 110+float64(i%n)*step, 40-float64(i/n+1)*step
		poly := [][][2]float64{sq(x, y, step)}
		if i%7 == 3 {
			poly = append(poly, sq(x+step*0.1, y+step*0.1, step*0.15))
		}
		polys := [][][][2]float64{poly}
		if i%11 == 5 {
			polys = append(polys, [][][2]float64{sq(x+step*0.8, y+step*0.8, step*0.1)})
		}
		bs = append(bs, chainscope.Boundary{Code: c.Code, Name: c.Name, Polygons: polys})
	}
	return bs
}

// provinceMap is a synthetic province of 117 counties (a tenth of the
// province scale's records, the same geography) with grid boundaries.
var provinceMap = sync.OnceValues(func() (*chainscope.Dataset, *graph.Index) {
	o := synth.Province()
	o.Counties = 117
	if !testing.Short() && os.Getenv("CHAINSCOPE_MAP_FULL") == "" {
		o.Enterprises, o.Projects, o.Links = o.Enterprises/10, o.Projects/10, o.Links/10
	}
	ds := synth.Generate(o)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		panic(err)
	}
	return ds, ix
})

// TestMapProvince draws a 117-county province: every county a path, most
// named on the map and the rest in the legend, at most MaxMapFlows flows
// with the rest summed, holes and exclaves drawn as extra subpaths.
func TestMapProvince(t *testing.T) {
	ds, ix := provinceMap()
	bs := gridBounds(ds)
	if len(bs) != 117 {
		t.Fatalf("%d counties", len(bs))
	}
	chain := ds.Chains[0].ID
	doc := mustMap(t, ds, ix, bs, MapOptions{Chain: chain})
	if n := len(countyPath.FindAll(doc, -1)); n != 117 {
		t.Fatalf("%d county paths", n)
	}
	s := readSVG(t, doc)
	labelled := 0
	for _, b := range bs {
		switch {
		case contains(s.texts, b.Name):
			labelled++
		case !containsSub(s.texts, b.Name+" "+b.Code):
			t.Errorf("county %s named nowhere", b.Code)
		}
	}
	if labelled < 100 {
		t.Errorf("only %d of 117 counties named on the map", labelled)
	}
	cl, _ := ix.ChainCluster(chain)
	flows := 0
	for _, id := range s.ids {
		if strings.HasPrefix(id, "flow-") {
			flows++
		}
	}
	if len(cl.Flows) <= MaxMapFlows || flows != MaxMapFlows {
		t.Fatalf("%d flows drawn of %d", flows, len(cl.Flows))
	}
	if !containsSub(s.texts, fmt.Sprintf("另有 %d 组流向", len(cl.Flows)-MaxMapFlows)) {
		t.Error("the flows not drawn are not summed in the legend")
	}
	// County 3 has a hole (two subpaths), county 5 an exclave (two).
	for _, k := range []int{3, 5} {
		re := regexp.MustCompile(`<path id="county-` + regexp.QuoteMeta(bs[k].Code) + `" d="([^"]+)"`)
		m := re.FindSubmatch(doc)
		if m == nil || bytes.Count(m[1], []byte("M")) != 2 {
			t.Errorf("county %d: path %q, want two subpaths", k, m)
		}
	}
}

// BenchmarkMapProvince draws one chain's map of a province of 117 counties
// with synthetic polygons, the chain's cluster included (what the server
// does on a cache miss). CHAINSCOPE_MAP_FULL=1 uses the full province
// scale (1 000 000 links).
func BenchmarkMapProvince(b *testing.B) {
	ds, ix := provinceMap()
	bs := gridBounds(ds)
	chain := ds.Chains[0].ID
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Map(ds, ix, bs, MapOptions{Chain: chain}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMapHostileNames: names from the dataset are escaped and cleaned on
// the map as on the panorama, and the document stays office-safe.
func TestMapHostileNames(t *testing.T) {
	base, _ := builtin()
	ds := *base
	ds.Counties = append([]chainscope.County(nil), base.Counties...)
	ds.Region.Name = `运城<script>alert(1)</script>`
	for i := range ds.Counties {
		switch ds.Counties[i].Code {
		case "140827":
			ds.Counties[i].Name = `垣曲"&<b>` + "\u202e" + `县`
		case "140827-01":
			ds.Counties[i].Name = `园区</title><text>`
		}
	}
	ix, err := graph.NewIndex(&ds)
	if err != nil {
		t.Fatal(err)
	}
	doc := mustMap(t, &ds, ix, builtinBounds(), MapOptions{Chain: "battery"})
	if bytes.Contains(doc, []byte("<script>")) || bytes.Contains(doc, []byte("<b>")) || bytes.Contains(doc, []byte("\u202e")) {
		t.Fatal("a name reached the SVG unescaped")
	}
	s := readSVG(t, doc)
	if !containsSub(s.titles, `垣曲"&<b>县 140827`) || !containsSub(s.titles, `园区</title><text>`) {
		t.Errorf("hostile names not shown as text: %v", s.titles)
	}
}
