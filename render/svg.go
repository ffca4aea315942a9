package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
)

// Colours (hex only: office suites do not read rgba() or named colours
// reliably).
const (
	colText     = "#1f2937"
	colMuted    = "#6b7280"
	colFaint    = "#9ca3af"
	colRule     = "#e5e7eb"
	colOK       = "#16a34a"
	colOKHead   = "#dcfce7"
	colWeak     = "#ea580c"
	colWeakHead = "#ffedd5"
	colWeakFill = "#fffaf5"
	colPlanned  = "#c2410c"
	colMissing  = "#dc2626"
	colMissHead = "#fee2e2"
	colMissFill = "#fff7f7"
	colBroken   = "#7f1d1d"
	colExternal = "#2563eb"
	colExtHead  = "#dbeafe"
	colExtFill  = "#f5f9ff"
	colCut      = "#991b1b"
	colLink     = "#64748b"
	colFlow     = "#cbd5e1"
	colFlowHead = "#94a3b8"
	colEnt      = "#1e3a8a"
	colPrj      = "#7c3aed"
	colPrjFill  = "#faf5ff"
	colPrjLine  = "#c4b5fd"
	colEntLine  = "#94a3b8"
	colLeader   = "#d97706"
	colAccent   = "#1d4ed8"
	colBand     = "#f8fafc"
)

// fontAttr starts with CJK fonts of Windows, macOS and Linux, so every
// office suite finds one; single quotes keep the attribute well-formed.
const fontAttr = ` font-family="'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Source Han Sans SC',sans-serif"`

// SVG renders the chain panorama of one scope as a standalone SVG document
// (see Layout for the arguments). The output uses presentation attributes
// only (CheckSVG holds it to that subset), escapes every string from the
// dataset, gives each segment, node, link and flow a stable id
// ("seg-<id>", "node-<id>", "alias-<segment id>-<id>", "link-<from>→<to>",
// "flow-<from>→<to>") and a <title> tooltip, and is deterministic: the same
// arguments give the same bytes.
func SVG(ds *chainscope.Dataset, a *graph.Analysis, o Options) ([]byte, error) {
	d, err := Layout(ds, a, o)
	if err != nil {
		return nil, err
	}
	return d.SVG(), nil
}

// SVG writes the laid-out diagram as an SVG document.
func (d *Diagram) SVG() []byte {
	w := &svgWriter{ids: map[string]bool{}}
	w.buf = make([]byte, 0, 8192+900*len(d.Nodes)+500*len(d.Links))
	w.open(d)
	w.header(d)
	w.flows(d)
	w.segments(d)
	w.links(d)
	w.nodes(d)
	w.legend(d)
	w.footer(d)
	w.raw("</svg>\n")
	return w.buf
}

// svgWriter appends SVG markup; every number goes through num and every
// user string through text, the one escaping path.
type svgWriter struct {
	buf []byte
	ids map[string]bool
}

func (w *svgWriter) raw(s string) { w.buf = append(w.buf, s...) }

// num writes x rounded to one decimal, without a trailing ".0" or "-0".
func (w *svgWriter) num(x float64) {
	x = math.Round(x*10) / 10
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	start := len(w.buf)
	w.buf = strconv.AppendFloat(w.buf, x, 'f', 1, 64)
	if n := len(w.buf); n-start >= 2 && w.buf[n-1] == '0' && w.buf[n-2] == '.' {
		w.buf = w.buf[:n-2]
	}
}

// text writes s escaped for XML (content or a double-quoted attribute).
func (w *svgWriter) text(s string) {
	w.buf = append(w.buf, xmlEscaper.Replace(cleanMultiline(s))...)
}

// cleanMultiline cleans each line of a tooltip.
func cleanMultiline(s string) string {
	if !strings.Contains(s, "\n") {
		return cleanText(s)
	}
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = cleanText(lines[i])
	}
	return strings.Join(lines, "\n")
}

func (w *svgWriter) attr(name string, x float64) {
	w.raw(" ")
	w.raw(name)
	w.raw(`="`)
	w.num(x)
	w.raw(`"`)
}

func (w *svgWriter) sattr(name, v string) {
	w.raw(" ")
	w.raw(name)
	w.raw(`="`)
	w.text(v)
	w.raw(`"`)
}

