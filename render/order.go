package render

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// orderProblem is one crossing-minimisation problem of a layered drawing
// with clusters: items sit in groups (segment boxes), groups are stacked in
// bands (main, support) of a column, and only the order of items inside a
// group and of groups inside a band may change. Segment boxes inside a
// column and nodes inside a segment box are both ordered this way.
type orderProblem struct {
	groupCol   []int       // per group: its column
	groupBand  []int       // per group: 0 main band, 1 support band
	groupH     []float64   // per group: height
	slotOff    [][]float64 // per group: the y of each slot relative to the group's top
	colGroups  [][]int     // per column: its groups top to bottom, band by band (an answer)
	bandTop    [][2]float64
	gap        float64   // between groups stacked in a band
	moveGroup  bool      // whether groups may change order
	swapRounds int       // rounds of neighbour swaps after each sweep
	colX       []float64 // per column: x of its centre line
	members    [][]int   // per group: its items in slot order (the answer)
	item       []itemInfo
	edges      [][2]int // lines between items, for the crossing count

	// derived and scratch
	groupY   []float64 // per group: its top
	pos      []int
	key      []float64
	pieces   [][]piece
	meets    []meet
	buf      []float64
	scratch  []float64
	corr     [][]int  // per corridor: the edges crossing it
	incident [][]int  // per item: its edges to other columns
	span     [][2]int // per edge: its lowest and highest column
	ends     [][2]int // per edge: its items, the one in the lower column first
}

type itemInfo struct {
	group int
	adj   []int // neighbours, any column
}

// piece is the part of a straight line between two neighbouring column
// centre lines: its y on the left one and on the right one.
type piece struct{ yl, yr float64 }

func (p *orderProblem) col(i int) int { return p.groupCol[p.item[i].group] }

func (p *orderProblem) y(i int) float64 {
	g := p.item[i].group
	return p.groupY[g] + p.slotOff[g][p.pos[i]]
}

// syncPos recomputes every item's slot from members and every group's top
// from colGroups.
func (p *orderProblem) syncPos() {
	if len(p.pos) != len(p.item) {
		p.pos = make([]int, len(p.item))
		p.key = make([]float64, len(p.item))
	}
	if len(p.groupY) != len(p.groupCol) {
		p.groupY = make([]float64, len(p.groupCol))
	}
	for _, m := range p.members {
		for k, i := range m {
			p.pos[i] = k
		}
	}
	for c := range p.colGroups {
		p.restack(c)
	}
}

// restack sets the tops of column c's groups from their order.
func (p *orderProblem) restack(c int) {
	y := p.bandTop[c]
	for _, g := range p.colGroups[c] {
		b := p.groupBand[g]
		p.groupY[g] = y[b]
		y[b] += p.groupH[g] + p.gap
	}
}

// crossings counts the crossings of the straight lines between item
// centres (x = column centre, y = slot). A line spanning several columns is
// cut at each column line in between; two pieces between the same pair of
// column lines cross inside the corridor exactly when their ends swap
// order, so each corridor is an inversion count, and two lines that meet
// exactly on a column line both pass cross there. Lines inside one column
// are not counted.
func (p *orderProblem) crossings() int {
	ncol := len(p.colX)
	if ncol < 2 {
		return 0
	}
	if len(p.pieces) != ncol-1 {
		p.pieces = make([][]piece, ncol-1)
	}
	for k := range p.pieces {
		p.pieces[k] = p.pieces[k][:0]
	}
	p.meets = p.meets[:0]
	for _, e := range p.edges {
		u, v := e[0], e[1]
		cu, cv := p.col(u), p.col(v)
		if cu == cv {
			continue
		}
		if cu > cv {
			u, v, cu, cv = v, u, cv, cu
		}
		yu, yv := p.y(u), p.y(v)
		xu, xv := p.colX[cu], p.colX[cv]
		prev := yu
		for k := cu; k < cv; k++ {
			next := yv
			if k+1 < cv {
				next = yu + (yv-yu)*(p.colX[k+1]-xu)/(xv-xu)
				p.meets = append(p.meets, meet{k + 1, next, yu, yv})
			}
			p.pieces[k] = append(p.pieces[k], piece{prev, next})
			prev = next
		}
	}
	n := 0
	for _, ps := range p.pieces {
		n += p.inversions(ps)
	}
	return n + p.columnMeets()
}

