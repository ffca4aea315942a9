package render

import (
	"cmp"
	"math"
	"slices"
)

// endpoint is one end of a route: a node box or a segment box.
type endpoint struct {
	node bool
	i    int // node index or segment index
}

// route is how one link or flow is drawn. It leaves a's right side and
// enters b's left side (an arc, between two boxes of one column, enters b's
// right side); a < b in column order, so a link drawn against the columns
// has rev set and its arrowhead at a. Passing a column in between, it runs
// straight through one of the gaps between that column's boxes.
type route struct {
	flow   bool
	idx    int // index into builder.links or builder.flows
	a, b   endpoint
	c0, c1 int
	arc    bool
	rev    bool
	passes []pass
	pa, pb float64 // port y at a and at b
}

// pass is a route's way through column col: gap (0 = above the first box)
// and the track y it takes there.
type pass struct {
	col, gap int
	key      float64 // the y a straight line would have there
	y        float64
}

func (b *builder) colOf(e endpoint) int {
	if e.node {
		return b.segs[b.nodes[e.i].seg].col
	}
	return b.segs[e.i].col
}

func (b *builder) centreY(e endpoint) float64 {
	if e.node {
		return b.nodes[e.i].y
	}
	return b.segs[e.i].box.Y + headerH/2
}

func (b *builder) colCentre(k int) float64 { return b.colX[k] + b.colW[k]/2 }

func (b *builder) leftX(e endpoint) float64 {
	if e.node {
		n := &b.nodes[e.i]
		return b.nodeX(&b.segs[n.seg], n.sub)
	}
	return b.colX[b.colOf(e)]
}

func (b *builder) rightX(e endpoint) float64 {
	if e.node {
		n := &b.nodes[e.i]
		return b.nodeX(&b.segs[n.seg], n.sub) + b.segs[n.seg].nodeW
	}
	k := b.colOf(e)
	return b.colX[k] + b.colW[k]
}

// planRoutes decides every route's direction and, for each column it
// passes, the gap between boxes nearest to where a straight line would run.
func (b *builder) planRoutes() {
	b.routes = b.routes[:0]
	add := func(r route) {
		r.c0, r.c1 = b.colOf(r.a), b.colOf(r.b)
		switch {
		case r.c0 > r.c1:
			r.a, r.b, r.c0, r.c1, r.rev = r.b, r.a, r.c1, r.c0, true
		case r.c0 == r.c1:
			r.arc = true
		}
		b.routes = append(b.routes, r)
	}
	if !b.d.Compact {
		for i, l := range b.links {
			add(route{idx: i, a: endpoint{true, l.u}, b: endpoint{true, l.v}})
		}
	}
	for i, f := range b.flows {
		add(route{flow: true, idx: i, a: endpoint{false, f[0]}, b: endpoint{false, f[1]}})
	}
	for i := range b.routes {
		r := &b.routes[i]
		if r.arc || r.c1-r.c0 < 2 {
			continue
		}
		ya, yb := b.centreY(r.a), b.centreY(r.b)
		xa, xb := b.colCentre(r.c0), b.colCentre(r.c1)
		for k := r.c0 + 1; k < r.c1; k++ {
			key := ya + (yb-ya)*(b.colCentre(k)-xa)/(xb-xa)
			r.passes = append(r.passes, pass{col: k, gap: b.chooseGap(k, key), key: key})
		}
	}
}

// gapBounds is the free interval of gap j of column k (±Inf beyond the
// first and last box).
func (b *builder) gapBounds(k, j int) (lo, hi float64) {
	segs := b.cols[k]
	lo, hi = math.Inf(-1), math.Inf(1)
	if j > 0 {
		lo = b.segs[segs[j-1]].box.Bottom()
	}
	if j < len(segs) {
		hi = b.segs[segs[j]].box.Y
	}
	return lo, hi
}

// chooseGap picks the gap of column k nearest to y.
func (b *builder) chooseGap(k int, y float64) int {
	best, bestD := 0, math.Inf(1)
	for j := 0; j <= len(b.cols[k]); j++ {
		lo, hi := b.gapBounds(k, j)
		d := 0.0
		switch {
		case y < lo+trackMargin:
			d = lo + trackMargin - y
		case y > hi-trackMargin:
			d = y - hi + trackMargin
		}
		if d < bestD {
			best, bestD = j, d
		}
	}
	return best
}