// id writes a unique id attribute: prefix + the cleaned key, with "~2",
// "~3" … appended should two keys clean to the same text.
func (w *svgWriter) id(prefix, key string) {
	v := prefix + cleanText(key)
	if w.ids[v] {
		for n := 2; ; n++ {
			if c := v + "~" + strconv.Itoa(n); !w.ids[c] {
				v = c
				break
			}
		}
	}
	w.ids[v] = true
	w.sattr("id", v)
}

func (w *svgWriter) title(s string) {
	w.raw("<title>")
	w.text(s)
	w.raw("</title>")
}

// rect writes a rectangle; stroke "" means none, dash "" solid.
func (w *svgWriter) rect(r Rect, rx float64, fill, stroke string, sw float64, dash string) {
	w.raw("<rect")
	w.attr("x", r.X)
	w.attr("y", r.Y)
	w.attr("width", r.W)
	w.attr("height", r.H)
	if rx > 0 {
		w.attr("rx", rx)
	}
	w.sattr("fill", fill)
	if stroke != "" {
		w.sattr("stroke", stroke)
		w.attr("stroke-width", sw)
		if dash != "" {
			w.sattr("stroke-dasharray", dash)
			if strings.HasPrefix(dash, "1 ") {
				w.raw(` stroke-linecap="round"`)
			}
		}
	}
	w.raw("/>")
}

// textEl writes one line of text with its own baseline.
func (w *svgWriter) textEl(x, y, size float64, fill string, bold bool, anchor, s string) {
	w.raw("<text")
	w.attr("x", x)
	w.attr("y", y)
	w.raw(fontAttr)
	w.attr("font-size", size)
	if bold {
		w.raw(` font-weight="bold"`)
	}
	if anchor != "" {
		w.sattr("text-anchor", anchor)
	}
	w.sattr("fill", fill)
	w.raw(">")
	w.text(s)
	w.raw("</text>")
}

func (w *svgWriter) line(x1, y1, x2, y2 float64, stroke string, sw float64) {
	w.raw("<line")
	w.attr("x1", x1)
	w.attr("y1", y1)
	w.attr("x2", x2)
	w.attr("y2", y2)
	w.sattr("stroke", stroke)
	w.attr("stroke-width", sw)
	w.raw("/>")
}

// path writes a Bézier chain (see LinkPath.Curve).
func (w *svgWriter) path(curve []Point, stroke string, sw, opacity float64, dash string) {
	if len(curve) == 0 {
		return
	}
	w.raw(`<path d="M`)
	w.num(curve[0].X)
	w.raw(" ")
	w.num(curve[0].Y)
	for i := 1; i+2 < len(curve); i += 3 {
		w.raw("C")
		for j := i; j < i+3; j++ {
			if j > i {
				w.raw(" ")
			}
			w.num(curve[j].X)
			w.raw(" ")
			w.num(curve[j].Y)
		}
	}
	w.raw(`" fill="none"`)
	w.sattr("stroke", stroke)
	w.attr("stroke-width", sw)
	if opacity < 1 {
		w.attr("stroke-opacity", opacity)
	}
	if dash != "" {
		w.sattr("stroke-dasharray", dash)
	}
	w.raw("/>")
}

// arrow writes a triangular arrowhead with its tip at tip, pointing away
// from base.
func (w *svgWriter) arrow(base, tip Point, length, half float64, fill string) {
	dx, dy := tip.X-base.X, tip.Y-base.Y
	n := math.Hypot(dx, dy)
	if n < 1e-9 {
		dx, dy, n = 1, 0, 1
	}
	dx, dy = dx/n, dy/n
	bx, by := tip.X-dx*length, tip.Y-dy*length
	w.raw(`<polygon points="`)
	for i, p := range [3]Point{tip, {bx - dy*half, by + dx*half}, {bx + dy*half, by - dx*half}} {
		if i > 0 {
			w.raw(" ")
		}
		w.num(p.X)
		w.raw(",")
		w.num(p.Y)
	}
	w.raw(`"`)
	w.sattr("fill", fill)
	w.raw("/>")
}

