package graph

import (
	"slices"

	"chainscope"
)

// Portfolio holds the chains each county develops (SPEC §5 portfolio): a
// county's own `chains` and those of the zones that lie in it. What adds a
// county's gaps up across chains (the gap report and its workbook, the
// cluster map, the dashboard) counts only those chains and shows the
// others as 未布局 (not pursued); a county listing none pursues every chain.
type Portfolio struct {
	top    map[string]string          // county or zone code → the county (not zone) it counts in
	listed map[string]map[string]bool // county code → the chains it or its zones list
}

// NewPortfolio reads the portfolios of ds's counties. It needs no Index
// and takes a dataset that fails validation as it is (an unknown chain id
// is simply never asked about).
func NewPortfolio(ds *chainscope.Dataset) *Portfolio {
	p := &Portfolio{top: map[string]string{}, listed: map[string]map[string]bool{}}
	parent := map[string]string{}
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			parent[c.Code] = c.Parent
		}
	}
	for _, c := range ds.Counties {
		code := c.Code
		for steps := 0; steps <= len(parent); steps++ {
			up, zone := parent[code]
			if !zone {
				break
			}
			code = up
		}
		if _, zone := parent[code]; zone || code == "" || code == ds.Region.Code {
			continue // a zone in no county (or in a cycle): no county's portfolio
		}
		p.top[c.Code] = code
		for _, ch := range c.Chains {
			if p.listed[code] == nil {
				p.listed[code] = map[string]bool{}
			}
			p.listed[code][ch] = true
		}
	}
	return p
}

// Pursues reports whether area develops chain: always for "*", for an
// unknown code and for a county (or a zone, through the county it lies in)
// that lists no chains; otherwise when the county or one of its zones
// lists the chain.
func (p *Portfolio) Pursues(area, chain string) bool {
	set := p.listed[p.top[area]]
	return set == nil || area == AllAreas || set[chain]
}

// Listed returns the chains the county of area lists (its zones' included)
// in the order of chains, or nil when it lists none (every chain counts).
func (p *Portfolio) Listed(area string, chains []chainscope.Chain) []string {
	set := p.listed[p.top[area]]
	if set == nil || area == AllAreas {
		return nil
	}
	out := []string{}
	for _, c := range chains {
		if set[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

// MarkCluster sets NotPursued on the cells of the chains their county does
// not develop.
func (p *Portfolio) MarkCluster(cl *Cluster) {
	for i := range cl.Cells {
		cl.Cells[i].NotPursued = !p.Pursues(cl.Cells[i].Area, cl.Cells[i].Chain)
	}
}

// OpenLeads are the leads being pursued (在谈, SPEC §9: neither signed nor
// dropped) of an area, by the segment they would bring.
type OpenLeads map[string][]string // segment id → lead ids, byte order

// NewOpenLeads collects the open leads of area ("*" or a county or zone
// code, a county including its zones). An unknown area gives none.
func NewOpenLeads(ds *chainscope.Dataset, area string) OpenLeads {
	ol := OpenLeads{}
	in, err := NewAreaMatcher(ds, area)
	if err != nil {
		return ol
	}
	for i := range ds.Leads {
		l := &ds.Leads[i]
		if !l.Open() || !in.Holds(l.County) {
			continue
		}
		for _, s := range slices.Compact(slices.Sorted(slices.Values(l.Segments))) {
			ol[s] = append(ol[s], l.ID)
		}
	}
	for s := range ol {
		slices.Sort(ol[s])
	}
	return ol
}

// SegmentLeads names a missing segment of a scope that open leads would
// bring (在谈): the segment, how many leads and their ids.
type SegmentLeads struct {
	Segment   string   `json:"segment"`
	OpenLeads int      `json:"open_leads"`
	Leads     []string `json:"leads"`
}

// DriveReport is the scope's Report as officers read it, with the drive's
// records over it: the missing segments that open leads pursue (AddLeads)
// and whether the area's county develops the chain at all (NotPursued,
// 未布局, SPEC §5). GET /api/v1/analysis and `chainscope analyze` answer it.
func (sc *Scope) DriveReport(ds *chainscope.Dataset) *Report {
	r := sc.Report()
	r.AddLeads(NewOpenLeads(ds, sc.Area()))
	r.NotPursued = !NewPortfolio(ds).Pursues(sc.Area(), sc.Chain())
	return r
}

// AddLeads marks the report's missing segments that have open leads: each
// such gap target's OpenLeads, and Pursuing in the chain's segment order.
// The §5 status of the segments is unchanged.
func (r *Report) AddLeads(ol OpenLeads) {
	r.Pursuing = ol.Pursuing(r.Segments)
	MarkTargets(r.GapTargets, ol)
}

// Pursuing lists the missing segments among segs that have open leads
// (在谈), in segs' order; empty, not nil, when there are none.
func (ol OpenLeads) Pursuing(segs []SegmentResult) []SegmentLeads {
	out := []SegmentLeads{}
	for _, s := range segs {
		if ids := ol[s.ID]; s.Status == Missing && len(ids) > 0 {
			out = append(out, SegmentLeads{Segment: s.ID, OpenLeads: len(ids), Leads: ids})
		}
	}
	return out
}

// MarkTargets sets OpenLeads on the missing segments of targets.
func MarkTargets(targets []GapTarget, ol OpenLeads) {
	for i := range targets {
		if targets[i].Status == Missing {
			targets[i].OpenLeads = len(ol[targets[i].Segment])
		}
	}
}