func trackSpacing(r *route) float64 {
	if r.flow {
		return flowTrack
	}
	return linkTrack
}

// tracks lists, per column and gap, the routes through it: (route, pass).
func (b *builder) tracks() [][][][2]int {
	t := make([][][][2]int, len(b.cols))
	for k := range b.cols {
		t[k] = make([][][2]int, len(b.cols[k])+1)
	}
	for ri := range b.routes {
		for pi, p := range b.routes[ri].passes {
			t[p.col][p.gap] = append(t[p.col][p.gap], [2]int{ri, pi})
		}
	}
	return t
}

// gapNeeds is the least height of every gap, for placeY.
func (b *builder) gapNeeds() [][]float64 {
	t := b.tracks()
	need := make([][]float64, len(t))
	for k := range t {
		need[k] = make([]float64, len(t[k]))
		for j, list := range t[k] {
			h := 2 * trackMargin
			for _, x := range list {
				h += trackSpacing(&b.routes[x[0]])
			}
			need[k][j] = h
		}
	}
	return need
}

// corridorNeeds widens the corridor right of each column with the number
// of routes that cross it, so busy corridors keep their curves apart.
func (b *builder) corridorNeeds() []float64 {
	n := make([]float64, len(b.cols))
	for i := range b.routes {
		r := &b.routes[i]
		if r.arc {
			n[r.c0] += 0.5
			continue
		}
		for k := r.c0; k < r.c1; k++ {
			n[k]++
		}
	}
	for k := range n {
		n[k] = min(corridorMax, corridorMin+0.35*n[k])
	}
	return n
}

// assignTracks gives every pass its y: the routes through one gap are
// ordered by where they would run straight and spaced evenly, centred in a
// gap between two boxes, hugging the box above or below an open gap.
func (b *builder) assignTracks() {
	t := b.tracks()
	for k := range t {
		for j, list := range t[k] {
			if len(list) == 0 {
				continue
			}
			slices.SortFunc(list, func(x, y [2]int) int {
				px, py := &b.routes[x[0]].passes[x[1]], &b.routes[y[0]].passes[y[1]]
				if c := cmp.Compare(px.key, py.key); c != 0 {
					return c
				}
				return cmp.Compare(x[0], y[0])
			})
			total := 0.0
			for i := 1; i < len(list); i++ {
				total += (trackSpacing(&b.routes[list[i-1][0]]) + trackSpacing(&b.routes[list[i][0]])) / 2
			}
			lo, hi := b.gapBounds(k, j)
			var y float64
			switch {
			case math.IsInf(lo, -1) && math.IsInf(hi, 1):
				y = b.routes[list[0][0]].passes[list[0][1]].key
			case math.IsInf(lo, -1):
				y = hi - trackMargin - total
			case math.IsInf(hi, 1):
				y = lo + trackMargin
			default:
				y = (lo+hi)/2 - total/2
			}
			for i, x := range list {
				if i > 0 {
					y += (trackSpacing(&b.routes[list[i-1][0]]) + trackSpacing(&b.routes[x[0]])) / 2
				}
				b.routes[x[0]].passes[x[1]].y = y
			}
		}
	}
}

// attach is one route end on one side of a box, with the y the route heads
// for from there (which orders the ports along the side).
type attach struct {
	route int
	atA   bool
	other float64
}