// cross writes the ✕ of a broken flow: two red strokes on a white disc.
func (w *svgWriter) cross(p Point) {
	w.raw("<circle")
	w.attr("cx", p.X)
	w.attr("cy", p.Y)
	w.raw(` r="7.5" fill="#ffffff"`)
	w.sattr("stroke", colMissing)
	w.raw(` stroke-width="1.5"/>`)
	const r = 3.6
	w.line(p.X-r, p.Y-r, p.X+r, p.Y+r, colMissing, 2.2)
	w.line(p.X-r, p.Y+r, p.X+r, p.Y-r, colMissing, 2.2)
}

func (w *svgWriter) open(d *Diagram) {
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1"`)
	w.attr("width", d.Width)
	w.attr("height", d.Height)
	w.raw(` viewBox="0 0 `)
	w.num(d.Width)
	w.raw(" ")
	w.num(d.Height)
	w.raw(`"`)
	w.raw(fontAttr)
	w.raw(">\n")
	w.title(d.Title)
	w.raw("\n")
	w.rect(Rect{0, 0, d.Width, d.Height}, 0, "#ffffff", "", 0, "")
	w.raw("\n")
}

func (w *svgWriter) header(d *Diagram) {
	dec, m := d.deco, d.msg
	w.raw(`<g id="header">`)
	w.textEl(margin, dec.titleY, titleFont, "#111827", true, "", dec.title)
	if dec.date != "" {
		w.textEl(d.Width-margin, dec.titleY, dateFont, colMuted, false, "end", dec.date)
	}
	w.rect(Rect{margin, dec.titleY + 9, 44, 3}, 0, colAccent, "", 0, "")
	for i, k := range dec.kpis {
		w.raw("\n")
		if i > 0 {
			w.line(k.x, dec.kpiTop+6, k.x, dec.kpiTop+kpiH-6, colRule, 1)
		}
		x := k.x + 14
		if i == 0 {
			x = k.x
		}
		w.textEl(x, dec.kpiTop+26, kpiFont, k.color, true, "", k.value)
		w.textEl(x, dec.kpiTop+43, 11, colMuted, false, "", k.label)
		if k.bar >= 0 {
			bw := k.w - 30
			w.rect(Rect{x, dec.kpiTop + 49, bw, 4}, 2, colRule, "", 0, "")
			if k.bar > 0 {
				w.rect(Rect{x, dec.kpiTop + 49, bw * min(1, k.bar), 4}, 2, k.color, "", 0, "")
			}
		}
	}
	if dec.note != "" {
		w.textEl(margin, dec.noteY+14, 12, colWeak, false, "", dec.note)
	}
	if dec.dir {
		w.raw("\n")
		y := dec.dirY
		w.textEl(dec.dirX0, y, 11, colMuted, true, "", m.upstream)
		w.textEl(dec.dirX1, y, 11, colMuted, true, "end", m.downstream)
		x0 := dec.dirX0 + textWidth(m.upstream, 11)*boldFactor + 8
		x1 := dec.dirX1 - textWidth(m.downstream, 11)*boldFactor - 8
		if x1 > x0+20 {
			w.line(x0, y-4, x1-6, y-4, colFaint, 1.2)
			w.arrow(Point{x1 - 8, y - 4}, Point{x1, y - 4}, 8, 3.5, colFaint)
		}
	}
	if dec.band.W > 0 {
		w.raw("\n")
		w.rect(dec.band, 8, colBand, colRule, 1, "")
		w.textEl(dec.band.X+10, dec.band.Y+17, 11, colMuted, true, "", m.supportBand)
	}
	if dec.empty != "" {
		w.textEl(dec.emptyAt.X, dec.emptyAt.Y, 14, colMuted, false, "", dec.empty)
	}
	w.raw("</g>\n")
}

func (w *svgWriter) flows(d *Diagram) {
	w.raw(`<g id="flows">`)
	for _, f := range d.Flows {
		from, to := &d.Segments[f.From], &d.Segments[f.To]
		w.raw("\n<g")
		w.id("flow-", from.ID+"→"+to.ID)
		w.raw(">")
		tip := from.Name + " → " + to.Name
		if f.Broken {
			tip += " · " + d.msg.broken
		}
		w.title(tip)
		stroke, head, dash := colFlow, colFlowHead, ""
		if f.Broken {
			stroke, head, dash = colMissing, colMissing, "6 4"
		}
		w.path(f.Curve, stroke, 4, 1, dash)
		w.arrow(f.Curve[len(f.Curve)-1], f.Tip, 9, 5, head)
		if f.Broken {
			w.cross(f.Mark)
		}
		w.raw("</g>")
	}
	w.raw("\n</g>\n")
}

