package graph

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"chainscope"
)

// AllAreas is the area code of the whole region.
const AllAreas = "*"

// Status is a segment's state in a scope (SPEC §5).
type Status string

// The segment statuses of SPEC §5.
const (
	Missing Status = "missing" // 缺链: no node of the scope lists the segment
	Weak    Status = "weak"    // 薄弱: one node only, or no operating node
	OK      Status = "ok"      // 正常
)

// Reason explains why a segment is weak.
type Reason string

// The reasons of SPEC §5, in the order they are listed.
const (
	ReasonSingle      Reason = "single"       // exactly one node lists the segment
	ReasonPlannedOnly Reason = "planned_only" // no node listing it is operating
)

// Analysis is the weak-link analysis of one scope (area, chain): the object
// of SPEC §6, field for field. Every slice is non-nil, so JSON shows [] for
// an empty list, never null.
type Analysis struct {
	Area         string          `json:"area"`
	Chain        string          `json:"chain"`
	Completeness float64         `json:"completeness"` // share of segments not missing, rounded to 4 decimals
	Segments     []SegmentResult `json:"segments"`     // every segment of the chain, in the chain's order
	CutNodes     []CutNode       `json:"cut_nodes"`
	Bridges      []Bridge        `json:"bridges"`
	Totals       Totals          `json:"totals"`
}

// SegmentResult is one segment's status in a scope. Reasons is empty unless
// the status is weak; Broken and SuppliedExternally are false unless it is
// missing. Nodes are the ids of L(s) in ascending byte order.
type SegmentResult struct {
	ID                 string           `json:"id"`
	Name               string           `json:"name"`
	Stage              chainscope.Stage `json:"stage"`
	Status             Status           `json:"status"`
	Reasons            []Reason         `json:"reasons"`
	Broken             bool             `json:"broken"`
	SuppliedExternally bool             `json:"supplied_externally"`
	Nodes              []string         `json:"nodes"`
}

// CutNode is an articulation point of the scope's undirected graph U with its
// impact |C| − 1 − |largest component of C − v| (SPEC §5).
type CutNode struct {
	ID     string `json:"id"`
	Impact int    `json:"impact"`
}

// Bridge is a bridge of U with ends A < B in byte order; Impact is the size
// of the smaller side its removal leaves (SPEC §5).
type Bridge struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Impact int    `json:"impact"`
}

// Totals counts a scope. Links counts E: the stored (directed) links with
// both ends in the scope, so a→b and b→a count as two even though U merges
// them into one edge. InvestmentWan sums the projects' investment (unknown
// counts as 0).
type Totals struct {
	Enterprises   int     `json:"enterprises"`
	Projects      int     `json:"projects"`
	Links         int     `json:"links"`
	InvestmentWan float64 `json:"investment_wan"`
}

// areaSel is a resolved area code.
type areaSel struct {
	code   string
	all    bool  // "*"
	bucket int32 // nodes of the area lie in this chain bucket
	zone   int32 // for a zone area: the zone's county index (nodes are filtered); -1 otherwise
}

// resolveArea turns an area code into a selection: "*", a county (which
// includes its zones) or a zone (the zone alone, with any zones inside it).
func (ix *Index) resolveArea(code string) (areaSel, error) {
	if code == AllAreas {
		return areaSel{code: code, all: true, zone: -1}, nil
	}
	c, ok := ix.countyIdx[code]
	if !ok {
		return areaSel{}, notFoundArea(code)
	}
	sel := areaSel{code: code, zone: -1, bucket: ix.countyBucket(c)}
	if ix.counties[c].zone {
		sel.zone = c
	}
	return sel, nil
}

// inArea reports whether node v lies in the area (countyInArea of its
// county, read from its bucket when the area is a county).
func (ix *Index) inArea(sel areaSel, v int32) bool {
	if !sel.all && sel.zone < 0 {
		return ix.bucket[v] == sel.bucket && sel.bucket > 0
	}
	return ix.countyInArea(sel, ix.county[v])
}

// scopeNodes returns N for the scope in ascending id order. The result may
// alias the index or w's scratch space.
func (ix *Index) scopeNodes(sel areaSel, c *chain, w *work) []int32 {
	if sel.all {
		return c.all
	}
	in := c.nodes[c.bucketOff[sel.bucket]:c.bucketOff[sel.bucket+1]]
	if sel.zone < 0 {
		if sel.bucket == 0 {
			return nil // records in no county belong to no county area
		}
		return in
	}
	w.zone = w.zone[:0]
	for _, v := range in {
		if ix.inArea(sel, v) {
			w.zone = append(w.zone, v)
		}
	}
	return w.zone
}

