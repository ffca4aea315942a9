package graph

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// cutPlan answers, for the nodes p of one connected simple graph C, the
// total cut-node impact of C − p (SPEC §5 impacts, summed) without a search
// of C − p: from one depth-first search of C, its block–cut structure and
// its separation pairs.
//
// Why that suffices. A node v ≠ p is a cut node of C − p either because it
// was one of C (and keeps two non-empty pieces), or because {p, v} is a
// separation pair of a block of C. When p is in no separation pair, the
// blocks of C − p are those of C without p (a block {p, x} of two nodes
// vanishes), so the cut nodes of C − p are C's, and each one's pieces are
// its pieces in C with the piece holding p made smaller: by one node when p
// is not a cut node, by everything p's removal cuts off from v otherwise
// (see sharer; for all p that are not cut nodes at once, by sums along the
// block–cut tree: base and down). When p is in pairs, each partner v counts
// with the components of C − {p, v}, read off the search tree (see totals).
//
// The separation pairs come from the search's lowpoints (Hopcroft and
// Tarjan, "Dividing a graph into triconnected components", SIAM J. Comput.
// 2(3), 1973): both nodes of a pair {a, b} are related in the search tree,
// a above b, and C − {a, b} falls apart in one of two ways. Type 1: a child
// subtree of b reaches outside itself only a and b (lowpoints low1 = a,
// low2 ≥ b). Type 2: the tree path strictly between a and b, with what
// hangs off it, reaches above a only through b's subtree; then b lies on
// the path from a's child x down to the nearest common ancestor of all
// nodes of x's subtree that reach above a, and {a, b} is a pair exactly
// when no child subtree of b that reaches above a also has a back edge into
// the path (counted offline, see backEdges.count). Both tests are exact.
// A node is left to a search of C − p (see cutWork) only when listing
// pairs would cost more than a few passes over the graph (cycles have
// quadratically many).
type cutPlan struct {
	n      int
	all    bool    // the marking gave up: search C − p for every p
	disc   []int32 // preorder number, 1-based
	parent []int32 // search-tree parent, -1 for the root
	size   []int32 // subtree size
	top    []int32 // the first node of the block holding the tree edge to the parent (-1: root)
	marked []bool  // in a separation pair
	cutOf  []int32 // node → index in cuts, -1 when not a cut node
	cuts   []cutPieces
	kids   []int32 // the children starting a block of each node, by preorder: kids[kidOff[v]:kidOff[v+1]]
	kidOff []int32
	// base is the total of C − p for a p that is not a cut node, without
	// the blocks' part: Σ over non-root cut nodes of their impact with their
	// piece towards the root one smaller. down[t], for a block starting at
	// node t, corrects that sum for the cut nodes whose piece towards the
	// block is not the one towards the root (the block's root and its
	// ancestors' block roots).
	base int
	down []int

	off, tgt []int32    // C
	low1     []int32    // the smallest preorder number a back edge from the node's subtree reaches, when below the node's
	pairs    [][2]int32 // every separation pair {a, b}, a above b (some more than once)
	back     backEdges  // C's edges by target, for counting
}

// cutPieces is a cut node with the sizes of its pieces (the components of
// C − v): up is the piece holding its parent (0 for the root), the others
// are the subtrees of its children that start a block.
type cutPieces struct {
	v          int32
	up         int32
	max1, max2 int32 // the two largest piece sizes
	arg1       int32 // the piece of max1: a child, or -1 for up
}

// impact is v's impact once its piece j (a child starting a block, or -1
// for up) lost delta nodes and its component has size c.
func (cp *cutPieces) impact(size []int32, j int32, delta, c int32) int {
	s := cp.up
	if j >= 0 {
		s = size[j]
	}
	other := cp.max1
	if cp.arg1 == j {
		other = cp.max2
	}
	return int(c - 1 - max(s-delta, other))
}

