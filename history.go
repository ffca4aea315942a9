package chainscope

import (
	"fmt"
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
)

// RecordKinds lists every kind of versioned record, in dataset order.
var RecordKinds = []string{RecordRegion, RecordCounty, RecordChain, RecordSegment, RecordEnterprise, RecordProject, RecordLink}

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
// *SegmentRecord, *Enterprise, *Project, *Link).
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

// RegionKey is the record key of the region: one dataset has one.
const RegionKey = "region"

// RecordKey returns the key of a record of kind: a county's code, a link's
// ends (LinkKey), the id of anything else.
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
	}
	panic(fmt.Sprintf("RecordKey: not a record: %T", rec))
}

// Field is one named field of a record with its value normalised for
// comparison (SPEC §8): absent, "" and an empty list are nil; an amount is
// a float64; a list is a []string (flows as "from→to" pairs of a [][2]string).
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
			{"parent", str(r.Parent)}, {"source", str(r.Source)}, {"note", str(r.Note)}}
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
		var emerging any
		if r.Emerging {
			emerging = true
		}
		return []Field{{"id", str(r.ID)}, {"name", str(r.Name)}, {"investor", str(r.Investor)}, {"county", str(r.County)},
			{"segments", list(r.Segments)}, {"investment_wan", amount(r.InvestmentWan)}, {"signed", str(r.Signed)},
			{"started", str(r.Started)}, {"status", str(string(r.Status))}, {"emerging", emerging},
			{"source", str(r.Source)}, {"note", str(r.Note)}}
	case *Link:
		return []Field{{"from", str(r.From)}, {"to", str(r.To)}, {"product", str(r.Product)},
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

// sameValue compares two normalised field values.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	case [][2]string:
		y, ok := b.([][2]string)
		return ok && slices.Equal(x, y)
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
	if l, ok := before.(*Link); ok {
		// The hot case of a province diff, a million of them: the same
		// rule as Fields, without building the field lists.
		m := after.(*Link)
		return l.From == m.From && l.To == m.To && l.Product == m.Product && l.Source == m.Source && l.Note == m.Note
	}
	a, b := Fields(before), Fields(after)
	for i := range a {
		if !sameValue(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

// Records calls fn with every record of ds as versioned records, kind by
// kind in RecordKinds order, each kind in dataset order. A region with no
// code is no record (an empty dataset).
func (ds *Dataset) Records(fn func(kind string, rec any)) {
	if ds.Region.Code != "" {
		fn(RecordRegion, &ds.Region)
	}
	for i := range ds.Counties {
		fn(RecordCounty, &ds.Counties[i])
	}
	for i := range ds.Chains {
		c := &ds.Chains[i]
		fn(RecordChain, &ChainRecord{ID: c.ID, Name: c.Name, Flows: c.Flows, Source: c.Source, Note: c.Note})
	}
	for i := range ds.Chains {
		c := &ds.Chains[i]
		for j := range c.Segments {
			fn(RecordSegment, &SegmentRecord{Chain: c.ID, Segment: c.Segments[j]})
		}
	}
	for i := range ds.Enterprises {
		fn(RecordEnterprise, &ds.Enterprises[i])
	}
	for i := range ds.Projects {
		fn(RecordProject, &ds.Projects[i])
	}
	for i := range ds.Links {
		fn(RecordLink, &ds.Links[i])
	}
}

// DiffDatasets returns the records that differ from a to b: for each kind
// in RecordKinds order, the changed and added records in b's order, then
// the removed ones in a's order. Either dataset may be empty (a zero
// Dataset). Two records of one kind with one key in either dataset are an
// EINVALID error (Build refuses such a dataset).
func DiffDatasets(a, b *Dataset) ([]RecordChange, error) {
	type entry struct {
		rec         any
		seen, added bool
	}
	before := make(map[string]map[string]*entry, len(RecordKinds))
	order := make(map[string][]string, len(RecordKinds))
	for _, k := range RecordKinds {
		before[k] = map[string]*entry{}
	}
	before[RecordLink] = make(map[string]*entry, len(a.Links))
	var dup error
	duplicate := func(kind, key string) {
		if dup == nil {
			from, to := SplitLinkKey(key)
			if kind == RecordLink {
				key = from + " → " + to
			}
			dup = Errorf(EINVALID, "数据集中有重复的%s %s，未保存任何数据 / the dataset holds %s %s twice; nothing was stored", kind, key, kind, key)
		}
	}
	a.Records(func(kind string, rec any) {
		key := RecordKey(rec)
		if _, ok := before[kind][key]; ok {
			duplicate(kind, key)
		}
		before[kind][key] = &entry{rec: rec}
		order[kind] = append(order[kind], key)
	})
	var out []RecordChange
	kind := ""
	flushRemoved := func(k string) {
		for _, key := range order[k] {
			if e := before[k][key]; !e.seen && !e.added {
				out = append(out, RecordChange{Kind: k, Key: key, Before: e.rec})
			}
		}
	}
	b.Records(func(k string, rec any) {
		if k != kind {
			if kind != "" {
				flushRemoved(kind)
			}
			for _, skipped := range kindsBetween(kind, k) {
				flushRemoved(skipped)
			}
			kind = k
		}
		key := RecordKey(rec)
		e, ok := before[k][key]
		switch {
		case !ok:
			out = append(out, RecordChange{Kind: k, Key: key, After: rec})
			before[k][key] = &entry{rec: rec, seen: true, added: true}
		case e.seen:
			duplicate(k, key)
		default:
			e.seen = true
			if !SameRecord(e.rec, rec) {
				out = append(out, RecordChange{Kind: k, Key: key, Before: e.rec, After: rec})
			}
		}
	})
	if kind != "" {
		flushRemoved(kind)
	}
	for _, k := range kindsBetween(kind, "") {
		flushRemoved(k)
	}
	if dup != nil {
		return nil, dup
	}
	return out, nil
}

// kindsBetween returns the kinds strictly after from and before to in
// RecordKinds order ("" for from: before the first; for to: after the last).
func kindsBetween(from, to string) []string {
	lo, hi := 0, len(RecordKinds)
	if from != "" {
		lo = slices.Index(RecordKinds, from) + 1
	}
	if to != "" {
		hi = slices.Index(RecordKinds, to)
	}
	if lo >= hi {
		return nil
	}
	return RecordKinds[lo:hi]
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
