package graph

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"chainscope"

	dgraph "github.com/dominikbraun/graph"
)

// Index is a dataset compiled for analysis: every enterprise and every
// project that is not cancelled is a node numbered 0..n-1 in ascending byte
// order of its id (so sorting numbers sorts ids), every segment a number,
// every county and zone resolved to the area it counts in, and the supply
// links stored as int32 CSR adjacency (out, in and undirected-simple).
//
// An Index is built once with NewIndex and never changes; its methods are
// safe for concurrent use. It keeps no reference to the dataset.
type Index struct {
	region string

	counties  []county
	countyIdx map[string]int32
	areas     []int32 // counties (not zones) that are areas, ascending by code; bucket k+1 is areas[k]

	chains   []chain
	chainIdx map[string]int32
	segID    []string
	segName  []string
	segStage []chainscope.Stage
	segIdx   map[string]int32

	ids        []string // node id, ascending byte order
	names      []string
	project    []bool // false: enterprise
	operating  []bool // SPEC §5: an enterprise, or a project with status operating
	investment []float64
	status     []chainscope.Status // a project's status, "" for an enterprise
	output     []float64           // an enterprise's output_wan, 0 when unknown or a project
	county     []int32             // the node's own county or zone, -1 for the region itself
	bucket     []int32             // 0: in no county; k+1: in area areas[k]
	segOff     []int32             // the node's segments are segs[segOff[v]:segOff[v+1]], ascending
	segs       []int32
	leadOff    []int32 // chains the node leads are leads[leadOff[v]:leadOff[v+1]]
	leads      []int32
	nodeIdx    map[string]int32 // while indexing only

	// What the analysis ignores but Patch needs to know: the ids of the
	// cancelled projects (ascending), and the links that are not edges
	// because an end is a cancelled project, as (from, to) in no order.
	cancelled []string
	dormant   [][2]string

	out *CSR // supplier → customer, as stored (one entry per link)
	in  *CSR // customer → supplier
	und *CSR // undirected simple graph of all links (direction dropped, merged)

	pool sync.Pool // *work, scratch space for one scope at a time

	shared  atomic.Pointer[structure] // what the graph alone gives, computed on first use (see structure)
	related relatednessCache          // SPEC §11 for every county, computed on first use
	flows   flowsCache                // every cross-county flow, ranked, computed on first use
}

type county struct {
	code, name string
	zone       bool
	up         int32 // the county a zone lies in, -1 for none
	top        int32 // the county (not zone) whose area holds this one, -1 for none
	slot       int32 // position in Index.areas, -1 for zones
}

// countyBucket is the area bucket of a node of county or zone c (-1:
// none): k+1 for the county area areas[k] it counts in, 0 for none. The
// one place the rule lives: indexing, decoding, area selection and
// countyInArea all take it.
func (ix *Index) countyBucket(c int32) int32 {
	if c >= 0 {
		if top := ix.counties[c].top; top >= 0 {
			return ix.counties[top].slot + 1
		}
	}
	return 0
}

// chain is one chain's segments (numbers first..end-1, in the chain's order)
// and its flow DAG: the dominikbraun graph for cycle checks and DOT, and
// precomputed ancestor and descendant bitsets for the hot path.
type chain struct {
	id, name   string
	first, end int32
	dag        dgraph.Graph[string, string]
	topo       []int32   // chain-local segment numbers in a stable topological order
	succ       [][]int32 // chain-local flows: succ[s] are the segments s flows into
	words      int       // uint64 words per bitset
	anc, desc  []uint64  // bitset of segment i at [i*words:(i+1)*words]
	bucketOff  []int32   // nodes of bucket b are nodes[bucketOff[b]:bucketOff[b+1]]
	nodes      []int32   // nodes with a segment of this chain, grouped by bucket, ascending within
	all        []int32   // the same nodes, ascending
	member     []uint64  // the same nodes as a bitset
}

func (c *chain) ancestors(s int32) []uint64 { return c.anc[int(s)*c.words : int(s+1)*c.words] }

func (c *chain) descendants(s int32) []uint64 {
	return c.desc[int(s)*c.words : int(s+1)*c.words]
}

