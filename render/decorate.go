package render

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"chainscope/graph"
)

// decorations are the parts of the picture around the chain: title line,
// key figures, direction arrow, support band, legend and footer.
type decorations struct {
	title, date  string
	titleY       float64
	kpis         []kpi
	kpiTop       float64
	note         string
	noteY        float64
	dir          bool // draw the 上游 → 下游 arrow
	dirY         float64
	dirX0, dirX1 float64
	band         Rect // the support band's background; W == 0: none
	empty        string
	emptyAt      Point
	legendTop    float64
	legendX      float64 // where the items start (after the title)
	legend       []legendItem
	footerY      float64
	source       string
	footer       string
	footerAt     Point   // baseline end of the right-aligned footer text
	content      Rect    // the chain drawing's bounds
	padH         float64 // height added to come to the asked aspect
}

// kpi is one key figure of the header: a value above its label.
type kpi struct {
	x, w         float64
	value, label string
	color        string
	bar          float64 // completeness bar fill in [0, 1]; < 0: no bar
}

// legendItem is one swatch and its explanation.
type legendItem struct {
	kind, label string
	x, y        float64 // swatch top-left
}

const (
	titleFont  = 24.0
	kpiFont    = 20.0
	kpiH       = 54.0
	legendFont = 12.0
	swatchW    = 30.0
	swatchH    = 16.0
	legendRow  = 28.0
	footFont   = 11.0
	dateFont   = 13.0
)

// buildGeometry turns the placed builder into the Diagram's boxes and paths.
func (b *builder) buildGeometry() {
	d := b.d
	if b.probe { // only the shape: segment boxes, no nodes, links or flows
		for s := range b.segs {
			d.Segments[s].Box = b.segs[s].box
		}
		return
	}
	b.assignTracks()
	b.assignPorts()
	for s := range b.segs {
		si := &b.segs[s]
		sb := &d.Segments[s]
		sb.Box = si.box
		if d.Compact {
			continue
		}
		rows := append(slices.Clone(si.nodes), si.aliases...)
		offs := b.rowCentres(si)
		for r, i := range rows {
			n := &b.nodes[i]
			alias := r >= len(si.nodes)
			cy := si.box.Y + offs[r]
			lines := n.lines
			if alias {
				lines = si.aliasLines[r-len(si.nodes)]
			}
			h := boxHeight(len(lines))
			nb := NodeBox{
				ID: n.id, Name: n.name, Lines: lines, Project: n.project, Leader: n.leader,
				Cut: n.cut && !alias, Impact: n.impact, Segment: s, Alias: alias, Primary: -1,
				Box: Rect{b.nodeX(si, subOf(si, r)), cy - h/2, si.nodeW, h},
			}
			lh := 14 + float64(len(lines)-1)*nodeLineH
			nb.LabelBox = Rect{nb.Box.X + labelX, cy - lh/2, linesWidth(lines, nodeFont, 1), lh}
			nb.tip = b.nodeTip(n, alias)
			if alias {
				nb.Primary = n.box
			} else {
				n.box = len(d.Nodes)
			}
			sb.Nodes = append(sb.Nodes, len(d.Nodes))
			d.Nodes = append(d.Nodes, nb)
		}
	}
	if !d.Compact {
		d.Links = make([]LinkPath, len(b.links))
	}
	d.Flows = make([]FlowPath, len(b.flows))
	for ri := range b.routes {
		r := &b.routes[ri]
		pts, tip := b.curve(r)
		if r.flow {
			f := b.flows[r.idx]
			fp := FlowPath{From: f[0], To: f[1], Curve: pts, Tip: tip}
			broken := func(s int) bool { return b.segs[s].res.Status == graph.Missing && b.segs[s].res.Broken }
			switch {
			case broken(f[1]):
				fp.Broken = true
				n := len(pts)
				fp.Mark = cubicMid(pts[n-4], pts[n-3], pts[n-2], pts[n-1])
			case broken(f[0]):
				fp.Broken = true
				fp.Mark = cubicMid(pts[0], pts[1], pts[2], pts[3])
			}
			d.Flows[r.idx] = fp
			continue
		}
		l := &b.links[r.idx]
		d.Links[r.idx] = LinkPath{
			From: b.nodes[l.u].box, To: b.nodes[l.v].box, Product: l.product,
			Bridge: l.bridge, Impact: l.impact, Curve: pts, Tip: tip,
		}
	}
}

