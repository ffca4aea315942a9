package graph

import (
	"cmp"
	"slices"
)

// NodeImpact is an articulation point of an undirected graph with its impact:
// |C| − 1 − |largest component of C − v|, where C is the node's component —
// how many other nodes lose contact with the main body when it fails (SPEC §5).
type NodeImpact struct {
	Node   int32
	Impact int32
}

// EdgeImpact is a bridge {A, B} (A < B) of an undirected graph with its impact:
// the size of the smaller of the two components its removal leaves (SPEC §5).
type EdgeImpact struct {
	A, B   int32
	Impact int32
}

// WeakPoints returns the articulation points and bridges of the undirected
// graph g (g must be symmetric, as NewUndirectedCSR builds it) with their
// impacts, in one iterative Hopcroft–Tarjan depth-first search: linear time,
// no recursion, so graphs with millions of nodes in a path are fine.
// Parallel edges are honoured (a doubled edge is not a bridge); self-loops are
// ignored. Both lists are sorted by impact descending, then by node(s)
// ascending.
func WeakPoints(g *CSR) ([]NodeImpact, []EdgeImpact) {
	var w dfsWork
	cuts, bridges := w.run(g.Offsets, g.Targets, g.N(), nil, nil)
	sortImpacts(cuts, bridges)
	return cuts, bridges
}

// ArticulationPoints returns the articulation points (cut vertices) of the
// undirected graph g in ascending order. See WeakPoints for the conditions on g.
func ArticulationPoints(g *CSR) []int32 {
	var w dfsWork
	cuts, _ := w.run(g.Offsets, g.Targets, g.N(), nil, nil)
	out := make([]int32, len(cuts))
	for i, c := range cuts {
		out[i] = c.Node
	}
	slices.Sort(out)
	return out
}

// Bridges returns the bridges of the undirected graph g as pairs {a, b} with
// a < b, in ascending order. See WeakPoints for the conditions on g.
func Bridges(g *CSR) [][2]int32 {
	var w dfsWork
	_, bridges := w.run(g.Offsets, g.Targets, g.N(), nil, nil)
	out := make([][2]int32, len(bridges))
	for i, b := range bridges {
		out[i] = [2]int32{b.A, b.B}
	}
	slices.SortFunc(out, func(x, y [2]int32) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	return out
}

// sortImpacts orders cut nodes and bridges as SPEC §5 lists them: impact
// descending, then ids ascending. Callers whose node numbers follow the byte
// order of ids get the id order for free.
func sortImpacts(cuts []NodeImpact, bridges []EdgeImpact) {
	slices.SortFunc(cuts, func(x, y NodeImpact) int {
		if c := cmp.Compare(y.Impact, x.Impact); c != 0 {
			return c
		}
		return cmp.Compare(x.Node, y.Node)
	})
	slices.SortFunc(bridges, func(x, y EdgeImpact) int {
		if c := cmp.Compare(y.Impact, x.Impact); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
}

// dfsWork is the reusable state of the Hopcroft–Tarjan search, so that
// analysing many scopes allocates only when a scope is larger than any before.
type dfsWork struct {
	disc   []int32 // discovery time, 1-based; 0 = not visited
	low    []int32 // lowest discovery time reachable by one back edge from the subtree
	parent []int32 // DFS-tree parent, -1 for a root
	next   []int32 // next edge index to explore
	size   []int32 // subtree size, final once the node is popped
	sepSum []int32 // total size of child subtrees that removal of the node cuts off
	sepMax []int32 // largest such subtree
	sepCnt []int32 // number of such subtrees
	skip   []bool  // the edge back to the parent has been skipped once
	stack  []int32
	cand   []int32      // nodes with sepCnt > 0 in the current component
	brs    []EdgeImpact // bridges of the current component; Impact holds the child subtree size
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/4)
	}
	return s[:n]
}

// run appends the articulation points and bridges of the symmetric graph
// (off, tgt) with n nodes to cuts and bridges, unsorted. Bridges have A < B.
func (w *dfsWork) run(off, tgt []int32, n int, cuts []NodeImpact, bridges []EdgeImpact) ([]NodeImpact, []EdgeImpact) {
	w.disc = grow(w.disc, n)
	w.low = grow(w.low, n)
	w.parent = grow(w.parent, n)
	w.next = grow(w.next, n)
	w.size = grow(w.size, n)
	w.sepSum = grow(w.sepSum, n)
	w.sepMax = grow(w.sepMax, n)
	w.sepCnt = grow(w.sepCnt, n)
	if cap(w.skip) < n {
		w.skip = make([]bool, n, n+n/4)
	}
	w.skip = w.skip[:n]
	disc, low, parent, next, size := w.disc, w.low, w.parent, w.next, w.size
	sepSum, sepMax, sepCnt, skip := w.sepSum, w.sepMax, w.sepCnt, w.skip
	clear(disc)
	clear(sepSum)
	clear(sepMax)
	clear(sepCnt)
	clear(skip)

	var clock int32
	for r := int32(0); int(r) < n; r++ {
		if disc[r] != 0 {
			continue
		}
		w.cand, w.brs = w.cand[:0], w.brs[:0]
		clock++
		disc[r], low[r], parent[r], next[r], size[r] = clock, clock, -1, off[r], 1
		stack := append(w.stack[:0], r)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if e := next[v]; e < off[v+1] {
				next[v] = e + 1
				u := tgt[e]
				switch {
				case u == v:
					// A self-loop changes no connectivity.
				case u == parent[v] && !skip[v]:
					skip[v] = true // the tree edge itself; a parallel copy counts as a back edge
				case disc[u] == 0:
					clock++
					disc[u], low[u], parent[u], next[u], size[u] = clock, clock, v, off[u], 1
					stack = append(stack, u)
				case disc[u] < low[v]:
					low[v] = disc[u]
				}
				continue
			}
			stack = stack[:len(stack)-1]
			p := parent[v]
			if p < 0 {
				continue
			}
			size[p] += size[v]
			if low[v] < low[p] {
				low[p] = low[v]
			}
			if low[v] >= disc[p] {
				if sepCnt[p] == 0 {
					w.cand = append(w.cand, p)
				}
				sepCnt[p]++
				sepSum[p] += size[v]
				if size[v] > sepMax[p] {
					sepMax[p] = size[v]
				}
				if low[v] > disc[p] {
					a, b := p, v
					if b < a {
						a, b = b, a
					}
					w.brs = append(w.brs, EdgeImpact{A: a, B: b, Impact: size[v]})
				}
			}
		}
		w.stack = stack

		c := size[r] // the component's size
		for _, v := range w.cand {
			if v == r && sepCnt[v] < 2 {
				continue // a root is a cut node only with two or more DFS children
			}
			// Pieces left by removing v: every cut-off child subtree, and the
			// rest of the component (the part holding v's parent; empty for a root).
			largest := max(sepMax[v], c-1-sepSum[v])
			cuts = append(cuts, NodeImpact{Node: v, Impact: c - 1 - largest})
		}
		for _, b := range w.brs {
			b.Impact = min(b.Impact, c-b.Impact)
			bridges = append(bridges, b)
		}
	}
	return cuts, bridges
}
