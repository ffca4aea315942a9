package graph

import (
	"cmp"
	"maps"
	"slices"
	"sync"

	"chainscope"
)

// Delta says what changed between the dataset an Index was built from and next.
type Delta struct {
	Nodes []string    // ids of enterprises/projects added, removed or changed in any field
	Links [][2]string // (from, to) of links added or removed (a link whose product/source/note changed need not be listed)
}

// Patch returns the Index of next, where next differs from the dataset ix was built from only as d says
// (region, counties and chains unchanged). It never modifies ix (ix keeps serving other goroutines
// concurrently) and shares with it whatever did not change. It falls back to NewIndex(next) when a
// patch would not be cheaper. The result is indistinguishable from NewIndex(next): the same
// answers, and the same error when next is invalid.
//
// Patch reads from next only the records of d.Nodes (in one pass over the
// ids of its records) and takes the links from ix, which keeps for this the
// links it ignores (those with a cancelled end). A listed link is added if
// ix did not have it and removed if it did. A link listed although it was
// neither (only its product changed, say) shows in the number of links of
// next, and Patch rebuilds rather than guess. It also rebuilds when next is
// invalid (a record of d.Nodes with an unknown county, segment or chain, an
// id twice, a link to an unknown id, a self-link or a duplicate link), so
// that the error is NewIndex's, problem for problem. Of region, counties
// and chains it checks only the region code and the counts.
//
// A patch costs a unit of work per record of d and per link of its node,
// and a copy of the Index, renumbered, when a node enters or leaves the
// graph (added, removed, cancelled or brought back): every node after it
// in id order moves up or down one. Beyond 1/128 of the nodes and edges
// of ix in units (and at least 256), it rebuilds.
// What an Index computes on first use from its graph alone (leaders'
// upstream, project impact's cut totals, Betweenness) is kept by the new
// Index when the edit left the links, the node numbering and the counties
// as they were, and starts afresh otherwise; when nothing the Index holds
// changed (a cancelled project renamed, say), Patch returns ix itself, with
// what it has computed.
func (ix *Index) Patch(next *chainscope.Dataset, d Delta) (*Index, error) {
	if nix := ix.patch(next, d); nix != nil {
		return nix, nil
	}
	return NewIndex(next)
}

// patchLimit is the work above which Patch rebuilds instead. A patch costs
// a copy of the Index (when a node enters or leaves) plus a unit of work
// for every record of the Delta and for every link of its node; at 1/128
// of the nodes and edges it costs about half of NewIndex (see
// BenchmarkPatchLimit). A small region, where either is quick, patches up
// to 256 units.
func (ix *Index) patchLimit() int { return max(256, (len(ix.ids)+len(ix.out.Targets))/128) }

// work is what a patch costs beyond a copy of ix, in patchLimit's units.
func (p *patcher) work(links int) int {
	w := links
	for _, v := range p.oldV {
		w++
		if v >= 0 {
			w += len(p.ix.out.Neighbors(v)) + len(p.ix.in.Neighbors(v))
		}
	}
	return w
}

// nodeState is what an id is in a dataset, as NewIndex sees it.
type nodeState uint8

const (
	absent    nodeState = iota // no enterprise or project has the id
	live                       // an enterprise, or a project not cancelled: a node
	cancelled                  // a cancelled project: no node, its links ignored
)

// stateOf returns what id is in the dataset ix was built from, and its node
// number when it is live (-1 otherwise).
func (ix *Index) stateOf(id string) (nodeState, int32) {
	if v, ok := slices.BinarySearch(ix.ids, id); ok {
		return live, int32(v)
	}
	if _, ok := slices.BinarySearch(ix.cancelled, id); ok {
		return cancelled, -1
	}
	return absent, -1
}

// patcher is one Patch call under way.
type patcher struct {
	ix   *Index
	next *chainscope.Dataset

	ids  []string    // d.Nodes, ascending, without repeats
	was  []nodeState // state of ids[i] in ix
	is   []nodeState // state of ids[i] in next
	oldV []int32     // node number of ids[i] in ix, -1 if not live
	rec  []int       // record of ids[i] in next as record.index, -1 for none

	pairs map[[2]string]*pairCount // listed links and the links of nodes whose state changes
	nids  []string                 // node ids of the new Index
	r     *renumber
}

