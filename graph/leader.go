package graph

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"chainscope"
)

// LeaderTop is how many suppliers and how many dominators a
// LeaderDependency names: the closest suppliers and the biggest choke
// points. The full supplier list is paged (Scope.LeaderSuppliers).
const LeaderTop = 20

// LeaderDependency is how a chain leader (链主) depends on its suppliers,
// computed on the region-wide supply links (every chain, every area) and
// sized for a person: counts, the choke points, and the closest suppliers.
// Every list is non-nil and holds at most LeaderTop ids.
type LeaderDependency struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Direct counts the nodes with a link to the leader; Indirect those
	// upstream of it over two or more links and not direct.
	Direct   int `json:"direct"`
	Indirect int `json:"indirect"`
	// Inside and Outside split every supplier (direct or indirect) by
	// whether it lies in the area; DirectOutside counts the direct
	// suppliers outside it.
	Inside        int `json:"inside"`
	Outside       int `json:"outside"`
	DirectOutside int `json:"direct_outside"`
	// ByCounty counts every supplier by the county area it lies in (a
	// zone's county; the region's code for none), most suppliers first,
	// then code.
	ByCounty []CountyCount `json:"by_county"`
	// Dominators are the choke points of the leader's supply: node d is
	// listed when some other upstream node reaches the leader only through d
	// (d dominates it in the reversed supply graph rooted at the leader).
	// Dominates counts those nodes. The leader itself is never listed.
	// Sorted by Dominates descending, then id; the first LeaderTop of
	// DominatorsTotal.
	Dominators      []Dominator `json:"dominators"`
	DominatorsTotal int         `json:"dominators_total"`
	// LocalSupplyRate (本地配套率) is the share of the leader's direct
	// supplier links whose supplier lies inside the area, rounded to 4
	// decimals; nil (JSON null) when the leader has no supplier.
	LocalSupplyRate *float64 `json:"local_supply_rate"`
	// TopSuppliers are the first LeaderTop suppliers in supplier order
	// (closest first, see Supplier); the rest are paged by
	// GET /api/v1/leaders/{id}/suppliers.
	TopSuppliers []Supplier `json:"top_suppliers"`
}

// CountyCount is how many of a leader's suppliers lie in one county area.
type CountyCount struct {
	County    string `json:"county"`
	Suppliers int    `json:"suppliers"`
	Direct    int    `json:"direct"`
}

// Dominator is a supplier every supply path from Dominates other upstream
// nodes into a chain leader passes through.
type Dominator struct {
	ID        string `json:"id"`
	Dominates int    `json:"dominates"`
}

// Supplier is one node upstream of a chain leader. Suppliers are ordered
// by closeness: Distance (links on the shortest supply path into the
// leader, 1 for a direct supplier) ascending, then Dominates (how many
// other suppliers reach the leader only through it) descending, then id.
type Supplier struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	County    string `json:"county"` // its own county or zone code; the region's code for none
	Distance  int    `json:"distance"`
	Inside    bool   `json:"inside"` // it lies in the area
	Dominates int    `json:"dominates"`
}

// SupplierPage is one page of a chain leader's suppliers in supplier order
// (see Supplier), with the totals a pager needs.
type SupplierPage struct {
	Leader   string     `json:"leader"`
	Area     string     `json:"area"`
	Chain    string     `json:"chain"`
	Total    int        `json:"total"` // every supplier, direct or indirect
	Direct   int        `json:"direct"`
	Indirect int        `json:"indirect"`
	Offset   int        `json:"offset"`
	Limit    int        `json:"limit"`
	Items    []Supplier `json:"items"`
}

// LeaderDependency reports, for every enterprise located in the area that
// leads the chain (leader_of lists it), its supply dependency (see the
// type). A leader counts whether or not it lists a segment of the chain.
// Leaders are in id order; the result is empty, not nil, when there is
// none. Area and chain are resolved as in Analyze.
func (ix *Index) LeaderDependency(area, chainID string) ([]LeaderDependency, error) {
	sc, err := ix.Scope(area, chainID)
	if err != nil {
		return nil, err
	}
	return sc.LeaderDependency(), nil
}

