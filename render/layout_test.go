package render

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
)

// diagrams lays out every built-in scope, the first scopes of synth.Small
// and a few larger synthetic ones (once for all the tests that read them).
func diagrams(t *testing.T) map[string]*Diagram {
	t.Helper()
	d, err := diagramsOnce()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var diagramsOnce = sync.OnceValues(func() (map[string]*Diagram, error) {
	out := map[string]*Diagram{}
	add := func(prefix string, ds *chainscope.Dataset, scopes []*graph.Analysis, o Options) error {
		for _, a := range scopes {
			d, err := Layout(ds, a, o)
			if err != nil {
				return err
			}
			out[prefix+" "+a.Area+" "+a.Chain] = d
		}
		return nil
	}
	ds, ix := builtin()
	all, err := ix.AnalyzeAll()
	if err != nil {
		return nil, err
	}
	if err := add("yuncheng", ds, all, Options{}); err != nil {
		return nil, err
	}
	sds, six := small()
	if all, err = six.AnalyzeAll(); err != nil {
		return nil, err
	}
	if err := add("synth", sds, all[:30], Options{}); err != nil {
		return nil, err
	}
	big := synth.Generate(synth.Options{Enterprises: 1500, Projects: 300, Links: 5000, Seed: 3})
	bix, err := graph.NewIndex(big)
	if err != nil {
		return nil, err
	}
	var scopes []*graph.Analysis
	for _, chain := range []string{"battery", "steel"} {
		a, err := bix.Analyze(graph.AllAreas, chain)
		if err != nil {
			return nil, err
		}
		scopes = append(scopes, a)
	}
	if err := add("synth-big", big, scopes, Options{MaxNodes: 1000}); err != nil {
		return nil, err
	}
	// Every arrangement Layout may pick, forced on the big scopes: layers
	// spread over columns, the support band beside, node boxes in grids.
	for _, a := range scopes {
		base, err := newBuilder(big, a, Options{MaxNodes: 1000})
		if err != nil {
			return nil, err
		}
		for _, v := range []variant{
			{labelCap: 96, split: 300},
			{labelCap: maxLabelW, split: 600, side: true},
			{labelCap: maxLabelW, split: 300, side: true, gridRows: 12},
			{labelCap: 240, gridRows: 5},
		} {
			b := base.clone(v).run()
			b.fitAspect(Aspects["4:3"].ratio())
			out[fmt.Sprintf("synth-big %s %s %+v", a.Area, a.Chain, v)] = b.d
		}
	}
	return out, nil
})

// TestGeometry checks every laid-out diagram: no two node boxes overlap,
// no two segment boxes overlap, every node box lies inside its segment box,
// every label fits its box, and the picture holds everything.
func TestGeometry(t *testing.T) {
	for name, d := range diagrams(t) {
		canvas := Rect{0, 0, d.Width, d.Height}
		for i, s := range d.Segments {
			if !inside(s.Box, canvas) {
				t.Errorf("%s: segment %s %v outside the picture %v", name, s.ID, s.Box, canvas)
			}
			for j := i + 1; j < len(d.Segments); j++ {
				if s.Box.Overlaps(d.Segments[j].Box) {
					t.Errorf("%s: segments %s and %s overlap", name, s.ID, d.Segments[j].ID)
				}
			}
			room := s.Box.W - 20 - 8
			for _, k := range badges(&s.Result) {
				room -= max(16, textWidth(zh.badge[k], badgeFont)*boldFactor+8) + 3
			}
			if w := linesWidth(s.Lines, segFont, boldFactor); w > room+1e-9 {
				t.Errorf("%s: segment name %q (%.1f px) exceeds its header (%.1f px)", name, s.Lines, w, room)
			}
			if len(s.Lines) > maxLines {
				t.Errorf("%s: segment name %q over %d lines", name, s.Name, len(s.Lines))
			}
			if want := headerH + float64(len(s.Lines)-1)*segLineH; s.Head != want {
				t.Errorf("%s: segment %s header %.1f high for %d lines", name, s.ID, s.Head, len(s.Lines))
			}
			if w := textWidth(s.Sub, subFont); w > s.Box.W-20+1e-9 {
				t.Errorf("%s: segment line %q exceeds its box", name, s.Sub)
			}
		}
		for i, n := range d.Nodes {
			seg := d.Segments[n.Segment].Box
			if !inside(n.Box, seg) {
				t.Errorf("%s: node %s %v outside its segment %v", name, n.ID, n.Box, seg)
			}
			if n.Box.Y < seg.Y+d.Segments[n.Segment].Head {
				t.Errorf("%s: node %s overlaps its segment's header", name, n.ID)
			}
			for j := i + 1; j < len(d.Nodes); j++ {
				if n.Box.Overlaps(d.Nodes[j].Box) {
					t.Errorf("%s: nodes %s and %s overlap", name, n.ID, d.Nodes[j].ID)
				}
			}
			right := n.LabelBox.Right()
			if n.Leader {
				right += 3 + nodeFont
			}
			if n.Cut {
				right += 6 + impactWidth(n.Impact)
			}
			if !inside(n.LabelBox, n.Box) || right > n.Box.Right()+1e-9 {
				t.Errorf("%s: label %q of %s (ends at %.1f) exceeds its box %v", name, n.Lines, n.ID, right, n.Box)
			}
			if math.Abs(n.LabelBox.W-linesWidth(n.Lines, nodeFont, 1)) > 1e-9 {
				t.Errorf("%s: label box of %s is not the measured label", name, n.ID)
			}
			if len(n.Lines) > maxLines {
				t.Errorf("%s: node name %q over %d lines", name, n.Name, len(n.Lines))
			}
			if want := boxHeight(len(n.Lines)); n.Box.H != want {
				t.Errorf("%s: node %s box %.1f high for %d lines", name, n.ID, n.Box.H, len(n.Lines))
			}
		}
	}
}

func inside(r, outer Rect) bool {
	const eps = 1e-6
	return r.X >= outer.X-eps && r.Y >= outer.Y-eps && r.Right() <= outer.Right()+eps && r.Bottom() <= outer.Bottom()+eps
}

// TestStructure checks the layered structure: flows run left to right,
// support segments sit below every main segment, links start and end at
// their nodes' boxes, and aliases point at the node's own box.
func TestStructure(t *testing.T) {
	for name, d := range diagrams(t) {
		mainBottom, supTop := math.Inf(-1), math.Inf(1)
		for _, s := range d.Segments {
			if s.Support {
				supTop = min(supTop, s.Box.Y)
			} else {
				mainBottom = max(mainBottom, s.Box.Bottom())
			}
			if s.Column < 0 || s.Column >= d.Columns {
				t.Errorf("%s: segment %s in column %d of %d", name, s.ID, s.Column, d.Columns)
			}
		}
		// The support band is below the main band, or beside it on the left.
		supRight, mainLeft := math.Inf(-1), math.Inf(1)
		for _, s := range d.Segments {
			if s.Support {
				supRight = max(supRight, s.Box.Right())
			} else {
				mainLeft = min(mainLeft, s.Box.X)
			}
		}
		if supTop < mainBottom && supRight > mainLeft {
			t.Errorf("%s: support band (top %.1f, right %.1f) neither below nor left of the main band (bottom %.1f, left %.1f)",
				name, supTop, supRight, mainBottom, mainLeft)
		}
		for _, f := range d.Flows {
			from, to := d.Segments[f.From], d.Segments[f.To]
			if from.Column >= to.Column {
				t.Errorf("%s: flow %s → %s runs from column %d to %d", name, from.ID, to.ID, from.Column, to.Column)
			}
		}
		for _, l := range d.Links {
			from, to := d.Nodes[l.From], d.Nodes[l.To]
			if from.Alias || to.Alias {
				t.Errorf("%s: link attached to an alias", name)
			}
			onSide := func(p Point, r Rect) bool {
				return (math.Abs(p.X-r.X) < 1e-6 || math.Abs(p.X-r.Right()) < 1e-6) && p.Y >= r.Y && p.Y <= r.Bottom()
			}
			start := l.Curve[0]
			if !onSide(start, from.Box) {
				t.Errorf("%s: link %s → %s starts at %v, not on %v", name, from.ID, to.ID, start, from.Box)
			}
			if !onSide(l.Tip, to.Box) {
				t.Errorf("%s: link %s → %s ends at %v, not on %v", name, from.ID, to.ID, l.Tip, to.Box)
			}
		}
		for _, n := range d.Nodes {
			if n.Alias && (n.Primary < 0 || d.Nodes[n.Primary].ID != n.ID || d.Nodes[n.Primary].Alias) {
				t.Errorf("%s: alias %s points at %d", name, n.ID, n.Primary)
			}
		}
	}
}

// TestLinksAvoidBoxes checks that a link passing a column runs through a
// gap between its segment boxes, never across one.
func TestLinksAvoidBoxes(t *testing.T) {
	for name, d := range diagrams(t) {
		for _, l := range d.Links {
			from, to := d.Nodes[l.From], d.Nodes[l.To]
			for _, p := range l.Polyline() {
				for s, seg := range d.Segments {
					if s == from.Segment || s == to.Segment {
						continue
					}
					in := Rect{seg.Box.X + 1, seg.Box.Y + 1, seg.Box.W - 2, seg.Box.H - 2}
					if p.X > in.X && p.X < in.Right() && p.Y > in.Y && p.Y < in.Bottom() {
						t.Errorf("%s: link %s → %s crosses segment %s at %v", name, from.ID, to.ID, seg.ID, p)
						break
					}
				}
			}
		}
	}
}

// TestOrderingReducesCrossings checks that node ordering never leaves more
// crossings than the id order it starts from, and finds fewer on a busy
// scope.
func TestOrderingReducesCrossings(t *testing.T) {
	sds, six := small()
	for _, a := range allScopes(t, six)[:12] {
		b, err := newBuilder(sds, a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b.layer()
		b.orderSegments()
		b.measure()
		b.placeY(nil)
		b.placeX(nil)
		before := b.straightCrossings()
		b.orderNodes()
		after := b.straightCrossings()
		if after > before {
			t.Errorf("%s %s: %d crossings after ordering, %d before", a.Area, a.Chain, after, before)
		}
		if a.Area == graph.AllAreas && a.Chain == "pharma" && after >= before {
			t.Errorf("%s %s: ordering found nothing better than %d crossings", a.Area, a.Chain, before)
		}
	}
}

// straightCrossings counts crossings of straight lines between node
// centres, brute force: the oracle for orderProblem.crossings.
func (b *builder) straightCrossings() int {
	pos := func(i int) Point {
		k := b.segs[b.nodes[i].seg].col
		return Point{b.colX[k] + b.colW[k]/2, b.nodes[i].y}
	}
	n := 0
	for i, l := range b.links {
		for _, m := range b.links[i+1:] {
			a1, a2, c1, c2 := pos(l.u), pos(l.v), pos(m.u), pos(m.v)
			if a1.X == a2.X || c1.X == c2.X {
				continue // lines inside one column are not counted
			}
			if properCross(a1, a2, c1, c2) {
				n++
			}
		}
	}
	return n
}

// TestCrossingCountOracle checks the corridor inversion count against the
// brute-force count of straight-line crossings.
func TestCrossingCountOracle(t *testing.T) {
	for _, opts := range []synth.Options{synth.Small(), {Enterprises: 400, Projects: 100, Links: 2500, Seed: 9}} {
		ds := synth.Generate(opts)
		ix, err := graph.NewIndex(ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range allScopes(t, ix)[:15] {
			b, err := newBuilder(ds, a, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b.layer()
			b.orderSegments()
			b.measure()
			b.placeY(nil)
			b.placeX(nil)
			p := &orderProblem{colX: make([]float64, len(b.cols)), colGroups: make([][]int, len(b.cols)), bandTop: make([][2]float64, len(b.cols))}
			for k := range b.cols {
				p.colX[k] = b.colX[k] + b.colW[k]/2
			}
			// one group per node, at its place: the count sees only positions
			for i := range b.nodes {
				k := b.segs[b.nodes[i].seg].col
				p.groupCol = append(p.groupCol, k)
				p.groupBand = append(p.groupBand, 0)
				p.groupH = append(p.groupH, 0)
				p.slotOff = append(p.slotOff, []float64{b.nodes[i].y})
				p.members = append(p.members, []int{i})
				p.item = append(p.item, itemInfo{group: i})
			}
			p.groupY = make([]float64, len(b.nodes))
			p.pos = make([]int, len(b.nodes))
			for _, l := range b.links {
				p.edges = append(p.edges, [2]int{l.u, l.v})
			}
			if got, want := p.crossings(), b.straightCrossings(); got != want {
				t.Errorf("%s %s: corridor count %d, brute force %d", a.Area, a.Chain, got, want)
			}
		}
	}
}

// TestCrossingsDrawn sanity-checks Diagram.Crossings on hand-made paths.
func TestCrossingsDrawn(t *testing.T) {
	line := func(a, b Point) LinkPath {
		return LinkPath{Curve: []Point{a, {a.X + (b.X-a.X)/3, a.Y + (b.Y-a.Y)/3}, {a.X + 2*(b.X-a.X)/3, a.Y + 2*(b.Y-a.Y)/3}, b}, Tip: b}
	}
	d := &Diagram{Links: []LinkPath{
		line(Point{0, 0}, Point{100, 100}),
		line(Point{0, 100}, Point{100, 0}),  // crosses the first
		line(Point{0, 0}, Point{100, 50}),   // shares an end with the first: touches only
		line(Point{200, 0}, Point{300, 10}), // far away
	}}
	if got := d.Crossings(); got != 2 { // X with the first and with the third
		t.Errorf("Crossings() = %d, want 2", got)
	}
}

// TestLayers checks column assignment on the built-in chains: longest
// path, sources beside what they feed, isolated segments by stage.
func TestLayers(t *testing.T) {
	ds, ix := builtin()
	d, err := Layout(ds, analyze(t, ix, "140827", "battery"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for _, s := range d.Segments {
		col[s.ID] = s.Column
	}
	want := map[string]int{
		"battery.petcoke": 0, "battery.coke": 1, "battery.anode": 2, "battery.cathode": 2,
		"battery.electrolyte": 2, "battery.cell": 3, "battery.pack": 4, "battery.recycle": 5, "battery.equip": 1,
	}
	for id, c := range want {
		if col[id] != c {
			t.Errorf("%s in column %d, want %d", id, col[id], c)
		}
	}
	// A chain without flows is laid out by stage.
	flat := handDataset(nil)
	flat.Chains[0].Flows = nil
	fix, err := graph.NewIndex(flat)
	if err != nil {
		t.Fatal(err)
	}
	base, err := newBuilder(flat, analyze(t, fix, "100001", "c"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fd := base.clone(variant{labelCap: maxLabelW}).run().d // the plain arrangement, one column per layer
	for _, s := range fd.Segments {
		want := map[chainscope.Stage]int{chainscope.StageUpstream: 0, chainscope.StageMidstream: 1, chainscope.StageDownstream: 2, chainscope.StageSupport: 0}[s.Stage]
		if s.Column != want {
			t.Errorf("flowless %s (%s) in column %d, want %d", s.ID, s.Stage, s.Column, want)
		}
	}
}

// TestTextWidth checks the measure: CJK one em, ASCII about half an em.
func TestTextWidth(t *testing.T) {
	for _, tc := range []struct {
		s        string
		min, max float64 // em
	}{
		{"运城市", 3, 3},
		{"（，）。", 4, 4},
		{"abcdefghij", 4.5, 6},
		{"Aa1", 1.5, 1.9},
		{"WWW", 2.4, 2.8},
		{"iii", 0.8, 1},
		{"电池包/PACK", 3 + 0.3 + 4*0.6, 3 + 0.4 + 4*0.7},
		{"e\u0301", 0.5, 0.6}, // combining accent takes no room
		{"🏭", 1, 1},
		{"\u202E", 0, 0},
	} {
		got := textWidth(tc.s, 10) / 10
		if got < tc.min-1e-9 || got > tc.max+1e-9 {
			t.Errorf("textWidth(%q) = %.2f em, want %.2f–%.2f", tc.s, got, tc.min, tc.max)
		}
	}
}

// TestWrap checks the line breaking of names: lines fit the width, give
// the name back when joined, keep ASCII words and brackets whole where they
// fit, and wrapWidth finds a width that keeps a name to three lines.
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width float64
		want  []string
	}{
		{"山西正弘新能源材料有限公司", 200, []string{"山西正弘新能源材料有限公司"}},
		{"山西正弘新能源材料有限公司", 60, []string{"山西正弘新", "能源材料有", "限公司"}},
		{"1500mm热轧卷板新建平整分卷线项目", 90, []string{"1500mm热轧卷", "板新建平整分卷", "线项目"}},
		{"万荣博仁骨科医院新建(医养结合)项目", 100, []string{"万荣博仁骨科医院", "新建(医养结合)项", "目"}},
		{"abc def ghi", 40, []string{"abc", "def ghi"}},
		{"abc def ghi", 30, []string{"abc", "def", "ghi"}},
		{"长", 5, []string{"长"}},
	} {
		got := wrap(tc.s, 12, 1, tc.width)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
		if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.ReplaceAll(tc.s, " ", "") {
			t.Errorf("wrap(%q) lost text: %q", tc.s, got)
		}
		for _, l := range got {
			if textWidth(l, 12) > tc.width && len([]rune(l)) > 1 {
				t.Errorf("wrap(%q, %v): line %q is %.1f px", tc.s, tc.width, l, textWidth(l, 12))
			}
		}
	}
	long := strings.Repeat("新能源电池材料研究院", 6) // 60 CJK runes
	w := wrapWidth(long, 12, 1, 100)
	if n := len(wrap(long, 12, 1, w)); n > maxLines || w < 100 {
		t.Errorf("wrapWidth(60 runes) = %.1f: %d lines", w, n)
	}
	if w > textWidth(long, 12)/maxLines+12 {
		t.Errorf("wrapWidth(60 runes) = %.1f, more than a third of the name and a rune", w)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"  plain  ":              "plain",
		"运城\t市\n区":               "运城 市 区",
		"a\x00b\x07c\x1bd":       "abcd",
		"\u202Eabc\u202C":        "abc",
		"x\u2066y\u2069z":        "xyz",
		"bad\xffutf8":            "bad\uFFFDutf8",
		"c1\u0085\u009fctrl":     "c1ctrl",
		"nonchar\uFFFE\uFFFF":    "nonchar",
		"emoji 🏭 ok":             "emoji 🏭 ok",
		"<tag> & \"q\" 'a'":      "<tag> & \"q\" 'a'", // escaping is the writer's job
		"\u200b zero width kept": "\u200b zero width kept",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFmtPct(t *testing.T) {
	for in, want := range map[float64]string{0.6667: "66.67%", 0.75: "75%", 1: "100%", 0: "0%", 0.4444: "44.44%", 0.125: "12.5%"} {
		if got := fmtPct(in); got != want {
			t.Errorf("fmtPct(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberFormat(t *testing.T) {
	w := &svgWriter{}
	for _, x := range []float64{0, -0.01, 1.25, 1.04, 100, -3.45, 1e-12} {
		w.num(x)
		w.raw(" ")
	}
	if got, want := string(w.buf), "0 0 1.3 1 100 -3.5 0 "; got != want {
		// math.Round rounds half away from zero: 1.25 → 1.3, -3.45 → -3.5
		t.Errorf("numbers %q, want %q", got, want)
	}
}

// TestCheckSVG holds the checker to every construct the safe subset bans.
func TestCheckSVG(t *testing.T) {
	const head = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">`
	ok := head + `<g id="a"><title>t</title><rect x="0" y="0" width="1" height="1" fill="#fff" fill-opacity="0.5"/><text x="1" y="2" font-size="3" fill="none">x</text></g></svg>`
	if err := CheckSVG([]byte(ok)); err != nil {
		t.Fatalf("safe document refused: %v", err)
	}
	for name, body := range map[string]string{
		"style element":     `<style>rect{}</style>`,
		"style attribute":   `<rect style="fill:red"/>`,
		"class":             `<rect class="a"/>`,
		"script":            `<script>alert(1)</script>`,
		"foreignObject":     `<foreignObject/>`,
		"marker element":    `<marker id="m"/>`,
		"marker attribute":  `<path d="M0 0" marker-end="url(#m)"/>`,
		"mask":              `<mask id="m"/>`,
		"mask attribute":    `<rect mask="url(#m)"/>`,
		"clipPath":          `<clipPath id="c"/>`,
		"clip-path":         `<rect clip-path="url(#c)"/>`,
		"filter":            `<filter id="f"/>`,
		"filter attribute":  `<rect filter="url(#f)"/>`,
		"pattern":           `<pattern id="p"/>`,
		"textPath":          `<text><textPath>x</textPath></text>`,
		"symbol":            `<symbol id="s"/>`,
		"use":               `<use href="#s"/>`,
		"image":             `<image width="1" height="1"/>`,
		"tspan":             `<text x="0" y="0"><tspan>a</tspan></text>`,
		"href":              `<a href="http://example.com"><rect/></a>`,
		"xlink":             `<rect xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="x.png"/>`,
		"rgba":              `<rect fill="rgba(0,0,0,0.5)"/>`,
		"hsla":              `<rect stroke="hsla(0,0%,0%,0.5)"/>`,
		"transparent":       `<rect fill="transparent"/>`,
		"named colour":      `<rect fill="red"/>`,
		"url fill":          `<rect fill="url(#g)"/>`,
		"dominant-baseline": `<text x="0" y="0" dominant-baseline="middle">a</text>`,
		"event handler":     `<rect onclick="alert(1)"/>`,
		"gradient":          `<linearGradient id="g"/>`,
		"percent size":      `<rect width="100%"/>`,
	} {
		if err := CheckSVG([]byte(head + body + `</svg>`)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, doc := range map[string]string{
		"not xml":        `<svg`,
		"no namespace":   `<svg width="1" height="1" viewBox="0 0 1 1"></svg>`,
		"no viewBox":     `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>`,
		"no width":       `<svg xmlns="http://www.w3.org/2000/svg" height="1" viewBox="0 0 1 1"></svg>`,
		"doctype":        `<!DOCTYPE svg [<!ENTITY x "y">]>` + head + `</svg>`,
		"stylesheet PI":  `<?xml-stylesheet href="a.css"?>` + head + `</svg>`,
		"html root":      `<html xmlns="http://www.w3.org/2000/svg"></html>`,
		"nested xmlns":   head + `<g xmlns="http://www.w3.org/2000/svg"/></svg>`,
		"empty document": ``,
	} {
		if err := CheckSVG([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestFontFamily checks that every text names a CJK font of each platform.
func TestFontFamily(t *testing.T) {
	ds, a := handScope(t, nil)
	doc, _ := SVG(ds, a, Options{})
	s := string(doc)
	if texts, fonts := strings.Count(s, "<text "), strings.Count(s, fontAttr); fonts != texts+1 {
		t.Errorf("%d texts, %d font-family attributes (want one per text and the root)", texts, fonts)
	}
	for _, f := range []string{"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"} {
		if !strings.Contains(fontAttr, f) {
			t.Errorf("font list lacks %s", f)
		}
	}
}

// FuzzSVGNames renders the hand-made scope with arbitrary names and
// product texts: the document must stay well-formed and office-safe.
func FuzzSVGNames(f *testing.F) {
	for _, s := range []string{"<script>", "&amp;", "\u202E", "\x00", "🏭", "]]>", "\"'", "\xff\xfe", strings.Repeat("长", 80)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, name, product string) {
		ds, a := handScope(t, map[string]string{"E1id": name, "c.up": name, "c": name, "100001": product, "product": product})
		doc, err := SVG(ds, a, Options{Title: name, Source: product, Date: product})
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSVG(doc); err != nil {
			t.Fatalf("names %q / %q: %v", name, product, err)
		}
	})
}

func ExampleSVG() {
	ds := handDataset(nil)
	ix, _ := graph.NewIndex(ds)
	a, _ := ix.Analyze("100001", "c")
	doc, _ := SVG(ds, a, Options{Date: "2024-05-01"})
	fmt.Println(CheckSVG(doc) == nil, strings.Contains(string(doc), `id="seg-c.gap"`))
	// Output: true true
}
