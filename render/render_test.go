package render

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
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

// TestOneLanguage checks that a picture speaks one language: no Latin
// word in a Chinese picture and no Chinese in an English one, in the texts
// drawn and in the tooltips, once the names and ids of the data (regions,
// counties, chains, segments, enterprises, projects, products) are taken
// out. "chainscope", the product's name, is a name too.
func TestOneLanguage(t *testing.T) {
	ds, ix := builtin()
	var names []string
	add := func(s ...string) {
		for _, x := range s {
			if x = cleanText(x); x != "" {
				names = append(names, x)
			}
		}
	}
	add("chainscope", ds.Region.Name, ds.Region.Code)
	for _, c := range ds.Counties {
		add(c.Name, c.Code)
	}
	for _, c := range ds.Chains {
		add(c.Name, c.ID)
		for _, s := range c.Segments {
			add(s.Name, s.ID)
		}
	}
	for _, e := range ds.Enterprises {
		add(e.Name, e.ID)
	}
	for _, p := range ds.Projects {
		add(p.Name, p.ID)
	}
	for _, l := range ds.Links {
		add(l.Product)
	}
	// Longest first, so that a name is taken out before a shorter one it holds.
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	latin := regexp.MustCompile(`[A-Za-z]`)
	chinese := regexp.MustCompile(`[\p{Han}、，。：；（）【】“”]`)
	rest := func(s string) string {
		for _, n := range names {
			if strings.Contains(n, s) { // a whole name or a line of one
				return ""
			}
		}
		for _, n := range names {
			s = strings.ReplaceAll(s, n, " ")
		}
		return s
	}
	for _, a := range allScopes(t, ix) {
		for _, lang := range []string{"zh", "en"} {
			doc, err := SVG(ds, a, Options{Lang: lang, Date: "2024-04-30"})
			if err != nil {
				t.Fatal(err)
			}
			txt := readSVG(t, doc)
			for _, s := range append(txt.texts, txt.titles...) {
				for _, line := range strings.Split(s, "\n") {
					r := rest(line)
					if lang == "zh" && latin.MatchString(r) {
						t.Errorf("%s %s zh: Latin text %q in %q", a.Area, a.Chain, r, line)
					}
					if lang == "en" && chinese.MatchString(r) {
						t.Errorf("%s %s en: Chinese text %q in %q", a.Area, a.Chain, r, line)
					}
				}
			}
		}
	}
}

// TestAspect checks that every built-in scope comes out in the page shape
// asked for (within 10%; padding makes it exact), and that the layout
// itself comes near it rather than padding a portrait picture: 全市 文旅康养,
// portrait as a plain layered drawing (1000×1550 before), is laid out
// within 10% of 16:9, and every region-wide scope within 20%. Content never
// leaves the picture.
func TestAspect(t *testing.T) {
	ds, ix := builtin()
	for name, want := range Aspects {
		for _, a := range allScopes(t, ix) {
			d, err := Layout(ds, a, Options{Aspect: want})
			if err != nil {
				t.Fatal(err)
			}
			r := d.Width / d.Height
			if r < want.ratio()/1.1 || r > want.ratio()*1.1 {
				t.Errorf("%s %s %s: %gx%g, ratio %.3f", name, a.Area, a.Chain, d.Width, d.Height, r)
			}
			canvas := Rect{0, 0, d.Width, d.Height}
			if !inside(d.deco.content, canvas) || d.deco.footerAt.Y > d.Height {
				t.Errorf("%s %s %s: drawing %v or footer %v outside the picture %v", name, a.Area, a.Chain, d.deco.content, d.deco.footerAt, canvas)
			}
			if name != "16:9" || a.Area != graph.AllAreas {
				continue
			}
			off := math.Abs(math.Log(d.natural[0] / d.natural[1] / want.ratio()))
			limit := math.Log(1.2)
			if a.Chain == "tourism" {
				limit = math.Log(1.1)
			}
			if off > limit {
				t.Errorf("16:9 %s %s: laid out %gx%g (ratio %.2f) before padding", a.Area, a.Chain, d.natural[0], d.natural[1], d.natural[0]/d.natural[1])
			}
		}
	}
	if _, err := ParseAspect(""); err != nil {
		t.Error(err)
	}
	for in, want := range map[string]Aspect{"": {16, 9}, "16:9": {16, 9}, "4:3": {4, 3}, "A4": {210, 297}, " a4 ": {210, 297}, "3:2": {3, 2}, "1:1.414": {1, 1.414}} {
		if got, err := ParseAspect(in); err != nil || got != want {
			t.Errorf("ParseAspect(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"16x9", "wide", "0:9", "9:0", "-16:9", "10:1", "1:5", "a5", "16:9:1", ":", "NaN:1", "Inf:1"} {
		if _, err := ParseAspect(bad); err == nil || !strings.Contains(err.Error(), "16:9") {
			t.Errorf("ParseAspect(%q): %v", bad, err)
		}
	}
}

// TestUnitsAndLevel checks the header: amounts in 亿元 with two decimals
// (never 万元) or CNY m, counts grouped, the date as of, and the whole
// region called 全市 or 全省 by its level.
func TestUnitsAndLevel(t *testing.T) {
	ds, ix := builtin()
	for _, tc := range []struct {
		area, chain, lang string
		want              []string
	}{
		{"*", "tourism", "zh", []string{"运城市（全市） · 文旅康养 产业链全景", "34.30 亿元", "数据截至 2024-04-30"}},
		{"*", "tourism", "en", []string{"运城市 (whole city) · 文旅康养 industrial chain panorama", "CNY 3,430 m", "Data as of 2024-04-30"}},
		{"140802", "steel", "zh", []string{"0.00 亿元"}},
	} {
		doc, err := SVG(ds, analyze(t, ix, tc.area, tc.chain), Options{Lang: tc.lang, Date: "2024-04-30"})
		if err != nil {
			t.Fatal(err)
		}
		txt := readSVG(t, doc)
		for _, w := range tc.want {
			if !contains(txt.texts, w) {
				t.Errorf("%s %s %s: no text %q", tc.area, tc.chain, tc.lang, w)
			}
		}
		if containsSub(txt.texts, "万元") || containsSub(txt.titles, "万元") {
			t.Errorf("%s %s %s: an amount in 万元", tc.area, tc.chain, tc.lang)
		}
	}
	// A province: 全省, and counts above a thousand grouped.
	big := synth.Generate(synth.Options{Enterprises: 12000, Projects: 2000, Links: 4000, Seed: 7})
	if big.Region.Level() != chainscope.LevelProvince {
		t.Fatalf("synthetic region %s is not a province", big.Region.Code)
	}
	bix, err := graph.NewIndex(big)
	if err != nil {
		t.Fatal(err)
	}
	a := analyze(t, bix, graph.AllAreas, "battery")
	doc, err := SVG(big, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	txt := readSVG(t, doc)
	if !containsSub(txt.texts, "（全省） · ") || containsSub(txt.texts, "全市") {
		t.Errorf("province title: %q", txt.texts[:1])
	}
	if a.Totals.Enterprises < 1000 || !contains(txt.texts, chainscope.FormatCount(a.Totals.Enterprises)) || !strings.Contains(chainscope.FormatCount(a.Totals.Enterprises), ",") {
		t.Errorf("%d enterprises not drawn grouped", a.Totals.Enterprises)
	}
}