// meet is a line passing column col at y (not at one of its ends).
type meet struct {
	col    int
	y      float64
	y0, y1 float64 // the line's end heights, which tell lines apart
}

// columnMeets counts pairs of lines that pass a column line at the same
// height: distinct straight lines sharing a point inside both cross there.
func (p *orderProblem) columnMeets() int {
	if len(p.meets) < 2 {
		return 0
	}
	slices.SortFunc(p.meets, func(a, b meet) int {
		if c := cmp.Compare(a.col, b.col); c != 0 {
			return c
		}
		if c := cmp.Compare(a.y, b.y); c != 0 {
			return c
		}
		if c := cmp.Compare(a.y0, b.y0); c != 0 {
			return c
		}
		return cmp.Compare(a.y1, b.y1)
	})
	n := 0
	for i := 0; i < len(p.meets); {
		j := i
		for j < len(p.meets) && p.meets[j].col == p.meets[i].col && p.meets[j].y == p.meets[i].y {
			j++
		}
		// pairs among meets i..j-1, less pairs of the same line shape
		g := j - i
		n += g * (g - 1) / 2
		for k := i; k < j; {
			l := k
			for l < j && p.meets[l].y0 == p.meets[k].y0 && p.meets[l].y1 == p.meets[k].y1 {
				l++
			}
			n -= (l - k) * (l - k - 1) / 2
			k = l
		}
		i = j
	}
	return n
}

// inversions counts pairs of pieces that swap order: yl strictly one way
// and yr strictly the other.
func (p *orderProblem) inversions(ps []piece) int {
	if len(ps) < 2 {
		return 0
	}
	slices.SortFunc(ps, func(a, b piece) int {
		switch {
		case a.yl < b.yl:
			return -1
		case a.yl > b.yl:
			return 1
		case a.yr < b.yr:
			return -1
		case a.yr > b.yr:
			return 1
		}
		return 0
	})
	p.buf = p.buf[:0]
	for _, x := range ps {
		p.buf = append(p.buf, x.yr)
	}
	if cap(p.scratch) < len(p.buf) {
		p.scratch = make([]float64, len(p.buf))
	}
	return mergeCount(p.buf, p.scratch[:len(p.buf)])
}

// mergeCount sorts a and returns the number of pairs i < j with a[i] > a[j].
func mergeCount(a, tmp []float64) int {
	if len(a) < 2 {
		return 0
	}
	m := len(a) / 2
	n := mergeCount(a[:m], tmp[:m]) + mergeCount(a[m:], tmp[m:])
	i, j, k := 0, m, 0
	for i < m && j < len(a) {
		if a[i] <= a[j] {
			tmp[k] = a[i]
			i++
		} else {
			tmp[k] = a[j]
			n += m - i
			j++
		}
		k++
	}
	k += copy(tmp[k:], a[i:m])
	copy(tmp[k:], a[j:])
	copy(a, tmp)
	return n
}

