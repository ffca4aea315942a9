package graph

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomMultigraph returns n and up to m random undirected edges, with
// parallel edges and self-loops in it now and then.
func randomMultigraph(r *rand.Rand, n, m int) [][2]int32 {
	edges := make([][2]int32, 0, m)
	for len(edges) < m {
		a, b := int32(r.IntN(n)), int32(r.IntN(n))
		if a == b && r.IntN(10) > 0 {
			continue // mostly no self-loops
		}
		edges = append(edges, [2]int32{a, b})
		if r.IntN(8) == 0 && len(edges) < m {
			edges = append(edges, [2]int32{b, a}) // a parallel edge
		}
	}
	return edges
}

// components labels the connected components of the undirected graph with
// node `skipNode` and edge number `skipEdge` removed (-1: none).
func components(n int, edges [][2]int32, skipNode int32, skipEdge int) (label []int, size []int) {
	adj := make([][]int32, n)
	for i, e := range edges {
		if i == skipEdge || e[0] == skipNode || e[1] == skipNode {
			continue
		}
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	label = make([]int, n)
	for i := range label {
		label[i] = -1
	}
	for s := int32(0); int(s) < n; s++ {
		if label[s] >= 0 || s == skipNode {
			continue
		}
		id := len(size)
		size = append(size, 0)
		queue := []int32{s}
		label[s] = id
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			size[id]++
			for _, u := range adj[v] {
				if label[u] < 0 {
					label[u] = id
					queue = append(queue, u)
				}
			}
		}
	}
	return label, size
}

// bruteWeakPoints finds cut nodes and bridges with impacts by removing every
// node and every edge and recounting components.
func bruteWeakPoints(n int, edges [][2]int32) ([]NodeImpact, []EdgeImpact) {
	label, size := components(n, edges, -1, -1)
	cuts := []NodeImpact{}
	for v := int32(0); int(v) < n; v++ {
		c := size[label[v]]
		l2, s2 := components(n, edges, v, -1)
		pieces, largest := map[int]bool{}, 0
		for u := 0; u < n; u++ {
			if int32(u) != v && label[u] == label[v] {
				pieces[l2[u]] = true
				largest = max(largest, s2[l2[u]])
			}
		}
		if len(pieces) > 1 {
			cuts = append(cuts, NodeImpact{v, int32(c - 1 - largest)})
		}
	}
	bridges := []EdgeImpact{}
	seen := map[[2]int32]bool{}
	for i, e := range edges {
		a, b := min(e[0], e[1]), max(e[0], e[1])
		if a == b || seen[[2]int32{a, b}] {
			continue
		}
		l2, s2 := components(n, edges, -1, i)
		if l2[a] != l2[b] {
			seen[[2]int32{a, b}] = true
			bridges = append(bridges, EdgeImpact{a, b, int32(min(s2[l2[a]], s2[l2[b]]))})
		}
	}
	sortImpacts(cuts, bridges)
	return cuts, bridges
}

