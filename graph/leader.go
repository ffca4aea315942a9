package graph

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// LeaderDependency is how a chain leader (链主) depends on its suppliers,
// computed on the region-wide supply links (every chain, every area).
type LeaderDependency struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// DirectSuppliers are the nodes with a link to the leader, ascending.
	DirectSuppliers []string `json:"direct_suppliers"`
	// IndirectSuppliers are the nodes upstream of the leader over two or
	// more links and not direct suppliers, ascending.
	IndirectSuppliers []string `json:"indirect_suppliers"`
	// Dominators are the choke points of the leader's supply: node d is
	// listed when some other upstream node reaches the leader only through d
	// (d dominates it in the reversed supply graph rooted at the leader).
	// Dominates counts those nodes. The leader itself is never listed.
	// Sorted by Dominates descending, then id.
	Dominators []Dominator `json:"dominators"`
	// LocalSupplyRate (本地配套率) is the share of the leader's direct
	// supplier links whose supplier lies inside the area, rounded to 4
	// decimals; nil (JSON null) when the leader has no supplier.
	LocalSupplyRate *float64 `json:"local_supply_rate"`
	// OutsideSuppliers are the direct suppliers outside the area, ascending.
	OutsideSuppliers []string `json:"outside_suppliers"`
}

// Dominator is a supplier every supply path from Dominates other upstream
// nodes into a chain leader passes through.
type Dominator struct {
	ID        string `json:"id"`
	Dominates int    `json:"dominates"`
}

// LeaderDependency reports, for every enterprise located in the area that
// leads the chain (leader_of lists it), its supply dependency: direct and
// indirect suppliers, dominators, local supply rate and outside suppliers.
// A leader counts whether or not it lists a segment of the chain. Leaders
// are in id order; the result is empty, not nil, when there is none. Area
// and chain are resolved as in Analyze.
func (ix *Index) LeaderDependency(area, chainID string) ([]LeaderDependency, error) {
	sc, err := ix.Scope(area, chainID)
	if err != nil {
		return nil, err
	}
	return sc.LeaderDependency(), nil
}

// LeaderDependency is Index.LeaderDependency of the scope.
func (sc *Scope) LeaderDependency() []LeaderDependency {
	ix, sel, c := sc.ix, sc.sel, sc.ci
	var leaders []int32
	for v := int32(0); int(v) < len(ix.ids); v++ {
		if !ix.project[v] && ix.inArea(sel, v) && slices.Contains(ix.leads[ix.leadOff[v]:ix.leadOff[v+1]], c) {
			leaders = append(leaders, v)
		}
	}
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
				out[i] = ix.leaderDependency(w, sel, leaders[i])
			}
		})
	}
	wg.Wait()
	return out
}

func (ix *Index) leaderDependency(w *work, sel areaSel, leader int32) LeaderDependency {
	d := LeaderDependency{
		ID:                ix.ids[leader],
		Name:              ix.names[leader],
		DirectSuppliers:   []string{},
		IndirectSuppliers: []string{},
		Dominators:        []Dominator{},
		OutsideSuppliers:  []string{},
	}
	direct := ix.in.Neighbors(leader)
	inside := 0
	for _, u := range direct {
		d.DirectSuppliers = append(d.DirectSuppliers, ix.ids[u])
		if ix.inArea(sel, u) {
			inside++
		} else {
			d.OutsideSuppliers = append(d.OutsideSuppliers, ix.ids[u])
		}
	}
	if len(direct) > 0 {
		r := round4(float64(inside) / float64(len(direct)))
		d.LocalSupplyRate = &r
	}

	// Dominators in the reversed supply graph rooted at the leader, run
	// straight on the region's CSR: successors are suppliers (in), and
	// predecessors are customers (out); customers not upstream are skipped
	// as unreachable. The search visits exactly the upstream set.
	n := len(ix.ids)
	w.idom = fill(grow(w.idom, n), -1)
	w.dom.run(ix.in.Offsets, ix.in.Targets, ix.out.Offsets, ix.out.Targets, n, leader, w.idom)
	up := w.dom.vertex
	indirect := make([]int32, 0, len(up))
	for _, u := range up[1:] {
		if _, isDirect := slices.BinarySearch(direct, u); !isDirect {
			indirect = append(indirect, u)
		}
	}
	slices.Sort(indirect)
	for _, u := range indirect {
		d.IndirectSuppliers = append(d.IndirectSuppliers, ix.ids[u])
	}
	// An immediate dominator is a proper ancestor in the search tree, so it
	// comes earlier in preorder: one backward sweep sums the sizes of
	// dominator subtrees.
	sub := grow(w.sub, len(up))
	clear(sub)
	w.sub = sub
	for i := len(up) - 1; i >= 1; i-- {
		sub[i]++
		sub[w.dom.dom[i]] += sub[i]
	}
	for i := 1; i < len(up); i++ {
		if sub[i] > 1 {
			d.Dominators = append(d.Dominators, Dominator{ID: ix.ids[up[i]], Dominates: int(sub[i] - 1)})
		}
	}
	slices.SortFunc(d.Dominators, func(a, b Dominator) int {
		if c := cmp.Compare(b.Dominates, a.Dominates); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return d
}