// sweep reorders every group by the barycenter (or the median) of its
// items' neighbours:
// dir > 0 walks the columns left to right looking at neighbours on the
// left, dir < 0 right to left looking right, dir == 0 looks both ways.
// An item with no neighbour on that side keeps its place. When groups may
// move, the groups of each band are then ordered by their items' mean key.
func (p *orderProblem) sweep(dir int, median bool) {
	ncol := len(p.colX)
	for step := range ncol {
		c := step
		if dir < 0 {
			c = ncol - 1 - step
		}
		for _, g := range p.colGroups[c] {
			m := p.members[g]
			for _, i := range m {
				sum, n := 0.0, 0
				p.buf = p.buf[:0]
				for _, j := range p.item[i].adj {
					cj := p.col(j)
					if (dir > 0 && cj < c) || (dir < 0 && cj > c) || (dir == 0 && cj != c) {
						sum += p.y(j)
						n++
						if median {
							p.buf = append(p.buf, p.y(j))
						}
					}
				}
				switch {
				case n == 0:
					p.key[i] = p.y(i)
				case median:
					slices.Sort(p.buf)
					p.key[i] = (p.buf[(n-1)/2] + p.buf[n/2]) / 2
				default:
					p.key[i] = sum / float64(n)
				}
			}
			if len(m) < 2 {
				continue
			}
			slices.SortStableFunc(m, func(a, b int) int {
				if c := cmp.Compare(p.key[a], p.key[b]); c != 0 {
					return c
				}
				return cmp.Compare(p.pos[a], p.pos[b])
			})
			for k, i := range m {
				p.pos[i] = k
			}
		}
		if p.moveGroup && len(p.colGroups[c]) > 1 {
			p.sortGroups(c)
		}
	}
}

// sortGroups orders the groups of each band of column c by the mean key of
// their items (an empty group by its centre), keeping the order on ties.
func (p *orderProblem) sortGroups(c int) {
	gs := p.colGroups[c]
	gkey := make(map[int]float64, len(gs))
	rank := make(map[int]int, len(gs))
	for r, g := range gs {
		rank[g] = r
		m := p.members[g]
		if len(m) == 0 {
			gkey[g] = p.groupY[g] + p.groupH[g]/2
			continue
		}
		sum := 0.0
		for _, i := range m {
			sum += p.key[i] - p.slotOff[g][p.pos[i]]
		}
		gkey[g] = sum/float64(len(m)) + p.groupH[g]/2
	}
	slices.SortStableFunc(gs, func(a, b int) int {
		if c := cmp.Compare(p.groupBand[a], p.groupBand[b]); c != 0 {
			return c
		}
		if c := cmp.Compare(gkey[a], gkey[b]); c != 0 {
			return c
		}
		return cmp.Compare(rank[a], rank[b])
	})
	p.restack(c)
}

// solve orders the items (and groups) to reduce crossings: improve from
// the given order, then from restarts shuffled by a fixed seed, keeping the
// best order seen. The given order counts too, so the result never has
// more crossings than the start, and ties keep the start (the chain's own
// order, the ids' order). Same problem, same answer.
func (p *orderProblem) solve(passes, restarts int) int {
	p.syncPos()
	p.indexCorridors()
	best := p.crossings()
	if best == 0 {
		return 0
	}
	bestM, bestG := cloneMembers(p.members), cloneMembers(p.colGroups)
	try := func() {
		if c := p.improve(passes, best); c < best {
			best = c
			copyMembers(bestM, p.members)
			copyMembers(bestG, p.colGroups)
		}
	}
	try()
	if restarts > 0 && best > 0 {
		p.dfsOrder()
		try()
	}
	rng := rand.New(rand.NewPCG(0x6c61796f7574, 1)) // "layout"
	for r := 0; r < restarts && best > 0; r++ {
		for _, m := range p.members {
			rng.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
		}
		if p.moveGroup {
			for _, gs := range p.colGroups {
				rng.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
				slices.SortStableFunc(gs, func(a, b int) int { return cmp.Compare(p.groupBand[a], p.groupBand[b]) })
			}
		}
		p.syncPos()
		try()
	}
	copyMembers(p.members, bestM)
	copyMembers(p.colGroups, bestG)
	p.syncPos()
	return best
}

