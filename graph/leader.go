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

// LeaderDependency is Index.LeaderDependency of the scope.
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
				up := ix.upstream(w, leaders[i], LeaderTop)
				out[i] = sc.summarise(leaders[i], up)
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
	up := ix.upstream(w, int32(v), -1)
	ix.pool.Put(w)
	offset = max(offset, 0)
	end := len(up.nodes)
	if limit > 0 {
		end = min(end, offset+limit)
	}
	p := &SupplierPage{Leader: id, Area: sc.Area(), Chain: sc.Chain(), Total: len(up.nodes), Direct: up.direct,
		Indirect: len(up.nodes) - up.direct, Offset: offset, Limit: limit, Items: []Supplier{}}
	for k := offset; k < end; k++ {
		p.Items = append(p.Items, sc.supplier(up, k))
	}
	return p, nil
}

// upstreamSet is everything upstream of one leader, in supplier order (or
// its first few: see upstream).
type upstreamSet struct {
	nodes     []int32 // suppliers, closest first (see Supplier)
	dist      []int32 // parallel to nodes
	dominates []int32 // parallel to nodes
	direct    int     // suppliers at distance 1
}

// upstream searches the reversed supply graph from leader: the dominator
// tree (Lengauer–Tarjan straight on the region's CSR: successors are
// suppliers, predecessors customers, customers not upstream skipped as
// unreachable) and the breadth-first distances. With first ≥ 0 only the
// first that many suppliers are put in supplier order, the rest follow in
// breadth-first order (a summary needs the closest few and counts).
func (ix *Index) upstream(w *work, leader int32, first int) upstreamSet {
	n := len(ix.ids)
	w.dom.run(ix.in.Offsets, ix.in.Targets, ix.out.Offsets, ix.out.Targets, n, leader, nil)
	pre := w.dom.vertex // preorder: the leader first
	m := len(pre)
	// An immediate dominator is a proper ancestor in the search tree, so it
	// comes earlier in preorder: one backward sweep sums the sizes of
	// dominator subtrees.
	sub := grow(w.sub, m)
	clear(sub)
	w.sub = sub
	for i := m - 1; i >= 1; i-- {
		sub[i]++
		sub[w.dom.dom[i]] += sub[i]
	}
	// Breadth-first distances over the same nodes, numbered by preorder
	// (w.dom.pre maps a node to it).
	dist := fill(grow(w.dist, m), -1)
	w.dist = dist
	queue := append(w.queue[:0], 0)
	dist[0] = 0
	for h := 0; h < len(queue); h++ {
		i := queue[h]
		for _, u := range ix.in.Neighbors(pre[i]) {
			if j := w.dom.pre[u]; dist[j] < 0 {
				dist[j] = dist[i] + 1
				queue = append(queue, j)
			}
		}
	}
	w.queue = queue
	// The queue holds every supplier by distance: only the distances up to
	// the first-th supplier's need sorting.
	order := slices.Clone(queue[1:])
	sorted := order
	if first >= 0 && first < len(order) {
		end := first
		if first > 0 {
			last := dist[order[first-1]]
			for end < len(order) && dist[order[end]] == last {
				end++
			}
		}
		sorted = order[:end]
	}
	slices.SortFunc(sorted, func(a, b int32) int {
		if c := cmp.Compare(dist[a], dist[b]); c != 0 {
			return c
		}
		if c := cmp.Compare(sub[b], sub[a]); c != 0 {
			return c
		}
		return cmp.Compare(pre[a], pre[b]) // node numbers follow id order
	})
	up := upstreamSet{nodes: make([]int32, m-1), dist: make([]int32, m-1), dominates: make([]int32, m-1)}
	for k, i := range order {
		up.nodes[k], up.dist[k], up.dominates[k] = pre[i], dist[i], sub[i]-1
		if dist[i] == 1 {
			up.direct++
		}
	}
	return up
}

// supplier is the k-th supplier of up as the answer shows it.
func (sc *Scope) supplier(up upstreamSet, k int) Supplier {
	ix, v := sc.ix, up.nodes[k]
	return Supplier{ID: ix.ids[v], Name: ix.names[v], County: ix.countyCode(v), Distance: int(up.dist[k]),
		Inside: ix.inArea(sc.sel, v), Dominates: int(up.dominates[k])}
}

// areaCode is the code of the county area node v counts in (a zone's
// county), the region's code when it lies in none.
func (ix *Index) areaCode(v int32) string {
	if k := ix.county[v]; k >= 0 {
		if top := ix.counties[k].top; top >= 0 {
			return ix.counties[top].code
		}
	}
	return ix.region
}

// summarise sizes one leader's upstream set for a person.
func (sc *Scope) summarise(leader int32, up upstreamSet) LeaderDependency {
	ix := sc.ix
	d := LeaderDependency{
		ID: ix.ids[leader], Name: ix.names[leader], Direct: up.direct, Indirect: len(up.nodes) - up.direct,
		ByCounty: []CountyCount{}, Dominators: []Dominator{}, TopSuppliers: []Supplier{},
	}
	byCounty := map[string]*CountyCount{}
	for k, v := range up.nodes {
		in := ix.inArea(sc.sel, v)
		if in {
			d.Inside++
		} else {
			d.Outside++
		}
		code := ix.areaCode(v)
		cc := byCounty[code]
		if cc == nil {
			cc = &CountyCount{County: code}
			byCounty[code] = cc
		}
		cc.Suppliers++
		if up.dist[k] == 1 {
			cc.Direct++
			if !in {
				d.DirectOutside++
			}
		}
		if up.dominates[k] > 0 {
			d.DominatorsTotal++
			d.Dominators = append(d.Dominators, Dominator{ID: ix.ids[v], Dominates: int(up.dominates[k])})
		}
	}
	for _, cc := range byCounty {
		d.ByCounty = append(d.ByCounty, *cc)
	}
	slices.SortFunc(d.ByCounty, func(a, b CountyCount) int {
		if c := cmp.Compare(b.Suppliers, a.Suppliers); c != 0 {
			return c
		}
		return cmp.Compare(a.County, b.County)
	})
	slices.SortFunc(d.Dominators, func(a, b Dominator) int {
		if c := cmp.Compare(b.Dominates, a.Dominates); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	d.Dominators = d.Dominators[:min(len(d.Dominators), LeaderTop)]
	if up.direct > 0 {
		r := round4(float64(up.direct-d.DirectOutside) / float64(up.direct))
		d.LocalSupplyRate = &r
	}
	for k := range min(len(up.nodes), LeaderTop) {
		d.TopSuppliers = append(d.TopSuppliers, sc.supplier(up, k))
	}
	return d
}
