package graph

import (
	"math/rand/v2"
	"testing"
)

// shapedGraph grows a connected simple graph of about n nodes from pieces
// full of separation pairs and cut nodes: paths hung between two nodes
// (ears: cycles, long paths, nested two-node cuts), nodes on two
// neighbours, pendant nodes and trees, cycles and small cliques hung on one
// node (more blocks), and a few chords.
func shapedGraph(r *rand.Rand, n int) *CSR {
	seen := map[[2]int32]bool{}
	var edges [][2]int32
	nodes := int32(1)
	link := func(a, b int32) {
		if a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		if !seen[[2]int32{a, b}] {
			seen[[2]int32{a, b}] = true
			edges = append(edges, [2]int32{a, b})
		}
	}
	fresh := func() int32 { nodes++; return nodes - 1 }
	any := func() int32 { return int32(r.IntN(int(nodes))) }
	for int(nodes) < n {
		switch op := r.IntN(10); {
		case op < 3: // an ear: a path of 1..5 new nodes between two nodes (or a cycle on one)
			a, b := any(), any()
			prev := a
			for range 1 + r.IntN(5) {
				x := fresh()
				link(prev, x)
				prev = x
			}
			link(prev, b)
		case op < 5: // a new node on two neighbours
			a, b, x := any(), any(), fresh()
			link(a, x)
			link(b, x)
		case op < 7: // a pendant node
			link(any(), fresh())
		case op < 8: // a small clique hung on one node
			a := any()
			k := []int32{a}
			for range 2 + r.IntN(3) {
				k = append(k, fresh())
			}
			for i := range k {
				for j := range i {
					link(k[i], k[j])
				}
			}
		default: // a chord
			link(any(), any())
		}
	}
	return NewUndirectedCSR(int(nodes), edges)
}

// newCuts returns whether G − p has a cut node that G has not, by
// WeakPoints on both graphs.
func newCuts(g *CSR, p int32) bool {
	n := g.N()
	var edges [][2]int32
	for v := int32(0); int(v) < n; v++ {
		for _, u := range g.Neighbors(v) {
			if v < u && v != p && u != p {
				edges = append(edges, [2]int32{v, u})
			}
		}
	}
	was := map[int32]bool{}
	for _, c := range ArticulationPoints(g) {
		was[c] = true
	}
	for _, c := range ArticulationPoints(NewUndirectedCSR(n, edges)) {
		if !was[c] && c != p {
			return true
		}
	}
	return false
}

