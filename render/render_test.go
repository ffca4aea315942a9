package render

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chainscope"
	"chainscope/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden compares the panoramas of two built-in scopes with the files
// under testdata/; go test ./render -run Golden -update rewrites them
// (review the diff like code, and look at the pictures).
func TestGolden(t *testing.T) {
	ds, ix := builtin()
	for _, tc := range []struct{ area, chain, file string }{
		{"140827", "battery", "yuncheng-140827-battery.svg"}, // 垣曲县 新能源电池
		{"140830", "pharma", "yuncheng-140830-pharma.svg"},   // 芮城县 生物医药
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := SVG(ds, analyze(t, ix, tc.area, tc.chain), Options{Date: "2024-05-01"})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./render -run Golden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the rendering (%d vs %d bytes); if the change is intended, rerun with -update and review the diff", path, len(want), len(got))
			}
			assertSafeSVG(t, tc.file, want)
		})
	}
}

// TestEveryScopeSafe renders every area × chain scope of the built-in
// dataset, in both languages, and holds each to the office-safe subset.
func TestEveryScopeSafe(t *testing.T) {
	ds, ix := builtin()
	for _, a := range allScopes(t, ix) {
		for _, lang := range []string{"zh", "en"} {
			doc, err := SVG(ds, a, Options{Date: "2024-05-01", Lang: lang})
			if err != nil {
				t.Fatalf("%s %s: %v", a.Area, a.Chain, err)
			}
			assertSafeSVG(t, fmt.Sprintf("%s %s %s", a.Area, a.Chain, lang), doc)
		}
	}
}

// TestNamesWhole checks that the picture names every segment and node
// whole: the text lines of its box, joined, give the name (less the spaces
// where a line breaks), over at most three lines, and no text anywhere is
// cut with "…" — for every built-in scope in both languages, synthetic
// scopes, and a scope whose names run to 60 characters.
func TestNamesWhole(t *testing.T) {
	ds, ix := builtin()
	sds, six := small()
	type scope struct {
		name string
		ds   *chainscope.Dataset
		a    *graph.Analysis
		o    Options
	}
	var scopes []scope
	for _, a := range allScopes(t, ix) {
		scopes = append(scopes, scope{"yuncheng " + a.Area + " " + a.Chain, ds, a, Options{}},
			scope{"yuncheng en " + a.Area + " " + a.Chain, ds, a, Options{Lang: "en", Aspect: Aspects["a4"]}})
	}
	for _, a := range allScopes(t, six)[:20] {
		scopes = append(scopes, scope{"synth " + a.Area + " " + a.Chain, sds, a, Options{}})
	}
	lds, la := handScope(t, longNames)
	for _, asp := range []string{"16:9", "4:3", "a4"} {
		scopes = append(scopes, scope{"long names " + asp, lds, la, Options{Aspect: Aspects[asp]}})
	}
	for _, sc := range scopes {
		d, err := Layout(sc.ds, sc.a, sc.o)
		if err != nil {
			t.Fatal(err)
		}
		doc := d.SVG()
		assertSafeSVG(t, sc.name, doc)
		if strings.Contains(string(doc), "…") {
			t.Errorf("%s: the picture cuts a text with …", sc.name)
		}
		groups := groupTexts(t, doc)
		whole := func(kind, id, name string, texts []string, from int) {
			t.Helper()
			for k := 1; k <= maxLines && from+k <= len(texts); k++ {
				if squeeze(strings.Join(texts[from:from+k], "")) == squeeze(name) {
					return
				}
			}
			t.Errorf("%s: %s %s %q is not drawn whole in up to %d lines: %q", sc.name, kind, id, name, maxLines, texts)
		}
		for _, s := range d.Segments {
			whole("segment", s.ID, s.Name, groups["seg-"+s.ID], 0)
		}
		for _, n := range d.Nodes {
			id := "node-" + n.ID
			if n.Alias {
				id = "alias-" + d.Segments[n.Segment].ID + "-" + n.ID
			}
			whole("node", n.ID, n.Name, groups[id], 1) // after the 企/项 tag
		}
		// every node of the scope is drawn
		drawn := map[string]bool{}
		for _, n := range d.Nodes {
			drawn[n.ID] = true
		}
		for _, s := range d.Segments {
			for _, id := range s.Result.Nodes {
				if !drawn[id] {
					t.Errorf("%s: node %s of segment %s not drawn", sc.name, id, s.ID)
				}
			}
		}
	}
}

