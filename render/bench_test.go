package render

import (
	"sync"
	"testing"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
)

// scope500 is a 501-node scope: the battery chain of a synthetic city,
// region-wide, with 1 539 supply links.
var scope500 = sync.OnceValues(func() (*chainscope.Dataset, *graph.Analysis) {
	ds := synth.Generate(synth.Options{Enterprises: 3800, Projects: 950, Links: 15200, Seed: 5})
	ix, err := graph.NewIndex(ds)
	if err != nil {
		panic(err)
	}
	a, err := ix.Analyze(graph.AllAreas, "battery")
	if err != nil {
		panic(err)
	}
	return ds, a
})

// BenchmarkSVG500 renders a 500-node scope node by node (MaxNodes raised
// above the default so that it is not drawn as counts).
func BenchmarkSVG500(b *testing.B) {
	ds, a := scope500()
	if n := a.Totals.Enterprises + a.Totals.Projects; n < 500 {
		b.Fatalf("scope has %d nodes", n)
	}
	o := Options{Date: "2024-05-01", MaxNodes: 1000}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SVG(ds, a, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSVG500Compact renders the same scope with the default
// MaxNodes, which draws per-segment counts.
func BenchmarkSVG500Compact(b *testing.B) {
	ds, a := scope500()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SVG(ds, a, Options{Date: "2024-05-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSVGProvinceCompact renders the whole-region panorama of one
// chain of the province (provinceMap: a tenth of the province scale, the
// full one with CHAINSCOPE_MAP_FULL=1), which is drawn as per-segment
// counts: what GET /export.svg?area=* does on a cache miss.
func BenchmarkSVGProvinceCompact(b *testing.B) {
	ds, ix := provinceMap()
	a, err := ix.Analyze(graph.AllAreas, ds.Chains[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SVG(ds, a, Options{Date: "2024-05-01"}); err != nil {
			b.Fatal(err)
		}
	}
}
