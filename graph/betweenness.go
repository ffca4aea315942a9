package graph

import (
	"cmp"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Betweenness settings: exact up to BetweennessExactMax nodes, else sampled
// from BetweennessPivots sources drawn with BetweennessSeed. On synth's
// province (119 227 nodes, 1 000 000 links) one source costs a breadth-first
// search over two million adjacency entries, so 64 sources keep the one-off
// computation to seconds of CPU, shared over the cores.
const (
	BetweennessExactMax       = 5000 // largest region computed exactly, every node a source
	BetweennessPivots         = 64   // sources sampled above BetweennessExactMax
	BetweennessSeed     int64 = 1    // seed of the sample, so that every run agrees
	// DefaultTop is how many nodes Betweenness lists when asked for none.
	DefaultTop = 20
	// betweennessChunks fixes how sources are split for parallel work, so
	// that floating-point sums come out the same on any machine.
	betweennessChunks = 16
)

// Betweenness is the betweenness centrality of the region's supply network:
// which enterprises and projects lie on the most shortest paths between
// others, the brokers a disruption would hurt most.
//
// It runs on the undirected simple graph of every link (direction dropped,
// every chain, every area). Scores are normalised to [0, 1]: the share of
// the (n−1)(n−2)/2 pairs of other nodes whose shortest paths pass through
// the node (each pair weighted by the fraction of its shortest paths that
// do). With at most BetweennessExactMax nodes every node is a source
// (Brandes' algorithm, Exact true, Pivots = Nodes, Seed 0); above that,
// Pivots sources are drawn uniformly without replacement with the fixed
// Seed and the sums are scaled by Nodes / Pivots (Brandes–Pich sampling),
// so the output is the same on every run.
//
// A sampled answer states its sampling error: each node's StdErr is the
// standard error of its score estimated from the sample (the spread of the
// node's dependency over the sampled sources, with the finite-population
// correction of drawing without replacement), and Margin95 is the largest
// 1.96 × StdErr among the listed nodes: by the normal approximation each
// listed score lies within its own 1.96 × StdErr of the exact one with
// about 95% confidence (less when a node's dependencies are very skewed:
// the package's test graph, 60 of 400 sources, is covered 84% of the
// time). Both are absent (zero) when Exact.
type Betweenness struct {
	Exact    bool        `json:"exact"`
	Pivots   int         `json:"pivots"`
	Seed     int64       `json:"seed"`
	Nodes    int         `json:"nodes"`
	Margin95 float64     `json:"margin95,omitempty"`
	Top      []NodeScore `json:"top"` // score descending, then id
}

// NodeScore is one node's centrality.
type NodeScore struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	County string  `json:"county"` // its own county or zone code; the region's code for none
	Score  float64 `json:"score"`
	StdErr float64 `json:"stderr,omitempty"` // sampled answers only: the score's standard error
}

// betweennessCache is the region-wide result, computed once per Index.
type betweennessCache struct {
	once   sync.Once
	scores []float64 // normalised, rounded
	stderr []float64 // sampled only: the scores' standard errors, rounded
	order  []int32   // nodes by score descending, then id
	exact  bool
	pivots int
	seed   int64
}

// Betweenness returns the top nodes (top ≤ 0: DefaultTop) of the region's
// betweenness centrality (see the type). The scores are computed on first
// use and kept with the index; later calls only copy them out.
func (ix *Index) Betweenness(top int) *Betweenness {
	bc := &ix.structure().betweenness
	bc.once.Do(func() {
		st := betweennessStats(ix.und, BetweennessExactMax, BetweennessPivots, BetweennessSeed)
		raw := st.scores
		bc.scores, bc.stderr, bc.exact, bc.pivots, bc.seed = raw, st.stderr, st.exact, st.pivots, st.seed
		bc.order = make([]int32, len(raw))
		for i := range bc.order {
			bc.order[i] = int32(i)
		}
		slices.SortStableFunc(bc.order, func(a, b int32) int { return cmp.Compare(raw[b], raw[a]) })
	})
	if top <= 0 {
		top = DefaultTop
	}
	res := &Betweenness{Exact: bc.exact, Pivots: bc.pivots, Seed: bc.seed, Nodes: len(ix.ids), Top: []NodeScore{}}
	for _, v := range bc.order[:min(top, len(bc.order))] {
		ns := NodeScore{ID: ix.ids[v], Name: ix.names[v], County: ix.countyCode(v), Score: bc.scores[v]}
		if bc.stderr != nil {
			ns.StdErr = bc.stderr[v]
			res.Margin95 = max(res.Margin95, math.Round(1.96*ns.StdErr*1e12)/1e12)
		}
		res.Top = append(res.Top, ns)
	}
	return res
}