// squeeze drops the spaces of s: a line break may take the place of one.
func squeeze(s string) string { return strings.ReplaceAll(s, " ", "") }

// longNames gives the hand-made scope names of 60 characters: Chinese,
// mixed with Latin and digits, and English words with spaces.
var longNames = map[string]string{
	"E1id":  strings.Repeat("运城市盐湖区新能源电池材料", 5)[:len("运城市盐湖区新能源电池材料")*4] + "科技研究院有限公司总部基地",
	"E2":    "山西1500mm热轧卷板新建平整分卷线及配套冷轧酸洗镀锌彩涂深加工一体化项目（一期、二期、三期）工程建设指挥部",
	"E3":    "Shanxi Yuncheng Advanced Battery Materials Technology Group Co Ltd",
	"E4":    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"P1":    strings.Repeat("万荣县康养度假小镇建设", 6),
	"c.mid": "高性能锂离子动力电池正极材料前驱体及磷酸铁锂三元材料回收利用再生产环节（含检测认证与中试平台）",
	"c.up":  strings.Repeat("原料", 30),
}

// groupTexts maps the id of every group to the texts drawn inside it, in
// document order.
func groupTexts(t testing.TB, doc []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var ids []string // innermost group id at each open element
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
			cur := ""
			if len(ids) > 0 {
				cur = ids[len(ids)-1]
			}
			for _, a := range x.Attr {
				if a.Name.Local == "id" && x.Name.Local == "g" {
					cur = a.Value
				}
			}
			ids = append(ids, cur)
			buf.Reset()
		case xml.CharData:
			buf.Write(x)
		case xml.EndElement:
			if x.Name.Local == "text" {
				out[ids[len(ids)-1]] = append(out[ids[len(ids)-1]], buf.String())
			}
			buf.Reset()
			ids = ids[:len(ids)-1]
		}
	}
	return out
}

// TestHostileNames feeds markup, quotes, ampersands, bidirectional
// overrides, emoji and control characters through every string the
// picture shows, in names and ids, and expects them escaped or dropped in a
// well-formed, office-safe document.
func TestHostileNames(t *testing.T) {
	hostile := map[string]string{
		"E1":      `E"<&>'1`, // id
		"E1id":    "<script>alert(1)</script>",
		"E2":      `A & B "quoted" 'single' <b>bold</b>`,
		"E3":      "\u202Eevil\u202C RTL \u2066iso\u2069",
		"E4":      "emoji 🏭🚗 factory 🇨🇳",
		"P1":      "nul\x00ctl\x07\x1b\u0085 name\nline two",
		"c.up":    "<b>上游</b>&amp;",
		"c":       "链&<>\"'",
		"100001":  "]]><!-- -->",
		"region":  "<?xml version='1.0'?>",
		"product": "<a href='http://x'>",
	}
	ds, a := handScope(t, hostile)
	for _, lang := range []string{"zh", "en"} {
		doc, err := SVG(ds, a, Options{Lang: lang, Date: "<2024>", Title: "", Source: "src & <ref>"})
		if err != nil {
			t.Fatal(err)
		}
		assertSafeSVG(t, "hostile "+lang, doc)
		s := string(doc)
		for _, bad := range []string{"<script", "<b>", "<a ", "\u202E", "\u202C", "\u2066", "\x00", "\x07", "\x1b", "\u0085", "<!--", "]]>", "<?xml version='1.0'?>"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s: output contains %q", lang, bad)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "A &amp; B &quot;quoted&quot; &#39;single&#39;", "🏭🚗", "&lt;2024&gt;", "src &amp; &lt;ref&gt;"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: output lacks %q", lang, want)
			}
		}
		txt := readSVG(t, doc)
		if !contains(txt.ids, `node-E"<&>'1`) {
			t.Errorf("%s: the hostile id does not come back from the document: %q", lang, txt.ids)
		}
		if !containsSub(txt.titles, "nulctl name line two") {
			t.Errorf("%s: control characters not dropped in tooltip: %q", lang, txt.titles)
		}
	}
}