// broken collects the invariants a dataset breaks that NewIndex relies
// on. dataset.Build, the one checker of SPEC §4, guarantees every one of
// them, so any is a bug of whoever built the dataset: an internal error,
// never a problem for the user to fix.
type broken struct {
	n     int
	first string
}

func (b *broken) add(format string, args ...any) {
	if b.n == 0 {
		b.first = fmt.Sprintf(format, args...)
	}
	b.n++
}

func (b *broken) err() error {
	if b.n == 0 {
		return nil
	}
	return chainscope.Errorf(chainscope.EINTERNAL,
		"graph.NewIndex: the dataset breaks %d invariant(s) that dataset.Build guarantees; first: %s", b.n, b.first)
}

// NewIndex compiles ds for analysis. ds is a dataset dataset.Build
// accepted (every dataset the store holds is): NewIndex trusts it, and only
// notices, as it indexes, when an invariant it relies on is broken — an
// id, code or reference unknown or twice, a flow outside its chain, twice
// or closing a cycle, a self-link or a link twice — which is an internal
// error (chainscope.EINTERNAL), not a problem of the user's data. Cancelled
// projects are dropped here, together with the links that touch them, so
// no analysis ever sees them.
//
// Counties: a record whose county is the region's own code lies in no
// county and counts only in area "*". A zone counts in the county that is
// its parent. (Shapes Build refuses but that cannot mislead the analysis
// are indexed rather than checked again: a record with no county, a zone
// without a parent or under the region lie in no county.)
func NewIndex(ds *chainscope.Dataset) (*Index, error) {
	if ds == nil {
		return nil, chainscope.Errorf(chainscope.EINTERNAL, "graph.NewIndex: no dataset")
	}
	ix := &Index{region: ds.Region.Code}
	var bad broken
	ix.indexCounties(ds, &bad)
	ix.indexChains(ds, &bad)
	edges := ix.indexNodes(ds, &bad)
	if bad.n == 0 {
		ix.indexLinks(edges, &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	ix.indexChainNodes()
	ix.nodeIdx = nil // only needed while indexing
	return ix, nil
}

func (ix *Index) indexCounties(ds *chainscope.Dataset, bad *broken) {
	ix.countyIdx = make(map[string]int32, len(ds.Counties))
	ix.counties = make([]county, len(ds.Counties))
	for i, c := range ds.Counties {
		ix.counties[i] = county{code: c.Code, name: c.Name, zone: c.Kind == chainscope.KindZone, up: -1, top: -1, slot: -1}
		switch {
		case c.Code == ix.region:
			// Not in data Build accepted; harmless here: records with
			// the region's code lie in no county anyway.
		case ix.hasCounty(c.Code):
			bad.add("county %q twice", c.Code)
		default:
			ix.countyIdx[c.Code] = int32(i)
		}
	}
	for i, c := range ds.Counties {
		if !ix.counties[i].zone || c.Parent == "" || c.Parent == ix.region {
			continue // (not in data Build accepted) a zone in no county
		}
		p, ok := ix.countyIdx[c.Parent]
		if !ok {
			bad.add("zone %q: parent %q unknown", c.Code, c.Parent)
			continue
		}
		ix.counties[i].up = p
	}
	for i := range ix.counties {
		x, steps := int32(i), 0
		for x >= 0 && ix.counties[x].zone && steps <= len(ix.counties) {
			x, steps = ix.counties[x].up, steps+1
		}
		if steps > len(ix.counties) {
			bad.add("zone %q: parents form a cycle", ds.Counties[i].Code)
			continue
		}
		ix.counties[i].top = x
		if idx, ok := ix.countyIdx[ix.counties[i].code]; ok && int(idx) == i && !ix.counties[i].zone {
			ix.areas = append(ix.areas, int32(i))
		}
	}
	slices.SortFunc(ix.areas, func(a, b int32) int { return cmp.Compare(ix.counties[a].code, ix.counties[b].code) })
	for k, c := range ix.areas {
		ix.counties[c].slot = int32(k)
	}
}

func (ix *Index) hasCounty(code string) bool { _, ok := ix.countyIdx[code]; return ok }

// dotID quotes nothing but escapes what would break a quoted DOT ID, so that
// the dominikbraun DOT template, which writes vertex hashes inside quotes,
// stays well-formed for any segment id.
func dotID(s string) string {
	if !strings.ContainsAny(s, "\"\\\n\r") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)
	return r.Replace(s)
}

// addSegmentVertex adds a segment to its chain's flow DAG, labelled with
// its name and stage for DOT. Its id must not be in the DAG yet.
func addSegmentVertex(dag dgraph.Graph[string, string], id, name string, stage chainscope.Stage) {
	label := dotID(name)
	if lbl := stage.Label(); lbl != "" {
		label += `\n` + lbl
	}
	_ = dag.AddVertex(id, dgraph.VertexAttribute("label", label)) // ids are unique here
}

func (ix *Index) indexChains(ds *chainscope.Dataset, bad *broken) {
	ix.chainIdx = make(map[string]int32, len(ds.Chains))
	ix.segIdx = make(map[string]int32)
	segIdx := ix.segIdx
	segChain := []int32{}
	ix.chains = make([]chain, len(ds.Chains))
	for ci := range ds.Chains {
		dc := &ds.Chains[ci]
		c := &ix.chains[ci]
		c.id, c.name = dc.ID, dc.Name
		if _, dup := ix.chainIdx[dc.ID]; dup {
			bad.add("chain %q twice", dc.ID)
		} else {
			ix.chainIdx[dc.ID] = int32(ci)
		}
		c.first = int32(len(ix.segID))
		c.dag = dgraph.New(dotID, dgraph.Directed(), dgraph.PreventCycles())
		for _, s := range dc.Segments {
			if _, dup := segIdx[s.ID]; dup {
				bad.add("segment %q twice", s.ID)
				continue
			}
			segIdx[s.ID] = int32(len(ix.segID))
			ix.segID = append(ix.segID, s.ID)
			ix.segName = append(ix.segName, s.Name)
			ix.segStage = append(ix.segStage, s.Stage)
			segChain = append(segChain, int32(ci))
			addSegmentVertex(c.dag, s.ID, s.Name, s.Stage)
		}
		c.end = int32(len(ix.segID))
	}
	// Flows once every segment is known, so that a flow into another chain
	// is reported as such rather than as an unknown segment.
	for ci := range ds.Chains {
		dc := &ds.Chains[ci]
		c := &ix.chains[ci]
		nseg := int(c.end - c.first)
		succ := make([][]int32, nseg)
		pred := make([][]int32, nseg)
		for _, f := range dc.Flows {
			from, okf := segIdx[f.From]
			to, okt := segIdx[f.To]
			if !okf || !okt || segChain[from] != int32(ci) || segChain[to] != int32(ci) || from == to {
				bad.add("chain %q: flow %q → %q is not between two of its segments", dc.ID, f.From, f.To)
				continue
			}
			if err := c.dag.AddEdge(dotID(f.From), dotID(f.To)); err != nil {
				// twice, or closing a cycle
				bad.add("chain %q: flow %q → %q: %v", dc.ID, f.From, f.To, err)
				continue
			}
			a, b := from-c.first, to-c.first
			succ[a] = append(succ[a], b)
			pred[b] = append(pred[b], a)
		}
		ix.closeChain(c, succ, pred, bad)
	}
}

// closeChain fixes the chain's topological order (dominikbraun's stable sort,
// run once here, ties broken by the chain's segment order) and the transitive
// ancestor and descendant sets of every segment as bitsets.
func (ix *Index) closeChain(c *chain, succ, pred [][]int32, bad *broken) {
	nseg := int(c.end - c.first)
	c.succ = succ
	local := make(map[string]int32, nseg)
	for s := c.first; s < c.end; s++ {
		local[dotID(ix.segID[s])] = s - c.first
	}
	order, err := dgraph.StableTopologicalSort(c.dag, func(a, b string) bool { return local[a] < local[b] })
	if err != nil {
		bad.add("chain %q: flows cannot be ordered: %v", c.id, err)
		return
	}
	c.topo = make([]int32, len(order))
	for i, k := range order {
		c.topo[i] = local[k]
	}
	c.words = (nseg + 63) / 64
	c.anc = make([]uint64, nseg*c.words)
	c.desc = make([]uint64, nseg*c.words)
	for _, v := range c.topo {
		av := c.ancestors(v)
		for _, p := range pred[v] {
			for i, x := range c.ancestors(p) {
				av[i] |= x
			}
			av[p/64] |= 1 << (p % 64)
		}
	}
	for i := len(c.topo) - 1; i >= 0; i-- {
		v := c.topo[i]
		dv := c.descendants(v)
		for _, s := range succ[v] {
			for j, x := range c.descendants(s) {
				dv[j] |= x
			}
			dv[s/64] |= 1 << (s % 64)
		}
	}
}

// record is a node before numbering.
type record struct {
	id    string
	index int // in ds.Enterprises, or len(ds.Enterprises)+i for ds.Projects[i]
}

// indexNodes numbers enterprises and live projects by id and resolves their
// counties, segments and chains led; it returns the links as node pairs.
func (ix *Index) indexNodes(ds *chainscope.Dataset, bad *broken) [][2]int32 {
	ne := len(ds.Enterprises)
	recs := make([]record, 0, ne+len(ds.Projects))
	cancelled := map[string]bool{}
	for i := range ds.Enterprises {
		recs = append(recs, record{ds.Enterprises[i].ID, i})
	}
	for i := range ds.Projects {
		if ds.Projects[i].Status == chainscope.StatusCancelled {
			cancelled[ds.Projects[i].ID] = true
			continue
		}
		recs = append(recs, record{ds.Projects[i].ID, ne + i})
	}
	slices.SortFunc(recs, func(a, b record) int {
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.index, b.index)
	})
	n := len(recs)
	ix.nodeIdx = make(map[string]int32, n)
	for i, r := range recs {
		if r.id == "" || i > 0 && recs[i-1].id == r.id || cancelled[r.id] {
			bad.add("enterprise or project id %q empty or twice", r.id)
		}
		ix.nodeIdx[r.id] = int32(i)
	}
	ix.fillNodes(ds, recs, bad)
	ix.cancelled = make([]string, 0, len(cancelled))
	for id := range cancelled {
		ix.cancelled = append(ix.cancelled, id)
	}
	slices.Sort(ix.cancelled)

	// Resolving a million ids is the slowest part of indexing: it runs in
	// parallel chunks (map reads are safe concurrently), and problems are
	// then reported in link order.
	pairs := make([][2]int32, len(ds.Links))
	parallelChunks(len(pairs), 1<<14, func(lo, hi int) {
		prevFrom, prev := "", int32(-1)
		for i := lo; i < hi; i++ {
			l := &ds.Links[i]
			if l.From != prevFrom || prev < 0 {
				prevFrom, prev = l.From, ix.lookupNode(l.From)
			}
			pairs[i] = [2]int32{prev, ix.lookupNode(l.To)}
		}
	})
	edges := pairs[:0]
	for i, p := range pairs {
		if isEdge(p[0], p[1]) {
			edges = append(edges, p)
			continue
		}
		l := &ds.Links[i]
		if cancelled[l.From] || cancelled[l.To] {
			// Links of cancelled projects are ignored with them.
			ix.dormant = append(ix.dormant, [2]string{l.From, l.To})
			continue
		}
		bad.add("link %q → %q: an unknown end or a self-link", l.From, l.To)
	}
	return edges
}