// leaders are the scope's chain leaders: enterprises in the area whose
// leader_of lists the chain, ascending.
func (sc *Scope) leaders() []int32 {
	ix := sc.ix
	var out []int32
	for v := int32(0); int(v) < len(ix.ids); v++ {
		if ix.leadsChain(v, sc.ci) && ix.inArea(sc.sel, v) {
			out = append(out, v)
		}
	}
	return out
}

func (ix *Index) leadsChain(v, ci int32) bool {
	return !ix.project[v] && slices.Contains(ix.leads[ix.leadOff[v]:ix.leadOff[v+1]], ci)
}

// LeaderDependency is Index.LeaderDependency of the scope. A leader's
// upstream does not depend on the scope: it is searched once per Index (and
// kept across a Patch that leaves the links alone, see structure) and
// summarised for each scope that asks.
func (sc *Scope) LeaderDependency() []LeaderDependency {
	ix := sc.ix
	leaders := sc.leaders()
	// Each leader is a search over everything upstream of it, region-wide:
	// leaders are done in parallel, each goroutine with its own scratch.
	out := make([]LeaderDependency, len(leaders))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(leaders)) {
		wg.Go(func() {
			w := ix.getWork()
			defer ix.pool.Put(w)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(leaders) {
					return
				}
				out[i] = sc.summarise(leaders[i], ix.leaderCore(w, leaders[i]))
			}
		})
	}
	wg.Wait()
	return out
}

// LeaderSuppliers returns the suppliers of chain leader id (an enterprise
// of the area that leads the chain) from offset, at most limit of them
// (limit ≤ 0: all), in supplier order. An id that is not a leader of the
// scope is ENOTFOUND; an offset past the end gives an empty page.
func (sc *Scope) LeaderSuppliers(id string, offset, limit int) (*SupplierPage, error) {
	ix := sc.ix
	v, ok := slices.BinarySearch(ix.ids, id)
	if !ok || !ix.leadsChain(int32(v), sc.ci) || !ix.inArea(sc.sel, int32(v)) {
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "%[1]q 不是 %[2]s 范围内 %[3]s 链的链主", "%[1]q is not a leader of chain %[3]s in area %[2]s",
			id, sc.Area(), sc.Chain())
	}
	w := ix.getWork()
	defer ix.pool.Put(w)
	ix.searchUpstream(w, int32(v))
	total, direct := len(w.queue)-1, w.direct()
	offset = max(offset, 0)
	end := total
	if limit > 0 {
		end = min(end, offset+limit)
	}
	p := &SupplierPage{Leader: id, Area: sc.Area(), Chain: sc.Chain(), Total: total, Direct: direct,
		Indirect: total - direct, Offset: offset, Limit: limit, Items: []Supplier{}}
	up := w.upstreamSet(w.supplierWindow(offset, end))
	for k := range up.nodes {
		p.Items = append(p.Items, sc.supplier(up, k))
	}
	return p, nil
}

// upstreamSet is a run of one leader's suppliers in supplier order.
type upstreamSet struct {
	nodes     []int32 // suppliers, closest first (see Supplier)
	dist      []int32 // parallel to nodes
	dominates []int32 // parallel to nodes
}

// searchUpstream searches the reversed supply graph from leader: the
// dominator tree (Semi-NCA straight on the region's CSR: successors are
// suppliers, predecessors customers, customers not upstream skipped as
// unreachable) and the breadth-first distances. Everything it leaves in w
// is on preorder numbers (w.dom.vertex maps them to nodes; the leader is
// 0): w.sub the size of each dominator subtree, w.dist the distance, and
// w.queue every number in breadth-first order, the leader first.
func (ix *Index) searchUpstream(w *work, leader int32) {
	w.dom.run(ix.in.Offsets, ix.in.Targets, len(ix.ids), leader, nil)
	m := len(w.dom.vertex)
	// An immediate dominator is a proper ancestor in the search tree, so it
	// comes earlier in preorder: one backward sweep sums the sizes of
	// dominator subtrees.
	sub := grow(w.sub, m)
	clear(sub)
	w.sub = sub
	dom := w.dom.dom
	for i := m - 1; i >= 1; i-- {
		sub[i]++
		sub[dom[i]] += sub[i]
	}
	// Breadth-first distances over the subgraph the search wrote on
	// preorder numbers.
	dist := fill(grow(w.dist, m), -1)
	w.dist = dist
	queue := append(w.queue[:0], 0)
	dist[0] = 0
	soff, succ := w.dom.soff, w.dom.succ
	for h := 0; h < len(queue); h++ {
		i := queue[h]
		d := dist[i] + 1
		for _, j := range succ[soff[i]:soff[i+1]] {
			if dist[j] < 0 {
				dist[j] = d
				queue = append(queue, j)
			}
		}
	}
	w.queue = queue
}

