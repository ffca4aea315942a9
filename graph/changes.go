package graph

import (
	"slices"

	"chainscope"
)

// Changes is the diff of SPEC §8 between the dataset at revision From and
// the one at revision To: the records that differ, field by field, and the
// scopes whose weak-link picture moved.
type Changes struct {
	From    int64          `json:"from"`
	To      int64          `json:"to"`
	Records []RecordChange `json:"records"`
	Scopes  []ScopeChange  `json:"scopes"`
}

// RecordChange is one record added, changed or removed. Its key is ID (a
// county's code, the region's code), From and To for a link, Area, From
// and To for a report.
type RecordChange struct {
	Kind   string            `json:"kind"`
	ID     string            `json:"id,omitempty"`
	Area   string            `json:"area,omitempty"`
	From   string            `json:"from,omitempty"`
	To     string            `json:"to,omitempty"`
	Change string            `json:"change"`
	Fields map[string][2]any `json:"fields,omitempty"`
}

// ScopeChange is a scope whose completeness, segment statuses or cut nodes
// differ. A value is null at an end where the scope does not exist (its
// area or chain was added or removed).
type ScopeChange struct {
	Area         string                `json:"area"`
	Chain        string                `json:"chain"`
	Completeness [2]*float64           `json:"completeness"`
	Segments     []SegmentStatusChange `json:"segments"`
	CutNodes     CutNodeChange         `json:"cut_nodes"`
}

// SegmentStatusChange is a segment whose status differs ("" where absent).
type SegmentStatusChange struct {
	ID     string     `json:"id"`
	Status [2]*Status `json:"status"`
}

// CutNodeChange lists the cut nodes that appeared and disappeared, by id
// in ascending byte order.
type CutNodeChange struct {
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

// Diff compares two datasets and their indexes (SPEC §8). The records are
// listed kind by kind (region, county, chain, segment, enterprise, project,
// link), each kind in the order of b, removed records after; scopes are
// "*" and then every county and zone of either end in code order, each
// with every chain of either end in dataset order.
func Diff(a, b *chainscope.Dataset, ixA, ixB *Index) (*Changes, error) {
	records, err := chainscope.DiffDatasets(a, b)
	if err != nil {
		return nil, err
	}
	out := &Changes{Records: make([]RecordChange, 0, len(records)), Scopes: []ScopeChange{}}
	for _, c := range records {
		rc := RecordChange{Kind: c.Kind, ID: c.Key, Change: c.Change()}
		switch c.Kind {
		case chainscope.RecordLink:
			rc.ID = ""
			rc.From, rc.To = chainscope.SplitLinkKey(c.Key)
		case chainscope.RecordReport:
			rc.ID = ""
			rc.Area, rc.From, rc.To = chainscope.SplitReportKey(c.Key)
		case chainscope.RecordRegion:
			rec := c.After
			if rec == nil {
				rec = c.Before
			}
			rc.ID = rec.(*chainscope.Region).Code
		}
		if c.Before != nil && c.After != nil {
			rc.Fields = map[string][2]any{}
			for _, f := range chainscope.ChangedFields(c.Before, c.After) {
				rc.Fields[f.Name] = [2]any{f.Before, f.After}
			}
		}
		out.Records = append(out.Records, rc)
	}

	areas := []string{AllAreas}
	var codes []string
	for _, ds := range []*chainscope.Dataset{a, b} {
		for i := range ds.Counties {
			codes = append(codes, ds.Counties[i].Code)
		}
	}
	slices.Sort(codes)
	areas = append(areas, slices.Compact(codes)...)
	var chains []string
	for _, ds := range []*chainscope.Dataset{a, b} {
		for i := range ds.Chains {
			if !slices.Contains(chains, ds.Chains[i].ID) {
				chains = append(chains, ds.Chains[i].ID)
			}
		}
	}
	for _, area := range areas {
		for _, chain := range chains {
			if sc, moved := scopeChange(ixA, ixB, area, chain); moved {
				out.Scopes = append(out.Scopes, sc)
			}
		}
	}
	return out, nil
}

// scopeChange compares one scope at both ends.
func scopeChange(ixA, ixB *Index, area, chain string) (ScopeChange, bool) {
	sc := ScopeChange{Area: area, Chain: chain, Segments: []SegmentStatusChange{},
		CutNodes: CutNodeChange{Added: []string{}, Removed: []string{}}}
	var ends [2]*Analysis
	for i, ix := range []*Index{ixA, ixB} {
		if ix == nil {
			continue
		}
		if an, err := ix.Analyze(area, chain); err == nil {
			ends[i] = an
			v := an.Completeness
			sc.Completeness[i] = &v
		}
	}
	if ends[0] == nil && ends[1] == nil {
		return sc, false
	}
	moved := ends[0] == nil || ends[1] == nil || *sc.Completeness[0] != *sc.Completeness[1]

	// Segment statuses, in the order of the later end, then segments only
	// the earlier end has.
	status := func(an *Analysis) map[string]Status {
		m := map[string]Status{}
		if an != nil {
			for _, s := range an.Segments {
				m[s.ID] = s.Status
			}
		}
		return m
	}
	before, after := status(ends[0]), status(ends[1])
	var ids []string
	for _, an := range []*Analysis{ends[1], ends[0]} {
		if an != nil {
			for _, s := range an.Segments {
				if !slices.Contains(ids, s.ID) {
					ids = append(ids, s.ID)
				}
			}
		}
	}
	for _, id := range ids {
		x, okX := before[id]
		y, okY := after[id]
		if okX && okY && x == y {
			continue
		}
		var st [2]*Status
		if okX {
			st[0] = &x
		}
		if okY {
			st[1] = &y
		}
		sc.Segments = append(sc.Segments, SegmentStatusChange{ID: id, Status: st})
		moved = true
	}

	cuts := func(an *Analysis) []string {
		var out []string
		if an != nil {
			for _, c := range an.CutNodes {
				out = append(out, c.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	ca, cb := cuts(ends[0]), cuts(ends[1])
	for _, id := range cb {
		if _, found := slices.BinarySearch(ca, id); !found {
			sc.CutNodes.Added = append(sc.CutNodes.Added, id)
		}
	}
	for _, id := range ca {
		if _, found := slices.BinarySearch(cb, id); !found {
			sc.CutNodes.Removed = append(sc.CutNodes.Removed, id)
		}
	}
	if len(sc.CutNodes.Added)+len(sc.CutNodes.Removed) > 0 {
		moved = true
	}
	return sc, moved
}