// assignPorts spreads the route ends on each side of a box over its
// height, in the order of where they head, so that links leaving one box do
// not cross each other at the box.
func (b *builder) assignPorts() {
	type side struct {
		e     endpoint
		right bool
	}
	sides := map[side][]attach{}
	var keys []side
	put := func(s side, a attach) {
		if _, ok := sides[s]; !ok {
			keys = append(keys, s)
		}
		sides[s] = append(sides[s], a)
	}
	for ri := range b.routes {
		r := &b.routes[ri]
		otherA, otherB := b.centreY(r.b), b.centreY(r.a)
		if len(r.passes) > 0 {
			otherA, otherB = r.passes[0].y, r.passes[len(r.passes)-1].y
		}
		put(side{r.a, true}, attach{ri, true, otherA})
		put(side{r.b, r.arc}, attach{ri, false, otherB})
	}
	for _, s := range keys {
		list := sides[s]
		slices.SortFunc(list, func(x, y attach) int {
			if c := cmp.Compare(x.other, y.other); c != 0 {
				return c
			}
			return cmp.Compare(x.route, y.route)
		})
		centre := b.centreY(s.e)
		half, step := nodePort, portStep
		if !s.e.node {
			half, step = headerH/2-12, 7
		}
		span := 0.0
		if n := len(list); n > 1 {
			span = min(2*half, step*float64(n-1))
		}
		for i, a := range list {
			y := centre
			if len(list) > 1 {
				y = centre - span/2 + span*float64(i)/float64(len(list)-1)
			}
			if a.atA {
				b.routes[a.route].pa = y
			} else {
				b.routes[a.route].pb = y
			}
		}
	}
}

// curve builds the drawn path of a route: a chain of cubic Béziers with
// horizontal tangents at every anchor, from the tail end to the arrowhead's
// base, and the arrowhead's tip.
func (b *builder) curve(r *route) ([]Point, Point) {
	start := Point{b.rightX(r.a), r.pa}
	end := Point{b.leftX(r.b), r.pb}
	if r.arc {
		end.X = b.rightX(r.b)
	}
	var tip Point
	switch {
	case r.rev:
		tip = start
		start.X += arrowLen
	case r.arc:
		tip = end
		end.X += arrowLen
	default:
		tip = end
		end.X -= arrowLen
	}
	// A node box inside a grid (not at its segment's edge) is left and
	// entered straight, along its row, so that the route turns only in the
	// corridor, clear of the boxes stacked above and below.
	pts := make([]Point, 1, 10+6*len(r.passes))
	pts[0] = start
	cur := start
	if edge := b.colX[r.c0] + b.colW[r.c0] - segPad; r.a.node && cur.X < edge-1e-9 {
		cur = Point{edge, start.Y}
		pts = append(pts, straight(start, cur)...)
	}
	last := end
	switch edge := b.colX[r.c1] + segPad; {
	case r.arc:
		if edge := b.colX[r.c1] + b.colW[r.c1] - segPad; r.b.node && last.X < edge-1e-9 {
			last.X = edge
		}
	case r.b.node && last.X > edge+1e-9:
		last.X = edge
	}
	if r.arc {
		dx := min(b.corrW[r.c0]*0.45, 16+math.Abs(last.Y-cur.Y)*0.2)
		x := max(cur.X, last.X) + dx
		pts = append(pts, Point{x, cur.Y}, Point{x, last.Y}, last)
		if last != end {
			pts = append(pts, straight(last, end)...)
		}
		return pts, tip
	}
	for _, p := range r.passes {
		in := Point{b.colX[p.col], p.y}
		out := Point{b.colX[p.col] + b.colW[p.col], p.y}
		pts = append(pts, sCurve(cur, in)...)
		pts = append(pts, Point{in.X + (out.X-in.X)/3, in.Y}, Point{out.X - (out.X-in.X)/3, out.Y}, out)
		cur = out
	}
	pts = append(pts, sCurve(cur, last)...)
	if last != end {
		pts = append(pts, straight(last, end)...)
	}
	if r.rev {
		slices.Reverse(pts)
	}
	return pts, tip
}

// straight is the cubic of the straight line from p to q: its two control
// points and q.
func straight(p, q Point) []Point {
	return []Point{{p.X + (q.X-p.X)/3, p.Y + (q.Y-p.Y)/3}, {p.X + 2*(q.X-p.X)/3, p.Y + 2*(q.Y-p.Y)/3}, q}
}

// sCurve is the cubic from p to q with horizontal tangents at both ends:
// its two control points and q.
func sCurve(p, q Point) []Point {
	mx := (p.X + q.X) / 2
	return []Point{{mx, p.Y}, {mx, q.Y}, q}
}

// cubicMid is the point at t = ½ of the cubic p0 c1 c2 p3.
func cubicMid(p0, c1, c2, p3 Point) Point {
	return Point{(p0.X + 3*c1.X + 3*c2.X + p3.X) / 8, (p0.Y + 3*c1.Y + 3*c2.Y + p3.Y) / 8}
}
