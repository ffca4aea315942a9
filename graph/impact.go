package graph

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"chainscope"
)

// SegmentChange is how one segment of a scope differs between two states of
// the data (before → after): its status, weak reasons and 断链 flag. Reason
// lists are never nil.
type SegmentChange struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Stage       chainscope.Stage `json:"stage"`
	From        Status           `json:"from"`
	To          Status           `json:"to"`
	FromReasons []Reason         `json:"from_reasons"`
	ToReasons   []Reason         `json:"to_reasons"`
	FromBroken  bool             `json:"from_broken"`
	ToBroken    bool             `json:"to_broken"`
}

// ProjectImpact is what delivering one signed or started project is worth to
// a scope: the scope as if the project had fallen through (removed with its
// links, as a cancelled project is) compared with the scope where it is
// operating.
//
// Why not compare with the scope as it stands: a signed project already is a
// node with its links, so making it operating can only drop the planned_only
// reason — completeness and the cut nodes never move, and a project that
// alone fills a segment would look less important than one joining a crowded
// segment. Comparing with its absence counts both what the project already
// holds (without it the segment is missing again) and what its operation adds.
type ProjectImpact struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	County        string            `json:"county"` // the project's own county or zone code; the region's code for none
	Status        chainscope.Status `json:"status"` // signed or started
	InvestmentWan float64           `json:"investment_wan"`
	// Changes are the project's segments of the chain whose status or
	// reasons differ (From: without the project, To: with it operating),
	// in the chain's segment order. Every change is an improvement:
	// missing → weak(single) when the project alone lists the segment,
	// otherwise weak → ok. Segments the project does not list are not
	// reported, although their 断链 flag may depend on it.
	Changes []SegmentChange `json:"changes"`
	// Filled counts the segments fixed from missing (the project alone
	// lists them); WeakToOK counts those going from weak to ok.
	Filled   int `json:"filled"`
	WeakToOK int `json:"weak_to_ok"`
	// CompletenessGain is completeness with the project minus completeness
	// without it, each rounded to 4 decimals as Analysis.Completeness is:
	// about Filled / segments of the chain.
	CompletenessGain float64 `json:"completeness_gain"`
	// CutImpactRemoved is the total cut-node impact (SPEC §5, summed over
	// the scope's cut nodes) without the project minus the total with it.
	// Positive: the project's links add redundancy (close a loop); negative:
	// it hangs on a single partner or becomes a cut node itself.
	CutImpactRemoved int `json:"cut_impact_removed"`
	// Rank is the 1-based position in the ranking (see Index.ProjectImpact).
	Rank int `json:"rank"`
}

// ProjectImpact returns every signed or started project node of the scope
// with its impact (see ProjectImpact), ranked: most segments filled first,
// then most weak → ok, then completeness gain, then cut impact removed (all
// descending), then investment descending, then id ascending. Stalled
// projects are left out: they are not being delivered. The result is empty,
// not nil, when the scope has no such project; area and chain are resolved
// as in Analyze.
//
// It runs on the index without rebuilding anything: segment effects come
// from per-segment counts, and the cut-node totals without each project
// from one depth-first search of each project's component and its
// block–cut structure and separation pairs (see cutPlan) — about linear
// time for all projects together, plus, for a project that is a cut node,
// a pass over the component's cut nodes —; the few projects that plan leaves out are
// searched one by one (Hopcroft–Tarjan with the project skipped), in
// parallel. A dense component is first thinned to a sparse certificate that
// keeps every vertex cut of one or two nodes (see certificate), which gives
// the same totals for a fraction of the work.
func (ix *Index) ProjectImpact(area, chainID string) ([]ProjectImpact, error) {
	sc, err := ix.Scope(area, chainID)
	if err != nil {
		return nil, err
	}
	return sc.ProjectImpact(), nil
}

// ProjectImpact is Index.ProjectImpact of the scope.
func (sc *Scope) ProjectImpact() []ProjectImpact { return sc.projectImpact(true) }

