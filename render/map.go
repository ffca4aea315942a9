package render

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
)

// MapMetric names what fills the counties of a cluster map.
type MapMetric string

// The metrics of a cluster map.
const (
	// MetricCompleteness is the chain's completeness in the county (SPEC §5),
	// the default.
	MetricCompleteness MapMetric = "completeness"
	// MetricInvestment is the signed investment of the chain's projects in
	// the county (every project not cancelled), in 万元.
	MetricInvestment MapMetric = "investment"
	// MetricRelatedness is how close the county is to the chain: the mean
	// SPEC §11 density of the chain's segments it lacks, none when it lacks
	// none.
	MetricRelatedness MapMetric = "relatedness"
)

// MapMetrics lists the metrics, the default first.
var MapMetrics = []MapMetric{MetricCompleteness, MetricInvestment, MetricRelatedness}

// ParseMapMetric reads a metric name; "" is the default (completeness).
func ParseMapMetric(s string) (MapMetric, error) {
	if s == "" {
		return MetricCompleteness, nil
	}
	for _, m := range MapMetrics {
		if string(m) == s {
			return m, nil
		}
	}
	return "", chainscope.Localizedf(chainscope.EINVALID,
		"未知的指标 %q，应为 completeness、investment 或 relatedness", "unknown metric %q: completeness, investment or relatedness", s)
}

// MapOptions says what a cluster map shows.
type MapOptions struct {
	// Chain is the id of the chain whose state fills the counties and whose
	// flows are drawn.
	Chain string
	// Metric fills the counties; "" means MetricCompleteness.
	Metric MapMetric
	// Lang is "zh" (default) or "en".
	Lang string
	// Date (YYYY-MM-DD), the day the data is as of, is printed at the right
	// of the title line as "数据截至 <Date>" / "Data as of <Date>".
	Date string
}

// MaxMapFlows is how many cross-county flows a map draws, the largest by
// number of links; the legend sums the rest.
const MaxMapFlows = 20

// Map geometry (px).
const (
	mapMaxW      = 820.0 // the map fits in this box, keeping its aspect
	mapMaxH      = 680.0
	mapMargin    = 24.0
	mapHeader    = 74.0
	mapPanelW    = 300.0 // the legend column right of the map
	mapFooter    = 40.0
	mapLabelSize = 13.0 // the size of county names, 11 px above mapSmallCounties counties
	mapValueSize = 11.0 // the size of values, 10 px above mapSmallCounties counties
	// mapSmallCounties is the most counties drawn at the full size: a
	// province's map is drawn up to 1.5 times larger, with smaller labels.
	mapSmallCounties = 30
	mapMinStep       = 0.6 // a ring keeps a point at least this far from the last one kept
)

// Map colours (hex only, as the panorama).
const (
	colNoData   = "#e5e7eb"
	colBorder   = "#ffffff"
	colOutline  = "#94a3b8"
	colFlowLine = "#b45309"
	colZone     = "#0f172a"
)