// dfsOrder orders items (and groups) by their discovery in a depth-first
// walk of the lines from the leftmost column down, as dot's initial order
// does: linked items then start close together.
func (p *orderProblem) dfsOrder() {
	seen := make([]int, len(p.item))
	for i := range seen {
		seen[i] = -1
	}
	next := 0
	var stack []int
	for c := range p.colGroups {
		for _, g := range p.colGroups[c] {
			for _, root := range p.members[g] {
				if seen[root] >= 0 {
					continue
				}
				stack = append(stack[:0], root)
				for len(stack) > 0 {
					i := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					if seen[i] >= 0 {
						continue
					}
					seen[i] = next
					next++
					for k := len(p.item[i].adj) - 1; k >= 0; k-- {
						if j := p.item[i].adj[k]; seen[j] < 0 {
							stack = append(stack, j)
						}
					}
				}
			}
		}
	}
	first := make([]int, len(p.members))
	for g, m := range p.members {
		slices.SortFunc(m, func(a, b int) int { return cmp.Compare(seen[a], seen[b]) })
		first[g] = len(p.item)
		if len(m) > 0 {
			first[g] = seen[m[0]]
		}
	}
	if p.moveGroup {
		for _, gs := range p.colGroups {
			slices.SortStableFunc(gs, func(a, b int) int {
				if c := cmp.Compare(p.groupBand[a], p.groupBand[b]); c != 0 {
					return c
				}
				return cmp.Compare(first[a], first[b])
			})
		}
	}
	p.syncPos()
}

// improve runs alternating down and up barycenter sweeps, each followed
// by neighbour swaps, then swaps of neighbouring groups and a last round of
// swaps, from the current order. It leaves the best order it saw (the
// current one included) in place and returns its crossings.
func (p *orderProblem) improve(passes, bound int) int {
	best := p.crossings()
	saved := cloneMembers(p.members)
	savedGroups := cloneMembers(p.colGroups)
	save := func() {
		copyMembers(saved, p.members)
		copyMembers(savedGroups, p.colGroups)
	}
	restore := func() {
		copyMembers(p.members, saved)
		copyMembers(p.colGroups, savedGroups)
		p.syncPos()
	}
	stale := 0
	for pass := 0; pass < passes && best > 0 && stale < 4; pass++ {
		dir := 1
		switch {
		case pass%4 == 3:
			dir = 0
		case pass%2 == 1:
			dir = -1
		}
		p.sweep(dir, pass%3 == 2)
		p.transpose(p.swapRounds)
		if c := p.crossings(); c < best {
			best, stale = c, 0
			save()
		} else {
			stale++
		}
	}
	restore()
	if best > 0 && p.moveGroup {
		if c := p.transposeGroups(best); c < best {
			best = c
			save()
		}
	}
	for round := 0; round < 8 && best > 0; round++ {
		if !p.transpose(1) && !p.sift() {
			break
		}
		c := p.crossings()
		if c >= best {
			break
		}
		best = c
		save()
	}
	restore()
	return best
}

// sift moves each item of a group, in turn, to the place in its group
// where its lines cross the fewest others (counted swap by swap as in
// transpose). It reports whether any item moved.
func (p *orderProblem) sift() bool {
	moved := false
	var cost []int
	for _, m := range p.members {
		if len(m) < 3 {
			continue
		}
		for _, u := range slices.Clone(m) {
			if len(p.incident[u]) == 0 {
				continue
			}
			from := p.pos[u]
			for k := from; k > 0; k-- {
				p.swapAt(m, k-1)
			}
			cost = append(cost[:0], 0)
			for k := 0; k+1 < len(m); k++ {
				before, after := p.swapCrossings(m, k)
				cost = append(cost, cost[k]+after-before)
				p.swapAt(m, k)
			}
			to := from
			for k, c := range cost {
				if c < cost[to] {
					to = k
				}
			}
			for k := len(m) - 1; k > to; k-- {
				p.swapAt(m, k-1)
			}
			moved = moved || to != from
		}
	}
	return moved
}