func TestWeakPointsAgainstBruteForce(t *testing.T) {
	tests := []struct {
		name    string
		seed    uint64
		graphs  int
		maxN    int
		density float64 // edges per node
	}{
		{"sparse forests", 1, 200, 30, 0.7},
		{"near trees", 2, 200, 40, 1.0},
		{"mixed", 3, 200, 40, 1.5},
		{"dense", 4, 100, 25, 4},
		{"tiny", 5, 200, 4, 1.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 99))
			for i := 0; i < tc.graphs; i++ {
				n := 1 + r.IntN(tc.maxN)
				edges := randomMultigraph(r, n, int(float64(n)*tc.density*r.Float64()))
				g := NewUndirectedCSR(n, edges)
				cuts, bridges := WeakPoints(g)
				wantCuts, wantBridges := bruteWeakPoints(n, edges)
				if !reflect.DeepEqual(nonNil(cuts), wantCuts) || !reflect.DeepEqual(nonNil(bridges), wantBridges) {
					t.Fatalf("graph %d (n=%d, edges %v):\ncuts %v\nwant %v\nbridges %v\nwant %v", i, n, edges, cuts, wantCuts, bridges, wantBridges)
				}
				aps := ArticulationPoints(g)
				wantAPs := []int32{}
				for _, c := range wantCuts {
					wantAPs = append(wantAPs, c.Node)
				}
				slices.Sort(wantAPs)
				if !reflect.DeepEqual(aps, wantAPs) {
					t.Fatalf("graph %d: ArticulationPoints %v, want %v", i, aps, wantAPs)
				}
				brs := Bridges(g)
				wantBrs := [][2]int32{}
				for _, b := range wantBridges {
					wantBrs = append(wantBrs, [2]int32{b.A, b.B})
				}
				slices.SortFunc(wantBrs, func(x, y [2]int32) int {
					return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1]))
				})
				if !reflect.DeepEqual(brs, wantBrs) {
					t.Fatalf("graph %d: Bridges %v, want %v", i, brs, wantBrs)
				}
			}
		})
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// reachable marks the nodes reachable from root in the directed graph
// without passing through skip.
func reachable(g *CSR, root, skip int32) []bool {
	seen := make([]bool, g.N())
	if root == skip {
		return seen
	}
	seen[root] = true
	stack := []int32{root}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range g.Neighbors(v) {
			if !seen[u] && u != skip {
				seen[u] = true
				stack = append(stack, u)
			}
		}
	}
	return seen
}

func TestDominatorsAgainstBruteForce(t *testing.T) {
	tests := []struct {
		name    string
		seed    uint64
		graphs  int
		maxN    int
		density float64
	}{
		{"sparse", 11, 300, 30, 1.2},
		{"medium", 12, 300, 30, 2.5},
		{"dense", 13, 150, 20, 5},
		{"tiny", 14, 200, 4, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 7))
			for i := 0; i < tc.graphs; i++ {
				n := 1 + r.IntN(tc.maxN)
				m := int(float64(n) * tc.density * r.Float64())
				edges := make([][2]int32, m)
				for j := range edges {
					edges[j] = [2]int32{int32(r.IntN(n)), int32(r.IntN(n))}
				}
				g := NewCSR(n, edges)
				root := int32(r.IntN(n))
				idom := Dominators(g, root)
				reach := reachable(g, root, -1)
				// dom[v][w]: v dominates w, i.e. w is unreachable without v.
				dom := make([][]bool, n)
				for v := int32(0); int(v) < n; v++ {
					without := reachable(g, root, v)
					dom[v] = make([]bool, n)
					for w := 0; w < n; w++ {
						dom[v][w] = reach[w] && (int32(w) == v || !without[w])
					}
				}
				for w := int32(0); int(w) < n; w++ {
					if !reach[w] {
						if idom[w] != -1 {
							t.Fatalf("graph %d: idom of unreachable %d = %d", i, w, idom[w])
						}
						continue
					}
					got := make([]bool, n)
					got[w] = true
					for x := w; x != root; {
						x = idom[x]
						if x < 0 || got[x] {
							t.Fatalf("graph %d: broken idom chain from %d: %v", i, w, idom)
						}
						got[x] = true
					}
					for v := 0; v < n; v++ {
						if got[v] != dom[v][w] {
							t.Fatalf("graph %d (n=%d root=%d edges %v): %d dominates %d: got %v, want %v (idom %v)",
								i, n, root, edges, v, w, got[v], dom[v][w], idom)
						}
					}
				}
				if idom[root] != root {
					t.Fatalf("idom[root] = %d", idom[root])
				}
			}
		})
	}
}

