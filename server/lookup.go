package server

import (
	"sync"
	"sync/atomic"

	"chainscope"
)

// lookup indexes a dataset by key for the list filters and record views.
// Like its snapshot it never changes once built.
type lookup struct {
	ds       *chainscope.Dataset
	ent      map[string]int      // enterprise id → position in ds.Enterprises
	proj     map[string]int      // project id → position in ds.Projects
	county   map[string]int      // county or zone code → position in ds.Counties
	chain    map[string]int      // chain id → position in ds.Chains
	segment  map[string][2]int   // segment id → {chain position, segment position}
	children map[string][]string // county or zone code → zones whose parent it is

	adjOnce sync.Once
	adj     atomic.Pointer[linkAdjacency] // set once built (see links)
}

func newLookup(ds *chainscope.Dataset) *lookup {
	lk := &lookup{
		ds:       ds,
		ent:      make(map[string]int, len(ds.Enterprises)),
		proj:     make(map[string]int, len(ds.Projects)),
		county:   make(map[string]int, len(ds.Counties)),
		chain:    make(map[string]int, len(ds.Chains)),
		segment:  map[string][2]int{},
		children: map[string][]string{},
	}
	for i, e := range ds.Enterprises {
		lk.ent[e.ID] = i
	}
	for i, p := range ds.Projects {
		lk.proj[p.ID] = i
	}
	for i, c := range ds.Counties {
		lk.county[c.Code] = i
		if c.Kind == chainscope.KindZone && c.Parent != "" {
			lk.children[c.Parent] = append(lk.children[c.Parent], c.Code)
		}
	}
	for i, c := range ds.Chains {
		lk.chain[c.ID] = i
		for j, s := range c.Segments {
			lk.segment[s.ID] = [2]int{i, j}
		}
	}
	return lk
}

// sameSlice reports whether a and b are one slice (one array, one length):
// a dataset after an edit shares the lists the edit did not change.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// next returns the lookup of ds, a dataset after a single-record edit of
// the one lk indexes (see dataset.ApplyEdit): what ds shares with lk's
// dataset is shared, the rest rebuilt. sameNodes says the edit kept every
// enterprise and project id at its position (an update).
func (lk *lookup) next(ds *chainscope.Dataset, sameNodes bool) *lookup {
	old := lk.ds
	if !sameSlice(ds.Counties, old.Counties) || !sameSlice(ds.Chains, old.Chains) {
		return newLookup(ds)
	}
	n := &lookup{ds: ds, ent: lk.ent, proj: lk.proj, county: lk.county, chain: lk.chain, segment: lk.segment, children: lk.children}
	entSame := sameSlice(ds.Enterprises, old.Enterprises) || sameNodes && len(ds.Enterprises) == len(old.Enterprises)
	projSame := sameSlice(ds.Projects, old.Projects) || sameNodes && len(ds.Projects) == len(old.Projects)
	if !entSame {
		n.ent = make(map[string]int, len(ds.Enterprises))
		for i := range ds.Enterprises {
			n.ent[ds.Enterprises[i].ID] = i
		}
	}
	if !projSame {
		n.proj = make(map[string]int, len(ds.Projects))
		for i := range ds.Projects {
			n.proj[ds.Projects[i].ID] = i
		}
	}
	// The link adjacency numbers nodes and links by position: it holds
	// while neither moved.
	if a := lk.adj.Load(); a != nil && entSame && projSame && sameSlice(ds.Links, old.Links) {
		n.adj.Store(a)
		n.adjOnce.Do(func() {})
	}
	return n
}

// area returns the county codes a filter by code covers, as the analysis
// counts areas (SPEC §5): a county with the zones that lie in it, a zone
// with the zones nested in it. The region's own code stands for the
// records placed at the region itself (市本级). ok is false for an unknown
// code.
func (lk *lookup) area(code string) (set map[string]bool, ok bool) {
	if code == lk.ds.Region.Code && code != "" {
		return map[string]bool{code: true, "": true}, true
	}
	if _, known := lk.county[code]; !known {
		return nil, false
	}
	set = map[string]bool{}
	stack := []string{code}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if set[c] {
			continue
		}
		set[c] = true
		stack = append(stack, lk.children[c]...)
	}
	return set, true
}