// nodeTip is the tooltip of a node box: full name, kind, marks, segments.
func (b *builder) nodeTip(n *nodeInfo, alias bool) string {
	m := b.m
	var lines []string
	lines = append(lines, n.name)
	kind := m.enterprise
	if n.project {
		kind = m.project
		if st := n.status.Text(m.lang); st != "" {
			kind += " · " + st
		}
		if n.invest > 0 {
			kind += " · " + m.investment + " " + m.amount(n.invest)
		}
		if n.signed != "" {
			kind += " · " + m.signed + " " + cleanText(n.signed)
		}
	}
	if n.leader {
		kind += " · ★ " + m.leader
	}
	if n.cut {
		kind += " · " + fmt.Sprintf(m.paren, m.cutNode, m.impact, count(n.impact))
	}
	lines = append(lines, kind)
	names := make([]string, len(n.segs))
	for i, s := range n.segs {
		names[i] = cleanText(b.segs[s].res.Name)
	}
	lines = append(lines, m.segments+m.colon+strings.Join(names, m.listSep))
	if alias {
		lines = append(lines, fmt.Sprintf(m.aliasOf, cleanText(b.segs[n.seg].res.Name)))
	}
	lines = append(lines, m.idLabel+m.colon+cleanText(n.id))
	return strings.Join(lines, "\n")
}

