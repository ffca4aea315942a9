package graph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// dominatorGraph is one shape of graph the property test draws: n nodes,
// the edges, and the root.
type dominatorGraph func(r *rand.Rand, n int) ([][2]int32, int32)

// dominatorShapes are graphs that stress the semi-dominator pass in
// different ways: random ones with cycles, deep ones whose search tree is a
// long path with edges back up it (long forest paths to compress), layered
// ones where many nodes are dominated, and near-trees.
var dominatorShapes = []struct {
	name  string
	n     int
	graph dominatorGraph
}{
	{"random with cycles", 400, func(r *rand.Rand, n int) ([][2]int32, int32) {
		return randomEdges(r, n, n*(1+r.IntN(4))), int32(r.IntN(n))
	}},
	{"deep path with back and skip edges", 600, func(r *rand.Rand, n int) ([][2]int32, int32) {
		var edges [][2]int32
		for i := 0; i+1 < n; i++ {
			edges = append(edges, [2]int32{int32(i), int32(i + 1)})
		}
		for range n / 2 {
			a, b := int32(r.IntN(n)), int32(r.IntN(n))
			if r.IntN(3) == 0 {
				b = min(a+int32(2+r.IntN(6)), int32(n-1)) // a short skip: many nodes stay dominated
			}
			edges = append(edges, [2]int32{a, b})
		}
		return edges, 0
	}},
	{"layers", 500, func(r *rand.Rand, n int) ([][2]int32, int32) {
		const width = 10
		var edges [][2]int32
		for v := width; v < n; v++ {
			for range 1 + r.IntN(2) {
				edges = append(edges, [2]int32{int32(v - width + r.IntN(width)), int32(v)})
			}
			if r.IntN(20) == 0 {
				edges = append(edges, [2]int32{int32(v), int32(r.IntN(v))}) // a cycle back
			}
		}
		for v := 1; v < width; v++ {
			edges = append(edges, [2]int32{0, int32(v)})
		}
		return edges, 0
	}},
	{"near tree", 500, func(r *rand.Rand, n int) ([][2]int32, int32) {
		var edges [][2]int32
		for v := 1; v < n; v++ {
			edges = append(edges, [2]int32{int32(r.IntN(v)), int32(v)})
		}
		for range n / 20 {
			edges = append(edges, [2]int32{int32(r.IntN(n)), int32(r.IntN(n))})
		}
		return edges, 0
	}},
}

func randomEdges(r *rand.Rand, n, m int) [][2]int32 {
	edges := make([][2]int32, m)
	for j := range edges {
		edges[j] = [2]int32{int32(r.IntN(n)), int32(r.IntN(n))}
	}
	return edges
}

// TestDominatorsProperty checks Dominators on graphs of a few hundred nodes
// against the definition: v dominates w exactly when w, reachable from the
// root, is not reachable once v is taken out (brute force, one search per
// node), with "v dominates w" read off the answer as v being an ancestor of
// w in the tree idom describes.
func TestDominatorsProperty(t *testing.T) {
	for _, shape := range dominatorShapes {
		t.Run(shape.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(31, uint64(len(shape.name))))
			for i := range 12 {
				n := shape.n/2 + r.IntN(shape.n/2)
				edges, root := shape.graph(r, n)
				g := NewCSR(n, edges)
				idom := Dominators(g, root)
				in, out := treeIntervals(t, idom, root)
				reach := reachable(g, root, -1)
				dominated := 0
				for v := int32(0); int(v) < n; v++ {
					without := reachable(g, root, v)
					for w := range n {
						want := reach[w] && (int32(w) == v || !without[w])
						got := idom[w] >= 0 && in[v] >= 0 && in[v] <= in[w] && in[w] < out[v]
						if got != want {
							t.Fatalf("%s graph %d (n %d, root %d): %d dominates %d: got %v, want %v",
								shape.name, i, n, root, v, w, got, want)
						}
						if want && v != root && int32(w) != v {
							dominated++
						}
					}
				}
				if dominated == 0 && shape.name != "random with cycles" {
					t.Fatalf("%s graph %d: no node dominates another but the root: the shape tests too little", shape.name, i)
				}
			}
		})
	}
}

// treeIntervals numbers the tree given by idom (rooted at root, -1 for
// nodes outside it) so that v is an ancestor-or-self of w exactly when
// in[v] <= in[w] < out[v]; in is -1 outside the tree. It fails the test if
// idom is not a tree.
func treeIntervals(t *testing.T, idom []int32, root int32) (in, out []int) {
	t.Helper()
	n := len(idom)
	children := make([][]int32, n)
	for w, d := range idom {
		if d >= 0 && int32(w) != root {
			children[d] = append(children[d], int32(w))
		}
	}
	in, out = make([]int, n), make([]int, n)
	for i := range in {
		in[i] = -1
	}
	clock := 0
	type frame struct{ v, k int32 }
	stack := []frame{{root, 0}}
	in[root] = clock
	clock++
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if int(f.k) < len(children[f.v]) {
			c := children[f.v][f.k]
			f.k++
			if in[c] >= 0 {
				t.Fatalf("idom is not a tree at %d", c)
			}
			in[c] = clock
			clock++
			stack = append(stack, frame{c, 0})
			continue
		}
		out[f.v] = clock
		stack = stack[:len(stack)-1]
	}
	for w, d := range idom {
		if d >= 0 && in[w] < 0 {
			t.Fatalf("node %d (idom %d) does not hang from the root", w, d)
		}
	}
	return in, out
}

// TestDomWorkSubgraph: the successor lists a run leaves on preorder numbers
// are the reachable nodes' edges, in the graph's order, and the predecessor
// lists are them turned around.
func TestDomWorkSubgraph(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	var d domWork
	for i := range 200 {
		n := 1 + r.IntN(60)
		g := NewCSR(n, randomEdges(r, n, r.IntN(3*n)))
		root := int32(r.IntN(n))
		d.run(g.Offsets, g.Targets, n, root, nil)
		if len(d.soff) != len(d.vertex)+1 || int(d.soff[len(d.vertex)]) != len(d.succ) {
			t.Fatalf("graph %d: %d offsets for %d nodes, %d successors", i, len(d.soff), len(d.vertex), len(d.succ))
		}
		// The predecessor lists are the successor lists turned around,
		// each ascending.
		wantPred := make([][]int32, len(d.vertex))
		for j := range d.vertex {
			for _, k := range d.succ[d.soff[j]:d.soff[j+1]] {
				wantPred[k] = append(wantPred[k], int32(j))
			}
		}
		if len(d.poff) != len(d.vertex)+1 {
			t.Fatalf("graph %d: %d predecessor offsets for %d nodes", i, len(d.poff), len(d.vertex))
		}
		for j := range d.vertex {
			if got := d.pred[d.poff[j]:d.poff[j+1]]; !slices.Equal(got, wantPred[j]) && len(wantPred[j]) > 0 {
				t.Fatalf("graph %d: predecessors of number %d %v, want %v", i, j, got, wantPred[j])
			}
		}
		for j, v := range d.vertex {
			var want []int32
			for _, u := range g.Neighbors(v) {
				want = append(want, d.pre[u])
			}
			if got := d.succ[d.soff[j]:d.soff[j+1]]; !slices.Equal(got, want) && len(want) > 0 {
				t.Fatalf("graph %d: successors of %d (number %d) %v, want %v", i, v, j, got, want)
			}
		}
	}
}