// Sequential palettes, light to dark, of five classes each.
var (
	palCompleteness = [5]string{"#e5f5e0", "#c7e9c0", "#74c476", "#31a354", "#006d2c"}
	palInvestment   = [5]string{"#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}
	palRelatedness  = [5]string{"#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"}
)

// mapMessages is the text of a map in one language.
type mapMessages struct {
	asOf                                    string
	title, subtitle, source, projection     string
	metric                                  map[MapMetric]string
	noNodes, lacksNone, zero                string
	flows, flowTip, flowMore, flowNone      string
	zone, zoneTip, unlabelled, links, nodes string
	countyTip                               string
	flowScale                               string
}

var mapZh = &mapMessages{
	title: "%s · %s 产业集群分布图", asOf: "数据截至 %s", subtitle: "县区颜色：%s · 箭头：跨县供需关系（前 %d 条）",
	source:     "chainscope · 数据来源：%s 数据集",
	projection: "兰伯特等积圆柱投影，标准纬线 %s°N",
	metric: map[MapMetric]string{MetricCompleteness: "产业链完整度", MetricInvestment: "项目投资（签约，不含终止）",
		MetricRelatedness: "关联密度（所缺环节的平均密度，延链潜力）"},
	noNodes: "无节点", lacksNone: "不缺环节", zero: "无投资",
	flows: "跨县供需关系（按条数）", flowTip: "%s → %s · 供需关系 %d 条 · 两端项目投资 %s",
	flowMore: "另有 %d 组流向（供需关系 %d 条）未画出", flowNone: "无跨县供需关系",
	zone: "开发区（所在县区内）", zoneTip: "%s（开发区，属 %s）· 完整度 %s · 企业 %d · 项目 %d",
	unlabelled: "图中未标名称的县区", links: "%d 条", nodes: "企业 %d · 项目 %d",
	countyTip: "%s %s\n%s：%s\n完整度 %s · 缺链 %d · 断链 %d · 薄弱 %d\n企业 %d · 项目 %d · 项目投资 %s",
	flowScale: "线宽",
}

var mapEn = &mapMessages{
	title: "%s · %s cluster map", asOf: "Data as of %s", subtitle: "Counties: %s · arrows: cross-county supply links (top %d)",
	source:     "chainscope · source: %s dataset",
	projection: "Lambert cylindrical equal-area, standard parallel %s°N",
	metric: map[MapMetric]string{MetricCompleteness: "chain completeness", MetricInvestment: "project investment (signed, not cancelled)",
		MetricRelatedness: "relatedness density (mean density of the missing segments)"},
	noNodes: "no nodes", lacksNone: "lacks no segment", zero: "no investment",
	flows: "Cross-county supply (by links)", flowTip: "%s → %s · %d supply links · investment of projects at either end %s",
	flowMore: "%d more flows (%d links) not drawn", flowNone: "no cross-county supply",
	zone: "development zone (inside its county)", zoneTip: "%s (zone in %s) · completeness %s · enterprises %d · projects %d",
	unlabelled: "Counties not named on the map", links: "links: %d", nodes: "enterprises %d · projects %d",
	countyTip: "%s %s\n%s: %s\ncompleteness %s · missing %d · broken %d · weak %d\nenterprises %d · projects %d · investment %s",
	flowScale: "width",
}

func mapMessagesFor(lang string) *mapMessages {
	if lang == "en" {
		return mapEn
	}
	return mapZh
}

// mapCounty is one county as the map draws it.
type mapCounty struct {
	code, name string
	cell       graph.ClusterCell
	value      float64 // the metric
	has        bool    // value is defined
	class      int     // colour class, -1 for the no-data colour
	rings      [][]Point
	polys      [][]int // ring indices per polygon, the outer ring first
	anchor     Point   // label point, inside the county: flows start and end here
	label      Point   // where the name is written, when labelled
	labelled   bool
	withValue  bool // the value is written under the name
}

// Map draws the cluster map (产业集群分布图) of one chain: each county of
// bounds as a projected <path id="county-CODE"> filled by o.Metric, with
// its name (and value) at its label point where they fit, and its figures
// in a <title>; each zone as a dot <circle id="zone-CODE"> inside its
// county; the chain's cross-county flows — exactly those of
// graph.Index.ChainCluster, as GET /api/v1/cluster reports them — as curved
// arrows <path id="flow-FROM-TO"> between label points, the MaxMapFlows
// with the most links drawn with widths by their number of links, the rest
// summed in the legend; and a legend. bounds must hold one boundary per
// county of ds (not zones): the caller checks them (dataset.CheckBoundaries).
//
// The map is drawn in the Lambert cylindrical equal-area projection with
// its standard parallel at the middle latitude of the region: a
// choropleth compares counties by colour, and an equal-area projection
// keeps their areas in true proportion, so a large county does not look
// more important than it is; over a city or province (a few degrees) the
// shapes along the middle parallel are true and the distortion elsewhere
// is a few percent. Output follows the panorama's office profile (CheckSVG)
// and is deterministic.
func Map(ds *chainscope.Dataset, ix *graph.Index, bounds []chainscope.Boundary, o MapOptions) ([]byte, error) {
	metric, err := ParseMapMetric(string(o.Metric))
	if err != nil {
		return nil, err
	}
	cl, err := ix.ChainCluster(o.Chain)
	if err != nil {
		return nil, err
	}
	m := mapMessagesFor(o.Lang)
	byCode := map[string]*chainscope.Boundary{}
	for i := range bounds {
		byCode[bounds[i].Code] = &bounds[i]
	}
	counties := make([]*mapCounty, len(cl.Areas))
	var missing []string
	for k, code := range cl.Areas {
		b := byCode[code]
		if b == nil {
			missing = append(missing, code+" "+cl.AreaNames[k])
			continue
		}
		c := &mapCounty{code: code, name: cleanText(cl.AreaNames[k]), cell: cl.Cells[k]}
		switch metric {
		case MetricCompleteness:
			c.value, c.has = c.cell.Completeness, c.cell.Nodes > 0
		case MetricInvestment:
			c.value, c.has = c.cell.InvestmentWan, c.cell.InvestmentWan > 0
		case MetricRelatedness:
			c.value, c.has = ix.ChainCloseness(code, o.Chain)
		}
		counties[k] = c
	}
	if len(missing) > 0 {
		return nil, chainscope.Localizedf(chainscope.EINVALID, "县区 %[1]s 没有边界", "counties without a boundary: %[2]s",
			strings.Join(missing, "、"), strings.Join(missing, ", "))
	}
	if len(counties) == 0 {
		return nil, chainscope.Localizedf(chainscope.EINVALID, "本地区没有县区，无法画地图", "the region has no counties to map")
	}
	zoom, nameSize, valueSize := 1.0, mapLabelSize, mapValueSize
	if len(counties) > mapSmallCounties {
		zoom, nameSize, valueSize = min(1.5, math.Sqrt(float64(len(counties))/mapSmallCounties)), 11, 10
	}
	mp := newMapProjection(bounds, mapMaxW*zoom, mapMaxH*zoom)
	for _, c := range counties {
		mp.project(c, byCode[c.code])
	}
	scale := classify(counties, metric, m, o.Lang)

	w := &svgWriter{ids: map[string]bool{}}
	w.buf = make([]byte, 0, 64<<10)
	mapW, mapH := mp.w, mp.h
	x0, y0 := mapMargin, mapHeader
	panelX := x0 + mapW + mapMargin
	width := panelX + mapPanelW + mapMargin

	// The legend first, to know the picture's height; written after the map.
	flows, rest, restLinks := topFlows(cl.Flows)
	regionName := cleanText(ds.Region.Name)
	if regionName == "" {
		regionName = cleanText(ds.Region.Code)
	}
	chainName := cleanText(cl.ChainNames[0])
	if chainName == "" {
		chainName = cleanText(o.Chain)
	}

	// Counties, shifted into place.
	for _, c := range counties {
		for _, r := range c.rings {
			for i := range r {
				r[i].X += x0
				r[i].Y += y0
			}
		}
		c.anchor.X += x0
		c.anchor.Y += y0
	}
	placeLabels(counties, nameSize, valueSize)
	legend := mapLegend{w: w, m: m, x: panelX, metric: metric, scale: scale}
	legendH := legend.height(counties, rest)
	height := y0 + max(mapH, legendH) + mapFooter

	title := fmt.Sprintf(m.title, regionName, chainName)
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1"`)
	w.attr("width", width)
	w.attr("height", height)
	w.raw(` viewBox="0 0 `)
	w.num(width)
	w.raw(" ")
	w.num(height)
	w.raw(`"`)
	w.raw(fontAttr)
	w.raw(">\n")
	w.title(title)
	w.raw("\n")
	w.rect(Rect{0, 0, width, height}, 0, "#ffffff", "", 0, "")
	w.raw("\n")
	w.textEl(mapMargin, 34, 20, colText, true, "", title)
	if o.Date != "" {
		w.textEl(width-mapMargin, 34, 12, colMuted, false, "end", fmt.Sprintf(m.asOf, o.Date))
	}
	w.textEl(mapMargin, 56, 12, colMuted, false, "", fmt.Sprintf(m.subtitle, m.metric[metric], MaxMapFlows))
	w.raw("\n")

	// Counties.
	w.raw(`<g id="counties">` + "\n")
	for _, c := range counties {
		w.raw("<path")
		w.id("county-", c.code)
		w.raw(` d="`)
		for _, r := range c.rings {
			for i, p := range r[:len(r)-1] {
				if i == 0 {
					w.raw("M")
				} else {
					w.raw("L")
				}
				w.num(p.X)
				w.raw(" ")
				w.num(p.Y)
			}
			w.raw("Z")
		}
		w.raw(`"`)
		w.sattr("fill", scale.colour(c))
		w.sattr("stroke", colBorder)
		w.raw(` stroke-width="1.2" stroke-linejoin="round">`)
		w.title(countyTip(c, m, metric, scale, o.Lang))
		w.raw("</path>\n")
	}
	w.raw("</g>\n")

	// Flows, the widest first so the thin ones stay visible on top.
	w.raw(`<g id="flows">` + "\n")
	anchor := map[string]*mapCounty{}
	for _, c := range counties {
		anchor[c.code] = c
	}
	maxLinks := 1
	for _, f := range flows {
		maxLinks = max(maxLinks, f.Links)
	}
	for _, f := range flows {
		a, b := anchor[f.From], anchor[f.To]
		sw := flowWidth(f.Links, maxLinks)
		curve, tip, base := flowCurve(a.anchor, b.anchor, sw)
		w.raw(`<g`)
		w.id("flow-", f.From+"-"+f.To)
		w.raw(">")
		w.title(fmt.Sprintf(m.flowTip, a.name, b.name, f.Links, chainscope.FormatAmount(f.InvestmentWan, o.Lang)))
		w.path(curve, colFlowLine, sw, 0.85, "")
		w.arrow(base, tip, 6+sw*1.6, 3+sw, colFlowLine)
		w.raw("</g>\n")
	}
	w.raw("</g>\n")

	// Zones, as dots inside their county.
	w.zones(ds, ix, counties, m, o.Chain)

	// Labels last, above everything.
	w.raw(`<g id="labels">` + "\n")
	for _, c := range counties {
		if !c.labelled {
			continue
		}
		ink := colText
		if c.class >= 3 {
			ink = "#ffffff"
		}
		w.textEl(c.label.X, c.label.Y-2, nameSize, ink, true, "middle", c.name)
		if c.withValue {
			w.textEl(c.label.X, c.label.Y+valueSize+1, valueSize, ink, false, "middle", scale.valueText(c))
		}
	}
	w.raw("</g>\n")

	legend.write(counties, flows, rest, restLinks, maxLinks, y0)

	// Footer.
	fy := height - 16
	w.line(mapMargin, fy-18, width-mapMargin, fy-18, colRule, 1)
	w.textEl(mapMargin, fy, 11, colFaint, false, "", fmt.Sprintf(m.source, regionName))
	w.textEl(width-mapMargin, fy, 11, colFaint, false, "end", fmt.Sprintf(m.projection, mapFixed(mp.lat0, 2)))
	w.raw("\n</svg>\n")
	return w.buf, nil
}

// topFlows returns the MaxMapFlows flows with the most links, most first
// (so the widest are drawn first and the thin ones stay visible on top;
// ties in the cluster's order: From, then To), and how many flows and
// links are left.
func topFlows(all []graph.CrossFlow) (top []graph.CrossFlow, rest, restLinks int) {
	top = slices.Clone(all)
	slices.SortStableFunc(top, func(a, b graph.CrossFlow) int { return cmp.Compare(b.Links, a.Links) })
	if len(top) > MaxMapFlows {
		for _, f := range top[MaxMapFlows:] {
			rest++
			restLinks += f.Links
		}
		top = top[:MaxMapFlows]
	}
	return top, rest, restLinks
}

// flowWidth is the stroke width of a flow of n links when the largest has
// most: 1.5 px for one link, up to 7 px, by the square root so that the
// area of ink follows the links; the widest grows with most, so a map
// whose flows are all one or two links is not drawn in heavy strokes.
func flowWidth(n, most int) float64 {
	if most <= 1 {
		return 1.5
	}
	widest := min(7, 1.5+2*math.Sqrt(float64(most-1)))
	return 1.5 + (widest-1.5)*math.Sqrt(float64(n-1)/float64(most-1))
}

// flowCurve bends a flow from a to b to its right (so a → b and b → a do
// not overlap), stopping short of both label points; it returns the cubic
// Bézier chain, the arrow's tip and the point its head points away from.
func flowCurve(a, b Point, sw float64) (curve []Point, tip, base Point) {
	dx, dy := b.X-a.X, b.Y-a.Y
	d := math.Hypot(dx, dy)
	if d < 1 {
		d = 1
	}
	ux, uy := dx/d, dy/d
	nx, ny := -uy, ux // right of the direction of travel in screen coordinates
	bend := 0.18 * d
	ctrl := Point{(a.X+b.X)/2 + nx*bend, (a.Y+b.Y)/2 + ny*bend}
	gap := min(16.0, d/4)
	start := towards(a, ctrl, gap)
	tip = towards(b, ctrl, gap)
	head := 6 + sw*1.6
	end := towards(tip, ctrl, head*0.8)
	// The quadratic start–ctrl–end as a cubic.
	c1 := Point{start.X + 2.0/3*(ctrl.X-start.X), start.Y + 2.0/3*(ctrl.Y-start.Y)}
	c2 := Point{end.X + 2.0/3*(ctrl.X-end.X), end.Y + 2.0/3*(ctrl.Y-end.Y)}
	return []Point{start, c1, c2, end}, tip, towards(tip, ctrl, head)
}

// towards is the point at distance d from p in the direction of q.
func towards(p, q Point, d float64) Point {
	l := math.Hypot(q.X-p.X, q.Y-p.Y)
	if l < 1e-9 {
		return p
	}
	return Point{p.X + (q.X-p.X)/l*d, p.Y + (q.Y-p.Y)/l*d}
}

// mapProjection is the Lambert cylindrical equal-area projection with
// standard parallel lat0, scaled and flipped to fit the map box.
type mapProjection struct {
	lat0, k, cos0    float64
	minX, maxY, w, h float64
}

func newMapProjection(bounds []chainscope.Boundary, maxW, maxH float64) *mapProjection {
	minLon, maxLon, minLat, maxLat := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, b := range bounds {
		for _, poly := range b.Polygons {
			if len(poly) == 0 {
				continue
			}
			for _, p := range poly[0] {
				minLon, maxLon = min(minLon, p[0]), max(maxLon, p[0])
				minLat, maxLat = min(minLat, p[1]), max(maxLat, p[1])
			}
		}
	}
	if math.IsInf(minLon, 0) {
		minLon, maxLon, minLat, maxLat = 0, 1, 0, 1
	}
	mp := &mapProjection{lat0: (minLat + maxLat) / 2}
	mp.cos0 = math.Cos(mp.lat0 * math.Pi / 180)
	x0, y0 := mp.raw(minLon, minLat)
	x1, y1 := mp.raw(maxLon, maxLat)
	ew, eh := math.Max(x1-x0, 1e-9), math.Max(y1-y0, 1e-9)
	mp.k = math.Min(maxW/ew, maxH/eh)
	mp.minX, mp.maxY = x0, y1
	mp.w, mp.h = ew*mp.k, eh*mp.k
	return mp
}

// raw projects to the unscaled plane: x = λ cos φ0, y = sin φ / cos φ0.
func (mp *mapProjection) raw(lon, lat float64) (float64, float64) {
	const rad = math.Pi / 180
	return lon * rad * mp.cos0, math.Sin(lat*rad) / mp.cos0
}

func (mp *mapProjection) point(lon, lat float64) Point {
	x, y := mp.raw(lon, lat)
	return Point{(x - mp.minX) * mp.k, (mp.maxY - y) * mp.k}
}

// project turns a boundary into screen rings: points closer than
// mapMinStep to the last kept one dropped, outer rings clockwise on screen
// and holes counter-clockwise, so the default nonzero fill leaves the
// holes empty; and finds the label point.
func (mp *mapProjection) project(c *mapCounty, b *chainscope.Boundary) {
	bestArea := -1.0
	var best []int
	for _, poly := range b.Polygons {
		var idx []int
		outer := 0.0
		for j, ring := range poly {
			r := make([]Point, 0, len(ring))
			for _, p := range ring {
				q := mp.point(p[0], p[1])
				if n := len(r); n > 0 && math.Hypot(q.X-r[n-1].X, q.Y-r[n-1].Y) < mapMinStep {
					continue
				}
				r = append(r, q)
			}
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			if len(r) < 4 || (j > 0 && len(idx) == 0) {
				continue // too small to see, or a hole of an outer ring that was
			}
			a := signedArea(r)
			if (j == 0) != (a > 0) { // y points down: positive is clockwise on screen
				slices.Reverse(r)
			}
			if j == 0 {
				outer = math.Abs(a)
			}
			idx = append(idx, len(c.rings))
			c.rings = append(c.rings, r)
		}
		if len(idx) == 0 {
			continue
		}
		c.polys = append(c.polys, idx)
		if outer > bestArea {
			bestArea, best = outer, idx
		}
	}
	if best != nil {
		c.anchor = labelPoint(c.rings, best)
	}
}

// signedArea is the shoelace area of a closed ring.
func signedArea(r []Point) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += r[i].X*r[i+1].Y - r[i+1].X*r[i].Y
	}
	return s / 2
}