// decorate places the title, key figures, legend and footer around the
// chain drawing, centres the drawing and sets the picture's size: at least
// minW wide, with padH more height shared above and below the drawing. It
// may run again on the same layout (fitAspect does): it works from where
// the drawing is now.
func (b *builder) decorate(minW, padH float64) {
	d := b.d
	m := b.m
	dec := &decorations{title: d.Title, padH: padH}
	if date := cleanText(b.o.Date); date != "" {
		dec.date = fmt.Sprintf(m.asOf, date)
	}
	d.deco = dec

	// Bounds of the chain drawing.
	bx := bounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, s := range d.Segments {
		bx.addRect(s.Box)
	}
	for _, l := range d.Links {
		bx.addPoints(l.Curve)
		bx.addPoint(l.Tip)
	}
	for _, f := range d.Flows {
		bx.addPoints(f.Curve)
	}
	sup := bounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, s := range d.Segments {
		if s.Support {
			sup.addRect(s.Box)
		}
	}
	if len(d.Segments) == 0 {
		dec.empty = m.noSegments
		bx = bounds{0, 0, 400, 60}
	}
	if !math.IsInf(sup.y0, 1) {
		if b.side {
			dec.band = Rect{sup.x0 - 14, sup.y0 - 30, sup.x1 - sup.x0 + 28, sup.y1 - sup.y0 + 44}
		} else {
			dec.band = Rect{bx.x0 - 14, sup.y0 - 30, bx.x1 - bx.x0 + 28, sup.y1 - sup.y0 + 44}
		}
		bx.addRect(dec.band)
	}
	contentW := bx.x1 - bx.x0

	// Title line and key figures.
	dec.titleY = margin + titleFont
	titleW := textWidth(dec.title, titleFont) * boldFactor
	dateW := textWidth(dec.date, dateFont)
	dec.kpiTop = dec.titleY + 20
	dec.kpis = b.kpis()
	x := margin
	for i := range dec.kpis {
		dec.kpis[i].x = x
		x += dec.kpis[i].w
	}
	kpiRight := x
	y := dec.kpiTop + kpiH
	if d.Compact {
		maxNodes := b.o.MaxNodes
		if maxNodes == 0 {
			maxNodes = DefaultMaxNodes
		}
		dec.note = fmt.Sprintf(m.compact, count(len(b.nodes)), count(max(maxNodes, 0)))
		dec.noteY = y + 8
		y += 30
	}
	dec.dir = d.Columns >= 2
	dec.dirY = y + 22 + math.Floor(padH/2)
	contentTop := dec.dirY + 18

	// Footer texts: source on the left, figures on the right (or below).
	dec.source = cleanText(b.o.Source)
	if dec.source == "" {
		region := cleanText(b.ds.Region.Name)
		if region == "" {
			region = cleanText(b.ds.Region.Code)
		}
		dec.source = fmt.Sprintf(m.source, region)
	}
	t := d.Totals
	dec.footer = fmt.Sprintf(m.footer, fmtPct(d.Complete), count(t.Enterprises), count(t.Projects), count(t.Links))
	sourceW, footerW := textWidth(dec.source, footFont), textWidth(dec.footer, footFont)

	W := max(minWidth, minW, contentW+2*margin, kpiRight+margin, titleW+dateW+2*margin+32,
		sourceW+2*margin, footerW+2*margin)
	W = math.Ceil(W)
	ox := (W-contentW)/2 - bx.x0
	oy := contentTop - bx.y0
	d.shift(ox, oy)
	dec.band.X += ox
	dec.band.Y += oy
	dec.content = Rect{bx.x0 + ox, bx.y0 + oy, contentW, bx.y1 - bx.y0}
	dec.dirX0, dec.dirX1 = dec.content.X, dec.content.Right()
	if dec.empty != "" {
		dec.emptyAt = Point{dec.content.X, dec.content.Y + 30}
	}

	// Legend, wrapped to the width.
	dec.legendTop = dec.content.Bottom() + 34 + (padH - math.Floor(padH/2))
	dec.legendX = margin + textWidth(m.legend, legendFont)*boldFactor + 16
	lx, ly := dec.legendX, dec.legendTop
	for _, it := range b.legendItems() {
		w := swatchW + 6 + textWidth(it.label, legendFont) + 22
		if lx+w-22 > W-margin && lx > dec.legendX {
			lx, ly = dec.legendX, ly+legendRow
		}
		it.x, it.y = lx, ly
		dec.legend = append(dec.legend, it)
		lx += w
	}

	dec.footerY = ly + legendRow + 12
	base := dec.footerY + 22
	dec.footerAt = Point{W - margin, base}
	if sourceW+footerW+40 > W-2*margin {
		dec.footerAt.Y = base + 17
	}
	d.Width = W
	d.Height = math.Ceil(dec.footerAt.Y + margin - 6)
}

// fitAspect brings the picture to the ratio target (W/H): a picture too
// tall is widened (its legend may then take fewer rows), and one too wide
// gets more height, shared above and below the chain drawing; header,
// legend and footer keep their places at the top and bottom.
func (b *builder) fitAspect(target float64) {
	d := b.d
	if d.Width/d.Height < target {
		b.decorate(math.Ceil(d.Height*target), 0)
	}
	if want := math.Round(d.Width / target); want > d.Height {
		b.decorate(d.Width, want-d.Height)
	}
}