// isEdge reports whether a link between nodes from and to (-1: the id is
// no node) is an edge of the index. A link that is not is ignored when an
// end is a cancelled project, and is a problem otherwise.
func isEdge(from, to int32) bool { return from >= 0 && to >= 0 && from != to }

// fillNodes sets every per-node column of ix, node v from record recs[v] of
// ds: the one place where a record becomes a node.
func (ix *Index) fillNodes(ds *chainscope.Dataset, recs []record, bad *broken) {
	ne := len(ds.Enterprises)
	n := len(recs)
	ix.ids = make([]string, n)
	ix.names = make([]string, n)
	ix.project = make([]bool, n)
	ix.operating = make([]bool, n)
	ix.investment = make([]float64, n)
	ix.status = make([]chainscope.Status, n)
	ix.output = make([]float64, n)
	ix.county = make([]int32, n)
	ix.bucket = make([]int32, n)
	ix.segOff = make([]int32, n+1)
	ix.leadOff = make([]int32, n+1)
	for v, r := range recs {
		var (
			name, cty string
			segs      []string
			leads     []string
		)
		if r.index < ne {
			e := &ds.Enterprises[r.index]
			name, cty, segs, leads = e.Name, e.County, e.Segments, e.LeaderOf
			ix.operating[v] = true
			if e.OutputWan != nil {
				ix.output[v] = *e.OutputWan
			}
		} else {
			p := &ds.Projects[r.index-ne]
			name, cty, segs = p.Name, p.County, p.Segments
			ix.project[v] = true
			ix.operating[v] = p.Operating()
			ix.investment[v] = p.Investment()
			ix.status[v] = p.Status
		}
		ix.ids[v], ix.names[v] = r.id, name
		ix.county[v] = -1
		if cty != "" && cty != ix.region {
			if c, ok := ix.countyIdx[cty]; ok {
				ix.county[v] = c
				ix.bucket[v] = ix.countyBucket(c)
			} else {
				bad.add("%s: county %q unknown", r.id, cty)
			}
		}
		start := len(ix.segs)
		for _, s := range segs {
			if si, ok := ix.segIndex(s); ok {
				ix.segs = append(ix.segs, si)
			} else {
				bad.add("%s: segment %q unknown", r.id, s)
			}
		}
		ix.segs = sortedUnique(ix.segs, start)
		ix.segOff[v+1] = int32(len(ix.segs))
		start = len(ix.leads)
		for _, l := range leads {
			if ci, ok := ix.chainIdx[l]; ok {
				ix.leads = append(ix.leads, ci)
			} else {
				bad.add("%s: chain led %q unknown", r.id, l)
			}
		}
		ix.leads = sortedUnique(ix.leads, start)
		ix.leadOff[v+1] = int32(len(ix.leads))
	}
}