// TestDeterministic renders the same scope twice, from freshly built
// indexes, and expects the same bytes.
func TestDeterministic(t *testing.T) {
	ds, ix := builtin()
	sds, six := small()
	for _, tc := range []struct {
		name string
		run  func() []byte
	}{
		{"builtin", func() []byte {
			b, _ := SVG(ds, analyze(t, ix, "*", "tourism"), Options{Date: "2024-05-01"})
			return b
		}},
		{"synth", func() []byte {
			b, _ := SVG(sds, analyze(t, six, "*", "pharma"), Options{Date: "2024-05-01"})
			return b
		}},
		{"hand", func() []byte {
			ds, a := handScope(t, nil)
			b, _ := SVG(ds, a, Options{})
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := tc.run()
			for range 3 {
				if !bytes.Equal(first, tc.run()) {
					t.Fatal("two renderings of the same scope differ")
				}
			}
		})
	}
}

// TestMarks checks that every status of the hand-made scope shows the mark
// the legend explains.
func TestMarks(t *testing.T) {
	ds, a := handScope(t, nil)
	d, err := Layout(ds, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := d.SVG()
	assertSafeSVG(t, "hand", doc)
	s := string(doc)
	seg := func(id string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<g id="seg-` + regexp.QuoteMeta(id) + `">.*?</g>`).FindString(s)
		if m == "" {
			t.Fatalf("no group for segment %s", id)
		}
		return m
	}
	badge := func(text string) string { return `fill="#ffffff">` + text + `</text>` }
	for _, tc := range []struct {
		seg  string
		want []string
	}{
		{"c.gap", []string{`stroke="` + colMissing + `"`, `stroke-dasharray="7 4"`, badge("缺"), badge("断")}},
		{"c.ext", []string{`stroke="` + colExternal + `"`, `stroke-dasharray="7 4"`, badge("缺"), badge("外")}},
		{"c.up", []string{`stroke="` + colWeak + `"`, badge("单")}},
		{"c.sup", []string{`stroke="` + colWeak + `"`, `stroke-dasharray="1 3.5"`, badge("规"), badge("单")}},
		{"c.mid", []string{`stroke="` + colOK + `"`}},
	} {
		g := seg(tc.seg)
		for _, w := range tc.want {
			if !strings.Contains(g, w) {
				t.Errorf("segment %s lacks %s:\n%s", tc.seg, w, g)
			}
		}
	}
	// Broken: the flows into and out of the missing segment are red with a ✕.
	broken := 0
	for _, f := range d.Flows {
		if d.Segments[f.From].ID == "c.gap" || d.Segments[f.To].ID == "c.gap" {
			if !f.Broken {
				t.Errorf("flow %s → %s not marked broken", d.Segments[f.From].ID, d.Segments[f.To].ID)
			}
			broken++
		} else if f.Broken {
			t.Errorf("flow %s → %s marked broken", d.Segments[f.From].ID, d.Segments[f.To].ID)
		}
	}
	if broken != 2 || strings.Count(s, `<circle`) < 2+1 { // two marks and the legend's
		t.Errorf("broken flows %d, ✕ marks %d", broken, strings.Count(s, "<circle"))
	}
	// Cut node E2 with its impact, bridges thick and dark red, leader ★,
	// project rounded and tagged 项, E4 once as a node and once as an alias.
	if !regexp.MustCompile(`(?s)<g id="node-E2">.*?stroke="` + colCut + `" stroke-width="2.6".*?</g>`).MatchString(s) {
		t.Error("cut node E2 has no thick dark-red border")
	}
	for _, n := range d.Nodes {
		if n.ID == "E2" && (!n.Cut || n.Impact < 1) {
			t.Errorf("E2: cut %v impact %d", n.Cut, n.Impact)
		}
	}
	if got := strings.Count(s, `stroke="`+colCut+`" stroke-width="3"`); got != len(a.Bridges)+1 { // + legend
		t.Errorf("%d thick dark-red links, want %d bridges + legend", got, len(a.Bridges))
	}
	if !regexp.MustCompile(`(?s)<g id="node-E1">.*?★.*?</g>`).MatchString(s) {
		t.Error("chain leader E1 has no ★")
	}
	if !regexp.MustCompile(`(?s)<g id="node-P1">.*?rx="12".*?>项</text>`).MatchString(s) {
		t.Error("project P1 is not rounded with a 项 tag")
	}
	if !strings.Contains(s, `id="node-E4"`) || !strings.Contains(s, `id="alias-c.down-E4"`) {
		t.Error("E4 (two segments) not drawn once in c.mid and as an alias in c.down")
	}
	for _, n := range d.Nodes {
		if n.ID == "E4" && !n.Alias && d.Segments[n.Segment].ID != "c.mid" {
			t.Errorf("E4 drawn in %s, want its first segment c.mid", d.Segments[n.Segment].ID)
		}
	}
	// Legend explains every mark; footer carries source, completeness, counts.
	txt := readSVG(t, doc)
	for _, w := range []string{"正常", "薄弱·单一", "薄弱·仅规划", "缺链", "断链", "外部供给", "企业", "项目", "链主",
		"关键节点（数字=失联数）", "关键链接", "供需关系", "环节流向", "另见（跨环节）",
		"chainscope · 数据来源：示例市", "完整度 66.67% · 企业 4 · 项目 1 · 供需关系 4", "甲县 · 示例链 产业链全景"} {
		if !contains(txt.texts, w) {
			t.Errorf("no text %q", w)
		}
	}
}

// TestEnglish checks the English labels.
func TestEnglish(t *testing.T) {
	ds, a := handScope(t, nil)
	doc, err := SVG(ds, a, Options{Lang: "en", Title: "Briefing", Date: "2024-05-01", Source: "test data"})
	if err != nil {
		t.Fatal(err)
	}
	txt := readSVG(t, doc)
	for _, w := range []string{"Briefing", "Legend", "missing", "broken", "supplied externally", "weak: single",
		"weak: planned only", "chain leader", "test data", "completeness 66.67% · enterprises 4 · projects 1 · supply links 4"} {
		if !contains(txt.texts, w) {
			t.Errorf("no text %q in %q", w, txt.texts)
		}
	}
	for _, zhOnly := range []string{"图例", "缺链", "产业链全景"} {
		if contains(txt.texts, zhOnly) {
			t.Errorf("English picture shows %q", zhOnly)
		}
	}
}

// TestCompact checks that a scope above MaxNodes shows counts per segment
// and no node boxes or links.
func TestCompact(t *testing.T) {
	ds, ix := builtin()
	a := analyze(t, ix, "*", "tourism")
	n := a.Totals.Enterprises + a.Totals.Projects
	for _, max := range []int{n - 1, -1} {
		d, err := Layout(ds, a, Options{MaxNodes: max})
		if err != nil {
			t.Fatal(err)
		}
		if !d.Compact || len(d.Nodes) != 0 || len(d.Links) != 0 {
			t.Fatalf("MaxNodes %d: compact %v, %d nodes, %d links", max, d.Compact, len(d.Nodes), len(d.Links))
		}
		doc := d.SVG()
		assertSafeSVG(t, "compact", doc)
		if strings.Contains(string(doc), `id="node-`) {
			t.Error("compact picture has node boxes")
		}
		txt := readSVG(t, doc)
		for _, s := range d.Segments {
			if w := fmt.Sprintf("企业 %d · 项目 %d", s.Ents, s.Projects); !contains(txt.texts, w) {
				t.Errorf("segment %s: no count %q", s.ID, w)
			}
		}
		if !containsSub(txt.texts, fmt.Sprintf("共 %d 个节点", n)) {
			t.Error("no note that the picture shows counts")
		}
	}
	d, err := Layout(ds, a, Options{MaxNodes: n})
	if err != nil || d.Compact {
		t.Fatalf("MaxNodes = scope size: compact %v, %v", d.Compact, err)
	}
}