// supplierWindow returns the suppliers from..to-1 in supplier order
// (preorder numbers) after a searchUpstream. The breadth-first queue lists
// the suppliers by distance already: only the distance classes the window
// overlaps are sorted.
func (w *work) supplierWindow(from, to int) []int32 {
	dist, sub, vertex := w.dist, w.sub, w.dom.vertex
	all := w.queue[1:]
	to = min(to, len(all))
	if from >= to {
		return nil
	}
	lo, hi := from, to
	for lo > 0 && dist[all[lo-1]] == dist[all[from]] {
		lo--
	}
	for hi < len(all) && dist[all[hi]] == dist[all[to-1]] {
		hi++
	}
	part := slices.Clone(all[lo:hi])
	slices.SortFunc(part, func(a, b int32) int {
		if c := cmp.Compare(dist[a], dist[b]); c != 0 {
			return c
		}
		if c := cmp.Compare(sub[b], sub[a]); c != 0 {
			return c
		}
		return cmp.Compare(vertex[a], vertex[b]) // node numbers follow id order
	})
	return part[from-lo : to-lo]
}

// direct counts the suppliers at distance 1 after a searchUpstream.
func (w *work) direct() int {
	n := 0
	for _, i := range w.queue[1:] {
		if w.dist[i] > 1 {
			break
		}
		n++
	}
	return n
}

// upstreamSet lists the given preorder numbers of the last searchUpstream
// as suppliers.
func (w *work) upstreamSet(order []int32) upstreamSet {
	up := upstreamSet{nodes: make([]int32, len(order)), dist: make([]int32, len(order)), dominates: make([]int32, len(order))}
	for k, i := range order {
		up.nodes[k], up.dist[k], up.dominates[k] = w.dom.vertex[i], w.dist[i], w.sub[i]-1
	}
	return up
}

// supplier is the k-th supplier of up as the answer shows it.
func (sc *Scope) supplier(up upstreamSet, k int) Supplier {
	ix, v := sc.ix, up.nodes[k]
	return Supplier{ID: ix.ids[v], Name: ix.names[v], County: ix.countyCode(v), Distance: int(up.dist[k]),
		Inside: ix.inArea(sc.sel, v), Dominates: int(up.dominates[k])}
}

// areaCode is the code of the county area a node of county or zone c
// (-1: none) counts in (a zone's county), the region's code when none.
func (ix *Index) areaCode(c int32) string {
	if c >= 0 {
		if top := ix.counties[c].top; top >= 0 {
			return ix.counties[top].code
		}
	}
	return ix.region
}

// leaderCore is what a LeaderDependency says of one leader whatever the
// scope: its suppliers counted by county, its largest dominators and its
// closest suppliers (node numbers; names and area membership are read
// when a scope is summarised).
type leaderCore struct {
	total, direct   int
	byCounty        []int32 // suppliers by own county: [0] none, [c+1] county or zone c
	directByCounty  []int32 // the same for the direct suppliers
	dominators      []int32 // the first LeaderTop by dominated count descending, then id
	dominates       []int32 // parallel to dominators
	dominatorsTotal int
	top             upstreamSet // the first LeaderTop suppliers in supplier order
}

