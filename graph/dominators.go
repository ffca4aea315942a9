package graph

// Dominators returns the immediate dominator of every node of the directed
// graph g for paths starting at root: idom[w] is the last node other than w
// that every path from root to w passes through. idom[root] == root, and
// idom[w] == -1 when w is unreachable from root.
//
// It is the Semi-NCA algorithm (Georgiadis and Tarjan): Lengauer–Tarjan
// semi-dominators by path compression, O(m log n), then each immediate
// dominator as the nearest common ancestor of its search-tree parent and its
// semi-dominator. It is written without recursion, so deep graphs are safe.
func Dominators(g *CSR, root int32) []int32 {
	n := g.N()
	idom := make([]int32, n)
	for i := range idom {
		idom[i] = -1
	}
	if root < 0 || int(root) >= n {
		return idom
	}
	var d domWork
	d.run(g.Offsets, g.Targets, n, root, idom)
	return idom
}

// domWork holds the arrays of one dominator run. After the search numbers
// the reachable nodes in preorder, everything works on preorder numbers: a
// search-tree ancestor then sits at a nearby, smaller number, which keeps
// path compression in cache even on large random graphs.
type domWork struct {
	pre    []int32 // node → preorder number, -1 when unreachable
	vertex []int32 // preorder number → node
	// The reachable subgraph's successor lists on preorder numbers: those
	// of i are succ[soff[i]:soff[i+1]], in the graph's order (parallel
	// edges and self-loops kept). The search writes them as it goes, so
	// later passes over the subgraph need no node → number look-up.
	soff, succ []int32
	// Their predecessor lists, made from those: the predecessors of i are
	// pred[poff[i]:poff[i+1]], ascending. (Counting them in the search
	// instead slows its chain of dependent loads more than a pass costs.)
	poff, pred []int32
	// Indexed by preorder number:
	parent []int32    // search-tree parent
	semi   []int32    // semi-dominator
	forest []evalNode // link-eval forest of the semi-dominator pass
	dom    []int32    // immediate dominator
	frames []searchFrame
}

// evalNode is one node of the link-eval forest, kept together so that a
// step of path compression touches one place in memory.
type evalNode struct {
	anc  int32 // forest parent (a search-tree ancestor)
	best int32 // the smallest semi-dominator on the path below anc
}

// run computes idom (already filled with -1; nil: not wanted, d.dom on
// preorder numbers is the answer) for the graph with successor lists (off,
// tgt); it needs no predecessor lists of the graph. Afterwards d.vertex
// lists the reachable nodes in preorder, d.pre numbers them (-1 elsewhere),
// and d.soff, d.succ and d.poff, d.pred hold their successors and
// predecessors on those numbers.
func (d *domWork) run(off, tgt []int32, n int, root int32, idom []int32) {
	if len(d.pre) == n {
		// Another run on a graph of this size: only the nodes it numbered
		// are not -1, and a small upstream set costs no pass over all n.
		for _, v := range d.vertex {
			d.pre[v] = -1
		}
	} else {
		d.pre = fill(make([]int32, n), -1)
		// The first run on a graph this size: the search's arrays at their
		// bounds at once (every node, every edge) rather than grown by
		// doubling, whose left-behind copies are as large again — at
		// province scale ~12 MB a worker, fresh pages that analyze (which
		// runs without garbage collection) would otherwise fault in twice.
		d.vertex = make([]int32, 0, n+1)
		d.parent = make([]int32, 0, n+1)
		d.soff = make([]int32, 0, n+1)
		d.succ = make([]int32, len(tgt))
	}
	d.search(off, tgt, root)
	m := len(d.vertex)
	d.semiDominators()

	// Semi-NCA: the immediate dominator of i is the nearest common
	// ancestor, in the dominator tree built so far (preorder), of its
	// parent and its semi-dominator: climb from the parent while above it.
	d.dom = grow(d.dom, m)
	dom, semi, parent := d.dom, d.semi, d.parent
	dom[0] = 0
	for i := 1; i < m; i++ {
		x, s := parent[i], semi[i]
		for x > s {
			x = dom[x]
		}
		dom[i] = x
	}
	if idom == nil {
		return
	}
	vertex := d.vertex
	for i := 1; i < m; i++ {
		idom[vertex[i]] = vertex[dom[i]]
	}
	idom[root] = root
}