// pairCount is a link (from, to) that may change class, in the old dataset
// and in next: how many copies, whether an edge, how many ignored.
type pairCount struct {
	listed          bool
	was, is         int   // copies
	wasEdge, isEdge bool  // an edge of ix, of the new Index
	ignored         int   // copies in next that the new Index ignores
	from, to        int32 // node numbers in the new Index, -1 for none
}

// patch returns the patched Index, or nil when NewIndex must do it.
func (ix *Index) patch(next *chainscope.Dataset, d Delta) *Index {
	if next == nil || len(d.Nodes)+len(d.Links) > ix.patchLimit() || next.Region.Code != ix.region ||
		len(next.Counties) != len(ix.counties) || len(next.Chains) != len(ix.chains) {
		return nil
	}
	p := &patcher{ix: ix, next: next, ids: slices.Compact(slices.Sorted(slices.Values(d.Nodes)))}
	if len(p.ids) > 0 && p.ids[0] == "" {
		return nil // an empty id is an error, or a cancelled project NewIndex ignores
	}
	if !p.findRecords() || p.work(len(d.Links)) > ix.patchLimit() {
		return nil
	}
	recs := p.renumber()
	if !p.countLinks(d.Links) {
		return nil
	}
	return p.build(recs)
}

// findRecords finds the record of every id of the Delta in next. It fails
// when an id has two records, which NewIndex reports (or, for two cancelled
// projects, ignores).
func (p *patcher) findRecords() bool {
	k := len(p.ids)
	p.was, p.is = make([]nodeState, k), make([]nodeState, k)
	p.oldV, p.rec = make([]int32, k), make([]int, k)
	for i, id := range p.ids {
		p.was[i], p.oldV[i] = p.ix.stateOf(id)
		p.rec[i] = -1
	}
	if k == 0 {
		return true
	}
	// A pass over every record of next: in parallel chunks, each keeping
	// the few it finds, as record.index.
	look := idLookup(p.ids)
	ne := len(p.next.Enterprises)
	var mu sync.Mutex
	var found []int
	parallelChunks(ne+len(p.next.Projects), 1<<15, func(lo, hi int) {
		var mine []int
		for i := lo; i < hi; i++ {
			var id string
			if i < ne {
				id = p.next.Enterprises[i].ID
			} else {
				id = p.next.Projects[i-ne].ID
			}
			if look(id) >= 0 {
				mine = append(mine, i)
			}
		}
		mu.Lock()
		found = append(found, mine...)
		mu.Unlock()
	})
	seen := make([]int, k)
	for _, i := range found {
		if i < ne {
			j := look(p.next.Enterprises[i].ID)
			seen[j]++
			p.is[j], p.rec[j] = live, i
			continue
		}
		pr := &p.next.Projects[i-ne]
		j := look(pr.ID)
		seen[j]++
		p.is[j], p.rec[j] = live, i
		if pr.Status == chainscope.StatusCancelled {
			p.is[j] = cancelled
		}
	}
	return !slices.ContainsFunc(seen, func(n int) bool { return n > 1 })
}

// idLookup returns a function giving the position of an id in ids, -1 for
// none: a loop for a handful of ids, a map for more.
func idLookup(ids []string) func(string) int {
	if len(ids) <= 8 {
		return func(id string) int {
			for i, x := range ids {
				if x == id {
					return i
				}
			}
			return -1
		}
	}
	m := make(map[string]int, len(ids))
	for i, id := range ids {
		m[id] = i
	}
	return func(id string) int {
		if i, ok := m[id]; ok {
			return i
		}
		return -1
	}
}

// stateNow returns what id is in next.
func (p *patcher) stateNow(id string) nodeState {
	if i, ok := slices.BinarySearch(p.ids, id); ok {
		return p.is[i]
	}
	st, _ := p.ix.stateOf(id)
	return st
}

// changing reports whether id is a node of the Delta whose state differs
// between ix and next: its links may change class (edge or ignored).
func (p *patcher) changing(id string) bool {
	i, ok := slices.BinarySearch(p.ids, id)
	return ok && p.was[i] != p.is[i]
}