// build lays out the connected symmetric simple graph (off, tgt) with n ≥ 1
// nodes.
func (pl *cutPlan) build(off, tgt []int32, n int) {
	const none = math.MaxInt32
	*pl = cutPlan{n: n}
	disc := make([]int32, n)
	order := make([]int32, 0, n) // by preorder
	parent := make([]int32, n)
	next := make([]int32, n)
	size := make([]int32, n)
	low1 := make([]int32, n) // the two smallest preorder numbers below disc[v] reached by a back edge from v's subtree
	low2 := make([]int32, n)
	own := make([]int32, n) // the smallest reached by v's own back edges
	add := func(v, d int32) {
		switch {
		case d == low1[v] || d == low2[v]:
		case d < low1[v]:
			low1[v], low2[v] = d, low1[v]
		case d < low2[v]:
			low2[v] = d
		}
	}
	visit := func(v, p int32) {
		order = append(order, v)
		disc[v], parent[v], next[v], size[v] = int32(len(order)), p, off[v], 1
		low1[v], low2[v], own[v] = none, none, none
	}
	visit(0, -1)
	stack := []int32{0}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		descended := false
		for e := next[v]; e < off[v+1]; e++ {
			u := tgt[e]
			if disc[u] == 0 {
				next[v] = e + 1
				visit(u, v)
				stack = append(stack, u)
				descended = true
				break
			}
			if u != parent[v] && disc[u] < disc[v] {
				add(v, disc[u])
				own[v] = min(own[v], disc[u])
			}
		}
		if descended {
			continue
		}
		next[v] = off[v+1]
		stack = stack[:len(stack)-1]
		if p := parent[v]; p >= 0 {
			size[p] += size[v]
			if low1[v] < disc[p] {
				add(p, low1[v])
			}
			if low2[v] < disc[p] {
				add(p, low2[v])
			}
		}
	}
	pl.disc, pl.parent, pl.size, pl.off, pl.tgt, pl.low1 = disc, parent, size, off, tgt, low1

	// Blocks: a child whose subtree reaches no higher than its parent
	// starts one (rooted at the parent); every other node shares its
	// parent's. bsize counts a node's subtree inside its own block.
	starts := func(c int32) bool { return low1[c] >= disc[parent[c]] }
	top := make([]int32, n)
	bsize := make([]int32, n)
	kidCnt := make([]int32, n+1)
	for _, v := range order {
		bsize[v] = 1
		switch p := parent[v]; {
		case p < 0:
			top[v] = -1
		case starts(v):
			top[v] = v
			kidCnt[p+1]++
		default:
			top[v] = top[p]
		}
	}
	for k := n - 1; k > 0; k-- {
		if v := order[k]; !starts(v) {
			bsize[parent[v]] += bsize[v]
		}
	}
	pl.top = top
	for v := 0; v < n; v++ {
		kidCnt[v+1] += kidCnt[v]
	}
	pl.kidOff = kidCnt
	pl.kids = make([]int32, kidCnt[n])
	fillAt := make([]int32, n)
	copy(fillAt, kidCnt[:n])
	for _, v := range order[1:] {
		if starts(v) {
			p := parent[v]
			pl.kids[fillAt[p]] = v
			fillAt[p]++
		}
	}

	// Separation pairs.
	marked := make([]bool, n)
	for _, c := range order[1:] {
		b := parent[c]
		if low1[c] < disc[b] && low2[c] >= disc[b] && bsize[top[c]]+1-bsize[c]-2 >= 1 {
			a := order[low1[c]-1]
			marked[a], marked[b] = true, true
			pl.pairs = append(pl.pairs, [2]int32{a, b})
		}
	}
	budget := 4*len(tgt) + 4*n
	var groups []pairCheck
	var probes []pairProbe
	for _, a := range order[1:] {
		da := disc[a]
		for e := off[a]; e < off[a+1] && !pl.all; e++ {
			x := tgt[e]
			if parent[x] != a || low1[x] >= da {
				continue
			}
			y := x
			for own[y] >= da {
				nxt, cnt := int32(-1), 0
				for f := off[y]; f < off[y+1]; f++ {
					if u := tgt[f]; parent[u] == y && low1[u] < da {
						nxt, cnt = u, cnt+1
					}
				}
				budget -= int(off[y+1]-off[y]) + 1
				if cnt != 1 || budget < 0 {
					break
				}
				y = nxt
			}
			if budget < 0 {
				pl.all = true
				break
			}
			if y == x {
				continue
			}
			// {a, b} is a pair when the subtrees of b's children that
			// reach above a reach nothing strictly between a and b.
			groups = append(groups, pairCheck{a: a, b: y})
			for f := off[y]; f < off[y+1]; f++ {
				if u := tgt[f]; parent[u] == y && low1[u] < da {
					probes = append(probes, pairProbe{c: u, group: int32(len(groups) - 1)})
				}
			}
			for c, b := y, parent[y]; b != x; c, b = b, parent[b] {
				groups = append(groups, pairCheck{a: a, b: b})
				probes = append(probes, pairProbe{c: c, group: int32(len(groups) - 1)})
			}
		}
		if pl.all {
			break
		}
	}
	if !pl.all {
		pl.back = newBackEdges(off, tgt, disc)
		pl.reachesBetween(groups, probes)
		for _, g := range groups {
			if g.pair {
				marked[g.a], marked[g.b] = true, true
				pl.pairs = append(pl.pairs, [2]int32{g.a, g.b})
			}
		}
	}
	pl.marked = marked

	// Cut nodes and their pieces.
	pl.cutOf = fill(make([]int32, n), -1)
	for v := int32(0); int(v) < n; v++ {
		ks := pl.kids[pl.kidOff[v]:pl.kidOff[v+1]]
		if len(ks) == 0 || (parent[v] < 0 && len(ks) < 2) {
			continue
		}
		cp := cutPieces{v: v, arg1: -1}
		if parent[v] >= 0 {
			cp.up = int32(n) - 1
			for _, c := range ks {
				cp.up -= size[c]
			}
			cp.max1 = cp.up
		}
		for _, c := range ks {
			switch s := size[c]; {
			case s > cp.max1:
				cp.max2, cp.max1, cp.arg1 = cp.max1, s, c
			case s > cp.max2:
				cp.max2 = s
			}
		}
		pl.cutOf[v] = int32(len(pl.cuts))
		pl.cuts = append(pl.cuts, cp)
	}

	// The totals for a p that is not a cut node: each cut node's piece
	// holding p loses one node.
	c1 := int32(n - 1)
	for k := range pl.cuts {
		if cp := &pl.cuts[k]; parent[cp.v] >= 0 {
			pl.base += cp.impact(size, -1, 1, c1)
		}
	}
	pl.down = make([]int, n)
	for _, t := range order[1:] {
		if !starts(t) {
			continue
		}
		w := parent[t]
		k := pl.cutOf[w]
		switch {
		case k < 0: // the root with a single child
		case parent[w] < 0:
			pl.down[t] = pl.cuts[k].impact(size, t, 1, c1)
		default:
			pl.down[t] = pl.down[top[w]] + pl.cuts[k].impact(size, t, 1, c1) - pl.cuts[k].impact(size, -1, 1, c1)
		}
	}
}