// segStyle is how a segment box shows its status.
func segStyle(r *graph.SegmentResult) (stroke, head, fill, dash string, sw float64) {
	switch {
	case r.Status == graph.Missing && r.SuppliedExternally && !r.Broken:
		return colExternal, colExtHead, colExtFill, "7 4", 1.8
	case r.Status == graph.Missing:
		return colMissing, colMissHead, colMissFill, "7 4", 1.8
	case r.Status == graph.Weak && hasReason(r, graph.ReasonPlannedOnly):
		return colWeak, colWeakHead, colWeakFill, "1 3.5", 2.2
	case r.Status == graph.Weak:
		return colWeak, colWeakHead, colWeakFill, "", 1.8
	}
	return colOK, colOKHead, "#ffffff", "", 1.4
}

func badgeColor(key string) string {
	switch key {
	case "missing":
		return colMissing
	case "broken":
		return colBroken
	case "external":
		return colExternal
	case "planned":
		return colPlanned
	}
	return colWeak
}

// topRounded is a path of a box's header: rounded top corners, square
// bottom.
func (w *svgWriter) topRounded(r Rect, rad float64, fill string) {
	w.raw(`<path d="M`)
	w.num(r.X)
	w.raw(" ")
	w.num(r.Bottom())
	w.raw("V")
	w.num(r.Y + rad)
	w.raw("Q")
	w.num(r.X)
	w.raw(" ")
	w.num(r.Y)
	w.raw(" ")
	w.num(r.X + rad)
	w.raw(" ")
	w.num(r.Y)
	w.raw("H")
	w.num(r.Right() - rad)
	w.raw("Q")
	w.num(r.Right())
	w.raw(" ")
	w.num(r.Y)
	w.raw(" ")
	w.num(r.Right())
	w.raw(" ")
	w.num(r.Y + rad)
	w.raw("V")
	w.num(r.Bottom())
	w.raw(`Z"`)
	w.sattr("fill", fill)
	w.raw("/>")
}

func (w *svgWriter) segments(d *Diagram) {
	m := d.msg
	w.raw(`<g id="segments">`)
	for s := range d.Segments {
		sb := &d.Segments[s]
		r := &sb.Result
		w.raw("\n<g")
		w.id("seg-", sb.ID)
		w.raw(">")
		tip := []string{sb.Name, sb.Stage.Text(m.lang) + " · " + m.statusText(r)}
		if sb.Ents+sb.Projects > 0 {
			tip = append(tip, m.nodeCounts(sb.Ents, sb.Projects))
		}
		w.title(strings.Join(tip, "\n") + "\n" + m.idLabel + m.colon + sb.ID)
		stroke, head, fill, dash, sw := segStyle(r)
		box := sb.Box
		w.rect(box, 6, fill, "", 0, "")
		w.topRounded(Rect{box.X, box.Y, box.W, sb.Head}, 6, head)
		w.rect(box, 6, "none", stroke, sw, dash)
		for i, line := range sb.Lines {
			w.textEl(box.X+10, box.Y+20+float64(i)*segLineH, segFont, colText, true, "", line)
		}
		w.textEl(box.X+10, box.Y+sb.Head-9, subFont, colMuted, false, "", sb.Sub)
		// Badges, right-aligned in the header.
		x := box.Right() - 8
		keys := badges(r)
		for i := len(keys) - 1; i >= 0; i-- {
			t := m.badge[keys[i]]
			bw := max(16, textWidth(t, badgeFont)*boldFactor+8)
			x -= bw
			w.rect(Rect{x, box.Y + 8, bw, 17}, 3, badgeColor(keys[i]), "", 0, "")
			w.textEl(x+bw/2, box.Y+20.5, badgeFont, "#ffffff", true, "middle", t)
			x -= 3
		}
		body := box.Y + sb.Head
		switch {
		case d.Compact:
			w.textEl(box.X+10, body+20, 12, colText, true, "", fmt.Sprintf(m.counts, count(sb.Ents), count(sb.Projects)))
			w.textEl(box.X+10, body+38, 11, colMuted, false, "", fmt.Sprintf(m.counts2, count(sb.Leaders), count(sb.Cuts)))
		case len(sb.Nodes) == 0:
			msg := m.emptyBody
			if r.Status == graph.Missing && r.SuppliedExternally {
				msg = m.extBody
			}
			w.textEl(box.X+box.W/2, body+emptyBody/2+4, 11, colFaint, false, "middle", msg)
		}
		w.raw("</g>")
	}
	w.raw("\n</g>\n")
}