// swapAt swaps items k and k+1 of group m.
func (p *orderProblem) swapAt(m []int, k int) {
	m[k], m[k+1] = m[k+1], m[k]
	p.pos[m[k]], p.pos[m[k+1]] = k, k+1
}

// transpose swaps neighbouring items of a group where that lowers the
// crossings between their own lines (dot's "transpose" step), for at most
// the given number of rounds; it reports whether it swapped any. Lines
// through more than two columns also move against third lines, so the
// caller recounts.
func (p *orderProblem) transpose(rounds int) bool {
	swapped := false
	for range rounds {
		improved := false
		for _, m := range p.members {
			for k := 0; k+1 < len(m); k++ {
				u, v := m[k], m[k+1]
				if len(p.incident[u]) == 0 || len(p.incident[v]) == 0 {
					continue
				}
				if before, after := p.swapCrossings(m, k); after < before {
					m[k], m[k+1] = v, u
					p.pos[u], p.pos[v] = k+1, k
					improved = true
				}
			}
		}
		if !improved {
			break
		}
		swapped = true
	}
	return swapped
}

// swapCrossings counts the crossings between the lines at u = m[k] and
// those at v = m[k+1], as they are and with u and v swapped. Two lines to
// the same neighbouring column cross exactly when their far ends lie the
// other way round from u and v, so only longer lines need the swap tried.
func (p *orderProblem) swapCrossings(m []int, k int) (before, after int) {
	u, v := m[k], m[k+1]
	dy := p.y(u) - p.y(v)
	slow := false
	for _, e := range p.incident[u] {
		se := p.span[e]
		for _, f := range p.incident[v] {
			if sf := p.span[f]; se != sf || se[1]-se[0] != 1 {
				slow = true
				continue
			}
			a := p.edges[e][0] + p.edges[e][1] - u
			b := p.edges[f][0] + p.edges[f][1] - v
			switch t := dy * (p.y(a) - p.y(b)); {
			case t < 0:
				before++
			case t > 0:
				after++
			}
		}
	}
	if slow {
		before += p.longCrossings(u, v)
		m[k], m[k+1] = v, u
		p.pos[u], p.pos[v] = k+1, k
		after += p.longCrossings(u, v)
		m[k], m[k+1] = u, v
		p.pos[u], p.pos[v] = k, k+1
	}
	return before, after
}

// longCrossings counts the crossings between the lines at u and those at
// v that are not both between this column and the same neighbouring one.
func (p *orderProblem) longCrossings(u, v int) int {
	n := 0
	for _, e := range p.incident[u] {
		se := p.span[e]
		for _, f := range p.incident[v] {
			sf := p.span[f]
			if se == sf && se[1]-se[0] == 1 {
				continue
			}
			for k := max(se[0], sf[0]); k < min(se[1], sf[1]); k++ {
				el, er := p.pieceAt(e, k)
				fl, fr := p.pieceAt(f, k)
				if (el-fl)*(er-fr) < 0 {
					n++
				}
			}
		}
	}
	return n
}

// shiftColumns moves the stack of each band of each column up or down
// within its slack — from base[c][b] (its highest place) to
// base[c][b]+slack[c][b] — where that lowers the crossings: a few
// candidate places, and the place that lines the stack's items up with
// their neighbours. Lines between neighbouring columns cross by order
// alone, so only the longer lines gain. It reports whether a stack moved.
func (p *orderProblem) shiftColumns(base, slack [][2]float64) bool {
	best := p.crossings()
	moved := false
	for sweep := 0; sweep < 2 && best > 0; sweep++ {
		for c := range slack {
			for band := range 2 {
				if slack[c][band] <= 0 {
					continue
				}
				cur := p.bandTop[c][band]
				sum, n := 0.0, 0
				for _, g := range p.colGroups[c] {
					if p.groupBand[g] != band {
						continue
					}
					for _, i := range p.members[g] {
						for _, e := range p.incident[i] {
							j := p.edges[e][0] + p.edges[e][1] - i
							sum += p.y(j) - p.y(i)
							n++
						}
					}
				}
				lo, hi := base[c][band], base[c][band]+slack[c][band]
				var cands []float64
				for t := range 9 {
					cands = append(cands, lo+(hi-lo)*float64(t)/8)
				}
				if n > 0 {
					cands = append(cands, min(hi, max(lo, cur+sum/float64(n))))
				}
				for _, t := range cands {
					if t == cur {
						continue
					}
					p.bandTop[c][band] = t
					p.restack(c)
					if x := p.crossings(); x < best {
						best, cur, moved = x, t, true
					}
				}
				p.bandTop[c][band] = cur
				p.restack(c)
			}
		}
	}
	return moved
}