// betweenness computes the normalised betweenness of every node of the
// undirected simple graph g: exact when g has at most exactMax nodes, else
// estimated from pivots sources drawn with seed. Scores are rounded to 12
// decimals so that equal scores compare equal.
func betweenness(g *CSR, exactMax, pivots int, seed int64) (scores []float64, exact bool, k int, usedSeed int64) {
	st := betweennessStats(g, exactMax, pivots, seed)
	return st.scores, st.exact, st.pivots, st.seed
}

// betweennessResult is betweenness with, for a sample, each score's
// standard error (nil when exact).
type betweennessResult struct {
	scores, stderr []float64
	exact          bool
	pivots         int
	seed           int64
}

func betweennessStats(g *CSR, exactMax, pivots int, seed int64) betweennessResult {
	n := g.N()
	var sources []int32
	exact := false
	if n <= exactMax || pivots >= n {
		exact, seed = true, 0
		sources = make([]int32, n)
		for i := range sources {
			sources[i] = int32(i)
		}
	} else {
		sources = samplePivots(n, pivots, seed)
	}
	res := betweennessResult{exact: exact, pivots: len(sources), seed: seed}
	// Searches are bound by cache misses: renumbering the nodes in
	// breadth-first order puts neighbours close together in memory.
	perm := bfsOrder(g)
	inv := make([]int32, n)
	for i, v := range perm {
		inv[v] = int32(i)
	}
	for i, s := range sources {
		sources[i] = inv[s]
	}
	rawp, sqp := brandesSums(relabel(g, perm, inv), sources, !exact)
	raw := make([]float64, n)
	for v := range raw {
		raw[v] = rawp[inv[v]]
	}
	if n < 3 {
		res.scores = make([]float64, n)
		return res
	}
	// Every unordered pair is counted from both ends: halve. A sample
	// stands for n / k times as many sources.
	k := float64(len(sources))
	norm := 0.5 / (float64(n-1) * float64(n-2) / 2)
	scale := float64(n) / k * norm
	for v := range raw {
		raw[v] = math.Round(raw[v]*scale*1e12) / 1e12
	}
	res.scores = raw
	if !exact && k > 1 {
		// The estimate is n × the mean dependency over the sample; its
		// standard error is n × s / √k × √((n − k) / (n − 1)), s the
		// sample standard deviation of the node's dependency.
		fpc := math.Sqrt((float64(n) - k) / (float64(n) - 1))
		res.stderr = make([]float64, n)
		for v := range res.stderr {
			sum, sq := rawp[inv[v]], sqp[inv[v]]
			variance := max(0, (sq-sum*sum/k)/(k-1))
			se := float64(n) * math.Sqrt(variance/k) * fpc * norm
			res.stderr[v] = math.Round(se*1e12) / 1e12
		}
	}
	return res
}

// bfsOrder lists the nodes of g in breadth-first order, component by
// component, roots in ascending order.
func bfsOrder(g *CSR) []int32 {
	n := g.N()
	seen := make([]bool, n)
	order := make([]int32, 0, n)
	for r := int32(0); int(r) < n; r++ {
		if seen[r] {
			continue
		}
		seen[r] = true
		order = append(order, r)
		for h := len(order) - 1; h < len(order); h++ {
			for _, u := range g.Neighbors(order[h]) {
				if !seen[u] {
					seen[u] = true
					order = append(order, u)
				}
			}
		}
	}
	return order
}

// relabel returns g with node perm[i] renamed i (inv is perm's inverse).
func relabel(g *CSR, perm, inv []int32) *CSR {
	off := make([]int32, len(perm)+1)
	tgt := make([]int32, 0, len(g.Targets))
	for i, v := range perm {
		for _, u := range g.Neighbors(v) {
			tgt = append(tgt, inv[u])
		}
		off[i+1] = int32(len(tgt))
	}
	return &CSR{Offsets: off, Targets: tgt}
}