func (w *svgWriter) links(d *Diagram) {
	m := d.msg
	w.raw(`<g id="links">`)
	for _, l := range d.Links {
		from, to := &d.Nodes[l.From], &d.Nodes[l.To]
		w.raw("\n<g")
		w.id("link-", from.ID+"→"+to.ID)
		w.raw(">")
		tip := from.Name + " → " + to.Name
		if l.Product != "" {
			tip += "\n" + m.product + m.colon + l.Product
		}
		if l.Bridge {
			tip += "\n" + fmt.Sprintf(m.paren, m.bridge, m.impact, count(l.Impact))
		}
		w.title(tip)
		if l.Bridge {
			w.path(l.Curve, colCut, 3, 1, "")
			w.arrow(l.Curve[len(l.Curve)-1], l.Tip, 9, 4.5, colCut)
		} else {
			w.path(l.Curve, colLink, 1.2, 0.8, "")
			w.arrow(l.Curve[len(l.Curve)-1], l.Tip, arrowLen, arrowHalf, colLink)
		}
		w.raw("</g>")
	}
	w.raw("\n</g>\n")
}

func (w *svgWriter) nodes(d *Diagram) {
	m := d.msg
	w.raw(`<g id="nodes">`)
	for i := range d.Nodes {
		n := &d.Nodes[i]
		w.raw("\n<g")
		if n.Alias {
			w.id("alias-", d.Segments[n.Segment].ID+"-"+n.ID)
		} else {
			w.id("node-", n.ID)
		}
		w.raw(">")
		w.title(n.tip)
		w.nodeBox(n, m)
		w.raw("</g>")
	}
	w.raw("\n</g>\n")
}

// nodeBox draws one node: box, 企/项 tag, label, ★ and cut badge.
func (w *svgWriter) nodeBox(n *NodeBox, m *messages) {
	box := n.Box
	rx, fill, stroke, sw, dash := 1.5, "#ffffff", colEntLine, 1.0, ""
	tagFill, tag, tagRx := colEnt, m.entTag, 2.0
	if n.Project {
		rx, fill, stroke = nodeH/2, colPrjFill, colPrjLine
		tagFill, tag, tagRx = colPrj, m.prjTag, 8
	}
	textFill := colText
	if n.Alias {
		fill, stroke, dash, tagFill, textFill = "#ffffff", colFaint, "4 3", colFaint, colMuted
	}
	if n.Cut {
		stroke, sw = colCut, 2.6
	}
	w.rect(box, rx, fill, stroke, sw, dash)
	cy := box.Y + box.H/2
	w.rect(Rect{box.X + 4, cy - tagW/2, tagW, tagW}, tagRx, tagFill, "", 0, "")
	w.textEl(box.X+4+tagW/2, cy+3.8, tagFont, "#ffffff", true, "middle", tag)
	first := cy + 4.3 - float64(len(n.Lines)-1)*nodeLineH/2
	for i, line := range n.Lines {
		w.textEl(n.LabelBox.X, first+float64(i)*nodeLineH, nodeFont, textFill, false, "", line)
	}
	x := n.LabelBox.Right() + 3
	if n.Leader {
		w.textEl(x, first, nodeFont, colLeader, false, "", "★")
	}
	if n.Cut {
		t := strconv.Itoa(n.Impact)
		bw := impactWidth(n.Impact)
		bx := box.Right() - 5 - bw
		w.rect(Rect{bx, cy - 8, bw, 16}, 3, colCut, "", 0, "")
		w.textEl(bx+bw/2, cy+3.6, 10, "#ffffff", true, "middle", t)
	}
}