// lookupNode returns the number of the node with the given id, -1 if none.
func (ix *Index) lookupNode(id string) int32 {
	if v, ok := ix.nodeIdx[id]; ok {
		return v
	}
	return -1
}

// NodeName returns the name of the enterprise or (not cancelled) project
// with the given id, and whether the index holds one.
func (ix *Index) NodeName(id string) (string, bool) {
	v, ok := slices.BinarySearch(ix.ids, id)
	if !ok {
		return "", false
	}
	return ix.names[v], true
}

// parallelChunks calls f on consecutive chunks of [0, n) of at least minChunk
// items, on up to GOMAXPROCS goroutines, and waits for all of them.
func parallelChunks(n, minChunk int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+minChunk-1)/minChunk)
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		hi := min(n, lo+step)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// segIndex finds a segment number by id.
func (ix *Index) segIndex(id string) (int32, bool) {
	s, ok := ix.segIdx[id]
	return s, ok
}

// sortedUnique sorts s[start:] and drops repeats in it.
func sortedUnique(s []int32, start int) []int32 {
	tail := s[start:]
	slices.Sort(tail)
	return append(s[:start], slices.Compact(tail)...)
}

// indexLinks builds the CSR adjacencies and reports duplicate links.
func (ix *Index) indexLinks(edges [][2]int32, bad *broken) {
	n := len(ix.ids)
	ix.out = NewCSR(n, edges)
	for v := 0; v < n; v++ {
		ts := ix.out.Neighbors(int32(v))
		for i := 1; i < len(ts); i++ {
			if ts[i] == ts[i-1] {
				bad.add("link %q → %q twice", ix.ids[v], ix.ids[ts[i]])
			}
		}
	}
	ix.in, ix.und = derivedAdjacency(ix.out)
}