// Analyze returns the weak-link analysis of SPEC §5–6 for one scope. area is
// "*" (the whole region), a county code (the county with its zones) or a
// zone code (the zone alone). An unknown area or chain is a
// *chainscope.Error with code ENOTFOUND.
func (ix *Index) Analyze(area, chainID string) (*Analysis, error) {
	c, err := ix.lookupChain(chainID)
	if err != nil {
		return nil, err
	}
	sel, err := ix.resolveArea(area)
	if err != nil {
		return nil, err
	}
	w := ix.getWork()
	defer ix.pool.Put(w)
	return ix.analyze(w, sel, &ix.chains[c], nil), nil
}

// AnalyzeAll analyses every scope: area "*" and then every county (not
// zones) in ascending code order, each with every chain in dataset order.
// Scopes are analysed in parallel and share the index's precomputed
// partitions, so a province runs in a fraction of a second. The error is
// reserved for future failure modes; today it is always nil.
func (ix *Index) AnalyzeAll() ([]*Analysis, error) {
	areas := make([]areaSel, 0, len(ix.areas)+1)
	areas = append(areas, areaSel{code: AllAreas, all: true, zone: -1})
	for k, c := range ix.areas {
		areas = append(areas, areaSel{code: ix.counties[c].code, bucket: int32(k + 1), zone: -1})
	}
	nc := len(ix.chains)
	res := make([]*Analysis, len(areas)*nc)
	if len(res) == 0 {
		return res, nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(res))
	for range workers {
		wg.Go(func() {
			w := ix.getWork()
			defer ix.pool.Put(w)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(res) {
					return
				}
				res[i] = ix.analyze(w, areas[i/nc], &ix.chains[i%nc], nil)
			}
		})
	}
	wg.Wait()
	return res, nil
}

// work is the scratch space of one goroutine analysing scopes.
type work struct {
	local   []int32  // node → position in N, -1 outside N (restored after each scope)
	inN     []uint64 // bitset of N (cleared after each scope)
	cnt     []int32  // per chain-local segment: |L(s)|
	pos     []int32
	oper    []bool // per segment: some node of L(s) is operating
	ext     []bool // per segment: an outside node listing it supplies N
	present []uint64
	zone    []int32
	kept    []int32 // N without the nodes an override removes
	uoff    []int32 // U as local CSR
	utgt    []int32
	dfs     dfsWork
	cuts    []NodeImpact
	brs     []EdgeImpact
	dom     domWork
	sub     []int32
	dist    []int32 // leader search: breadth-first distance by preorder number
	queue   []int32
}