// projectImpact is ProjectImpact; with plans false every cut total is
// searched (the tests and benchmarks compare the two).
func (sc *Scope) projectImpact(plans bool) []ProjectImpact {
	ix, c, nodes := sc.ix, sc.chain(), sc.nodes
	var todo []int32 // local numbers of the projects weighed
	for i, v := range nodes {
		if ix.project[v] && (ix.status[v] == chainscope.StatusSigned || ix.status[v] == chainscope.StatusStarted) {
			todo = append(todo, int32(i))
		}
	}
	out := make([]ProjectImpact, len(todo))
	if len(todo) == 0 {
		return out
	}
	st := ix.newScopeState(c, nodes)
	for k, i := range todo {
		out[k] = ix.projectImpact(st, i)
	}
	// The cut figures depend on the scope's graph alone: those computed on
	// this node set before (by this Index, or one Patch handed them on) are
	// kept (see structure); the rest are computed here.
	vs := make([]int32, len(todo))
	for k, i := range todo {
		vs[k] = nodes[i]
	}
	ct := ix.cutTotalsOf(cutKey{sc.ci, sc.Area()}, nodes)
	removed, known := ct.lookup(vs)
	var missing []int // positions in todo
	for k := range todo {
		if !known[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		st.buildGraph(ix)
		want := make([]int32, len(missing))
		for j, k := range missing {
			want[j] = todo[k]
		}
		st.components(want)
		// Most totals come from each component's block–cut structure
		// (see cutPlan); the rest are searched.
		var search []int // positions in todo
		byComp := map[int32][]int{}
		var comps []int32
		for _, k := range missing {
			i := todo[k] // removed[k] is 0: not known (see lookup)
			if g := st.comp[i]; st.compSize(g) > 1 {
				if byComp[g] == nil {
					comps = append(comps, g)
				}
				byComp[g] = append(byComp[g], k)
			}
		}
		// The total of each component as it stands.
		base := make(map[int32]int, len(comps))
		var cw cutWork
		for _, g := range comps {
			ks := byComp[g]
			cg := &st.graphs[g]
			if !plans {
				base[g] = cw.total(cg.off, cg.tgt, st.compSize(g), -1)
				search = append(search, ks...)
				continue
			}
			ps := make([]int32, len(ks))
			for j, k := range ks {
				ps[j] = st.pos[todo[k]]
			}
			var pl cutPlan
			pl.build(cg.off, cg.tgt, st.compSize(g))
			base[g] = pl.total()
			without, ok := pl.totals(ps)
			for j, k := range ks {
				if ok[j] {
					removed[k] = without[j] - base[g]
				} else {
					search = append(search, k)
				}
			}
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(search)) {
			wg.Go(func() {
				var cw cutWork
				for {
					j := int(next.Add(1) - 1)
					if j >= len(search) {
						return
					}
					k := search[j]
					i := todo[k]
					g := st.comp[i]
					cg := &st.graphs[g]
					removed[k] = cw.total(cg.off, cg.tgt, st.compSize(g), st.pos[i]) - base[g]
				}
			})
		}
		wg.Wait()
		got := make([]int32, len(missing))
		vals := make([]int, len(missing))
		for j, k := range missing {
			got[j], vals[j] = vs[k], removed[k]
		}
		ct.store(got, vals)
	}
	for k := range out {
		out[k].CutImpactRemoved = removed[k]
	}

	slices.SortFunc(out, func(a, b ProjectImpact) int {
		if c := cmp.Compare(b.Filled, a.Filled); c != 0 {
			return c
		}
		if c := cmp.Compare(b.WeakToOK, a.WeakToOK); c != 0 {
			return c
		}
		if c := cmp.Compare(b.CompletenessGain, a.CompletenessGain); c != 0 {
			return c
		}
		if c := cmp.Compare(b.CutImpactRemoved, a.CutImpactRemoved); c != 0 {
			return c
		}
		if c := cmp.Compare(b.InvestmentWan, a.InvestmentWan); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for k := range out {
		out[k].Rank = k + 1
	}
	return out
}

// projectImpact fills everything but the cut figures for local node i.
func (ix *Index) projectImpact(st *scopeState, i int32) ProjectImpact {
	v := st.nodes[i]
	c := st.c
	pi := ProjectImpact{
		ID: ix.ids[v], Name: ix.names[v], County: ix.countyCode(v),
		Status: ix.status[v], InvestmentWan: ix.investment[v], Changes: []SegmentChange{},
	}
	segs := ix.chainSegs(v, c)
	// Present segments without the project: those it alone lists go.
	without := slices.Clone(st.present)
	for _, s := range segs {
		if l := s - c.first; st.cnt[l] == 1 {
			without[l/64] &^= 1 << (l % 64)
		}
	}
	for _, s := range segs {
		l := s - c.first
		n, op := st.cnt[l], st.oper[l] // a signed or started project is not operating
		from, fromR := segmentStatus(n-1, op)
		to, toR := segmentStatus(n, op+1)
		if from == to && slices.Equal(fromR, toR) {
			continue
		}
		ch := SegmentChange{
			ID: ix.segID[s], Name: ix.segName[s], Stage: ix.segStage[s],
			From: from, To: to, FromReasons: fromR, ToReasons: toR,
		}
		if from == Missing {
			ch.FromBroken = c.broken(l, without)
			pi.Filled++
		} else if from == Weak && to == OK {
			pi.WeakToOK++
		}
		pi.Changes = append(pi.Changes, ch)
	}
	if nseg := float64(c.end - c.first); nseg > 0 && pi.Filled > 0 {
		// The difference of the two completeness figures as Analyze rounds
		// them, so that it matches what a user sees side by side.
		with := float64(st.found)
		pi.CompletenessGain = round4(round4(with/nseg) - round4((with-float64(pi.Filled))/nseg))
	}
	return pi
}

// segmentStatus is SPEC §5's status of a segment with cnt nodes of which
// oper are operating. Reasons are never nil.
func segmentStatus(cnt, oper int32) (Status, []Reason) {
	if cnt <= 0 {
		return Missing, []Reason{}
	}
	r := []Reason{}
	if cnt == 1 {
		r = append(r, ReasonSingle)
	}
	if oper <= 0 {
		r = append(r, ReasonPlannedOnly)
	}
	if len(r) > 0 {
		return Weak, r
	}
	return OK, r
}

// broken reports whether chain-local segment s, were it missing, would be
// 断链 given the present segments: some ancestor and some descendant present.
func (c *chain) broken(s int32, present []uint64) bool {
	return intersects(c.ancestors(s), present) && intersects(c.descendants(s), present)
}

// countyCode is the code of the county or zone node v lies in, the region's
// code when it lies in none.
func (ix *Index) countyCode(v int32) string {
	if k := ix.county[v]; k >= 0 {
		return ix.counties[k].code
	}
	return ix.region
}

// scopeState is one scope laid out for repeated what-if questions: segment
// counts, U on local numbers (position in nodes), and U's components.
type scopeState struct {
	c        *chain
	nodes    []int32  // N, ascending
	cnt      []int32  // chain-local segment → |L(s)|
	oper     []int32  // chain-local segment → operating nodes of L(s)
	present  []uint64 // bitset of chain-local segments with cnt > 0
	found    int      // segments with cnt > 0
	off, tgt []int32  // U on local numbers

	comp   []int32 // local node → component
	pos    []int32 // local node → number inside its component (breadth-first order)
	start  []int32 // component g is order[start[g]:start[g+1]]
	order  []int32
	graphs []compGraph // components' own CSR, for the components asked for
}

// compGraph is one component of U as a CSR on its own numbers (pos).
type compGraph struct{ off, tgt []int32 }

func (st *scopeState) compSize(g int32) int { return int(st.start[g+1] - st.start[g]) }

// newScopeState counts the segments of nodes (the scope's N).
func (ix *Index) newScopeState(c *chain, nodes []int32) *scopeState {
	nseg := int(c.end - c.first)
	st := &scopeState{c: c, nodes: nodes, cnt: make([]int32, nseg), oper: make([]int32, nseg), present: make([]uint64, c.words)}
	for _, v := range nodes {
		for _, s := range ix.chainSegs(v, c) {
			st.cnt[s-c.first]++
			if ix.operating[v] {
				st.oper[s-c.first]++
			}
		}
	}
	for s, n := range st.cnt {
		if n > 0 {
			st.present[s/64] |= 1 << (s % 64)
			st.found++
		}
	}
	return st
}

// buildGraph builds U of the scope on local numbers.
func (st *scopeState) buildGraph(ix *Index) { st.off, st.tgt = ix.localGraph(st.nodes) }

// localGraph returns U of the node set nodes (ascending) on local numbers.
func (ix *Index) localGraph(nodes []int32) (off, tgt []int32) {
	w := ix.getWork()
	defer ix.pool.Put(w)
	for i, v := range nodes {
		w.local[v] = int32(i)
	}
	off = make([]int32, len(nodes)+1)
	for i, v := range nodes {
		for _, u := range ix.und.Neighbors(v) {
			if l := w.local[u]; l >= 0 {
				tgt = append(tgt, l)
			}
		}
		off[i+1] = int32(len(tgt))
	}
	for _, v := range nodes {
		w.local[v] = -1
	}
	return off, tgt
}

// components labels U's connected components, numbers each component's
// nodes, and builds the own CSR of every component that holds a node of
// want.
func (st *scopeState) components(want []int32) {
	n := len(st.nodes)
	st.comp = fill(make([]int32, n), -1)
	st.pos = make([]int32, n)
	st.order = make([]int32, 0, n)
	st.start = []int32{0}
	for r := int32(0); int(r) < n; r++ {
		if st.comp[r] >= 0 {
			continue
		}
		g := int32(len(st.start) - 1)
		begin := len(st.order)
		st.comp[r] = g
		// Breadth-first order: the searches per project run on these
		// numbers, and neighbours numbered close together stay in cache.
		st.order = append(st.order, r)
		for h := begin; h < len(st.order); h++ {
			v := st.order[h]
			for _, u := range st.tgt[st.off[v]:st.off[v+1]] {
				if st.comp[u] < 0 {
					st.comp[u] = g
					st.order = append(st.order, u)
				}
			}
		}
		part := st.order[begin:]
		for j, v := range part {
			st.pos[v] = int32(j)
		}
		st.start = append(st.start, int32(len(st.order)))
	}
	ncomp := len(st.start) - 1
	st.graphs = make([]compGraph, ncomp)
	for _, i := range want {
		g := st.comp[i]
		if st.graphs[g].off != nil || st.compSize(g) < 2 {
			continue
		}
		part := st.order[st.start[g]:st.start[g+1]]
		cg := compGraph{off: make([]int32, len(part)+1)}
		for j, v := range part {
			cg.off[j+1] = cg.off[j] + st.off[v+1] - st.off[v]
		}
		// Each node's neighbours in ascending order, as certificate needs:
		// written in the order of the nodes that list them.
		cg.tgt = make([]int32, cg.off[len(part)])
		at := slices.Clone(cg.off[:len(part)])
		for j, v := range part {
			for _, u := range st.tgt[st.off[v]:st.off[v+1]] {
				w := st.pos[u]
				cg.tgt[at[w]] = int32(j)
				at[w]++
			}
		}
		// Removing a project and then any one node is a vertex cut of two:
		// a certificate keeping such cuts gives the same totals on at most
		// 3(n−1) edges, a fraction of a dense component's.
		if len(cg.tgt) > 6*len(part) {
			cg.off, cg.tgt = certificate(cg.off, cg.tgt, len(part), 3)
		}
		st.graphs[g] = cg
	}
}

// cutWork computes the total cut-node impact of a simple undirected graph
// with one node taken out: Hopcroft–Tarjan as in dfsWork, reduced to what
// the total needs. The discovery times, read once per edge, sit in an
// array of their own (a few cache lines hold many nodes); the rest of a
// node's state, touched once per visit, in one struct.
type cutWork struct {
	disc  []int32 // 0: not visited
	node  []cutNode
	stack []int32
	comp  []int32 // nodes of the current component
}

type cutNode struct {
	low, parent, next      int32
	size                   int32 // subtree size, final once popped
	sepSum, sepMax, sepCnt int32 // child subtrees the node cuts off: total, largest, count
}

// total returns Σ impact over the articulation points of the symmetric
// simple graph (off, tgt) with n nodes after removing node gone (SPEC §5
// impacts, computed in the graph without gone).
func (w *cutWork) total(off, tgt []int32, n int, gone int32) int {
	if cap(w.node) < n {
		w.node = make([]cutNode, n)
		w.disc = make([]int32, n)
	}
	node, disc := w.node[:n], w.disc[:n]
	clear(disc)
	sum := 0
	var clock int32
	for r := int32(0); int(r) < n; r++ {
		if disc[r] != 0 || r == gone {
			continue
		}
		comp := w.comp[:0]
		clock++
		disc[r] = clock
		node[r] = cutNode{low: clock, parent: -1, next: off[r], size: 1}
		stack := append(w.stack[:0], r)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			x := &node[v]
			// Run through v's edges until one leads somewhere new: back
			// edges only lower low, so they need no trip round the loop.
			e, end, low, descended := x.next, off[v+1], x.low, false
			for e < end {
				u := tgt[e]
				e++
				if u == gone || u == x.parent {
					continue // simple graph: the only edge to the parent is the tree edge
				}
				if d := disc[u]; d != 0 {
					low = min(low, d)
					continue
				}
				clock++
				disc[u] = clock
				node[u] = cutNode{low: clock, parent: v, next: off[u], size: 1}
				stack = append(stack, u)
				descended = true
				break
			}
			x.next, x.low = e, low
			if descended {
				continue
			}
			stack = stack[:len(stack)-1]
			comp = append(comp, v)
			if x.parent < 0 {
				continue
			}
			p := &node[x.parent]
			p.size += x.size
			p.low = min(p.low, x.low)
			if x.low >= disc[x.parent] {
				p.sepCnt++
				p.sepSum += x.size
				p.sepMax = max(p.sepMax, x.size)
			}
		}
		w.stack = stack
		c := node[r].size
		for _, v := range comp {
			x := &node[v]
			if x.sepCnt == 0 || (v == r && x.sepCnt < 2) {
				continue
			}
			sum += int(c - 1 - max(x.sepMax, c-1-x.sepSum))
		}
		w.comp = comp
	}
	return sum
}

// certificate returns a sparse subgraph H of the symmetric simple graph
// (off, tgt) with n nodes that keeps every vertex cut of fewer than k
// nodes: for every set S of fewer than k nodes, H − S has the same
// connected components as the graph minus S. H is the union of k
// scan-first search (here breadth-first) forests, each grown in the edges
// the earlier ones left (Cheriyan, Kao and Thurimella, "Scan-first search
// and sparse certificates", SIAM J. Comput. 22(1), 1993; the vertex
// version of Nagamochi and Ibaraki's certificate): an edge left out has its
// ends joined by k internally disjoint paths in H, so no such S separates
// them. H has at most k(n−1) edges; neighbour lists stay ascending.
func certificate(off, tgt []int32, n, k int) (hoff, htgt []int32) {
	used := make([]bool, len(tgt))
	seen := make([]bool, n)
	queue := make([]int32, 0, n)
	for range k {
		clear(seen)
		for r := int32(0); int(r) < n; r++ {
			if seen[r] {
				continue
			}
			seen[r] = true
			queue = append(queue[:0], r)
			for h := 0; h < len(queue); h++ {
				v := queue[h]
				for e := off[v]; e < off[v+1]; e++ {
					u := tgt[e]
					if used[e] || seen[u] {
						continue
					}
					seen[u] = true
					queue = append(queue, u)
					used[e] = true
					if back, ok := slices.BinarySearch(tgt[off[u]:off[u+1]], v); ok {
						used[int(off[u])+back] = true
					}
				}
			}
		}
	}
	hoff = make([]int32, n+1)
	for v := 0; v < n; v++ {
		for e := off[v]; e < off[v+1]; e++ {
			if used[e] {
				htgt = append(htgt, tgt[e])
			}
		}
		hoff[v+1] = int32(len(htgt))
	}
	return hoff, htgt
}