func (w *svgWriter) legend(d *Diagram) {
	dec, m := d.deco, d.msg
	w.raw(`<g id="legend">`)
	w.textEl(margin, dec.legendTop+12, legendFont, colText, true, "", m.legend)
	for _, it := range dec.legend {
		w.raw("\n")
		x, y := it.x, it.y
		sw := Rect{x, y, swatchW, swatchH}
		mid := y + swatchH/2
		switch it.kind {
		case "ok", "single", "planned", "missing", "external":
			r := &graph.SegmentResult{}
			switch it.kind {
			case "ok":
				r.Status = graph.OK
			case "single":
				r.Status, r.Reasons = graph.Weak, []graph.Reason{graph.ReasonSingle}
			case "planned":
				r.Status, r.Reasons = graph.Weak, []graph.Reason{graph.ReasonPlannedOnly}
			case "missing":
				r.Status = graph.Missing
			case "external":
				r.Status, r.SuppliedExternally = graph.Missing, true
			}
			stroke, head, _, dash, swd := segStyle(r)
			w.rect(sw, 3, head, stroke, swd, dash)
			if k := map[string]string{"missing": "missing", "external": "external", "planned": "planned"}[it.kind]; k != "" {
				w.textEl(x+swatchW/2, y+12, 9.5, badgeColor(k), true, "middle", m.badge[k])
			}
		case "broken":
			w.line(x, mid, x+swatchW, mid, colMissing, 2)
			w.cross(Point{x + swatchW/2, mid})
		case "flow":
			w.line(x, mid, x+swatchW-8, mid, colFlow, 4)
			w.arrow(Point{x + swatchW - 9, mid}, Point{x + swatchW, mid}, 9, 5, colFlowHead)
		case "enterprise", "project", "cut", "alias":
			n := &NodeBox{Box: sw, Project: it.kind == "project", Cut: it.kind == "cut", Alias: it.kind == "alias", Impact: 3}
			if it.kind == "cut" {
				n.Box.W = swatchW + 6
			}
			rx, fill, stroke, swd, dash := 1.5, "#ffffff", colEntLine, 1.0, ""
			tagFill, tag, tagRx := colEnt, m.entTag, 1.5
			switch {
			case n.Project:
				rx, fill, stroke, tagFill, tag, tagRx = swatchH/2, colPrjFill, colPrjLine, colPrj, m.prjTag, 6
			case n.Alias:
				stroke, dash, tagFill = colFaint, "4 3", colFaint
			case n.Cut:
				stroke, swd = colCut, 2.6
			}
			w.rect(n.Box, rx, fill, stroke, swd, dash)
			if n.Cut {
				w.rect(Rect{x + swatchW - 14, mid - 6, 14, 12}, 2, colCut, "", 0, "")
				w.textEl(x+swatchW-7, mid+3.5, 9, "#ffffff", true, "middle", "3")
			} else {
				w.rect(Rect{x + 3, mid - 6, 12, 12}, tagRx, tagFill, "", 0, "")
				w.textEl(x+9, mid+3.5, 8.5, "#ffffff", true, "middle", tag)
			}
		case "leader":
			w.textEl(x+swatchW/2, mid+5, 15, colLeader, false, "middle", "★")
		case "link":
			w.line(x, mid, x+swatchW-7, mid, colLink, 1.2)
			w.arrow(Point{x + swatchW - 8, mid}, Point{x + swatchW, mid}, arrowLen, arrowHalf, colLink)
		case "bridge":
			w.line(x, mid, x+swatchW-8, mid, colCut, 3)
			w.arrow(Point{x + swatchW - 9, mid}, Point{x + swatchW, mid}, 9, 4.5, colCut)
		}
		lx := x + swatchW + 6
		if it.kind == "cut" {
			lx += 6
		}
		w.textEl(lx, mid+4.3, legendFont, colText, false, "", it.label)
	}
	w.raw("</g>\n")
}

func (w *svgWriter) footer(d *Diagram) {
	dec := d.deco
	w.raw(`<g id="footer">` + "\n")
	w.line(margin, dec.footerY, d.Width-margin, dec.footerY, colRule, 1)
	w.textEl(margin, dec.footerY+22, footFont, colMuted, false, "", dec.source)
	w.textEl(dec.footerAt.X, dec.footerAt.Y, footFont, colMuted, false, "end", dec.footer)
	w.raw("</g>\n")
}