// countLinks works out every link that may change class: the listed links
// and the links of the nodes whose state changes. Their copies in the old
// dataset are ix's edges and ignored links; a listed link is in next when
// it was not in the old dataset. It fails when the number of links of next
// disagrees (a link listed that did not change), or when a link would be
// a problem for NewIndex (an unknown end, a self-link, a duplicate).
func (p *patcher) countLinks(listed [][2]string) bool {
	ix := p.ix
	p.pairs = make(map[[2]string]*pairCount)
	add := func(pr [2]string) *pairCount {
		c := p.pairs[pr]
		if c == nil {
			c = &pairCount{}
			p.pairs[pr] = c
		}
		return c
	}
	for _, pr := range listed {
		add(pr).listed = true
	}
	for i, id := range p.ids {
		if v := p.oldV[i]; v >= 0 && p.was[i] != p.is[i] {
			for _, u := range ix.out.Neighbors(v) {
				add([2]string{id, ix.ids[u]})
			}
			for _, u := range ix.in.Neighbors(v) {
				add([2]string{ix.ids[u], id})
			}
		}
	}
	for _, pr := range ix.dormant {
		if c := p.pairs[pr]; c != nil {
			c.was++
		} else if p.changing(pr[0]) || p.changing(pr[1]) {
			add(pr).was++
		}
	}
	diff := 0
	for pr, c := range p.pairs {
		c.wasEdge = ix.hasEdge(pr[0], pr[1])
		if c.wasEdge {
			c.was++
		}
		c.is = c.was
		if c.listed {
			c.is = 1
			if c.was > 0 {
				c.is = 0
			}
			diff += c.is - c.was
		}
		if c.is == 0 {
			continue
		}
		// NewIndex's rule, as it will apply to next.
		c.from, c.to = p.node(pr[0]), p.node(pr[1])
		switch {
		case isEdge(c.from, c.to):
			if c.is > 1 {
				return false // a duplicate link
			}
			c.isEdge = true
		case p.stateNow(pr[0]) == cancelled || p.stateNow(pr[1]) == cancelled:
			c.ignored = c.is
		default:
			return false // an unknown end or a self-link
		}
	}
	return len(p.next.Links) == len(ix.out.Targets)+len(ix.dormant)+diff
}

// node returns the number of id in the new Index, -1 if it is no node.
func (p *patcher) node(id string) int32 {
	if w, ok := slices.BinarySearch(p.nids, id); ok {
		return int32(w)
	}
	return -1
}

// hasEdge reports whether ix has the edge from → to.
func (ix *Index) hasEdge(from, to string) bool {
	a, oka := slices.BinarySearch(ix.ids, from)
	b, okb := slices.BinarySearch(ix.ids, to)
	if !oka || !okb {
		return false
	}
	_, ok := slices.BinarySearch(ix.out.Neighbors(int32(a)), int32(b))
	return ok
}

// renumber works out the node numbers of the new Index, and returns the
// live records of the Delta, by id.
func (p *patcher) renumber() []record {
	var leave []int32
	var enter []string
	var recs []record
	for i, id := range p.ids {
		if p.was[i] == live && p.is[i] != live {
			leave = append(leave, p.oldV[i])
		}
		if p.is[i] == live {
			if p.was[i] != live {
				enter = append(enter, id)
			}
			recs = append(recs, record{id, p.rec[i]})
		}
	}
	p.r, p.nids = newRenumber(p.ix.ids, leave, enter)
	return recs
}

// build makes the new Index, the records of the Delta being recs.
func (p *patcher) build(recs []record) *Index {
	ix := p.ix
	fresh := ix.shell()
	var bad broken
	fresh.fillNodes(p.next, recs, &bad)
	if bad.n > 0 {
		return nil
	}
	at := make([]int32, len(recs)) // node number of recs[k] in the new Index
	for k, rc := range recs {
		at[k] = p.node(rc.id)
	}

	nix := ix.shell()
	// The parts write disjoint fields of nix and only read the rest.
	var same [4]bool
	var wg sync.WaitGroup
	wg.Go(func() { same[0] = p.patchColumns(nix, fresh, at) })
	wg.Go(func() { same[1] = p.patchLinks(nix) })
	wg.Go(func() { same[2] = p.patchChains(nix, fresh, at) })
	wg.Go(func() { same[3] = p.patchIgnored(nix) })
	wg.Wait()
	if p.r.ident && same == [4]bool{true, true, true, true} {
		return ix
	}
	nix.carryStructure(ix)
	return nix
}

