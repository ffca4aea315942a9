package graph

import (
	"slices"
	"sync"
)

// structure keeps what an Index computes from its graph alone — the node
// numbering, the supply links and the nodes' counties — on first use: each
// chain leader's upstream summary, the cut totals of project impact per
// scope and the betweenness. Patch hands it to the next Index when the edit
// left all of those as they were (a name, an amount or a status changed,
// say), so that the first reader after such a write does not pay for them
// again; otherwise the next Index starts an empty one. It is shared by the
// Indexes that hold it, which serve concurrently.
type structure struct {
	// What the entries were computed on (compared by identity: Patch
	// shares these with the next Index only when they did not change).
	out, in, und *CSR
	county       []int32

	mu      sync.Mutex
	leaders map[int32]*leaderCore // by leader node
	cuts    map[cutKey]*cutTotals

	betweenness betweennessCache
}

// cutKey names one scope: its chain and its area code.
type cutKey struct {
	chain int32
	area  string
}

// cutTotals are, for the scope's node set nodes, the CutImpactRemoved of
// each project computed so far (by node number): it depends on the scope's
// graph alone, not on the project's status or any other field.
type cutTotals struct {
	nodes   []int32
	mu      sync.Mutex
	removed map[int32]int
}

// structure returns ix's structure, making an empty one on first use.
func (ix *Index) structure() *structure {
	if s := ix.shared.Load(); s != nil {
		return s
	}
	s := &structure{out: ix.out, in: ix.in, und: ix.und, county: ix.county,
		leaders: map[int32]*leaderCore{}, cuts: map[cutKey]*cutTotals{}}
	if ix.shared.CompareAndSwap(nil, s) {
		return s
	}
	return ix.shared.Load()
}

// carryStructure gives nix (a patch of ix) ix's structure when nix has
// ix's links, numbering and counties: the very same slices, which Patch
// shares exactly when they did not change.
func (nix *Index) carryStructure(ix *Index) {
	s := ix.shared.Load()
	if s == nil || nix.out != s.out || nix.in != s.in || nix.und != s.und || !sameSlice(nix.county, s.county) ||
		len(nix.ids) != len(ix.ids) {
		return
	}
	nix.shared.Store(s)
}

// sameSlice reports whether a and b are the same slice (not merely equal).
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// leaderCore returns the scope-free summary of leader's upstream,
// computing it on first use.
func (ix *Index) leaderCore(w *work, leader int32) *leaderCore {
	s := ix.structure()
	s.mu.Lock()
	lc := s.leaders[leader]
	s.mu.Unlock()
	if lc != nil {
		return lc
	}
	ix.searchUpstream(w, leader)
	lc = ix.newLeaderCore(w)
	s.mu.Lock()
	s.leaders[leader] = lc
	s.mu.Unlock()
	return lc
}

// cutTotalsOf returns the cut totals kept for the scope (key) when they
// were computed on the same node set, else an empty record for it.
func (ix *Index) cutTotalsOf(key cutKey, nodes []int32) *cutTotals {
	s := ix.structure()
	s.mu.Lock()
	defer s.mu.Unlock()
	ct := s.cuts[key]
	if ct == nil || !slices.Equal(ct.nodes, nodes) {
		ct = &cutTotals{nodes: slices.Clone(nodes), removed: map[int32]int{}}
		s.cuts[key] = ct
	}
	return ct
}

// lookup returns the totals known for the given nodes: known[k] is set
// when nodes[k]'s total is totals[k].
func (ct *cutTotals) lookup(nodes []int32) (totals []int, known []bool) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	totals, known = make([]int, len(nodes)), make([]bool, len(nodes))
	for k, v := range nodes {
		totals[k], known[k] = ct.removed[v]
	}
	return totals, known
}

// store keeps the totals of the given nodes.
func (ct *cutTotals) store(nodes []int32, totals []int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	for k, v := range nodes {
		ct.removed[v] = totals[k]
	}
}