// total returns the total cut-node impact of C.
func (pl *cutPlan) total() int {
	sum := 0
	for _, cp := range pl.cuts {
		sum += pl.n - 1 - int(cp.max1)
	}
	return sum
}

// without returns the total cut-node impact of C − p, and false when p is
// marked (the caller searches C − p instead).
func (pl *cutPlan) without(p int32) (int, bool) {
	if pl.all || pl.marked[p] {
		return 0, false
	}
	return pl.unpaired(p), true
}

// unpaired is the total of C − p as if p were in no separation pair.
func (pl *cutPlan) unpaired(p int32) int {
	if pl.n == 1 {
		return 0
	}
	if pl.cutOf[p] < 0 {
		b := pl.top[p]
		if b < 0 { // the root, not a cut node: one child, which starts the only block below it
			b = pl.kids[pl.kidOff[p]]
		}
		return pl.base + pl.down[b]
	}
	sum := 0
	share := pl.sharer(p)
	for i := range pl.cuts {
		if cp := &pl.cuts[i]; cp.v != p {
			sum += share(cp)
		}
	}
	return sum
}

// sharer returns the impact in C − p of a cut node v ≠ p of C that is in
// no separation pair with p. When p is no cut node, v's piece holding p
// loses p. When p is a cut node, C − p is p's pieces: a v inside the piece
// of a child c starting a block keeps its pieces but the one towards p,
// which loses all outside c's subtree; one in the piece above p loses, in
// its piece towards p, p and p's children's pieces.
func (pl *cutPlan) sharer(p int32) func(cp *cutPieces) int {
	size, disc := pl.size, pl.disc
	n := int32(pl.n)
	towards := func(v int32) int32 { // v's piece holding p
		if within(disc, size, v, p) {
			return pl.kidHolding(v, p)
		}
		return -1
	}
	if pl.cutOf[p] < 0 {
		return func(cp *cutPieces) int { return cp.impact(size, towards(cp.v), 1, n-1) }
	}
	outside := int32(1) // p and its pieces below it
	for _, c := range pl.kids[pl.kidOff[p]:pl.kidOff[p+1]] {
		outside += size[c]
	}
	return func(cp *cutPieces) int {
		if within(disc, size, p, cp.v) {
			if c := pl.kidHolding(p, cp.v); c >= 0 {
				return cp.impact(size, -1, n-size[c], size[c])
			}
		}
		return cp.impact(size, towards(cp.v), outside, n-outside)
	}
}