func TestDeepPathDoesNotOverflow(t *testing.T) {
	if testing.Short() {
		t.Skip("1 000 000-node graphs")
	}
	const n = 1_000_000
	edges := make([][2]int32, n-1)
	for i := range edges {
		edges[i] = [2]int32{int32(i), int32(i + 1)}
	}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"weak points of a path", func(t *testing.T) {
			cuts, bridges := WeakPoints(NewUndirectedCSR(n, edges))
			if len(cuts) != n-2 || len(bridges) != n-1 {
				t.Fatalf("%d cut nodes, %d bridges", len(cuts), len(bridges))
			}
			// The middle fails worst: it cuts off half the path.
			if cuts[0].Node != n/2-1 || cuts[0].Impact != n/2-1 {
				t.Errorf("worst cut node %+v", cuts[0])
			}
		}},
		{"dominators of a path", func(t *testing.T) {
			idom := Dominators(NewCSR(n, edges), 0)
			for i := 1; i < n; i++ {
				if idom[i] != int32(i-1) {
					t.Fatalf("idom[%d] = %d", i, idom[i])
				}
			}
		}},
		{"dominators of a path entered from its end", func(t *testing.T) {
			// Every node also reaches back to 0, so compress paths are long.
			back := append(slices.Clone(edges), [2]int32{n - 1, 0})
			for i := 1; i < n; i += 2 {
				back = append(back, [2]int32{int32(i), 0})
			}
			idom := Dominators(NewCSR(n, back), 0)
			for i := 1; i < n; i++ {
				if idom[i] != int32(i-1) {
					t.Fatalf("idom[%d] = %d", i, idom[i])
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}

func TestCSR(t *testing.T) {
	g := NewCSR(4, [][2]int32{{2, 1}, {0, 3}, {0, 1}, {2, 1}, {3, 3}})
	tests := []struct {
		name string
		got  *CSR
		want [][]int32
	}{
		{"sorted lists with parallel edges kept", g, [][]int32{{1, 3}, {}, {1, 1}, {3}}},
		{"reverse", g.Reverse(), [][]int32{{}, {0, 2, 2}, {}, {0, 3}}},
		{"undirected", NewUndirectedCSR(3, [][2]int32{{0, 2}, {1, 2}}), [][]int32{{2}, {2}, {0, 1}}},
		{"empty", NewCSR(0, nil), [][]int32{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := [][]int32{}
			for v := int32(0); int(v) < tc.got.N(); v++ {
				got = append(got, append([]int32{}, tc.got.Neighbors(v)...))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lists %v, want %v", got, tc.want)
			}
		})
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("NewCSR with an edge out of range did not panic")
			}
		}()
		NewCSR(2, [][2]int32{{0, 2}})
	}()
}

func TestDominatorsEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		g    *CSR
		root int32
		want []int32
	}{
		{"root out of range", NewCSR(2, [][2]int32{{0, 1}}), 5, []int32{-1, -1}},
		{"negative root", NewCSR(2, [][2]int32{{0, 1}}), -1, []int32{-1, -1}},
		{"empty graph", NewCSR(0, nil), 0, []int32{}},
		{"single node", NewCSR(1, nil), 0, []int32{0}},
		{"diamond", NewCSR(4, [][2]int32{{0, 1}, {0, 2}, {1, 3}, {2, 3}}), 0, []int32{0, 0, 0, 0}},
		{"self-loops and unreachable", NewCSR(4, [][2]int32{{0, 0}, {0, 1}, {1, 1}, {3, 1}}), 0, []int32{0, 0, -1, -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Dominators(tc.g, tc.root); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Dominators = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDomWorkReused: one domWork run again and again on graphs of one size
// (as the leader search does, resetting only what the last run numbered)
// gives what a fresh run gives, on preorder numbers (idom nil) as well.
func TestDomWorkReused(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 7))
	var d domWork
	for i := 0; i < 400; i++ {
		n := 40 + 20*((i/50)%3) // a few sizes in turn, so both the reset and the fresh path run
		m := r.IntN(3 * n)
		edges := make([][2]int32, m)
		for j := range edges {
			edges[j] = [2]int32{int32(r.IntN(n)), int32(r.IntN(n))}
		}
		g := NewCSR(n, edges)
		root := int32(r.IntN(n))
		want := Dominators(g, root)
		d.run(g.Offsets, g.Targets, n, root, nil)
		got := fill(make([]int32, n), -1)
		for v := int32(0); int(v) < n; v++ {
			if j := d.pre[v]; j >= 0 {
				got[v] = d.vertex[d.dom[j]]
				if d.vertex[j] != v {
					t.Fatalf("graph %d: pre and vertex disagree at %d", i, v)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("graph %d (n %d, root %d): reused run %v, fresh %v", i, n, root, got, want)
		}
	}
}
