package graph

import "fmt"

// CSR is a graph in compressed sparse row form: the neighbours of node v are
// Targets[Offsets[v]:Offsets[v+1]]. Nodes are 0..N()-1. Whether the graph is
// directed is up to the builder: NewCSR keeps edges as given, NewUndirectedCSR
// stores each edge in both directions. Algorithms that want an undirected
// graph (ArticulationPoints, Bridges, WeakPoints) expect the symmetric form.
type CSR struct {
	Offsets []int32 // len N()+1, non-decreasing, Offsets[0] == 0
	Targets []int32 // len Offsets[N()]
}

// NewCSR builds the directed graph with n nodes and the given edges
// (from, to). Each node's targets are in ascending order; parallel edges and
// self-loops are kept. It panics if an end is outside 0..n-1, which is a
// programming error rather than bad data.
func NewCSR(n int, edges [][2]int32) *CSR {
	return buildCSR(n, len(edges), func(i int) (int32, int32) { return edges[i][0], edges[i][1] })
}

// NewUndirectedCSR builds the undirected graph with n nodes and the given
// edges: each edge {a, b} is stored as a→b and b→a, so the result is
// symmetric. Neighbour lists are ascending; parallel edges are kept.
func NewUndirectedCSR(n int, edges [][2]int32) *CSR {
	m := len(edges)
	return buildCSR(n, 2*m, func(i int) (int32, int32) {
		if i < m {
			return edges[i][0], edges[i][1]
		}
		return edges[i-m][1], edges[i-m][0]
	})
}

// N returns the number of nodes.
func (g *CSR) N() int {
	if len(g.Offsets) == 0 {
		return 0
	}
	return len(g.Offsets) - 1
}

// Neighbors returns the targets of v's edges. The slice aliases the graph:
// do not modify it.
func (g *CSR) Neighbors(v int32) []int32 {
	return g.Targets[g.Offsets[v]:g.Offsets[v+1]]
}

// Reverse returns the transposed graph (every edge turned around), with
// ascending neighbour lists.
func (g *CSR) Reverse() *CSR {
	n := g.N()
	off := make([]int32, n+1)
	for _, t := range g.Targets {
		off[t+1]++
	}
	for v := 0; v < n; v++ {
		off[v+1] += off[v]
	}
	pos := make([]int32, n)
	copy(pos, off[:n])
	tgt := make([]int32, len(g.Targets))
	// Sources are visited in ascending order, so every reversed list is sorted.
	for u := 0; u < n; u++ {
		for _, t := range g.Targets[g.Offsets[u]:g.Offsets[u+1]] {
			tgt[pos[t]] = int32(u)
			pos[t]++
		}
	}
	return &CSR{Offsets: off, Targets: tgt}
}

// buildCSR builds a directed CSR from m edges given by edge(i), with every
// neighbour list sorted, in linear time: a counting sort by target followed
// by a stable counting sort by source.
func buildCSR(n, m int, edge func(i int) (int32, int32)) *CSR {
	byTarget := make([]int32, n+1)
	outDeg := make([]int32, n+1)
	for i := 0; i < m; i++ {
		s, t := edge(i)
		if s < 0 || int(s) >= n || t < 0 || int(t) >= n {
			panic(fmt.Sprintf("graph: edge %d (%d, %d) outside 0..%d", i, s, t, n-1))
		}
		byTarget[t+1]++
		outDeg[s+1]++
	}
	for v := 0; v < n; v++ {
		byTarget[v+1] += byTarget[v]
		outDeg[v+1] += outDeg[v]
	}
	// Sources grouped by target.
	pos := make([]int32, n)
	copy(pos, byTarget[:n])
	src := make([]int32, m)
	for i := 0; i < m; i++ {
		s, t := edge(i)
		src[pos[t]] = s
		pos[t]++
	}
	// Targets grouped by source, visiting targets in ascending order.
	copy(pos, outDeg[:n])
	tgt := make([]int32, m)
	for t := 0; t < n; t++ {
		for _, s := range src[byTarget[t]:byTarget[t+1]] {
			tgt[pos[s]] = int32(t)
			pos[s]++
		}
	}
	return &CSR{Offsets: outDeg, Targets: tgt}
}
