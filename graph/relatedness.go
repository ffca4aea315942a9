package graph

import (
	"cmp"
	"math/bits"
	"slices"
	"sync"

	"chainscope"
)

// Suggestion is one segment a county could grow next (SPEC §11).
type Suggestion struct {
	Segment string    `json:"segment"`
	Chain   string    `json:"chain"`
	Density float64   `json:"density"` // d(c, s) rounded to 4 decimals
	Because []Because `json:"because"` // never nil: [] when none
}

// Because is a segment the county has that sits near the suggestion.
type Because struct {
	Segment   string  `json:"segment"`
	Proximity float64 `json:"proximity"` // φ(s, t) rounded to 4 decimals
}

// Relatedness is the answer of SPEC §11 for one county.
type Relatedness struct {
	Area        string       `json:"area"`
	Chain       string       `json:"chain"`       // "" for every chain
	Suggestions []Suggestion `json:"suggestions"` // never nil
}

// MaxBecause is how many segments a suggestion's because lists at most.
const MaxBecause = 3

// relatednessCache is SPEC §11 for every county at once, computed once per
// Index on first use. A patched Index is a new value (see shell) and so
// starts with an empty cache.
//
// Counties are the areas of the Index (slot k is ix.areas[k]); segments are
// the segment numbers 0..S-1 (dataset order).
type relatednessCache struct {
	once sync.Once
	nA   int       // counties
	nS   int       // segments
	wS   int       // uint64 words of a county's row
	row  []uint64  // M: county k's segments at row[k*wS:(k+1)*wS]
	phi  []float64 // φ(s, t) at phi[s*nS+t]; 0 on the diagonal
	dens []float64 // d(c, s) at dens[k*nS+s], unrounded
	// near[nearOff[s]:nearOff[s+1]] are the t with φ(s, t) > 0, by φ rounded
	// to 4 decimals descending, then id ascending: the because candidates.
	nearOff []int32
	near    []int32
	rank    []int32 // segment number → position in ascending id order
	chainOf []int32 // segment number → chain
}

func (rc *relatednessCache) has(k, s int) bool {
	return rc.row[k*rc.wS+s>>6]&(1<<(uint(s)&63)) != 0
}

// relatedness returns the computed cache.
func (ix *Index) relatedness() *relatednessCache {
	rc := &ix.related
	rc.once.Do(func() { ix.computeRelatedness(rc) })
	return rc
}

// computeRelatedness fills rc from the nodes of ix: presence from the nodes
// that lie in a county (bucket > 0: enterprises and live projects, zones
// folded into their county, records of the region itself left out), then
// ubiquity, proximity and density per SPEC §11.
func (ix *Index) computeRelatedness(rc *relatednessCache) {
	nA, nS := len(ix.areas), len(ix.segID)
	wA, wS := (nA+63)/64, (nS+63)/64
	rc.nA, rc.nS, rc.wS = nA, nS, wS
	rc.row = make([]uint64, nA*wS)
	col := make([]uint64, nS*wA) // segment s's counties at col[s*wA:(s+1)*wA]
	for v, b := range ix.bucket {
		if b == 0 {
			continue
		}
		k := int(b - 1)
		for _, s := range ix.segs[ix.segOff[v]:ix.segOff[v+1]] {
			rc.row[k*wS+int(s>>6)] |= 1 << (uint(s) & 63)
			col[int(s)*wA+k>>6] |= 1 << (uint(k) & 63)
		}
	}
	u := make([]int, nS)
	for s := range nS {
		for _, x := range col[s*wA : (s+1)*wA] {
			u[s] += bits.OnesCount64(x)
		}
	}
	// φ is symmetric: count each pair once.
	rc.phi = make([]float64, nS*nS)
	for s := range nS {
		if u[s] == 0 {
			continue
		}
		cs := col[s*wA : (s+1)*wA]
		for t := s + 1; t < nS; t++ {
			if u[t] == 0 {
				continue
			}
			ct := col[t*wA : (t+1)*wA]
			both := 0
			for i, x := range cs {
				both += bits.OnesCount64(x & ct[i])
			}
			if both == 0 {
				continue
			}
			p := float64(both) / float64(max(u[s], u[t]))
			rc.phi[s*nS+t], rc.phi[t*nS+s] = p, p
		}
	}
	// Density: numerator over the segments the county has, in ascending
	// segment order (the order of the denominator's sum as well).
	den := make([]float64, nS)
	for s := range nS {
		for _, p := range rc.phi[s*nS : (s+1)*nS] {
			den[s] += p
		}
	}
	rc.dens = make([]float64, nA*nS)
	have := make([]int32, 0, nS)
	for k := range nA {
		have = have[:0]
		for w, x := range rc.row[k*wS : (k+1)*wS] {
			for x != 0 {
				have = append(have, int32(w*64+bits.TrailingZeros64(x)))
				x &= x - 1
			}
		}
		d := rc.dens[k*nS : (k+1)*nS]
		for s := range nS {
			if den[s] == 0 {
				continue
			}
			ps := rc.phi[s*nS : (s+1)*nS]
			num := 0.0
			for _, t := range have {
				num += ps[t] // φ(s, s) = 0
			}
			d[s] = num / den[s]
		}
	}
	// Ranks by id, chains, and the because candidates of every segment.
	byID := make([]int32, nS)
	for s := range byID {
		byID[s] = int32(s)
	}
	slices.SortFunc(byID, func(a, b int32) int { return cmp.Compare(ix.segID[a], ix.segID[b]) })
	rc.rank = make([]int32, nS)
	for r, s := range byID {
		rc.rank[s] = int32(r)
	}
	rc.chainOf = ix.segChains()
	rc.nearOff = make([]int32, nS+1)
	for s := range nS {
		start := len(rc.near)
		for _, t := range byID {
			if rc.phi[s*nS+int(t)] > 0 {
				rc.near = append(rc.near, t)
			}
		}
		ps := rc.phi[s*nS : (s+1)*nS]
		slices.SortStableFunc(rc.near[start:], func(a, b int32) int {
			return cmp.Compare(round4(ps[b]), round4(ps[a])) // ties keep id order
		})
		rc.nearOff[s+1] = int32(len(rc.near))
	}
}