// TestErrors checks what Layout refuses.
func TestErrors(t *testing.T) {
	ds, a := handScope(t, nil)
	if _, err := Layout(nil, a, Options{}); err == nil {
		t.Error("nil dataset accepted")
	}
	if _, err := Layout(ds, nil, Options{}); err == nil {
		t.Error("nil analysis accepted")
	}
	other := *a
	other.Chain = "nope"
	if _, err := Layout(ds, &other, Options{}); err == nil {
		t.Error("unknown chain accepted")
	}
	ghost := *a
	ghost.Segments = append([]graph.SegmentResult(nil), a.Segments...)
	ghost.Segments[0].Nodes = []string{"ghost"}
	if _, err := Layout(ds, &ghost, Options{}); err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("unknown node: %v", err)
	}
}

// TestEmptyChain draws a chain without segments as a titled picture.
func TestEmptyChain(t *testing.T) {
	ds, a := handScope(t, nil)
	empty := &graph.Analysis{Area: a.Area, Chain: a.Chain, Segments: []graph.SegmentResult{}}
	doc, err := SVG(ds, empty, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertSafeSVG(t, "empty", doc)
	if !contains(readSVG(t, doc).texts, "该产业链未定义环节") {
		t.Error("no message for a chain without segments")
	}
}