// patchColumns sets the per-node columns of nix, the records of the Delta
// being those of fresh, at nodes at. It reports whether they are ix's.
func (p *patcher) patchColumns(nix, fresh *Index, at []int32) (same bool) {
	ix, r := p.ix, p.r
	same = r.ident
	col := func(s bool) { same = same && s }
	var s bool
	nix.ids = p.nids
	nix.names, s = spliceColumn(ix.names, r, at, fresh.names)
	col(s)
	nix.project, s = spliceColumn(ix.project, r, at, fresh.project)
	col(s)
	nix.operating, s = spliceColumn(ix.operating, r, at, fresh.operating)
	col(s)
	nix.investment, s = spliceColumn(ix.investment, r, at, fresh.investment)
	col(s)
	nix.status, s = spliceColumn(ix.status, r, at, fresh.status)
	col(s)
	nix.output, s = spliceColumn(ix.output, r, at, fresh.output)
	col(s)
	nix.county, s = spliceColumn(ix.county, r, at, fresh.county)
	col(s)
	nix.bucket, s = spliceColumn(ix.bucket, r, at, fresh.bucket)
	col(s)
	segs, s := spliceLists(&CSR{ix.segOff, ix.segs}, r, at, &CSR{fresh.segOff, fresh.segs})
	col(s)
	nix.segOff, nix.segs = segs.Offsets, segs.Targets
	leads, s := spliceLists(&CSR{ix.leadOff, ix.leads}, r, at, &CSR{fresh.leadOff, fresh.leads})
	col(s)
	nix.leadOff, nix.leads = leads.Offsets, leads.Targets
	return same
}

// shell returns an Index with ix's region, counties and chains (shared,
// chains with their nodes) and no nodes yet.
func (ix *Index) shell() *Index {
	return &Index{
		region: ix.region, counties: ix.counties, countyIdx: ix.countyIdx, areas: ix.areas,
		chains: ix.chains, chainIdx: ix.chainIdx,
		segID: ix.segID, segName: ix.segName, segStage: ix.segStage, segIdx: ix.segIdx,
	}
}