// labelPoint is the centroid of the polygon (outer ring less holes) when it
// lies inside, else the middle of the widest stretch of the horizontal line
// through it that does.
func labelPoint(rings [][]Point, poly []int) Point {
	var cx, cy, a float64
	for _, k := range poly {
		r := rings[k]
		for i := 0; i+1 < len(r); i++ {
			cr := r[i].X*r[i+1].Y - r[i+1].X*r[i].Y
			a += cr
			cx += (r[i].X + r[i+1].X) * cr
			cy += (r[i].Y + r[i+1].Y) * cr
		}
	}
	if a == 0 {
		return rings[poly[0]][0]
	}
	c := Point{cx / (3 * a), cy / (3 * a)}
	if insidePoly(rings, poly, c) {
		return c
	}
	var xs []float64
	for _, k := range poly {
		r := rings[k]
		for i := 0; i+1 < len(r); i++ {
			p, q := r[i], r[i+1]
			if (p.Y > c.Y) != (q.Y > c.Y) {
				xs = append(xs, p.X+(c.Y-p.Y)/(q.Y-p.Y)*(q.X-p.X))
			}
		}
	}
	slices.Sort(xs)
	best := -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > best {
			best, c.X = w, (xs[i]+xs[i+1])/2
		}
	}
	return c
}