// countySlot resolves area to a county's slot in ix.areas: a zone, "*" or
// the region's own code is EINVALID, an unknown code ENOTFOUND.
func (ix *Index) countySlot(area string) (int, error) {
	if area == AllAreas || area == ix.region {
		return 0, chainscope.Localizedf(chainscope.EINVALID, "延链建议只针对县区，%q 不是县区", "relatedness needs a county, not %q", area)
	}
	c, ok := ix.countyIdx[area]
	if !ok {
		return 0, notFoundArea(area)
	}
	if ix.counties[c].zone || ix.counties[c].slot < 0 {
		return 0, chainscope.Localizedf(chainscope.EINVALID, "延链建议只针对县区，%q 是开发区", "relatedness needs a county, %q is a zone", area)
	}
	return int(ix.counties[c].slot), nil
}

// Related returns the suggestions for county area (a district, county or city code, with its zones folded
// in), optionally only segments of chain (""= all), at most limit (limit <= 0: all).
// An area that is not a county (a zone, "*", the region's own code) is a *chainscope.Error EINVALID;
// an unknown area or chain is ENOTFOUND.
//
// Presence, proximity and density are computed for every county at once
// on the first call and kept with the Index; a call then costs a sort of
// the county's missing segments.
func (ix *Index) Related(area, chain string, limit int) (*Relatedness, error) {
	k, err := ix.countySlot(area)
	if err != nil {
		return nil, err
	}
	lo, hi := 0, len(ix.segID)
	if chain != "" {
		ci, err := ix.lookupChain(chain)
		if err != nil {
			return nil, err
		}
		lo, hi = int(ix.chains[ci].first), int(ix.chains[ci].end)
	}
	rc := ix.relatedness()
	type cand struct {
		s    int32
		d    float64 // rounded
		rank int32
	}
	d := rc.dens[k*rc.nS : (k+1)*rc.nS]
	cands := make([]cand, 0, hi-lo)
	for s := lo; s < hi; s++ {
		if !rc.has(k, s) {
			cands = append(cands, cand{int32(s), round4(d[s]), rc.rank[s]})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.d, a.d); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	})
	if limit > 0 && len(cands) > limit {
		cands = cands[:limit]
	}
	res := &Relatedness{Area: area, Chain: chain, Suggestions: make([]Suggestion, len(cands))}
	for i, c := range cands {
		sg := Suggestion{
			Segment: ix.segID[c.s],
			Chain:   ix.chains[rc.chainOf[c.s]].id,
			Density: c.d,
			Because: []Because{},
		}
		ps := rc.phi[int(c.s)*rc.nS : int(c.s+1)*rc.nS]
		for _, t := range rc.near[rc.nearOff[c.s]:rc.nearOff[c.s+1]] {
			if !rc.has(k, int(t)) {
				continue
			}
			sg.Because = append(sg.Because, Because{Segment: ix.segID[t], Proximity: round4(ps[t])})
			if len(sg.Because) == MaxBecause {
				break
			}
		}
		res.Suggestions[i] = sg
	}
	return res, nil
}

// ChainCloseness is the mean d(c, s) over the segments s of chain that county area lacks (M(c, s) = 0),
// rounded to 4 decimals; ok is false when the county lacks none of them (or area/chain is not a county/chain).
// The cluster map colours county × chain cells with it.
func (ix *Index) ChainCloseness(area, chain string) (closeness float64, ok bool) {
	k, err := ix.countySlot(area)
	if err != nil {
		return 0, false
	}
	ci, err := ix.lookupChain(chain)
	if err != nil {
		return 0, false
	}
	rc := ix.relatedness()
	sum, n := 0.0, 0
	for s := int(ix.chains[ci].first); s < int(ix.chains[ci].end); s++ {
		if !rc.has(k, s) {
			sum += rc.dens[k*rc.nS+s]
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return round4(sum / float64(n)), true
}