// derivedAdjacency returns what the supply links' CSR out gives: the
// reversed graph (customer → supplier) and the undirected simple graph,
// each node's sorted out and in lists merged.
func derivedAdjacency(out *CSR) (in, und *CSR) {
	n := out.N()
	in = out.Reverse()
	// The rows of und in parallel chunks of nodes, each into a list of its
	// own (with offsets from its start), then put together.
	workers := max(1, min(runtime.GOMAXPROCS(0), n/(1<<15)))
	step := (n + workers - 1) / max(workers, 1)
	type part struct {
		off, tgt []int32
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(n, w*step), min(n, (w+1)*step)
		wg.Go(func() {
			off := make([]int32, hi-lo)
			tgt := make([]int32, 0, int(out.Offsets[hi]-out.Offsets[lo])+int(in.Offsets[hi]-in.Offsets[lo]))
			for v := lo; v < hi; v++ {
				tgt = unionSorted(tgt, out.Neighbors(int32(v)), in.Neighbors(int32(v)))
				off[v-lo] = int32(len(tgt))
			}
			parts[w] = part{off, tgt}
		})
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p.tgt)
	}
	off := make([]int32, n+1)
	tgt := make([]int32, total)
	base := 0
	for w, p := range parts {
		lo := min(n, w*step)
		for i, o := range p.off {
			off[lo+i+1] = int32(base) + o
		}
		copy(tgt[base:], p.tgt)
		base += len(p.tgt)
	}
	return in, &CSR{Offsets: off, Targets: tgt}
}

