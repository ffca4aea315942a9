package graph

import (
	"fmt"
	"slices"

	"chainscope"
)

// ApplyChanges returns the dataset cur becomes when the record changes are
// applied to it, as another process wrote them (store.DB.Changes): a
// removed record leaves its place, a changed one keeps it, an added one is
// appended after the records of its kind (a segment after its chain's),
// in the order given. That is the order the store keeps, so the result is
// the dataset a full load would return.
//
// It also returns the Delta that tells Index.Patch what changed, and whole
// when a change touches what Patch takes as unchanged (the region, a
// county, a chain or a segment): the Index must then be built anew.
//
// cur is not modified: the slices of the kinds that change are copied,
// the others shared. A change that does not fit cur (a removal or change
// of a record cur lacks, an addition of one it has, a segment moved to
// another chain, whose place the changes do not say) is an error; the
// caller then loads the whole dataset.
func ApplyChanges(cur *chainscope.Dataset, changes []chainscope.RecordChange) (next *chainscope.Dataset, d Delta, whole bool, err error) {
	next = new(chainscope.Dataset)
	*next = *cur
	byKind := map[string][]*chainscope.RecordChange{}
	for i := range changes {
		c := &changes[i]
		if c.Before == nil && c.After == nil {
			return nil, Delta{}, false, fmt.Errorf("%s %q: a change with neither version", c.Kind, c.Key)
		}
		byKind[c.Kind] = append(byKind[c.Kind], c)
	}
	for kind, cs := range byKind {
		var err error
		switch kind {
		case chainscope.RecordRegion:
			whole = true
			for _, c := range cs {
				if c.After == nil {
					next.Region = chainscope.Region{}
				} else {
					next.Region = *c.After.(*chainscope.Region)
				}
			}
		case chainscope.RecordCounty:
			whole = true
			next.Counties, err = applyKind(next.Counties, cs, keyOf[chainscope.County], stored[chainscope.County])
		case chainscope.RecordChain, chainscope.RecordSegment:
			whole = true // both at once, below
		case chainscope.RecordEnterprise:
			next.Enterprises, err = applyKind(next.Enterprises, cs, keyOf[chainscope.Enterprise], stored[chainscope.Enterprise])
		case chainscope.RecordProject:
			next.Projects, err = applyKind(next.Projects, cs, keyOf[chainscope.Project], stored[chainscope.Project])
		case chainscope.RecordLink:
			next.Links, err = applyKind(next.Links, cs, keyOf[chainscope.Link], stored[chainscope.Link])
		case chainscope.RecordLead:
			next.Leads, err = applyKind(next.Leads, cs, keyOf[chainscope.Lead], stored[chainscope.Lead])
			if len(next.Leads) == 0 {
				next.Leads = nil // as a load returns none
			}
		case chainscope.RecordReport:
			next.Reports, err = applyKind(next.Reports, cs, keyOf[chainscope.Report], stored[chainscope.Report])
			if len(next.Reports) == 0 {
				next.Reports = nil
			}
		default:
			err = fmt.Errorf("unknown kind %q", kind)
		}
		if err != nil {
			return nil, Delta{}, false, err
		}
	}
	if cs, ss := byKind[chainscope.RecordChain], byKind[chainscope.RecordSegment]; len(cs)+len(ss) > 0 {
		if next.Chains, err = applyChains(next.Chains, cs, ss); err != nil {
			return nil, Delta{}, false, err
		}
	}
	return next, DeltaOf(changes), whole, nil
}

// DeltaOf is how changes move an Index's nodes and links (see Delta): the
// enterprises and projects they touch, and the links they add or remove
// on balance (a link changed in place, or removed and added again, is
// none).
func DeltaOf(changes []chainscope.RecordChange) Delta {
	var d Delta
	var links []*chainscope.RecordChange
	for i := range changes {
		switch c := &changes[i]; c.Kind {
		case chainscope.RecordEnterprise, chainscope.RecordProject:
			d.Nodes = append(d.Nodes, c.Key)
		case chainscope.RecordLink:
			links = append(links, c)
		}
	}
	d.Links = linkDelta(links)
	return d
}

// Follow applies changes to cur, the dataset ix was built from, and
// returns the next dataset with its Index: patched (Index.Patch) when the
// changes leave the region, counties and chains alone, built anew
// otherwise. See ApplyChanges.
func (ix *Index) Follow(cur *chainscope.Dataset, changes []chainscope.RecordChange) (*chainscope.Dataset, *Index, error) {
	next, d, whole, err := ApplyChanges(cur, changes)
	if err != nil {
		return nil, nil, err
	}
	var nix *Index
	if whole {
		nix, err = NewIndex(next)
	} else {
		nix, err = ix.Patch(next, d)
	}
	if err != nil {
		return nil, nil, err
	}
	return next, nix, nil
}

// linkDelta lists the links added or removed; a link removed and added
// again (or only changed) is neither for the Index.
func linkDelta(cs []*chainscope.RecordChange) [][2]string {
	net := map[string]int{}
	var keys []string
	for _, c := range cs {
		if _, ok := net[c.Key]; !ok {
			keys = append(keys, c.Key)
		}
		if c.Before == nil {
			net[c.Key]++
		}
		if c.After == nil {
			net[c.Key]--
		}
	}
	var out [][2]string
	for _, k := range keys {
		if net[k] != 0 {
			from, to := chainscope.SplitLinkKey(k)
			out = append(out, [2]string{from, to})
		}
	}
	return out
}

// keyOf is a record's key, as chainscope.RecordKey names it (and a
// RecordChange's Key holds it).
func keyOf[T any](r *T) string { return chainscope.RecordKey(r) }