// transposeGroups swaps neighbouring groups of a band while that lowers
// the crossing count.
func (p *orderProblem) transposeGroups(best int) int {
	for round := 0; round < 4 && best > 0; round++ {
		improved := false
		for c, gs := range p.colGroups {
			for k := 0; k+1 < len(gs); k++ {
				if p.groupBand[gs[k]] != p.groupBand[gs[k+1]] {
					continue
				}
				gs[k], gs[k+1] = gs[k+1], gs[k]
				p.restack(c)
				if n := p.crossings(); n < best {
					best, improved = n, true
					continue
				}
				gs[k], gs[k+1] = gs[k+1], gs[k]
				p.restack(c)
			}
		}
		if !improved {
			break
		}
	}
	return best
}

// indexCorridors lists, per corridor, the edges that cross it, and per
// item the edges that leave its column.
func (p *orderProblem) indexCorridors() {
	ncol := len(p.colX)
	p.corr = make([][]int, max(ncol-1, 0))
	p.incident = make([][]int, len(p.item))
	p.span = make([][2]int, len(p.edges))
	p.ends = make([][2]int, len(p.edges))
	for e, uv := range p.edges {
		cu, cv := p.col(uv[0]), p.col(uv[1])
		p.span[e] = [2]int{min(cu, cv), max(cu, cv)}
		p.ends[e] = uv
		if cu > cv {
			p.ends[e] = [2]int{uv[1], uv[0]}
		}
		if cu == cv {
			continue
		}
		for k := min(cu, cv); k < max(cu, cv); k++ {
			p.corr[k] = append(p.corr[k], e)
		}
		p.incident[uv[0]] = append(p.incident[uv[0]], e)
		p.incident[uv[1]] = append(p.incident[uv[1]], e)
	}
}

// pieceAt is edge e's piece in corridor k (which it must cross).
func (p *orderProblem) pieceAt(e, k int) (float64, float64) {
	u, v := p.ends[e][0], p.ends[e][1] // u in the lower column
	yu, yv := p.y(u), p.y(v)
	sp := p.span[e]
	if sp[1]-sp[0] == 1 {
		return yu, yv
	}
	xu, d := p.colX[sp[0]], (yv-yu)/(p.colX[sp[1]]-p.colX[sp[0]])
	yl, yr := yu+d*(p.colX[k]-xu), yu+d*(p.colX[k+1]-xu)
	if k == sp[0] {
		yl = yu
	}
	if k+1 == sp[1] {
		yr = yv
	}
	return yl, yr
}

func cloneMembers(m [][]int) [][]int {
	out := make([][]int, len(m))
	for i := range m {
		out[i] = slices.Clone(m[i])
	}
	return out
}

func copyMembers(dst, src [][]int) {
	for i := range src {
		copy(dst[i], src[i])
	}
}

// work is the cost of one improve run in units of lines: a line through k
// corridors counts k².
func (p *orderProblem) work() int {
	w := 0
	for _, e := range p.edges {
		d := max(1, p.col(e[0])-p.col(e[1]), p.col(e[1])-p.col(e[0]))
		w += d * d
	}
	return w
}