func (ix *Index) getWork() *work {
	if w, ok := ix.pool.Get().(*work); ok {
		return w
	}
	w := &work{local: make([]int32, len(ix.ids)), inN: make([]uint64, (len(ix.ids)+63)/64)}
	for i := range w.local {
		w.local[i] = -1
	}
	return w
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// override is a what-if change applied while analysing a scope: nodes made
// operating, and nodes removed together with their links. A nil *override
// is the data as it stands.
type override struct {
	operate []uint64 // bitset over nodes
	removed []uint64 // bitset over nodes
}

func newOverride(n int) *override {
	words := (n + 63) / 64
	return &override{operate: make([]uint64, words), removed: make([]uint64, words)}
}

func (o *override) operates(v int32) bool {
	return o != nil && o.operate[v>>6]&(1<<(v&63)) != 0
}

func (o *override) removes(v int32) bool {
	return o != nil && o.removed[v>>6]&(1<<(v&63)) != 0
}

// analyze computes one scope. It reads the index only and writes only w.
// ov, when not nil, changes the data first (see override).
func (ix *Index) analyze(w *work, sel areaSel, c *chain, ov *override) *Analysis {
	nodes := ix.scopeNodes(sel, c, w)
	if ov != nil {
		kept := w.kept[:0]
		for _, v := range nodes {
			if !ov.removes(v) {
				kept = append(kept, v)
			}
		}
		nodes, w.kept = kept, kept
	}
	nseg := int(c.end - c.first)
	w.cnt = grow(w.cnt, nseg)
	clear(w.cnt)
	w.oper = growBool(w.oper, nseg)
	w.ext = growBool(w.ext, nseg)
	local := w.local

	a := &Analysis{Area: sel.code, Chain: c.id}
	t := &a.Totals
	for i, v := range nodes {
		local[v] = int32(i)
		if ix.project[v] {
			t.Projects++
			t.InvestmentWan += ix.investment[v]
		} else {
			t.Enterprises++
		}
		op := ix.operating[v] || ov.operates(v)
		for _, s := range ix.chainSegs(v, c) {
			w.cnt[s-c.first]++
			if op {
				w.oper[s-c.first] = true
			}
		}
	}

	// Edges E (directed, as stored) and the undirected simple graph U.
	// Membership is tested on a bitset first: it stays in cache where the
	// node-indexed local array would not.
	inN := w.inN
	for _, v := range nodes {
		inN[v>>6] |= 1 << (v & 63)
	}
	w.uoff = grow(w.uoff, len(nodes)+1)
	w.uoff[0] = 0
	utgt := w.utgt[:0]
	for i, v := range nodes {
		for _, u := range ix.out.Neighbors(v) {
			if inN[u>>6]&(1<<(u&63)) != 0 {
				t.Links++
			}
		}
		for _, u := range ix.und.Neighbors(v) {
			if inN[u>>6]&(1<<(u&63)) != 0 {
				utgt = append(utgt, local[u])
			}
		}
		w.uoff[i+1] = int32(len(utgt))
	}
	w.utgt = utgt
	// Outside suppliers: a node listing a segment of this chain that is not
	// in N lies outside the area (N holds every such node inside it). Only
	// missing segments need the answer.
	missing := false
	for s := 0; s < nseg; s++ {
		missing = missing || w.cnt[s] == 0
	}
	if !sel.all && missing {
		member := c.member
		for _, v := range nodes {
			for _, u := range ix.in.Neighbors(v) {
				if inN[u>>6]&(1<<(u&63)) == 0 && member[u>>6]&(1<<(u&63)) != 0 && !ov.removes(u) {
					for _, s := range ix.chainSegs(u, c) {
						w.ext[s-c.first] = true
					}
				}
			}
		}
	}
	for _, v := range nodes {
		local[v] = -1
		inN[v>>6] = 0
	}

	// Segment lists, statuses and completeness.
	words := c.words
	w.present = growWords(w.present, words)
	clear(w.present)
	total := int32(0)
	w.pos = grow(w.pos, nseg)
	for s := 0; s < nseg; s++ {
		w.pos[s] = total
		total += w.cnt[s]
		if w.cnt[s] > 0 {
			w.present[s/64] |= 1 << (s % 64)
		}
	}
	ids := make([]string, total)
	for _, v := range nodes {
		for _, s := range ix.chainSegs(v, c) {
			ids[w.pos[s-c.first]] = ix.ids[v]
			w.pos[s-c.first]++
		}
	}
	a.Segments = make([]SegmentResult, nseg)
	found := 0
	start := int32(0)
	for s := 0; s < nseg; s++ {
		g := c.first + int32(s)
		r := &a.Segments[s]
		r.ID, r.Name, r.Stage = ix.segID[g], ix.segName[g], ix.segStage[g]
		r.Nodes = ids[start : start+w.cnt[s] : start+w.cnt[s]]
		start += w.cnt[s]
		r.Reasons = []Reason{}
		switch {
		case w.cnt[s] == 0:
			r.Status = Missing
			r.Broken = intersects(c.ancestors(int32(s)), w.present) && intersects(c.descendants(int32(s)), w.present)
			r.SuppliedExternally = w.ext[s]
		default:
			found++
			if w.cnt[s] == 1 {
				r.Reasons = append(r.Reasons, ReasonSingle)
			}
			if !w.oper[s] {
				r.Reasons = append(r.Reasons, ReasonPlannedOnly)
			}
			r.Status = OK
			if len(r.Reasons) > 0 {
				r.Status = Weak
			}
		}
	}
	if nseg > 0 {
		a.Completeness = round4(float64(found) / float64(nseg))
	}

	// Cut nodes and bridges of U. Local numbers follow id order, so the
	// numeric tie-break is the byte order of ids.
	w.cuts, w.brs = w.dfs.run(w.uoff, w.utgt, len(nodes), w.cuts[:0], w.brs[:0])
	sortImpacts(w.cuts, w.brs)
	a.CutNodes = make([]CutNode, len(w.cuts))
	for i, x := range w.cuts {
		a.CutNodes[i] = CutNode{ID: ix.ids[nodes[x.Node]], Impact: int(x.Impact)}
	}
	a.Bridges = make([]Bridge, len(w.brs))
	for i, x := range w.brs {
		a.Bridges[i] = Bridge{A: ix.ids[nodes[x.A]], B: ix.ids[nodes[x.B]], Impact: int(x.Impact)}
	}
	return a
}

func intersects(a, b []uint64) bool {
	for i := range a {
		if a[i]&b[i] != 0 {
			return true
		}
	}
	return false
}

func growBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func growWords(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}

// RegionCutNodes returns the articulation points of the whole region's
// undirected supply graph (every link, every chain, every area), with impacts
// as SPEC §5 defines them, sorted by impact descending then id.
func (ix *Index) RegionCutNodes() []CutNode {
	cuts, _ := WeakPoints(ix.und)
	out := make([]CutNode, len(cuts))
	for i, x := range cuts {
		out[i] = CutNode{ID: ix.ids[x.Node], Impact: int(x.Impact)}
	}
	return out
}

// RegionBridges returns the bridges of the whole region's undirected supply
// graph, ends in byte order, sorted by impact descending then ids.
func (ix *Index) RegionBridges() []Bridge {
	_, brs := WeakPoints(ix.und)
	out := make([]Bridge, len(brs))
	for i, x := range brs {
		out[i] = Bridge{A: ix.ids[x.A], B: ix.ids[x.B], Impact: int(x.Impact)}
	}
	return out
}