// insidePoly reports whether p lies inside the polygon (even-odd over its
// rings, so holes are outside).
func insidePoly(rings [][]Point, poly []int, p Point) bool {
	in := false
	for _, k := range poly {
		r := rings[k]
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a.Y > p.Y) != (b.Y > p.Y) && p.X < a.X+(p.Y-a.Y)/(b.Y-a.Y)*(b.X-a.X) {
				in = !in
			}
		}
	}
	return in
}

// inside reports whether p lies inside any polygon of c.
func (c *mapCounty) inside(p Point) bool {
	for _, poly := range c.polys {
		if insidePoly(c.rings, poly, p) {
			return true
		}
	}
	return false
}

// labelSpots are the offsets from a county's label point tried for its
// label, in order.
var labelSpots = []Point{{0, 0}, {0, -12}, {0, 12}, {-16, 0}, {16, 0}, {0, -24}, {0, 24}, {-24, -12}, {24, -12}, {-24, 12}, {24, 12}}

// placeLabels labels each county whose name (with its value, else alone)
// fits inside it near its label point without overlapping a label already
// placed, the largest counties first (ties by code); the others are named
// in the legend and their tooltip.
func placeLabels(counties []*mapCounty, nameSize, valueSize float64) {
	order := slices.Clone(counties)
	area := map[*mapCounty]float64{}
	for _, c := range counties {
		for _, poly := range c.polys {
			area[c] += math.Abs(signedArea(c.rings[poly[0]]))
		}
	}
	slices.SortStableFunc(order, func(a, b *mapCounty) int { return cmp.Compare(area[b], area[a]) })
	var placed []Rect
	for _, c := range order {
		if len(c.polys) == 0 {
			continue
		}
		w := textWidth(c.name, nameSize) * boldFactor
	spots:
		for _, withValue := range []bool{true, false} {
			for _, d := range labelSpots {
				at := Point{c.anchor.X + d.X, c.anchor.Y + d.Y}
				r := Rect{at.X - w/2, at.Y - nameSize - 1, w, nameSize + 4}
				if withValue {
					r.H += valueSize + 2
				}
				if !rectInside(c, r) || slices.ContainsFunc(placed, r.Overlaps) {
					continue
				}
				placed = append(placed, r)
				c.labelled, c.label, c.withValue = true, at, withValue
				break spots
			}
		}
	}
}