// search numbers the nodes reachable from root in depth-first preorder
// (d.pre, d.vertex, d.parent) and writes their successor lists on those
// numbers (d.soff, d.succ). d.pre is -1 for every node on entry.
func (d *domWork) search(off, tgt []int32, root int32) {
	pre := d.pre
	vertex, parent := d.vertex[:0], d.parent[:0]
	soff := d.soff[:0]
	succ := d.succ[:cap(d.succ)]
	frames := d.frames[:0]
	// The node being explored: number i, next edge e, its edges end at
	// end, and its e-th edge goes to succ[base+e]. Its ancestors wait on
	// frames, each in one place in memory.
	pre[root] = 0
	vertex = append(vertex, root)
	parent = append(parent, -1)
	soff = append(soff, 0)
	size := off[root+1] - off[root] // succ entries handed out so far
	succ = growKeep(succ, int(size))
	i, e, end, base := int32(0), off[root], off[root+1], -off[root]
	for {
		for e < end {
			u := tgt[e]
			j := pre[u]
			if j < 0 {
				j = int32(len(vertex))
				pre[u] = j
				vertex = append(vertex, u)
				parent = append(parent, i)
				soff = append(soff, size)
				if need := int(size + off[u+1] - off[u]); need > len(succ) {
					succ = growKeep(succ, need)
				}
				succ[base+e] = j
				frames = append(frames, searchFrame{i, e + 1, end, base})
				i, e, end, base = j, off[u], off[u+1], size-off[u]
				size += end - e
				continue
			}
			succ[base+e] = j
			e++
		}
		if len(frames) == 0 {
			break
		}
		f := frames[len(frames)-1]
		frames = frames[:len(frames)-1]
		i, e, end, base = f.i, f.e, f.end, f.base
	}
	soff = append(soff, size)
	d.vertex, d.parent, d.soff, d.succ, d.frames = vertex, parent, soff, succ[:size], frames
}

// searchFrame is a node of the search waiting for its descendants: its
// number, its next edge, the end of its edges and where they go in succ.
type searchFrame struct{ i, e, end, base int32 }

// growKeep returns s with at least n elements, keeping its contents.
func growKeep(s []int32, n int) []int32 {
	if n <= len(s) {
		return s
	}
	t := make([]int32, max(n, 2*len(s), 1024))
	copy(t, s)
	return t
}

// predecessors makes d.poff and d.pred from d.soff and d.succ. Reading
// predecessors there, in order, is much cheaper than looking each of the
// graph's up by node (a cache miss per row and per edge).
func (d *domWork) predecessors() {
	m := len(d.vertex)
	soff, succ := d.soff, d.succ
	poff := grow(d.poff, m+1)
	clear(poff)
	for _, j := range succ {
		poff[j+1]++
	}
	for k := 0; k < m; k++ {
		poff[k+1] += poff[k]
	}
	// Each list fills from its start, which moves on: poff[j] ends at
	// the start of j+1's list, and is moved back after.
	pred := grow(d.pred, len(succ))
	for i := 0; i < m; i++ {
		for _, j := range succ[soff[i]:soff[i+1]] {
			pred[poff[j]] = int32(i)
			poff[j]++
		}
	}
	copy(poff[1:], poff[:m])
	poff[0] = 0
	d.poff, d.pred = poff, pred
}

// semiDominators computes d.semi for the numbered nodes. Nodes are done in
// reverse preorder and linked to their parent at once, so a number ≤ i is
// unlinked (a forest root) while number i is done and every number above
// it is linked: that comparison replaces a look-up of the forest.
func (d *domWork) semiDominators() {
	m := len(d.vertex)
	d.predecessors()
	d.semi = grow(d.semi, m)
	if cap(d.forest) < m {
		d.forest = make([]evalNode, m, m+m/4)
	}
	forest := d.forest[:m]
	d.forest = forest
	semi, parent, poff, pred := d.semi, d.parent, d.poff, d.pred
	if m > 0 {
		semi[0] = 0
	}
	for i := int32(m - 1); i >= 1; i-- {
		s := parent[i] // the tree edge is one of i's incoming edges
		for _, pv := range pred[poff[i]:poff[i+1]] {
			if pv < s {
				s = pv // an unlinked ancestor: its own number
			} else if pv > i {
				if b := d.eval(pv, i); b < s {
					s = b
				}
			}
		}
		semi[i] = s
		forest[i] = evalNode{anc: parent[i], best: s} // link(parent, i)
	}
}

// eval returns the smallest semi-dominator on the forest path from v (a
// linked number) up to, not including, its forest root, compressing the
// path by halving (Tarjan and van Leeuwen): each step points a node at its
// grandparent, so one pass up the path does it, without a stack. Numbers
// ≤ i are forest roots. The forest keeps best[x] the smallest
// semi-dominator from x up to, not including, anc[x]; halving keeps that.
func (d *domWork) eval(v, i int32) int32 {
	forest := d.forest
	x := v
	fx := forest[x]
	res := fx.best
	for fx.anc > i {
		a := fx.anc
		fa := forest[a]
		if fa.anc <= i { // a is the root's child: its segment ends the path
			return min(res, fa.best)
		}
		fx = evalNode{anc: fa.anc, best: min(fx.best, fa.best)}
		forest[x] = fx
		res = min(res, fx.best)
		x = fx.anc
		fx = forest[x]
		res = min(res, fx.best)
	}
	return res
}

func fill(s []int32, v int32) []int32 {
	for i := range s {
		s[i] = v
	}
	return s
}