// samplePivots draws k distinct nodes of 0..n-1 with a fixed seed, ascending.
func samplePivots(n, k int, seed int64) []int32 {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6265747765656e)) // "between"
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := 0; i < k; i++ { // partial Fisher–Yates
		j := i + r.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	p := perm[:k:k]
	slices.Sort(p)
	return p
}

// brandes returns, for every node v of the unweighted graph g, the sum over
// the given sources s of the dependency δ_s(v) = Σ_t σ_st(v)/σ_st (Brandes
// 2001). With every node a source on a symmetric graph, each unordered pair
// is counted twice. Sources are split into a fixed number of chunks summed
// in order, so the result does not depend on scheduling.
func brandes(g *CSR, sources []int32) []float64 {
	sum, _ := brandesSums(g, sources, false)
	return sum
}

// brandesSums is brandes, also returning Σ_s δ_s(v)² when squares is set
// (nil otherwise), for the sampling error.
func brandesSums(g *CSR, sources []int32, squares bool) (sum, sq []float64) {
	n := g.N()
	chunks := min(betweennessChunks, len(sources))
	acc := make([][]float64, chunks)
	acc2 := make([][]float64, chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			var b brandesWork
			b.init(n)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				acc[c] = make([]float64, n)
				if squares {
					acc2[c] = make([]float64, n)
				}
				for _, s := range sources[c*len(sources)/chunks : (c+1)*len(sources)/chunks] {
					b.source(g.Offsets, g.Targets, s, acc[c], acc2[c])
				}
			}
		})
	}
	wg.Wait()
	if chunks == 0 {
		return make([]float64, n), nil
	}
	fold := func(acc [][]float64) []float64 {
		out := acc[0]
		for _, a := range acc[1:] {
			for v, x := range a {
				out[v] += x
			}
		}
		return out
	}
	sum = fold(acc)
	if squares {
		sq = fold(acc2)
	}
	return sum, sq
}

// brandesWork is one goroutine's scratch for single-source searches.
type brandesWork struct {
	node  []brandesNode
	order []int32 // BFS order
	first []int32 // order[h]'s successors are succ[first[h]:first[h+1]]
	succ  []int32 // shortest-path DAG edges, grouped by tail in BFS order
}

// brandesNode keeps one node's search state together: on a large graph the
// searches are bound by cache misses, and one line per visit beats three.
type brandesNode struct {
	sigma float64 // shortest paths from the source
	delta float64 // dependency of the source on the node
	dist  int32   // -1 unvisited
}

func (b *brandesWork) init(n int) {
	b.node = make([]brandesNode, n)
	for i := range b.node {
		b.node[i].dist = -1
	}
	b.order = make([]int32, 0, n)
	b.first = make([]int32, 0, n+1)
}

// source adds δ_s(v) to acc[v] (and δ_s(v)² to acc2[v] unless acc2 is nil)
// for every v ≠ s. A breadth-first search
// counts shortest paths and records the edges of the shortest-path DAG by
// tail; then, in reverse BFS order, δ(v) = σ(v) · Σ (1 + δ(w)) / σ(w) over
// v's DAG successors w, whose δ is final by then. Reading successors
// instead of scattering into predecessors writes each node once.
func (b *brandesWork) source(off, tgt []int32, s int32, acc, acc2 []float64) {
	node := b.node
	order, first, succ := append(b.order[:0], s), b.first[:0], b.succ[:0]
	node[s] = brandesNode{sigma: 1}
	for h := 0; h < len(order); h++ {
		v := order[h]
		first = append(first, int32(len(succ)))
		dv, sv := node[v].dist+1, node[v].sigma
		for _, u := range tgt[off[v]:off[v+1]] {
			x := &node[u]
			if x.dist < 0 {
				x.dist = dv
				order = append(order, u)
			}
			if x.dist == dv {
				x.sigma += sv
				succ = append(succ, u)
			}
		}
	}
	first = append(first, int32(len(succ)))
	for h := len(order) - 1; h > 0; h-- {
		var sum float64
		for _, u := range succ[first[h]:first[h+1]] {
			x := &node[u]
			sum += (1 + x.delta) / x.sigma
		}
		v := order[h]
		d := node[v].sigma * sum
		node[v].delta = d
		acc[v] += d
		if acc2 != nil {
			acc2[v] += d * d
		}
	}
	for _, v := range order {
		node[v] = brandesNode{dist: -1}
	}
	b.order, b.first, b.succ = order, first, succ
}