// rectInside reports whether the corners and edge midpoints of r lie in c.
func rectInside(c *mapCounty, r Rect) bool {
	for _, fx := range []float64{0, 0.5, 1} {
		for _, fy := range []float64{0, 0.5, 1} {
			if (fx != 0.5 || fy != 0.5) && !c.inside(Point{r.X + r.W*fx, r.Y + r.H*fy}) {
				return false
			}
		}
	}
	return true
}

// zones draws each zone as a dot inside its county, near the label point.
func (w *svgWriter) zones(ds *chainscope.Dataset, ix *graph.Index, counties []*mapCounty, m *mapMessages, chain string) {
	byCode := map[string]*mapCounty{}
	for _, c := range counties {
		byCode[c.code] = c
	}
	used := map[*mapCounty]int{}
	w.raw(`<g id="zones">` + "\n")
	for i := range ds.Counties {
		z := &ds.Counties[i]
		c := byCode[z.Parent]
		if z.Kind != chainscope.KindZone || c == nil {
			continue
		}
		p := c.zoneSpot(used[c])
		used[c]++
		w.raw("<circle")
		w.id("zone-", z.Code)
		w.attr("cx", p.X)
		w.attr("cy", p.Y)
		w.raw(` r="4"`)
		w.sattr("fill", "#ffffff")
		w.sattr("stroke", colZone)
		w.raw(` stroke-width="1.6">`)
		tip := cleanText(z.Name)
		if a, err := ix.Analyze(z.Code, chain); err == nil {
			tip = fmt.Sprintf(m.zoneTip, cleanText(z.Name), c.name, fmtPct(a.Completeness), a.Totals.Enterprises, a.Totals.Projects)
		}
		w.title(tip)
		w.raw("</circle>\n")
	}
	w.raw("</g>\n")
}