// within reports whether x lies in the subtree of v.
func within(disc, size []int32, v, x int32) bool {
	return disc[v] <= disc[x] && disc[x] < disc[v]+size[v]
}

// kidHolding returns the child of v starting a block whose subtree holds
// x, or -1.
func (pl *cutPlan) kidHolding(v, x int32) int32 {
	ks := pl.kids[pl.kidOff[v]:pl.kidOff[v+1]]
	dx := pl.disc[x]
	i := sort.Search(len(ks), func(i int) bool { return pl.disc[ks[i]] > dx }) - 1
	if i >= 0 && within(pl.disc, pl.size, ks[i], x) {
		return ks[i]
	}
	return -1
}

// pairCheck is a candidate separation pair {a, b} of type 2, a pair unless
// one of its probes finds a back edge from a subtree below b to a node
// strictly between a and b.
type pairCheck struct {
	a, b int32
	pair bool
}

// pairProbe asks whether c's subtree has a back edge to a node strictly
// between its group's a and b (in preorder numbers: those are the tree
// path's nodes, c's ancestors).
type pairProbe struct{ c, group int32 }

// reachesBetween sets pair on every group none of whose probes finds a
// back edge from the probe's subtree to a node strictly between a and b.
func (pl *cutPlan) reachesBetween(groups []pairCheck, probes []pairProbe) {
	disc, size := pl.disc, pl.size
	qs := make([]rangeQuery, len(probes))
	for k, pr := range probes {
		g := &groups[pr.group]
		c := pr.c
		// The tree edge to the parent is counted as well: it starts in c's
		// subtree only at c, and ends at b, outside the range.
		qs[k] = rangeQuery{disc[c], disc[c] + size[c] - 1, disc[g.a] + 1, disc[g.b] - 1}
	}
	found := pl.back.count(qs)
	for k := range groups {
		groups[k].pair = true
	}
	for k, pr := range probes {
		if found[k] > 0 {
			groups[pr.group].pair = false
		}
	}
}

// backEdges are the edges of a graph towards the search root, (source,
// target) in preorder numbers, bucketed by target: those to target t are
// src[at[t]:at[t+1]]. Tree edges are among them.
type backEdges struct {
	n       int
	at, src []int32
}

func newBackEdges(off, tgt, disc []int32) backEdges {
	n := len(disc)
	at := make([]int32, n+2)
	for v := range n {
		for _, u := range tgt[off[v]:off[v+1]] {
			if disc[u] < disc[v] {
				at[disc[u]+1]++
			}
		}
	}
	for t := 1; t <= n+1; t++ {
		at[t] += at[t-1]
	}
	src := make([]int32, at[n+1])
	fillAt := slices.Clone(at)
	for v := range n {
		for _, u := range tgt[off[v]:off[v+1]] {
			if disc[u] < disc[v] {
				src[fillAt[disc[u]]] = disc[v]
				fillAt[disc[u]]++
			}
		}
	}
	return backEdges{n: n, at: at, src: src}
}

