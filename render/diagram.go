package render

import (
	"cmp"
	"math"
	"slices"

	"chainscope"
	"chainscope/graph"
)

// Point is a position in SVG user units (px), y pointing down.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned box: top-left corner and size.
type Rect struct{ X, Y, W, H float64 }

// Right is the x of the box's right edge.
func (r Rect) Right() float64 { return r.X + r.W }

// Bottom is the y of the box's bottom edge.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Center is the middle of the box.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Overlaps reports whether two boxes share interior area.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.Right() && o.X < r.Right() && r.Y < o.Bottom() && o.Y < r.Bottom()
}

// Diagram is a laid-out chain panorama: where every segment box, node box,
// supply link and segment flow goes, in the coordinates of the SVG that SVG
// writes from it. The browser and the crossing benchmark read it; the slices
// are in drawing order and every index refers into this Diagram.
type Diagram struct {
	Width, Height float64 // the picture, title to footer, in the asked aspect
	Area, Chain   string  // the scope
	AreaName      string  // the area's name ("*" is the region's name)
	ChainName     string
	Title         string // the title line (Options.Title or the default)
	// Compact is true when the scope has more nodes than Options.MaxNodes:
	// segment boxes then show counts and Nodes and Links are empty.
	Compact  bool
	Columns  int          // number of layers (columns) left → right
	Segments []SegmentBox // every segment of the chain, in the chain's order
	Nodes    []NodeBox    // node boxes, segment by segment, top to bottom; aliases included
	Links    []LinkPath   // the scope's supply links E, sorted by (from, to)
	Flows    []FlowPath   // the chain's segment flows, in the chain's order
	Totals   graph.Totals // the analysis totals
	Complete float64      // completeness in [0, 1]
	deco     *decorations // title, KPIs, legend and footer, placed
	natural  [2]float64   // width and height before padding to the asked aspect
	msg      *messages    // the language the picture is labelled in
}

// SegmentBox is one segment drawn as a box with a header (name, stage,
// status badges) and its nodes, or its counts in a compact diagram.
type SegmentBox struct {
	ID       string
	Name     string   // full name
	Lines    []string // the name as drawn, wrapped over up to three lines: never cut
	Head     float64  // the header's height, which grows with the name's lines
	Sub      string   // the header's last line: stage and counts
	Stage    chainscope.Stage
	Result   graph.SegmentResult // the segment's analysis, status and reasons
	Column   int                 // layer, 0 = leftmost
	Support  bool                // drawn in the support band below the main band
	Box      Rect
	Nodes    []int // indices into Diagram.Nodes, top to bottom
	Ents     int   // enterprises of the scope listing the segment
	Projects int   // projects of the scope listing the segment
	Leaders  int   // chain leaders among them
	Cuts     int   // cut nodes among them
}

// NodeBox is one enterprise or project drawn as a labelled box inside its
// segment. An alias box repeats, in a further segment the node lists, a node
// drawn elsewhere (Primary); links never attach to aliases.
type NodeBox struct {
	ID       string
	Name     string   // full name
	Lines    []string // the name as drawn, wrapped over up to three lines: never cut
	Project  bool     // a project (rounded box, 项); false: an enterprise (square box, 企)
	Leader   bool     // 链主 of the chain (★)
	Impact   int      // cut-node impact; meaningful when Cut
	Cut      bool     // an articulation point of the scope (关键节点)
	Segment  int      // index into Diagram.Segments
	Alias    bool
	Primary  int // for an alias: index of the node's own box; -1 otherwise
	Box      Rect
	LabelBox Rect // where the name's lines are drawn (their measured extent)
	tip      string
}

// LinkPath is one supply link drawn from supplier to customer: a chain of
// cubic Bézier segments (Curve: P0, C1, C2, P1, C1, C2, P2, …) ending at the
// arrowhead's base, then the arrowhead up to Tip on the customer's box.
type LinkPath struct {
	From, To int // indices into Diagram.Nodes (never aliases)
	Product  string
	Bridge   bool // a bridge of the scope (关键链接)
	Impact   int  // bridge impact; meaningful when Bridge
	Curve    []Point
	Tip      Point
}