// patchIgnored sets what nix keeps of cancelled projects and their links,
// and reports whether it is what ix keeps.
func (p *patcher) patchIgnored(nix *Index) (same bool) {
	ix := p.ix
	nix.cancelled, nix.dormant = ix.cancelled, ix.dormant
	var gone, come []string
	for i, id := range p.ids {
		if p.was[i] == cancelled && p.is[i] != cancelled {
			gone = append(gone, id)
		} else if p.is[i] == cancelled && p.was[i] != cancelled {
			come = append(come, id)
		}
	}
	same = len(gone) == 0 && len(come) == 0
	if !same {
		nix.cancelled = make([]string, 0, len(ix.cancelled)-len(gone)+len(come))
		for _, id := range ix.cancelled {
			if _, g := slices.BinarySearch(gone, id); !g {
				nix.cancelled = append(nix.cancelled, id)
			}
		}
		nix.cancelled = append(nix.cancelled, come...)
		slices.Sort(nix.cancelled)
	}

	// The ignored links of next: ix's, but those the Delta touches as it
	// now stands. New ones go last, sorted, so that patching is repeatable.
	var kept [][2]string
	touched := false
	for _, pr := range ix.dormant {
		if p.pairs[pr] == nil {
			kept = append(kept, pr)
		} else {
			touched = true
		}
	}
	var added [][2]string
	for pr, c := range p.pairs {
		for range c.ignored {
			added = append(added, pr)
		}
	}
	if !touched && len(added) == 0 {
		return same
	}
	slices.SortFunc(added, func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	nix.dormant = append(kept, added...)
	return false
}

// patchLinks sets the adjacency of nix and reports whether it is ix's.
func (p *patcher) patchLinks(nix *Index) (same bool) {
	ix, r := p.ix, p.r
	addOut, addIn := map[int32][]int32{}, map[int32][]int32{}
	delOut, delIn := map[int32][]int32{}, map[int32][]int32{}
	for pr, c := range p.pairs {
		switch {
		case c.isEdge && !c.wasEdge:
			addOut[c.from] = append(addOut[c.from], c.to)
			addIn[c.to] = append(addIn[c.to], c.from)
		case c.wasEdge && !c.isEdge:
			// A link removed; the edges of a node that leaves go with it.
			if from, to := p.node(pr[0]), p.node(pr[1]); from >= 0 && to >= 0 {
				delOut[from] = append(delOut[from], to)
				delIn[to] = append(delIn[to], from)
			}
		}
	}
	// Rows that change: those gaining or losing an edge, the rows of
	// entering nodes, and the rows holding a node that leaves.
	outRows, inRows := map[int32]bool{}, map[int32]bool{}
	for w := range addOut {
		outRows[w] = true
	}
	for w := range delOut {
		outRows[w] = true
	}
	for w := range addIn {
		inRows[w] = true
	}
	for w := range delIn {
		inRows[w] = true
	}
	for _, w := range r.enter {
		outRows[w], inRows[w] = true, true
	}
	for _, v := range r.leave {
		for _, u := range ix.in.Neighbors(v) {
			if w := r.newOf(u); w >= 0 {
				outRows[w] = true
			}
		}
		for _, u := range ix.out.Neighbors(v) {
			if w := r.newOf(u); w >= 0 {
				inRows[w] = true
			}
		}
	}
	if r.ident && len(outRows) == 0 && len(inRows) == 0 {
		nix.out, nix.in, nix.und = ix.out, ix.in, ix.und
		return true
	}
	row := func(g *CSR, w int32, drop, add []int32) []int32 {
		var old []int32
		if v := r.oldOf(w); v >= 0 {
			old = g.Neighbors(v)
		}
		slices.Sort(drop)
		slices.Sort(add)
		return r.patchRow(old, drop, add)
	}
	outFresh := make([]freshRow, 0, len(outRows))
	for w := range outRows {
		outFresh = append(outFresh, freshRow{w, row(ix.out, w, delOut[w], addOut[w])})
	}
	inFresh := make([]freshRow, 0, len(inRows))
	for w := range inRows {
		inFresh = append(inFresh, freshRow{w, row(ix.in, w, delIn[w], addIn[w])})
	}
	sortRows(outFresh)
	sortRows(inFresh)
	// A node's undirected row changes with its out or in row (or not: a
	// link added beside its reverse).
	newRow := func(g *CSR, rows []freshRow, w int32) []int32 {
		if k, ok := slices.BinarySearchFunc(rows, w, func(f freshRow, w int32) int { return cmp.Compare(f.row, w) }); ok {
			return rows[k].vals
		}
		return row(g, w, nil, nil)
	}
	undRows := maps.Clone(inRows)
	maps.Copy(undRows, outRows)
	undFresh := make([]freshRow, 0, len(undRows))
	for w := range undRows {
		u := unionSorted(nil, newRow(ix.out, outFresh, w), newRow(ix.in, inFresh, w))
		if v := r.oldOf(w); !r.ident || v < 0 || !slices.Equal(u, ix.und.Neighbors(v)) {
			undFresh = append(undFresh, freshRow{w, u})
		}
	}
	sortRows(undFresh)
	var wg sync.WaitGroup
	wg.Go(func() { nix.out = spliceRows(ix.out, r, r.n2, outFresh, r) })
	wg.Go(func() { nix.in = spliceRows(ix.in, r, r.n2, inFresh, r) })
	nix.und = ix.und
	if len(undFresh) > 0 || !r.ident {
		nix.und = spliceRows(ix.und, r, r.n2, undFresh, r)
	}
	wg.Wait()
	return false
}

// patchChains sets the nodes of every chain of nix and reports whether
// they are ix's. fresh holds the live records of the Delta, fresh node k
// being node at[k] of nix.
func (p *patcher) patchChains(nix *Index, fresh *Index, at []int32) (same bool) {
	ix, r := p.ix, p.r
	// Every node of the Delta leaves the (chain, bucket) rows it was in and
	// joins those it is in now; a node that stays in a row cancels out.
	type rowEdit struct {
		drop, add []int32 // new node numbers
		leave     bool    // a node that leaves the graph was in the row
	}
	edits := make([]map[int32]*rowEdit, len(ix.chains)) // per chain, by bucket
	edit := func(c, b int32) *rowEdit {
		if edits[c] == nil {
			edits[c] = map[int32]*rowEdit{}
		}
		e := edits[c][b]
		if e == nil {
			e = &rowEdit{}
			edits[c][b] = e
		}
		return e
	}
	segChain := ix.segChains()
	var cs []int32
	for _, v := range p.oldV {
		if v < 0 {
			continue
		}
		cs = ix.nodeChains(v, segChain, cs)
		for _, c := range cs {
			e := edit(c, ix.bucket[v])
			if w := r.newOf(v); w >= 0 {
				e.drop = append(e.drop, w)
			} else {
				e.leave = true
			}
		}
	}
	for k, w := range at {
		cs = fresh.nodeChains(int32(k), segChain, cs)
		for _, c := range cs {
			e := edit(c, fresh.bucket[k])
			e.add = append(e.add, w)
		}
	}
	changed := make([]bool, len(ix.chains))
	for c, rows := range edits {
		for _, e := range rows {
			e.drop, e.add = cancelOut(e.drop, e.add)
			changed[c] = changed[c] || e.leave || len(e.drop) > 0 || len(e.add) > 0
		}
	}
	if r.ident && !slices.Contains(changed, true) {
		return true
	}

	nix.chains = slices.Clone(ix.chains)
	buckets := len(ix.areas) + 1
	for ci := range nix.chains {
		if r.ident && !changed[ci] {
			continue
		}
		c := &nix.chains[ci]
		// A node moving between buckets of the chain stays in all.
		var drop, add []int32
		rows := make([]freshRow, 0, len(edits[ci]))
		old := &CSR{Offsets: c.bucketOff, Targets: c.nodes}
		for b, e := range edits[ci] {
			drop, add = append(drop, e.drop...), append(add, e.add...)
			if e.leave || len(e.drop) > 0 || len(e.add) > 0 {
				rows = append(rows, freshRow{b, r.patchRow(old.Neighbors(b), e.drop, e.add)})
			}
		}
		drop, add = cancelOut(drop, add)
		c.all = r.patchRow(c.all, drop, add)
		sortRows(rows)
		g := spliceRows(old, nil, buckets, rows, r)
		c.bucketOff, c.nodes = g.Offsets, g.Targets
		c.member = bitset(c.all, r.n2)
	}
	return false
}

// cancelOut sorts both lists and removes from them the values they share.
func cancelOut(drop, add []int32) ([]int32, []int32) {
	slices.Sort(drop)
	slices.Sort(add)
	var d, a []int32
	i, j := 0, 0
	for i < len(drop) || j < len(add) {
		switch {
		case j == len(add) || (i < len(drop) && drop[i] < add[j]):
			d = append(d, drop[i])
			i++
		case i == len(drop) || add[j] < drop[i]:
			a = append(a, add[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return d, a
}

// renumber maps the node numbers of an Index to those of its patch: some
// old nodes leave, some new ones enter, and the rest keep their order.
type renumber struct {
	n, n2 int
	ident bool    // nothing enters or leaves
	src   []int32 // new node → old node, -1 for one that enters; nil when ident
	leave []int32 // old numbers of the nodes that leave, ascending
	enter []int32 // new numbers of the nodes that enter, ascending
	// Old node v (not leaving) becomes v plus the d of every cut with at ≤ v;
	// with more than a few cuts, table[v] (-1 for leaving) is quicker.
	cuts  []cut
	table []int32
	runs  []span // the old nodes kept, as runs
}

// tableCuts is the number of cuts above which a renumber keeps a table.
const tableCuts = 4

type cut struct{ at, d int32 }

// newRenumber merges the ids of the old nodes, without those numbered in
// leave, with the ids in enter (ascending, none an old id).
func newRenumber(ids []string, leave []int32, enter []string) (*renumber, []string) {
	r := &renumber{n: len(ids), n2: len(ids) - len(leave) + len(enter), leave: leave}
	if len(leave) == 0 && len(enter) == 0 {
		r.ident = true
		r.runs = []span{{0, 0, int32(len(ids))}}
		return r, ids
	}
	nids := make([]string, 0, r.n2)
	r.src = make([]int32, 0, r.n2)
	li, j := 0, 0
	for i := 0; i < len(ids) || j < len(enter); {
		switch {
		case j < len(enter) && (i == len(ids) || enter[j] < ids[i]):
			r.enter = append(r.enter, int32(len(nids)))
			r.cuts = append(r.cuts, cut{int32(i), 1})
			nids = append(nids, enter[j])
			r.src = append(r.src, -1)
			j++
		case li < len(leave) && leave[li] == int32(i):
			r.cuts = append(r.cuts, cut{int32(i) + 1, -1})
			li++
			i++
		default:
			nids = append(nids, ids[i])
			r.src = append(r.src, int32(i))
			i++
		}
	}
	for w := 0; w < len(r.src); {
		v := r.src[w]
		if v < 0 {
			w++
			continue
		}
		e := w + 1
		for e < len(r.src) && r.src[e] == v+int32(e-w) {
			e++
		}
		r.runs = append(r.runs, span{v, int32(w), int32(e - w)})
		w = e
	}
	if len(r.cuts) > tableCuts {
		r.table = fill(make([]int32, r.n), -1)
		for w, v := range r.src {
			if v >= 0 {
				r.table[v] = int32(w)
			}
		}
	}
	return r, nids
}

// oldOf returns the old number of new node w, -1 if it enters.
func (r *renumber) oldOf(w int32) int32 {
	if r.ident {
		return w
	}
	return r.src[w]
}

// newOf returns the new number of old node v, -1 if it leaves.
func (r *renumber) newOf(v int32) int32 {
	if r.ident {
		return v
	}
	if r.table != nil {
		return r.table[v]
	}
	if _, ok := slices.BinarySearch(r.leave, v); ok {
		return -1
	}
	w := v
	for _, c := range r.cuts {
		if c.at > v {
			break
		}
		w += c.d
	}
	return w
}

// mapNodes writes to dst the new numbers of the old nodes in src, none of
// which leaves. It is the inner loop of a patch, so it avoids branches:
// (at-1-v)>>31 is all ones when v ≥ at and zero otherwise.
func (r *renumber) mapNodes(dst, src []int32) {
	switch len(r.cuts) {
	case 0:
		copy(dst, src)
	case 1:
		a, d := r.cuts[0].at-1, r.cuts[0].d
		for i, v := range src {
			dst[i] = v + d&((a-v)>>31)
		}
	default:
		if r.table != nil {
			for i, v := range src {
				dst[i] = r.table[v]
			}
			return
		}
		for i, v := range src {
			w := v
			for _, c := range r.cuts {
				w += c.d & ((c.at - 1 - v) >> 31)
			}
			dst[i] = w
		}
	}
}

// patchRow returns the ascending list of nodes old (old numbers,
// ascending) in the new numbering, without those that leave and those in
// drop, merged with add (drop and add in new numbers, ascending).
func (r *renumber) patchRow(old, drop, add []int32) []int32 {
	out := make([]int32, 0, len(old)+len(add))
	for r.table != nil && len(old) > 0 {
		if w := r.table[old[0]]; w >= 0 {
			out = append(out, w)
		}
		old = old[1:]
	}
	for len(old) > 0 {
		// The nodes up to the next that leaves (there are few), in one go.
		k := len(old)
		for _, v := range r.leave {
			if i, _ := slices.BinarySearch(old, v); i < k && old[i] == v {
				k = i
			}
		}
		n := len(out)
		out = out[:n+k]
		r.mapNodes(out[n:], old[:k])
		old = old[min(k+1, len(old)):]
	}
	if len(drop) == 0 && len(add) == 0 {
		return out
	}
	kept := out[:0:0]
	ai := 0
	for _, w := range out {
		if _, ok := slices.BinarySearch(drop, w); ok {
			continue
		}
		for ai < len(add) && add[ai] < w {
			kept = append(kept, add[ai])
			ai++
		}
		kept = append(kept, w)
	}
	return append(kept, add[ai:]...)
}

// span is a run of old rows [from, from+n) that are rows [at, at+n) after
// renumbering.
type span struct{ from, at, n int32 }

// spans lists the runs of old rows kept, in order; rows is nil when rows
// are not renumbered (n of them).
func spans(rows *renumber, n int) []span {
	if rows == nil {
		return []span{{0, 0, int32(n)}}
	}
	return rows.runs
}

// spliceColumn returns the per-node column col of the old nodes renumbered
// by r, with the values fresh at the new nodes at (every entering node is
// among them). When r keeps the numbers and no value changes it returns col
// itself and true.
func spliceColumn[T comparable](col []T, r *renumber, at []int32, fresh []T) ([]T, bool) {
	if r.ident {
		k := 0
		for k < len(at) && col[at[k]] == fresh[k] {
			k++
		}
		if k == len(at) {
			return col, true
		}
		col = slices.Clone(col)
	} else {
		old := col
		col = make([]T, r.n2)
		for _, s := range spans(r, r.n) {
			copy(col[s.at:s.at+s.n], old[s.from:s.from+s.n])
		}
	}
	for k, w := range at {
		col[w] = fresh[k]
	}
	return col, false
}

// spliceLists is spliceColumn for a list per node (segments, chains led),
// kept as a CSR: row at[k] of the result is row k of fresh.
func spliceLists(g *CSR, r *renumber, at []int32, fresh *CSR) (*CSR, bool) {
	if r.ident {
		k := 0
		for k < len(at) && slices.Equal(g.Neighbors(at[k]), fresh.Neighbors(int32(k))) {
			k++
		}
		if k == len(at) {
			return g, true
		}
	}
	rows := make([]freshRow, len(at))
	for k, w := range at {
		rows[k] = freshRow{w, fresh.Neighbors(int32(k))}
	}
	return spliceRows(g, r, r.n2, rows, nil), false
}

// freshRow is a row of a spliced CSR given in full.
type freshRow struct {
	row  int32
	vals []int32
}

func sortRows(rows []freshRow) {
	slices.SortFunc(rows, func(a, b freshRow) int { return cmp.Compare(a.row, b.row) })
}

// spliceRows returns g with its rows renumbered by rows (nil: kept, n of
// them) and its values by vals (nil: kept), except the fresh rows
// (ascending), which are given. Every row of a node that enters, and every
// row holding a node that leaves, must be fresh.
func spliceRows(g *CSR, rows *renumber, n int, fresh []freshRow, vals *renumber) *CSR {
	// The rows in order, as pieces: a fresh row (fresh[f] when f ≥ 0), or
	// old rows [from, from+n) become rows [at, at+n).
	type piece struct {
		span
		f int
	}
	var pieces []piece
	fi := 0
	freshUpTo := func(w int32) { // the fresh rows before row w
		for ; fi < len(fresh) && fresh[fi].row < w; fi++ {
			pieces = append(pieces, piece{span{at: fresh[fi].row}, fi})
		}
	}
	for _, s := range spans(rows, n) {
		lo := int32(0)
		freshUpTo(s.at)
		for ; fi < len(fresh) && fresh[fi].row < s.at+s.n; fi++ {
			k := fresh[fi].row - s.at
			pieces = append(pieces, piece{span{s.from + lo, s.at + lo, k - lo}, -1}, piece{span{at: fresh[fi].row}, fi})
			lo = k + 1
		}
		pieces = append(pieces, piece{span{s.from + lo, s.at + lo, s.n - lo}, -1})
	}
	freshUpTo(int32(n))

	off := make([]int32, n+1)
	for _, pc := range pieces {
		if pc.f >= 0 {
			off[pc.at+1] = off[pc.at] + int32(len(fresh[pc.f].vals))
			continue
		}
		d := off[pc.at] - g.Offsets[pc.from]
		for i, o := range g.Offsets[pc.from+1 : pc.from+pc.n+1] {
			off[pc.at+1+int32(i)] = o + d
		}
	}
	tgt := make([]int32, off[n])
	// The rows kept are copied (renumbered) in blocks, cut to a size that
	// spreads them over the cores.
	const size = 1 << 16
	type block struct{ dst, src []int32 }
	var blocks []block
	for _, pc := range pieces {
		if pc.f >= 0 {
			copy(tgt[off[pc.at]:off[pc.at+1]], fresh[pc.f].vals)
			continue
		}
		dst := tgt[off[pc.at]:off[pc.at+pc.n]]
		src := g.Targets[g.Offsets[pc.from]:g.Offsets[pc.from+pc.n]]
		for len(src) > size {
			blocks = append(blocks, block{dst[:size], src[:size]})
			dst, src = dst[size:], src[size:]
		}
		blocks = append(blocks, block{dst, src})
	}
	parallelChunks(len(blocks), 4, func(lo, hi int) {
		for _, b := range blocks[lo:hi] {
			if vals == nil {
				copy(b.dst, b.src)
			} else {
				vals.mapNodes(b.dst, b.src)
			}
		}
	})
	return &CSR{Offsets: off, Targets: tgt}
}
