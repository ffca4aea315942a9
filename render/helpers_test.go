package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// builtin is the built-in 运城市 dataset and its index, built once.
var builtin = sync.OnceValues(func() (*chainscope.Dataset, *graph.Index) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		panic(err)
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		panic(err)
	}
	return ds, ix
})

// small is synth.Small() and its index, built once.
var small = sync.OnceValues(func() (*chainscope.Dataset, *graph.Index) {
	ds := synth.Generate(synth.Small())
	ix, err := graph.NewIndex(ds)
	if err != nil {
		panic(err)
	}
	return ds, ix
})

func analyze(t testing.TB, ix *graph.Index, area, chain string) *graph.Analysis {
	t.Helper()
	a, err := ix.Analyze(area, chain)
	if err != nil {
		t.Fatalf("Analyze(%s, %s): %v", area, chain, err)
	}
	return a
}

// allScopes is every area × chain analysis of an index.
func allScopes(t testing.TB, ix *graph.Index) []*graph.Analysis {
	t.Helper()
	all, err := ix.AnalyzeAll()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// assertSafeSVG fails the test when doc is not well-formed or uses a
// construct outside the office-safe subset (CheckSVG). Tests of other
// packages can call CheckSVG the same way on what they serve.
func assertSafeSVG(t testing.TB, name string, doc []byte) {
	t.Helper()
	if err := CheckSVG(doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// svgText is what an SVG shows: the content of every <text>, and the
// content of every <title> (tooltips), in document order, with the ids.
type svgText struct {
	texts, titles, ids []string
}

func readSVG(t testing.TB, doc []byte) svgText {
	t.Helper()
	var out svgText
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	var buf strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			stack = append(stack, x.Name.Local)
			buf.Reset()
			for _, a := range x.Attr {
				if a.Name.Local == "id" {
					out.ids = append(out.ids, a.Value)
				}
			}
		case xml.CharData:
			buf.Write(x)
		case xml.EndElement:
			switch x.Name.Local {
			case "text":
				out.texts = append(out.texts, buf.String())
			case "title":
				out.titles = append(out.titles, buf.String())
			}
			buf.Reset()
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsSub(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func f64(x float64) *float64 { return &x }

// handDataset is a small region built to show every mark: in area 100001
// the chain "c" has an upstream segment with one enterprise (weak, single),
// a missing segment between two present ones (broken), a missing segment
// supplied from the neighbouring county (external), a healthy midstream
// and downstream, and a support segment with one signed project (weak,
// single and planned only); one enterprise lists two segments. names
// overrides node and segment names by id.
func handDataset(names map[string]string) *chainscope.Dataset {
	name := func(id, def string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return def
	}
	e1 := name("E1id", "E1")
	return &chainscope.Dataset{
		Region: chainscope.Region{Code: "100000", Name: name("region", "示例市")},
		Counties: []chainscope.County{
			{Code: "100001", Name: name("100001", "甲县"), Kind: chainscope.KindCounty},
			{Code: "100002", Name: "乙县", Kind: chainscope.KindCounty},
		},
		Chains: []chainscope.Chain{{
			ID: "c", Name: name("c", "示例链"),
			Segments: []chainscope.Segment{
				{ID: "c.up", Name: name("c.up", "原料"), Stage: chainscope.StageUpstream},
				{ID: "c.gap", Name: name("c.gap", "中间体"), Stage: chainscope.StageMidstream},
				{ID: "c.mid", Name: name("c.mid", "材料"), Stage: chainscope.StageMidstream},
				{ID: "c.ext", Name: name("c.ext", "外购件"), Stage: chainscope.StageMidstream},
				{ID: "c.down", Name: name("c.down", "整机"), Stage: chainscope.StageDownstream},
				{ID: "c.sup", Name: name("c.sup", "配套服务"), Stage: chainscope.StageSupport},
			},
			Flows: []chainscope.Flow{
				{From: "c.up", To: "c.gap"}, {From: "c.gap", To: "c.down"},
				{From: "c.up", To: "c.mid"}, {From: "c.mid", To: "c.down"},
				{From: "c.ext", To: "c.down"}, {From: "c.sup", To: "c.mid"},
			},
		}},
		Enterprises: []chainscope.Enterprise{
			{ID: name("E1", "E1"), Name: e1, County: "100001", Segments: []string{"c.up"}, LeaderOf: []string{"c"}},
			{ID: "E2", Name: name("E2", "E2"), County: "100001", Segments: []string{"c.mid"}},
			{ID: "E3", Name: name("E3", "E3"), County: "100001", Segments: []string{"c.down"}},
			{ID: "E4", Name: name("E4", "E4"), County: "100001", Segments: []string{"c.mid", "c.down"}},
			{ID: "EB", Name: "乙县外购件厂", County: "100002", Segments: []string{"c.ext"}},
		},
		Projects: []chainscope.Project{
			{ID: "P1", Name: name("P1", "P1"), County: "100001", Segments: []string{"c.sup"},
				InvestmentWan: f64(12000), Signed: "2024-03-15", Status: chainscope.StatusSigned},
		},
		Links: []chainscope.Link{
			{From: name("E1", "E1"), To: "E2", Product: name("product", "原料")},
			{From: "E2", To: "E3"},
			{From: name("E1", "E1"), To: "E4"},
			{From: "P1", To: "E2"},
			{From: "EB", To: "E3"},
		},
	}
}

func handScope(t testing.TB, names map[string]string) (*chainscope.Dataset, *graph.Analysis) {
	t.Helper()
	ds := handDataset(names)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatalf("NewIndex: %v", err)
	}
	return ds, analyze(t, ix, "100001", "c")
}