// FlowPath is one segment → segment flow of the chain, drawn between the
// segment boxes' headers like a LinkPath. Broken is set when either end is
// a broken missing segment (断链); Mark is then where the ✕ is drawn.
type FlowPath struct {
	From, To int // indices into Diagram.Segments
	Broken   bool
	Mark     Point
	Curve    []Point
	Tip      Point
}

// Polyline flattens the link's curve into straight pieces, arrowhead tip
// included: what Crossings measures.
func (l *LinkPath) Polyline() []Point { return flatten(l.Curve, l.Tip) }

// flatten samples a Bézier chain (8 pieces per cubic) and appends tip.
func flatten(curve []Point, tip Point) []Point {
	if len(curve) == 0 {
		return nil
	}
	const steps = 8
	out := make([]Point, 0, (len(curve)-1)/3*steps+2)
	out = append(out, curve[0])
	for i := 0; i+3 < len(curve); i += 3 {
		p0, p1, p2, p3 := curve[i], curve[i+1], curve[i+2], curve[i+3]
		for s := 1; s <= steps; s++ {
			t := float64(s) / steps
			u := 1 - t
			a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
			out = append(out, Point{a*p0.X + b*p1.X + c*p2.X + d*p3.X, a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y})
		}
	}
	return append(out, tip)
}

// Crossings counts the crossings of the drawn supply links: every point
// where two links' paths (flattened, arrowheads included) intersect. Each
// path is cut into half-open pieces, so a crossing on a shared sample
// point counts once; links that merely start at the same point, or run
// along each other, do not cross.
func (d *Diagram) Crossings() int {
	type piece struct {
		a, b   Point
		link   int
		first  bool // the link's first piece: its start is the link's tail
		x0, x1 float64
	}
	var ps []piece
	for i := range d.Links {
		pl := d.Links[i].Polyline()
		for j := 0; j+1 < len(pl); j++ {
			a, b := pl[j], pl[j+1]
			if a == b {
				continue
			}
			ps = append(ps, piece{a, b, i, j == 0, min(a.X, b.X), max(a.X, b.X)})
		}
	}
	slices.SortFunc(ps, func(p, q piece) int { return cmp.Compare(p.x0, q.x0) })
	n := 0
	var active []int
	for i := range ps {
		keep := active[:0]
		for _, j := range active {
			if ps[j].x1 >= ps[i].x0 {
				keep = append(keep, j)
			}
		}
		active = keep
		p := &ps[i]
		for _, j := range active {
			q := &ps[j]
			if q.link == p.link {
				continue
			}
			t, u, ok := intersect(p.a, p.b, q.a, q.b)
			if !ok || (t == 0 && p.first) || (u == 0 && q.first) {
				continue
			}
			n++
		}
		active = append(active, i)
	}
	return n
}

// intersect finds where segments ab and cd meet, as fractions t along ab
// and u along cd, both in [0, 1): the end of a piece belongs to the next
// one. Parallel segments do not meet.
func intersect(a, b, c, d Point) (t, u float64, ok bool) {
	if max(a.Y, b.Y) < min(c.Y, d.Y) || max(c.Y, d.Y) < min(a.Y, b.Y) {
		return 0, 0, false
	}
	rx, ry := b.X-a.X, b.Y-a.Y
	sx, sy := d.X-c.X, d.Y-c.Y
	den := rx*sy - ry*sx
	if math.Abs(den) < 1e-12 {
		return 0, 0, false
	}
	qx, qy := c.X-a.X, c.Y-a.Y
	t = (qx*sy - qy*sx) / den
	u = (qx*ry - qy*rx) / den
	const eps = 1e-9
	if math.Abs(t) < eps {
		t = 0
	}
	if math.Abs(u) < eps {
		u = 0
	}
	return t, u, t >= 0 && t < 1-eps && u >= 0 && u < 1-eps
}

// properCross reports whether segments ab and cd cross at a point interior
// to both (touching ends and collinear overlaps do not count).
func properCross(a, b, c, d Point) bool {
	if max(a.Y, b.Y) < min(c.Y, d.Y) || max(c.Y, d.Y) < min(a.Y, b.Y) {
		return false
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	return o1*o2 < 0 && o3*o4 < 0
}

// orient is the sign of the turn a → b → c, with a small tolerance so
// points on a line count as on it.
func orient(a, b, c Point) int {
	v := (b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X)
	switch {
	case v > 1e-9:
		return 1
	case v < -1e-9:
		return -1
	}
	return 0
}
