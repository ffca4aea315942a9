package chainscope

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The kinds of record that SPEC §8 versions and diffs, in the order a
// dataset lists them. A chain's segments are records of their own; its
// flows are one field of the chain.
const (
	RecordRegion     = "region"
	RecordCounty     = "county"
	RecordChain      = "chain"
	RecordSegment    = "segment"
	RecordEnterprise = "enterprise"
	RecordProject    = "project"
	RecordLink       = "link"
	RecordLead       = "lead"
	RecordReport     = "report"
)

// RecordKinds lists every kind of versioned record, in dataset order.
var RecordKinds = []string{RecordRegion, RecordCounty, RecordChain, RecordSegment, RecordEnterprise, RecordProject, RecordLink,
	RecordLead, RecordReport}

// ChainRecord is a chain as one versioned record: its fields without its
// segments (SPEC §8: a chain's fields are name, flows, source and note).
type ChainRecord struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Flows  []Flow `json:"flows"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}

// SegmentRecord is a segment as one versioned record, with the chain it
// belongs to.
type SegmentRecord struct {
	Chain string `json:"chain"`
	Segment
}

// RecordChange is one record added, changed or removed between two
// datasets. Before is nil for an addition, After nil for a removal; both
// are pointers to the record's type (*Region, *County, *ChainRecord,
// *SegmentRecord, *Enterprise, *Project, *Link, *Lead, *Report).
type RecordChange struct {
	Kind   string
	Key    string // see RecordKey
	Before any
	After  any
}

// Change names the change: "added", "changed" or "removed".
func (c *RecordChange) Change() string {
	switch {
	case c.Before == nil:
		return "added"
	case c.After == nil:
		return "removed"
	}
	return "changed"
}

// linkKeySep joins the two ends of a link key; ids never hold it.
const linkKeySep = "\x1f"

// LinkKey is the record key of the link from → to.
func LinkKey(from, to string) string { return from + linkKeySep + to }

// SplitLinkKey returns the ends of a link's record key.
func SplitLinkKey(key string) (from, to string) {
	from, to, _ = strings.Cut(key, linkKeySep)
	return from, to
}

// ReportKey is the record key of the report of area for from..to.
func ReportKey(area, from, to string) string { return area + linkKeySep + from + linkKeySep + to }

// SplitReportKey returns the area and bounds of a report's record key.
func SplitReportKey(key string) (area, from, to string) {
	area, rest, _ := strings.Cut(key, linkKeySep)
	from, to, _ = strings.Cut(rest, linkKeySep)
	return area, from, to
}

// RegionKey is the record key of the region: one dataset has one.
const RegionKey = "region"

// RecordKey returns the key of a record of kind: a county's code, a link's
// ends (LinkKey), a report's area and bounds (ReportKey), the id of
// anything else.
func RecordKey(rec any) string {
	switch r := rec.(type) {
	case *Region:
		return RegionKey
	case *County:
		return r.Code
	case *ChainRecord:
		return r.ID
	case *SegmentRecord:
		return r.ID
	case *Enterprise:
		return r.ID
	case *Project:
		return r.ID
	case *Link:
		return LinkKey(r.From, r.To)
	case *Lead:
		return r.ID
	case *Report:
		return ReportKey(r.Area, r.From, r.To)
	}
	panic(fmt.Sprintf("RecordKey: not a record: %T", rec))
}

// Field is one named field of a record with its value normalised for
// comparison (SPEC §8): absent, "" and an empty list are nil; an amount is
// a float64 (a count too); a list is a []string (flows as "from→to" pairs
// of a [][2]string); a lead's dates a map[string]string.
type Field struct {
	Name  string
	Value any
}

// Fields returns the fields of a record, in the order of SPEC §1, as the
// diff compares and reports them.
func Fields(rec any) []Field {
	switch r := rec.(type) {
	case *Region:
		return []Field{{"code", str(r.Code)}, {"name", str(r.Name)}, {"source", str(r.Source)}, {"note", str(r.Note)}}
	case *County:
		return []Field{{"code", str(r.Code)}, {"name", str(r.Name)}, {"kind", str(string(r.Kind))},
			{"parent", str(r.Parent)}, {"chains", list(r.Chains)}, {"source", str(r.Source)}, {"note", str(r.Note)}}
	case *ChainRecord:
		var flows any
		if len(r.Flows) > 0 {
			pairs := make([][2]string, len(r.Flows))
			for i, f := range r.Flows {
				pairs[i] = [2]string{f.From, f.To}
			}
			flows = pairs
		}
		return []Field{{"id", str(r.ID)}, {"name", str(r.Name)}, {"flows", flows}, {"source", str(r.Source)}, {"note", str(r.Note)}}
	case *SegmentRecord:
		return []Field{{"id", str(r.ID)}, {"chain", str(r.Chain)}, {"name", str(r.Name)}, {"stage", str(string(r.Stage))},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Enterprise:
		return []Field{{"id", str(r.ID)}, {"name", str(r.Name)}, {"uscc", str(r.USCC)}, {"county", str(r.County)},
			{"segments", list(r.Segments)}, {"leader_of", list(r.LeaderOf)}, {"output_wan", amount(r.OutputWan)},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Project:
		// emerging is always written (SPEC §2: a boolean), false included.
		return []Field{{"id", str(r.ID)}, {"name", str(r.Name)}, {"investor", str(r.Investor)}, {"county", str(r.County)},
			{"segments", list(r.Segments)}, {"investment_wan", amount(r.InvestmentWan)}, {"signed", str(r.Signed)},
			{"started", str(r.Started)}, {"status", str(string(r.Status))}, {"emerging", r.Emerging},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Link:
		return []Field{{"from", str(r.From)}, {"to", str(r.To)}, {"product", str(r.Product)},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Lead:
		var dates any
		if len(r.Dates) > 0 {
			dates = r.Dates
		}
		return []Field{{"id", str(r.ID)}, {"name", str(r.Name)}, {"uscc", str(r.USCC)}, {"enterprise", str(r.Enterprise)},
			{"county", str(r.County)}, {"segments", list(r.Segments)}, {"stage", str(string(r.Stage))}, {"dates", dates},
			{"project", str(r.Project)}, {"owner", str(r.Owner)}, {"reason", str(r.Reason)},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Report:
		return []Field{{"area", str(r.Area)}, {"from", str(r.From)}, {"to", str(r.To)},
			{"signed_projects", count(r.SignedProjects)}, {"investment_wan", amount(r.InvestmentWan)},
			{"emerging_projects", count(r.EmergingProjects)}, {"started_projects", count(r.StartedProjects)},
			{"due_projects", count(r.DueProjects)}, {"target_wan", amount(r.TargetWan)},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	}
	panic(fmt.Sprintf("Fields: not a record: %T", rec))
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func list(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func amount(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func count(v *int) any {
	if v == nil {
		return nil
	}
	return float64(*v)
}

// sameValue compares two normalised field values.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	case [][2]string:
		y, ok := b.([][2]string)
		return ok && slices.Equal(x, y)
	case map[string]string:
		y, ok := b.(map[string]string)
		return ok && maps.Equal(x, y)
	}
	return a == b
}

// FieldChange is one field whose value differs, as [before, after].
type FieldChange struct {
	Name          string
	Before, After any
}

// ChangedFields returns the fields whose values differ between two
// versions of one record, in field order.
func ChangedFields(before, after any) []FieldChange {
	a, b := Fields(before), Fields(after)
	var out []FieldChange
	for i := range a {
		if !sameValue(a[i].Value, b[i].Value) {
			out = append(out, FieldChange{a[i].Name, a[i].Value, b[i].Value})
		}
	}
	return out
}

// SameRecord reports whether two versions of a record hold the same values
// (SPEC §8's equality: absent, "" and [] are equal; lists compare in order).
func SameRecord(before, after any) bool {
	a, b := Fields(before), Fields(after)
	for i := range a {
		if !sameValue(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

// Record returns the record of kind with key (RecordKey) in ds, as
// DiffDatasets and the history see it, or nil.
func (ds *Dataset) Record(kind, key string) any {
	switch kind {
	case RecordRegion:
		if key == RegionKey && ds.Region.Code != "" {
			return &ds.Region
		}
	case RecordCounty:
		for i := range ds.Counties {
			if ds.Counties[i].Code == key {
				return &ds.Counties[i]
			}
		}
	case RecordChain:
		for _, c := range chainRecords(ds) {
			if c.ID == key {
				return c
			}
		}
	case RecordSegment:
		for _, s := range segmentRecords(ds) {
			if s.ID == key {
				return s
			}
		}
	case RecordEnterprise:
		for i := range ds.Enterprises {
			if ds.Enterprises[i].ID == key {
				return &ds.Enterprises[i]
			}
		}
	case RecordProject:
		for i := range ds.Projects {
			if ds.Projects[i].ID == key {
				return &ds.Projects[i]
			}
		}
	case RecordLink:
		from, to := SplitLinkKey(key)
		for i := range ds.Links {
			if l := &ds.Links[i]; l.From == from && l.To == to {
				return l
			}
		}
	case RecordLead:
		for i := range ds.Leads {
			if ds.Leads[i].ID == key {
				return &ds.Leads[i]
			}
		}
	case RecordReport:
		for i := range ds.Reports {
			if r := &ds.Reports[i]; ReportKey(r.Area, r.From, r.To) == key {
				return r
			}
		}
	}
	return nil
}

// DiffDatasets returns the records that differ from a to b: for each kind
// in RecordKinds order, the changed and added records in b's order, then
// the removed ones in a's order. Either dataset may be empty (a zero
// Dataset). Two records of one kind with one key in either dataset are an
// EINVALID error (Build refuses such a dataset).
func DiffDatasets(a, b *Dataset) ([]RecordChange, error) {
	d := &differ{}
	var ra, rb []*Region
	if a.Region.Code != "" {
		ra = []*Region{&a.Region}
	}
	if b.Region.Code != "" {
		rb = []*Region{&b.Region}
	}
	diffKind(d, RecordRegion, ra, rb, func(*Region) string { return RegionKey }, sameFields)
	diffKind(d, RecordCounty, ptrs(a.Counties), ptrs(b.Counties), func(c *County) string { return c.Code }, sameFields)
	diffKind(d, RecordChain, chainRecords(a), chainRecords(b), func(c *ChainRecord) string { return c.ID }, sameFields)
	diffKind(d, RecordSegment, segmentRecords(a), segmentRecords(b), func(s *SegmentRecord) string { return s.ID }, sameFields)
	diffKind(d, RecordEnterprise, ptrs(a.Enterprises), ptrs(b.Enterprises), func(e *Enterprise) string { return e.ID }, sameEnterprise)
	diffKind(d, RecordProject, ptrs(a.Projects), ptrs(b.Projects), func(p *Project) string { return p.ID }, sameProject)
	diffKind(d, RecordLink, ptrs(a.Links), ptrs(b.Links), func(l *Link) [2]string { return [2]string{l.From, l.To} }, sameLink)
	if len(a.Leads)+len(b.Leads) > 0 {
		diffKind(d, RecordLead, ptrs(a.Leads), ptrs(b.Leads), func(l *Lead) string { return l.ID }, sameFields)
	}
	if len(a.Reports)+len(b.Reports) > 0 {
		diffKind(d, RecordReport, ptrs(a.Reports), ptrs(b.Reports), func(r *Report) [3]string { return [3]string{r.Area, r.From, r.To} }, sameFields)
	}
	if d.dup != nil {
		return nil, d.dup
	}
	return d.out, nil
}

// differ collects the changes of DiffDatasets.
type differ struct {
	out []RecordChange
	dup error
}

func (d *differ) duplicate(kind, key string) {
	if d.dup == nil {
		if kind == RecordReport {
			area, from, to := SplitReportKey(key)
			key = area + " " + from + ".." + to
		} else if from, to, ok := strings.Cut(key, linkKeySep); ok {
			key = from + " → " + to
		}
		d.dup = Errorf(EINVALID, "数据集中有重复的%s %s，未保存任何数据 / the dataset holds %s %s twice; nothing was stored", kind, key, kind, key)
	}
}

// diffKind compares the records of one kind, matched by key. Records at
// the same position with the same key are matched without a map: a dataset
// compared with an edited copy of itself (an export imported again) needs
// none. The records of a must have unique keys (a is what is stored).
func diffKind[T any, K comparable](d *differ, kind string, as, bs []*T, key func(*T) K, same func(a, b *T) bool) {
	recordKey := func(r *T) string { return RecordKey(any(r)) }
	pair := make([]int32, len(bs)) // the index in as of bs[i]'s key, -1 for none
	seen := make([]bool, len(as))
	unmatched := 0
	for i, r := range bs {
		pair[i] = -1
		if i < len(as) && key(as[i]) == key(r) {
			pair[i], seen[i] = int32(i), true
		} else {
			unmatched++
		}
	}
	if unmatched > 0 {
		index := make(map[K]int32, len(as)-len(bs)+unmatched)
		for i, r := range as {
			if !seen[i] {
				index[key(r)] = int32(i)
			}
		}
		for i, r := range bs {
			if pair[i] >= 0 {
				continue
			}
			j, ok := index[key(r)]
			switch {
			case !ok:
				pair[i] = -1
				index[key(r)] = -1 - int32(i) // added: a second one is a duplicate
			case j < 0 || seen[j]:
				d.duplicate(kind, recordKey(r))
			default:
				pair[i], seen[j] = j, true
			}
		}
		// A key of b matched by position may also occur unmatched.
		for i, r := range bs {
			if pair[i] == int32(i) {
				if _, ok := index[key(r)]; ok && seen[i] {
					if j := index[key(r)]; j < 0 {
						d.duplicate(kind, recordKey(r))
					}
				}
			}
		}
	}
	for i, r := range bs {
		if j := pair[i]; j < 0 {
			d.out = append(d.out, RecordChange{Kind: kind, Key: recordKey(r), After: r})
		} else if !same(as[j], r) {
			d.out = append(d.out, RecordChange{Kind: kind, Key: recordKey(r), Before: as[j], After: r})
		}
	}
	for i, r := range as {
		if !seen[i] {
			d.out = append(d.out, RecordChange{Kind: kind, Key: recordKey(r), Before: r})
		}
	}
}

func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func chainRecords(ds *Dataset) []*ChainRecord {
	out := make([]*ChainRecord, len(ds.Chains))
	for i := range ds.Chains {
		c := &ds.Chains[i]
		out[i] = &ChainRecord{ID: c.ID, Name: c.Name, Flows: c.Flows, Source: c.Source, Note: c.Note}
	}
	return out
}

func segmentRecords(ds *Dataset) []*SegmentRecord {
	var out []*SegmentRecord
	for i := range ds.Chains {
		c := &ds.Chains[i]
		for j := range c.Segments {
			out = append(out, &SegmentRecord{Chain: c.ID, Segment: c.Segments[j]})
		}
	}
	return out
}

// sameFields is SameRecord, for the kinds with few records.
func sameFields[T any](a, b *T) bool { return SameRecord(a, b) }

// sameEnterprise, sameProject and sameLink decide what SameRecord decides
// without building field lists, for the kinds a province has hundreds of
// thousands of; a test checks them against SameRecord.
func sameEnterprise(a, b *Enterprise) bool {
	return a.ID == b.ID && a.Name == b.Name && a.USCC == b.USCC && a.County == b.County &&
		slices.Equal(a.Segments, b.Segments) && slices.Equal(a.LeaderOf, b.LeaderOf) &&
		sameAmount(a.OutputWan, b.OutputWan) && a.Source == b.Source && a.Note == b.Note
}

func sameProject(a, b *Project) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Investor == b.Investor && a.County == b.County &&
		slices.Equal(a.Segments, b.Segments) && sameAmount(a.InvestmentWan, b.InvestmentWan) &&
		a.Signed == b.Signed && a.Started == b.Started && a.Status == b.Status && a.Emerging == b.Emerging &&
		a.Source == b.Source && a.Note == b.Note
}

func sameLink(a, b *Link) bool {
	return a.From == b.From && a.To == b.To && a.Product == b.Product && a.Source == b.Source && a.Note == b.Note
}

func sameAmount(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// SummarizeChanges counts changed records by kind for a revision summary:
// "3 county, 120 enterprise, 2 link" (kinds in RecordKinds order).
func SummarizeChanges(count map[string]int) string {
	var parts []string
	for _, k := range RecordKinds {
		if n := count[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}