// newLeaderCore condenses the last searchUpstream of w.
func (ix *Index) newLeaderCore(w *work) *leaderCore {
	vertex, dist, sub := w.dom.vertex, w.dist, w.sub
	suppliers := w.queue[1:]
	lc := &leaderCore{total: len(suppliers),
		byCounty: make([]int32, len(ix.counties)+1), directByCounty: make([]int32, len(ix.counties)+1)}
	// The first LeaderTop dominators: the suppliers that dominate another,
	// most dominated first, then by id, kept in order as they come.
	before := func(a, b int32) bool { return sub[a] > sub[b] || sub[a] == sub[b] && vertex[a] < vertex[b] }
	top := make([]int32, 0, LeaderTop)
	for _, i := range suppliers {
		c := ix.county[vertex[i]] + 1
		lc.byCounty[c]++
		if dist[i] == 1 {
			lc.direct++
			lc.directByCounty[c]++
		}
		if sub[i] <= 1 {
			continue
		}
		lc.dominatorsTotal++
		if len(top) == LeaderTop && !before(i, top[LeaderTop-1]) {
			continue
		}
		k, _ := slices.BinarySearchFunc(top, i, func(a, b int32) int {
			if before(a, b) {
				return -1
			}
			return 1
		})
		if len(top) == LeaderTop {
			top = top[:LeaderTop-1]
		}
		top = slices.Insert(top, k, i)
	}
	for _, i := range top {
		lc.dominators = append(lc.dominators, vertex[i])
		lc.dominates = append(lc.dominates, sub[i]-1)
	}
	lc.top = w.upstreamSet(w.supplierWindow(0, LeaderTop))
	return lc
}

// countyInArea reports whether a node of county or zone c (-1: none) lies
// in the area: inArea by a node's county.
func (ix *Index) countyInArea(sel areaSel, c int32) bool {
	switch {
	case sel.all:
		return true
	case c < 0:
		return false
	case sel.zone < 0:
		return sel.bucket > 0 && ix.countyBucket(c) == sel.bucket
	}
	for ; c >= 0; c = ix.counties[c].up {
		if c == sel.zone {
			return true
		}
	}
	return false
}

// summarise sizes one leader's upstream for a person, in the scope.
func (sc *Scope) summarise(leader int32, lc *leaderCore) LeaderDependency {
	ix := sc.ix
	d := LeaderDependency{
		ID: ix.ids[leader], Name: ix.names[leader], Direct: lc.direct, Indirect: lc.total - lc.direct,
		ByCounty: []CountyCount{}, Dominators: []Dominator{}, DominatorsTotal: lc.dominatorsTotal, TopSuppliers: []Supplier{},
	}
	byArea := map[string]*CountyCount{}
	directInside := 0
	for i, n := range lc.byCounty {
		if n == 0 {
			continue
		}
		c := int32(i) - 1
		if ix.countyInArea(sc.sel, c) {
			d.Inside += int(n)
			directInside += int(lc.directByCounty[i])
		}
		code := ix.areaCode(c)
		cc := byArea[code]
		if cc == nil {
			cc = &CountyCount{County: code}
			byArea[code] = cc
		}
		cc.Suppliers += int(n)
		cc.Direct += int(lc.directByCounty[i])
	}
	d.Outside = lc.total - d.Inside
	d.DirectOutside = lc.direct - directInside
	for _, cc := range byArea {
		d.ByCounty = append(d.ByCounty, *cc)
	}
	slices.SortFunc(d.ByCounty, func(a, b CountyCount) int {
		if c := cmp.Compare(b.Suppliers, a.Suppliers); c != 0 {
			return c
		}
		return cmp.Compare(a.County, b.County)
	})
	for k, v := range lc.dominators {
		d.Dominators = append(d.Dominators, Dominator{ID: ix.ids[v], Dominates: int(lc.dominates[k])})
	}
	if lc.direct > 0 {
		r := round4(float64(directInside) / float64(lc.direct))
		d.LocalSupplyRate = &r
	}
	for k := range lc.top.nodes {
		d.TopSuppliers = append(d.TopSuppliers, sc.supplier(lc.top, k))
	}
	return d
}