// zoneSpots are the offsets from a county's label point tried for its
// zones, in order: below the label, then around it.
var zoneSpots = []Point{{0, 24}, {-16, 22}, {16, 22}, {-28, 10}, {28, 10}, {0, -26}, {-22, -20}, {22, -20}, {-32, 28}, {32, 28}}

// zoneSpot is the k-th zone's dot in c: the first free spot inside c.
func (c *mapCounty) zoneSpot(k int) Point {
	n := 0
	for _, d := range zoneSpots {
		p := Point{c.anchor.X + d.X, c.anchor.Y + d.Y}
		if !c.inside(p) {
			continue
		}
		if n == k {
			return p
		}
		n++
	}
	return Point{c.anchor.X + float64(k%5-2)*9, c.anchor.Y + 20}
}

// mapScale turns a metric's values into colour classes and words.
type mapScale struct {
	metric  MapMetric
	palette [5]string
	breaks  [4]float64 // a value ≥ breaks[i] is in class i+1 or above
	labels  [6]string  // the no-data class, then the five classes
	lang    string
	m       *mapMessages
}

// classify sets each county's class. Completeness and relatedness are
// shares with fixed classes of 20 points; investment classes are equal
// steps of the largest county's amount, rounded to a whole 亿元 above 1 亿.
func classify(counties []*mapCounty, metric MapMetric, m *mapMessages, lang string) *mapScale {
	s := &mapScale{metric: metric, lang: lang, m: m}
	switch metric {
	case MetricInvestment:
		s.palette = palInvestment
		most := 0.0
		for _, c := range counties {
			most = max(most, c.value)
		}
		step := most / 5
		if step > 10000 {
			step = math.Ceil(step/10000) * 10000
		} else if step > 0 {
			step = math.Ceil(step)
		}
		for i := range s.breaks {
			s.breaks[i] = step * float64(i+1)
		}
		s.labels[0] = m.zero
		for i := range 5 {
			lo := chainscope.FormatAmount(step*float64(i), lang)
			if i == 4 {
				s.labels[i+1] = "≥ " + lo
			} else {
				s.labels[i+1] = lo + " – " + chainscope.FormatAmount(step*float64(i+1), lang)
			}
		}
	default:
		s.palette = palCompleteness
		s.labels[0] = m.noNodes
		if metric == MetricRelatedness {
			s.palette = palRelatedness
			s.labels[0] = m.lacksNone
		}
		s.breaks = [4]float64{0.2, 0.4, 0.6, 0.8}
		for i := range 5 {
			if metric == MetricRelatedness {
				s.labels[i+1] = mapFixed(float64(i)*0.2, 1) + " – " + mapFixed(float64(i+1)*0.2, 1)
			} else {
				s.labels[i+1] = fmt.Sprintf("%d%% – %d%%", i*20, (i+1)*20)
			}
		}
	}
	for _, c := range counties {
		c.class = -1
		if !c.has {
			continue
		}
		c.class = 0
		for i, b := range s.breaks {
			if c.value >= b-1e-9 {
				c.class = i + 1
			}
		}
	}
	return s
}