// segmentChain returns the id of the chain segment s belongs to, "" if none.
func (lk *lookup) segmentChain(s string) string {
	if at, ok := lk.segment[s]; ok {
		return lk.ds.Chains[at[0]].ID
	}
	return ""
}

// firstChain is the position in the dataset of the chain of the first of
// segments, -1 when there is none.
func (lk *lookup) firstChain(segments []string) int {
	if len(segments) > 0 {
		if at, ok := lk.segment[segments[0]]; ok {
			return at[0]
		}
	}
	return -1
}

// node returns the county and segments of an enterprise or project.
func (lk *lookup) node(id string) (county string, segments []string, ok bool) {
	if i, found := lk.ent[id]; found {
		e := &lk.ds.Enterprises[i]
		return e.County, e.Segments, true
	}
	if i, found := lk.proj[id]; found {
		p := &lk.ds.Projects[i]
		return p.County, p.Segments, true
	}
	return "", nil, false
}

// linkAdjacency lists, for every enterprise and project, the positions in
// ds.Links of the links it supplies (out) and receives (in), in CSR form:
// node n is enterprise n, or project n-len(ds.Enterprises).
type linkAdjacency struct {
	outOff, out []int32
	inOff, in   []int32
}

// links returns the link adjacency, built on first use: a record view
// then costs its own links, not a scan of a million.
func (lk *lookup) links() *linkAdjacency {
	lk.adjOnce.Do(func() {
		ds := lk.ds
		n := len(ds.Enterprises) + len(ds.Projects)
		num := func(id string) int {
			if i, ok := lk.ent[id]; ok {
				return i
			}
			if i, ok := lk.proj[id]; ok {
				return len(ds.Enterprises) + i
			}
			return -1
		}
		from := make([]int32, len(ds.Links))
		to := make([]int32, len(ds.Links))
		a := &linkAdjacency{outOff: make([]int32, n+1), inOff: make([]int32, n+1)}
		for i, l := range ds.Links {
			from[i], to[i] = int32(num(l.From)), int32(num(l.To))
			if from[i] >= 0 {
				a.outOff[from[i]+1]++
			}
			if to[i] >= 0 {
				a.inOff[to[i]+1]++
			}
		}
		for v := range n {
			a.outOff[v+1] += a.outOff[v]
			a.inOff[v+1] += a.inOff[v]
		}
		a.out = make([]int32, a.outOff[n])
		a.in = make([]int32, a.inOff[n])
		outPos := append([]int32(nil), a.outOff[:n]...)
		inPos := append([]int32(nil), a.inOff[:n]...)
		for i := range ds.Links {
			if f := from[i]; f >= 0 {
				a.out[outPos[f]] = int32(i)
				outPos[f]++
			}
			if t := to[i]; t >= 0 {
				a.in[inPos[t]] = int32(i)
				inPos[t]++
			}
		}
		lk.adj.Store(a)
	})
	return lk.adj.Load()
}

// suppliers and customers return the links into and out of a node (n as
// in linkAdjacency), in dataset order.
func (lk *lookup) suppliers(n int) []chainscope.Link {
	a := lk.links()
	return lk.pick(a.in[a.inOff[n]:a.inOff[n+1]])
}

func (lk *lookup) customers(n int) []chainscope.Link {
	a := lk.links()
	return lk.pick(a.out[a.outOff[n]:a.outOff[n+1]])
}

// link returns the position in the dataset of the link from → to.
func (lk *lookup) link(from, to string) (int, bool) {
	n, ok := lk.ent[from]
	if !ok {
		i, isProject := lk.proj[from]
		if !isProject {
			return 0, false
		}
		n = len(lk.ds.Enterprises) + i
	}
	a := lk.links()
	for _, j := range a.out[a.outOff[n]:a.outOff[n+1]] {
		if lk.ds.Links[j].To == to {
			return int(j), true
		}
	}
	return 0, false
}

func (lk *lookup) pick(at []int32) []chainscope.Link {
	out := make([]chainscope.Link, len(at))
	for i, j := range at {
		out[i] = lk.ds.Links[j]
	}
	return out
}