// TestCutPlan checks the totals the block–cut structure gives without a
// search against the search of the graph without the node (cutWork.total,
// itself checked against WeakPoints by TestCutTotal), and that every node
// whose removal creates a cut node is left to the search. Each graph is
// also checked as its sparse certificate, as ProjectImpact uses it.
func TestCutPlan(t *testing.T) {
	r := rand.New(rand.NewPCG(97, 5))
	var w cutWork
	var cutsDone, othersDone, pairsDone, cutPairsDone, left, pairs int
	check := func(name string, g *CSR, off, tgt []int32) {
		n := g.N()
		var pl cutPlan
		pl.build(off, tgt, n)
		if pl.all && name != "shape" {
			t.Fatalf("%s %v: marking gave up", name, g)
		}
		all := make([]int32, n)
		for p := range all {
			all[p] = int32(p)
		}
		if got, want := pl.total(), w.total(off, tgt, n, -1); got != want {
			t.Fatalf("%s %v: total %d, want %d", name, g, got, want)
		}
		tot, ok := pl.totals(all)
		for p := int32(0); int(p) < n; p++ {
			want := w.total(off, tgt, n, p)
			got, ok := tot[p], ok[p]
			paired := newCuts(g, p)
			if paired {
				pairs++
				if !pl.marked[p] && !pl.all {
					t.Fatalf("%s %v: removing %d makes a new cut node, but it was not marked", name, g, p)
				}
			}
			if ok && pl.all {
				t.Fatalf("%s %v: the plan gave up but answered for %d", name, g, p)
			}
			if !ok {
				left++
				continue
			}
			switch {
			case pl.marked[p] && pl.cutOf[p] >= 0:
				cutPairsDone++
			case pl.marked[p]:
				pairsDone++
			case pl.cutOf[p] >= 0:
				cutsDone++
			default:
				othersDone++
			}
			if got != want {
				t.Fatalf("%s %v without %d: total %d, want %d (cut node: %v, marked %v)", name, g, p, got, want, pl.cutOf[p] >= 0, pl.marked[p])
			}
		}
	}
	for i := 0; i < 3000; i++ {
		var g *CSR
		if i%3 == 0 {
			n := 1 + r.IntN(14)
			g = simpleGraph(r, n, n-1+r.IntN(3*n))
			g = largestPart(g)
		} else {
			g = shapedGraph(r, 2+r.IntN(30))
		}
		check("graph", g, g.Offsets, g.Targets)
		if n := g.N(); n > 2 {
			hoff, htgt := certificate(g.Offsets, g.Targets, n, 3)
			check("certificate", g, hoff, htgt)
		}
	}
	// Fixed shapes, some large: long cycles and paths, a ladder (nested
	// pairs), a wheel (none), theta graphs (three paths between two nodes),
	// a chain of cycles joined at single nodes, a clique with every edge
	// subdivided. Cycles have quadratically many pairs: there the plan
	// may leave everything to the search.
	edgesOf := func(n int, es ...[2]int32) *CSR { return NewUndirectedCSR(n, es) }
	cycle := func(n, from int) [][2]int32 {
		var e [][2]int32
		for i := 0; i < n; i++ {
			e = append(e, [2]int32{int32(from + i), int32(from + (i+1)%n)})
		}
		return e
	}
	var shapes []*CSR
	for _, n := range []int{3, 4, 5, 12, 60, 200} {
		shapes = append(shapes, edgesOf(n, cycle(n, 0)...))
		path := cycle(n, 0)[:n-1]
		shapes = append(shapes, edgesOf(n, path...))
	}
	for _, k := range []int{2, 5, 40} {
		var e [][2]int32
		for i := int32(0); int(i) < k; i++ {
			e = append(e, [2]int32{2 * i, 2*i + 1})
			if int(i) < k-1 {
				e = append(e, [2]int32{2 * i, 2*i + 2}, [2]int32{2*i + 1, 2*i + 3})
			}
		}
		shapes = append(shapes, edgesOf(2*k, e...))
		var wheel [][2]int32
		for i := 1; i <= 2*k+2; i++ {
			wheel = append(wheel, [2]int32{0, int32(i)}, [2]int32{int32(i), int32(i%(2*k+2) + 1)})
		}
		shapes = append(shapes, edgesOf(2*k+3, wheel...))
		var theta [][2]int32
		next := int32(2)
		for range 3 {
			prev := int32(0)
			for range k {
				theta = append(theta, [2]int32{prev, next})
				prev, next = next, next+1
			}
			theta = append(theta, [2]int32{prev, 1})
		}
		shapes = append(shapes, edgesOf(int(next), theta...))
		var chain [][2]int32
		for i := 0; i < k; i++ {
			chain = append(chain, cycle(5, 4*i)...) // cycles on 4i … 4i+4 share node 4i+4 with the next
		}
		shapes = append(shapes, edgesOf(4*k+1, chain...))
	}
	var sub [][2]int32
	next := int32(6)
	for i := int32(0); i < 6; i++ {
		for j := i + 1; j < 6; j++ {
			sub = append(sub, [2]int32{i, next}, [2]int32{next, j})
			next++
		}
	}
	shapes = append(shapes, edgesOf(int(next), sub...))
	for _, g := range shapes {
		check("shape", g, g.Offsets, g.Targets)
	}
	for range 20 {
		g := shapedGraph(r, 150+r.IntN(150))
		check("large", g, g.Offsets, g.Targets)
	}

	t.Logf("answered from the structure: %d cut nodes and %d other nodes in no pair, %d cut nodes and %d others in pairs; "+
		"%d searched; %d make a new cut node", cutsDone, othersDone, cutPairsDone, pairsDone, left, pairs)
	if cutsDone < 1000 || othersDone < 1000 || cutPairsDone < 1000 || pairsDone < 1000 || pairs < 1000 {
		t.Errorf("too few cases of a kind: cut nodes %d, others %d, in pairs %d and %d, new cut nodes %d",
			cutsDone, othersDone, cutPairsDone, pairsDone, pairs)
	}
}

// largestPart returns the subgraph of g induced by its largest connected
// component, renumbered.
func largestPart(g *CSR) *CSR {
	n := g.N()
	comp := fill(make([]int32, n), -1)
	best, bestSize := int32(0), 0
	for r := int32(0); int(r) < n; r++ {
		if comp[r] >= 0 {
			continue
		}
		comp[r] = r
		queue := []int32{r}
		for h := 0; h < len(queue); h++ {
			for _, u := range g.Neighbors(queue[h]) {
				if comp[u] < 0 {
					comp[u] = r
					queue = append(queue, u)
				}
			}
		}
		if len(queue) > bestSize {
			best, bestSize = r, len(queue)
		}
	}
	num := fill(make([]int32, n), -1)
	k := int32(0)
	for v := 0; v < n; v++ {
		if comp[v] == best {
			num[v] = k
			k++
		}
	}
	var edges [][2]int32
	for v := int32(0); int(v) < n; v++ {
		for _, u := range g.Neighbors(v) {
			if v < u && num[v] >= 0 && num[u] >= 0 {
				edges = append(edges, [2]int32{num[v], num[u]})
			}
		}
	}
	return NewUndirectedCSR(int(k), edges)
}