// unionSorted appends to dst the union of the ascending lists a and b (each
// without repeats), ascending: a node's row of the undirected graph from
// its out and in rows.
func unionSorted(dst, a, b []int32) []int32 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			dst = append(dst, a[i])
			i++
		case b[j] < a[i]:
			dst = append(dst, b[j])
			j++
		default:
			dst = append(dst, a[i])
			i, j = i+1, j+1
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// indexChainNodes lists, for every chain, the nodes with a segment of it,
// both in id order and grouped by area bucket.
func (ix *Index) indexChainNodes() {
	buckets := len(ix.areas) + 1
	counts := make([]int32, len(ix.chains))
	segChain := ix.segChains()
	var cs []int32
	for v := range ix.ids {
		cs = ix.nodeChains(int32(v), segChain, cs)
		for _, c := range cs {
			counts[c]++
		}
	}
	for ci := range ix.chains {
		c := &ix.chains[ci]
		c.all = make([]int32, 0, counts[ci])
		c.bucketOff = make([]int32, buckets+1)
	}
	for v := range ix.ids {
		cs = ix.nodeChains(int32(v), segChain, cs)
		for _, c := range cs {
			ch := &ix.chains[c]
			ch.all = append(ch.all, int32(v))
			ch.bucketOff[ix.bucket[v]+1]++
		}
	}
	for ci := range ix.chains {
		c := &ix.chains[ci]
		for b := 0; b < buckets; b++ {
			c.bucketOff[b+1] += c.bucketOff[b]
		}
		c.member = bitset(c.all, len(ix.ids))
		pos := slices.Clone(c.bucketOff[:buckets])
		c.nodes = make([]int32, len(c.all))
		for _, v := range c.all {
			b := ix.bucket[v]
			c.nodes[pos[b]] = v
			pos[b]++
		}
	}
}

// bitset returns the set of the given nodes of 0..n-1 as a bitset.
func bitset(nodes []int32, n int) []uint64 {
	b := make([]uint64, (n+63)/64)
	for _, v := range nodes {
		b[v>>6] |= 1 << (v & 63)
	}
	return b
}

// segChains returns the chain of every segment.
func (ix *Index) segChains() []int32 {
	sc := make([]int32, len(ix.segID))
	for ci, c := range ix.chains {
		for s := c.first; s < c.end; s++ {
			sc[s] = int32(ci)
		}
	}
	return sc
}

// chainSegs returns v's segments that belong to chain c (a sub-slice: v's
// segments are sorted, and a chain's segments are numbered contiguously).
func (ix *Index) chainSegs(v int32, c *chain) []int32 {
	s := ix.segs[ix.segOff[v]:ix.segOff[v+1]]
	i := 0
	for i < len(s) && s[i] < c.first {
		i++
	}
	j := i
	for j < len(s) && s[j] < c.end {
		j++
	}
	return s[i:j]
}

func notFoundArea(code string) error {
	return chainscope.Localizedf(chainscope.ENOTFOUND, "未知的县区 %q", "unknown area %q", code)
}

func notFoundChain(id string) error {
	return chainscope.Localizedf(chainscope.ENOTFOUND, "未知的产业链 %q", "unknown chain %q", id)
}

// lookupChain returns the chain with the given id or an ENOTFOUND error.
func (ix *Index) lookupChain(id string) (int32, error) {
	c, ok := ix.chainIdx[id]
	if !ok {
		return 0, notFoundChain(id)
	}
	return c, nil
}

// String summarises the index for debugging.
func (ix *Index) String() string {
	return fmt.Sprintf("graph.Index{region %s: %d nodes, %d links, %d chains, %d areas}",
		ix.region, len(ix.ids), len(ix.out.Targets), len(ix.chains), len(ix.areas))
}