// kpis are the header's key figures.
func (b *builder) kpis() []kpi {
	d, m := b.d, b.m
	missing, broken, weak := 0, 0, 0
	for _, s := range d.Segments {
		switch s.Result.Status {
		case graph.Missing:
			missing++
			if s.Result.Broken {
				broken++
			}
		case graph.Weak:
			weak++
		}
	}
	compColor := colOK
	switch {
	case d.Complete < 0.5:
		compColor = colMissing
	case d.Complete < 0.8:
		compColor = colWeak
	}
	alert := func(n int, c string) string {
		if n > 0 {
			return c
		}
		return colText
	}
	t := d.Totals
	out := []kpi{
		{value: fmtPct(d.Complete), label: m.kpiComplete, color: compColor, bar: d.Complete},
		{value: count(len(d.Segments)), label: m.kpiSegments, color: colText, bar: -1},
		{value: count(missing), label: m.kpiMissing, color: alert(missing, colMissing), bar: -1},
		{value: count(broken), label: m.kpiBroken, color: alert(broken, colMissing), bar: -1},
		{value: count(weak), label: m.kpiWeak, color: alert(weak, colWeak), bar: -1},
		{value: count(t.Enterprises), label: m.enterprise, color: colText, bar: -1},
		{value: count(t.Projects), label: m.project, color: colText, bar: -1},
		{value: count(t.Links), label: m.kpiLinks, color: colText, bar: -1},
		{value: m.amount(t.InvestmentWan), label: m.kpiInvest, color: colText, bar: -1},
	}
	for i := range out {
		out[i].w = max(textWidth(out[i].value, kpiFont)*boldFactor, textWidth(out[i].label, 11), 56) + 30
	}
	return out
}

// legendItems explains every mark the picture can show; the alias item only
// when the picture has aliases, node marks only when it draws nodes.
func (b *builder) legendItems() []legendItem {
	m := b.m
	items := []legendItem{
		{kind: "ok", label: m.ok},
		{kind: "single", label: m.weakSingle},
		{kind: "planned", label: m.weakPlanned},
		{kind: "missing", label: m.missing},
		{kind: "broken", label: m.broken},
		{kind: "external", label: m.external},
		{kind: "flow", label: m.flow},
	}
	if b.d.Compact {
		return items
	}
	items = append(items,
		legendItem{kind: "enterprise", label: m.enterprise},
		legendItem{kind: "project", label: m.project},
		legendItem{kind: "leader", label: m.leader},
		legendItem{kind: "cut", label: m.cutLegend},
		legendItem{kind: "link", label: m.link},
		legendItem{kind: "bridge", label: m.bridge},
	)
	for _, n := range b.d.Nodes {
		if n.Alias {
			items = append(items, legendItem{kind: "alias", label: m.alias})
			break
		}
	}
	return items
}

// shift moves the chain drawing by (dx, dy).
func (d *Diagram) shift(dx, dy float64) {
	mv := func(p *Point) { p.X += dx; p.Y += dy }
	for i := range d.Segments {
		d.Segments[i].Box.X += dx
		d.Segments[i].Box.Y += dy
	}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		n.Box.X, n.Box.Y = n.Box.X+dx, n.Box.Y+dy
		n.LabelBox.X, n.LabelBox.Y = n.LabelBox.X+dx, n.LabelBox.Y+dy
	}
	for i := range d.Links {
		for j := range d.Links[i].Curve {
			mv(&d.Links[i].Curve[j])
		}
		mv(&d.Links[i].Tip)
	}
	for i := range d.Flows {
		for j := range d.Flows[i].Curve {
			mv(&d.Flows[i].Curve[j])
		}
		mv(&d.Flows[i].Tip)
		mv(&d.Flows[i].Mark)
	}
}

type bounds struct{ x0, y0, x1, y1 float64 }

func (b *bounds) addPoint(p Point) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, p.X), min(b.y0, p.Y), max(b.x1, p.X), max(b.y1, p.Y)
}

func (b *bounds) addPoints(ps []Point) {
	for _, p := range ps {
		b.addPoint(p)
	}
}

func (b *bounds) addRect(r Rect) {
	b.addPoint(Point{r.X, r.Y})
	b.addPoint(Point{r.Right(), r.Bottom()})
}

// fmtPct formats a share as a percentage with at most two decimals: 0.6667
// → "66.67%", 0.75 → "75%".
func fmtPct(x float64) string {
	s := strconv.FormatFloat(math.Round(x*10000)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}