// stored is the version a change carries, as the dataset holds it.
func stored[T any](rec any, _ *T) T { return *rec.(*T) }

// applyKind applies the changes of one kind to its records s (not
// modified): removals, then changes in place, then additions appended.
// record makes the stored value of a change's version; old is the record
// it replaces (nil for an addition).
func applyKind[T any](s []T, cs []*chainscope.RecordChange, key func(*T) string, record func(rec any, old *T) T) ([]T, error) {
	out := slices.Clone(s)
	find := finder(out, key, len(cs))
	removed := make([]bool, len(out))
	anyRemoved := false
	for _, c := range cs {
		if c.Before == nil {
			continue
		}
		i := find(c.Key)
		if i < 0 || removed[i] {
			return nil, fmt.Errorf("%s %q: not in the dataset to change", c.Kind, c.Key)
		}
		if c.After == nil {
			removed[i], anyRemoved = true, true
		} else {
			v := record(c.After, &out[i])
			if key(&v) != c.Key {
				return nil, fmt.Errorf("%s %q: the new version has another key", c.Kind, c.Key)
			}
			out[i] = v
		}
	}
	if anyRemoved {
		kept := out[:0]
		for i := range out {
			if !removed[i] {
				kept = append(kept, out[i])
			}
		}
		out = kept
		find = finder(out, key, len(cs))
	}
	var added map[string]bool
	for _, c := range cs {
		if c.Before != nil {
			continue
		}
		if find(c.Key) >= 0 || added[c.Key] {
			return nil, fmt.Errorf("%s %q: added, but already in the dataset", c.Kind, c.Key)
		}
		if added == nil {
			added = map[string]bool{}
		}
		added[c.Key] = true
		out = append(out, record(c.After, nil))
	}
	// No room to grow into: nobody may append into the array of another
	// dataset (see dataset.ApplyEdit).
	return slices.Clip(out), nil
}

// finder returns a function giving the index of the record with a key in
// s, -1 for none: a scan for a few lookups, a map for more.
func finder[T any](s []T, key func(*T) string, lookups int) func(string) int {
	if lookups <= 4 {
		return func(k string) int {
			for i := range s {
				if key(&s[i]) == k {
					return i
				}
			}
			return -1
		}
	}
	m := make(map[string]int, len(s))
	for i := range s {
		m[key(&s[i])] = i
	}
	return func(k string) int {
		if i, ok := m[k]; ok {
			return i
		}
		return -1
	}
}

// applyChains applies the changes of chains and of segments: segments
// leave first, then chains change, then segments change and arrive (a new
// chain before its segments), each segment within its chain's list.
func applyChains(chains []chainscope.Chain, cs, ss []*chainscope.RecordChange) ([]chainscope.Chain, error) {
	out := slices.Clone(chains)
	chainAt := func(id string) int {
		return slices.IndexFunc(out, func(c chainscope.Chain) bool { return c.ID == id })
	}
	// segs returns the segments of chain i for writing: a copy the first
	// time, so that cur's chain keeps its own.
	copied := map[string]bool{}
	segs := func(i int) *[]chainscope.Segment {
		c := &out[i]
		if !copied[c.ID] {
			c.Segments = slices.Clone(c.Segments)
			copied[c.ID] = true
		}
		return &c.Segments
	}
	segAt := func(i int, id string) int {
		return slices.IndexFunc(out[i].Segments, func(s chainscope.Segment) bool { return s.ID == id })
	}
	for _, c := range ss {
		if c.After != nil || c.Before == nil {
			continue
		}
		b := c.Before.(*chainscope.SegmentRecord)
		i := chainAt(b.Chain)
		if i < 0 || segAt(i, b.ID) < 0 {
			return nil, fmt.Errorf("segment %q: not in the dataset to remove", c.Key)
		}
		p := segs(i)
		*p = slices.Delete(*p, segAt(i, b.ID), segAt(i, b.ID)+1)
	}
	var err error
	out, err = applyKind(out, cs, func(c *chainscope.Chain) string { return c.ID },
		func(rec any, old *chainscope.Chain) chainscope.Chain {
			r := rec.(*chainscope.ChainRecord)
			c := chainscope.Chain{ID: r.ID, Name: r.Name, Flows: r.Flows, Source: r.Source, Note: r.Note, Segments: []chainscope.Segment{}}
			if old != nil {
				c.Segments, c.At = old.Segments, old.At
			}
			return c
		})
	if err != nil {
		return nil, err
	}
	for _, c := range ss {
		if c.After == nil {
			continue
		}
		a := c.After.(*chainscope.SegmentRecord)
		i := chainAt(a.Chain)
		if i < 0 {
			return nil, fmt.Errorf("segment %q: its chain %q is not in the dataset", c.Key, a.Chain)
		}
		if c.Before == nil {
			if slices.ContainsFunc(out, func(ch chainscope.Chain) bool {
				return slices.ContainsFunc(ch.Segments, func(s chainscope.Segment) bool { return s.ID == a.ID })
			}) {
				return nil, fmt.Errorf("segment %q: added, but already in the dataset", c.Key)
			}
			p := segs(i)
			*p = slices.Clip(append(*p, a.Segment))
			continue
		}
		if b := c.Before.(*chainscope.SegmentRecord); b.Chain != a.Chain {
			return nil, fmt.Errorf("segment %q: moved from chain %q to %q", c.Key, b.Chain, a.Chain)
		}
		j := segAt(i, a.ID)
		if j < 0 {
			return nil, fmt.Errorf("segment %q: not in the dataset to change", c.Key)
		}
		(*segs(i))[j] = a.Segment
	}
	return out, nil
}