func (s *mapScale) colour(c *mapCounty) string {
	if c.class < 0 {
		return colNoData
	}
	return s.palette[c.class]
}

// valueText is a county's value as its label and tooltip show it.
func (s *mapScale) valueText(c *mapCounty) string {
	if !c.has {
		return s.labels[0]
	}
	switch s.metric {
	case MetricInvestment:
		return chainscope.FormatAmount(c.value, s.lang)
	case MetricRelatedness:
		return mapFixed(c.value, 4)
	}
	return fmtPct(c.value)
}

func countyTip(c *mapCounty, m *mapMessages, metric MapMetric, s *mapScale, lang string) string {
	x := &c.cell
	return fmt.Sprintf(m.countyTip, c.name, c.code, m.metric[metric], s.valueText(c),
		fmtPct(x.Completeness), x.Missing, x.Broken, x.Weak, x.Enterprises, x.Projects, chainscope.FormatAmount(x.InvestmentWan, lang))
}

// mapLegend is the column right of the map.
type mapLegend struct {
	w      *svgWriter
	m      *mapMessages
	x      float64
	metric MapMetric
	scale  *mapScale
}

const (
	mapLegendRow  = 20.0
	mapLegendHead = 26.0
)

// unlabelled returns the counties whose name is not on the map.
func unlabelled(counties []*mapCounty) []*mapCounty {
	var out []*mapCounty
	for _, c := range counties {
		if !c.labelled {
			out = append(out, c)
		}
	}
	return out
}