// rangeQuery counts the edges with source in [srcLo, srcHi] and target in
// [tLo, tHi] (preorder numbers, inclusive; empty when lo > hi).
type rangeQuery struct{ srcLo, srcHi, tLo, tHi int32 }

// count answers the queries offline: sources inserted into a Fenwick tree
// in target order, each query read at both ends of its target range.
func (be *backEdges) count(qs []rangeQuery) []int32 {
	out := make([]int32, len(qs))
	type event struct {
		t, query, sign int32 // read once targets ≤ t are in
	}
	events := make([]event, 0, 2*len(qs))
	for k, q := range qs {
		if q.tLo > q.tHi || q.srcLo > q.srcHi {
			continue
		}
		events = append(events, event{q.tHi, int32(k), 1}, event{q.tLo - 1, int32(k), -1})
	}
	if len(events) == 0 {
		return out
	}
	slices.SortFunc(events, func(x, y event) int { return cmp.Compare(x.t, y.t) })
	n := be.n
	bit := make([]int32, n+1)
	sum := func(i int32) (s int32) {
		for ; i > 0; i -= i & -i {
			s += bit[i]
		}
		return s
	}
	t := int32(0)
	for _, e := range events {
		for ; t < e.t; t++ {
			for _, s := range be.src[be.at[t+1]:be.at[t+2]] {
				for i := s; int(i) <= n; i += i & -i {
					bit[i]++
				}
			}
		}
		q := &qs[e.query]
		out[e.query] += e.sign * (sum(q.srcHi) - sum(q.srcLo-1))
	}
	return out
}

// totals returns the total cut-node impact of C − p for each p of ps;
// ok[k] is false when ps[k] is left to a search of C − p: the plan gave up
// (pl.all), or listing p's pairs would cost more than searching.
//
// A node p in separation pairs: its component of C − p (all of C − p
// unless p is a cut node) has as cut nodes C's cut nodes there and p's
// partners (the v with {p, v} a pair). A cut node that is no partner counts as in total; each partner v
// counts |C| − 2 − the largest component of C − {p, v}, which comes from the
// search tree: with a above b, C − {a, b} is the part above a (with a's
// child subtrees that reach above it), the tree path strictly between a and
// b with what hangs off it, the subtrees of b's children, and the subtrees
// of a's and b's children that start blocks, each alone; a child subtree of
// b joins the part above when it reaches above a, and the path part when it
// has a back edge into the path, which joins the part above directly when
// it has a back edge above a (counted, as in reachesBetween).
func (pl *cutPlan) totals(ps []int32) (tot []int, ok []bool) {
	tot, ok = make([]int, len(ps)), make([]bool, len(ps))
	var pend []int // positions in ps of marked nodes
	for k, p := range ps {
		tot[k], ok[k] = pl.without(p)
		if !ok[k] && !pl.all {
			pend = append(pend, k)
		}
	}
	if len(pend) == 0 {
		return tot, ok
	}
	want := map[int32]bool{}
	for _, k := range pend {
		want[ps[k]] = true
	}
	type partner struct{ p, v int32 }
	var pvs []partner
	for _, pr := range pl.pairs {
		if want[pr[0]] {
			pvs = append(pvs, partner{pr[0], pr[1]})
		}
		if want[pr[1]] {
			pvs = append(pvs, partner{pr[1], pr[0]})
		}
	}
	slices.SortFunc(pvs, func(x, y partner) int {
		if c := cmp.Compare(x.p, y.p); c != 0 {
			return c
		}
		return cmp.Compare(x.v, y.v)
	})
	pvs = slices.Compact(pvs)

	disc, size, parent, off, tgt := pl.disc, pl.size, pl.parent, pl.off, pl.tgt
	n := int32(pl.n)
	type layout struct {
		comp           int32  // v's component in C − p
		up, mid, alone int32  // part above a, path part, largest part on its own
		kids           [2]int // b's children that start no block: kids[0]:kids[1] in pk
		mu             int    // queries mu, mu+1: back edges from the path part above a
	}
	type pairKid struct {
		c    int32
		toUp bool
		q    int // its query
	}
	var pk []pairKid
	var qs []rangeQuery
	lays := make([]layout, len(pvs))
	budget := 8*len(tgt) + 8*pl.n
	for i, pv := range pvs {
		a, b := pv.p, pv.v
		if disc[b] < disc[a] {
			a, b = b, a
		}
		da, db := disc[a], disc[b]
		budget -= int(off[a+1]-off[a]) + int(off[b+1]-off[b])
		if budget < 0 {
			return tot, ok
		}
		x := int32(-1) // a's child towards b
		for _, u := range tgt[off[a]:off[a+1]] {
			if parent[u] == a && within(disc, size, u, b) {
				x = u
			}
		}
		// The component of v in C − p (all of C − p unless p is a cut
		// node), and which of p's other pieces to leave out.
		l := layout{comp: n - 1, up: n - 1, mid: size[x] - size[b]}
		xStarts := !low1Below(pl, x, a)
		if k := pl.cutOf[pv.p]; k >= 0 {
			switch {
			case pv.p == b:
				l.comp = pl.cuts[k].up
			case xStarts:
				l.comp = size[x]
			default:
				l.comp = pl.cuts[k].up
			}
		}
		for _, c := range pl.kids[pl.kidOff[a]:pl.kidOff[a+1]] {
			l.up -= size[c]
			if c != x && pv.p != a {
				l.alone = max(l.alone, size[c])
			}
		}
		if !xStarts { // x shares a's block: its subtree is not above a
			l.up -= size[x]
		} else if pv.p == a {
			l.up = 0 // another piece of p
		}
		l.kids[0] = len(pk)
		for _, c := range tgt[off[b]:off[b+1]] {
			if parent[c] != b {
				continue
			}
			if !low1Below(pl, c, b) {
				if pv.p != b {
					l.alone = max(l.alone, size[c])
				}
				continue
			}
			pk = append(pk, pairKid{c: c, toUp: pl.low1[c] < da, q: len(qs)})
			qs = append(qs, rangeQuery{disc[c], disc[c] + size[c] - 1, da + 1, db - 1})
		}
		l.kids[1] = len(pk)
		l.mu = len(qs)
		qs = append(qs, rangeQuery{disc[x], disc[x] + size[x] - 1, 1, da - 1},
			rangeQuery{db, db + size[b] - 1, 1, da - 1})
		lays[i] = l
	}
	found := pl.back.count(qs)

	extra := map[int32]int{} // p → what its partners change in the total
	shares := map[int32]func(*cutPieces) int{}
	for _, k := range pend {
		shares[ps[k]] = pl.sharer(ps[k])
	}
	for i, pv := range pvs {
		l := &lays[i]
		linked := found[l.mu]-found[l.mu+1] > 0
		sUp, sMid, sBoth := l.up, l.mid, int32(0)
		for j := l.kids[0]; j < l.kids[1]; j++ {
			kc := pk[j]
			toMid := found[kc.q] > 0
			switch {
			case kc.toUp && toMid:
				linked = true
				sBoth += size[kc.c]
			case kc.toUp:
				sUp += size[kc.c]
			case toMid:
				sMid += size[kc.c]
			default:
				l.alone = max(l.alone, size[kc.c])
			}
		}
		largest := l.alone
		if linked {
			largest = max(largest, sUp+sMid+sBoth)
		} else {
			largest = max(largest, sUp, sMid)
		}
		d := int(l.comp - 1 - largest)
		if k := pl.cutOf[pv.v]; k >= 0 { // no longer counted as in unpaired
			d -= shares[pv.p](&pl.cuts[k])
		}
		extra[pv.p] += d
	}
	for _, k := range pend {
		p := ps[k]
		tot[k], ok[k] = pl.unpaired(p)+extra[p], true
	}
	return tot, ok
}

// low1Below reports whether child c of v reaches above v: c shares v's
// block rather than starting one.
func low1Below(pl *cutPlan, c, v int32) bool { return pl.low1[c] < pl.disc[v] }