// height is the legend's height for the counties and flows.
func (l *mapLegend) height(counties []*mapCounty, rest int) float64 {
	h := mapLegendHead + 6*mapLegendRow + 16 // colours
	h += mapLegendHead + 3*mapLegendRow + 16 // flows: scale, and the rest or none
	if rest > 0 {
		h += mapLegendRow
	}
	h += mapLegendRow + 16 // zones
	if n := len(unlabelled(counties)); n > 0 {
		h += mapLegendHead + float64(n)*16
	}
	return h
}

func (l *mapLegend) write(counties []*mapCounty, flows []graph.CrossFlow, rest, restLinks, maxLinks int, y float64) {
	w, m := l.w, l.m
	x := l.x
	w.raw(`<g id="legend">` + "\n")
	y += 4
	w.textEl(x, y+14, 13, colText, true, "", m.metric[l.metric])
	y += mapLegendHead
	for i := 0; i < 6; i++ {
		fill := colNoData
		if i > 0 {
			fill = l.scale.palette[i-1]
		}
		w.rect(Rect{x, y, 22, 14}, 2, fill, colOutline, 0.6, "")
		w.textEl(x+30, y+11.5, 12, colText, false, "", l.scale.labels[i])
		y += mapLegendRow
	}
	y += 16
	w.textEl(x, y+14, 13, colText, true, "", m.flows)
	y += mapLegendHead
	if len(flows) == 0 {
		w.textEl(x, y+11.5, 12, colMuted, false, "", m.flowNone)
		y += 3 * mapLegendRow
	} else {
		least := flows[len(flows)-1].Links
		for _, n := range []int{maxLinks, (maxLinks + least) / 2, least}[:min(3, len(flows))] {
			sw := flowWidth(n, maxLinks)
			w.line(x, y+7, x+40, y+7, colFlowLine, sw)
			w.textEl(x+50, y+11.5, 12, colText, false, "", fmt.Sprintf(m.links, n))
			y += mapLegendRow
		}
		y += mapLegendRow * float64(3-min(3, len(flows)))
	}
	if rest > 0 {
		w.textEl(x, y+11.5, 12, colMuted, false, "", fmt.Sprintf(m.flowMore, rest, restLinks))
		y += mapLegendRow
	}
	y += 16
	w.raw(`<circle`)
	w.attr("cx", x+11)
	w.attr("cy", y+7)
	w.raw(` r="4" fill="#ffffff"`)
	w.sattr("stroke", colZone)
	w.raw(` stroke-width="1.6"/>`)
	w.textEl(x+30, y+11.5, 12, colText, false, "", m.zone)
	y += mapLegendRow + 16
	if un := unlabelled(counties); len(un) > 0 {
		w.textEl(x, y+14, 13, colText, true, "", m.unlabelled)
		y += mapLegendHead
		for _, c := range un {
			w.textEl(x, y+11, 11, colText, false, "", c.name+" "+c.code)
			w.textEl(x+mapPanelW-8, y+11, 11, colMuted, false, "end", l.scale.valueText(c))
			y += 16
		}
	}
	w.raw("</g>\n")
}

// mapFixed formats x with prec decimals.
func mapFixed(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
