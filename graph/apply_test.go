package graph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"chainscope"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// follow checks that the changes from ds to next (chainscope.DiffDatasets),
// applied by Follow, give exactly next and the Index NewIndex builds of it,
// leaving ds as it was, and returns the Index and whether it was rebuilt.
func follow(t *testing.T, ix *Index, ds, next *chainscope.Dataset) *Index {
	t.Helper()
	changes, err := chainscope.DiffDatasets(ds, next)
	if err != nil {
		t.Fatal(err)
	}
	return followChanges(t, ix, ds, next, changes)
}

// followChanges is follow with the changes given.
func followChanges(t *testing.T, ix *Index, ds, next *chainscope.Dataset, changes []chainscope.RecordChange) *Index {
	t.Helper()
	keep := deepCopy(ds)
	got, nix, err := ix.Follow(ds, changes)
	if err != nil {
		t.Fatalf("Follow: %v", err)
	}
	if err := sameInOrder(got, next); err != nil {
		t.Fatalf("Follow gave another dataset than the one changed (%d changes): %v", len(changes), err)
	}
	if !reflect.DeepEqual(ds, keep) {
		t.Fatal("Follow modified the dataset it started from")
	}
	want, err := NewIndex(next)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameIndex(nix, want); err != nil {
		t.Fatal(err)
	}
	return nix
}

// sameInOrder says where a and b differ: a record of one kind at one
// place with another key or other values (SPEC §8 equality: an empty list
// is no list).
func sameInOrder(a, b *chainscope.Dataset) error {
	var ra, rb []any
	each := func(ds *chainscope.Dataset) []any {
		out := []any{&ds.Region}
		for i := range ds.Counties {
			out = append(out, &ds.Counties[i])
		}
		for i := range ds.Chains {
			c := &ds.Chains[i]
			out = append(out, &chainscope.ChainRecord{ID: c.ID, Name: c.Name, Flows: c.Flows, Source: c.Source, Note: c.Note})
			for j := range c.Segments {
				out = append(out, &chainscope.SegmentRecord{Chain: c.ID, Segment: c.Segments[j]})
			}
		}
		for i := range ds.Enterprises {
			out = append(out, &ds.Enterprises[i])
		}
		for i := range ds.Projects {
			out = append(out, &ds.Projects[i])
		}
		for i := range ds.Links {
			out = append(out, &ds.Links[i])
		}
		for i := range ds.Leads {
			out = append(out, &ds.Leads[i])
		}
		for i := range ds.Reports {
			out = append(out, &ds.Reports[i])
		}
		return out
	}
	ra, rb = each(a), each(b)
	for i := range min(len(ra), len(rb)) {
		if reflect.TypeOf(ra[i]) != reflect.TypeOf(rb[i]) || chainscope.RecordKey(ra[i]) != chainscope.RecordKey(rb[i]) {
			return fmt.Errorf("record %d: %T %q, want %T %q", i, ra[i], chainscope.RecordKey(ra[i]), rb[i], chainscope.RecordKey(rb[i]))
		}
		if !chainscope.SameRecord(ra[i], rb[i]) {
			return fmt.Errorf("record %d: %T %q differs: %v", i, ra[i], chainscope.RecordKey(ra[i]), chainscope.ChangedFields(ra[i], rb[i]))
		}
	}
	if len(ra) != len(rb) {
		return fmt.Errorf("%d records, want %d", len(ra), len(rb))
	}
	return nil
}

// deepCopy copies every slice of ds that ApplyChanges could write into.
func deepCopy(ds *chainscope.Dataset) *chainscope.Dataset {
	c := *ds
	c.Counties = slices.Clone(ds.Counties)
	c.Chains = slices.Clone(ds.Chains)
	for i := range c.Chains {
		c.Chains[i].Segments = slices.Clone(c.Chains[i].Segments)
	}
	c.Enterprises = slices.Clone(ds.Enterprises)
	c.Projects = slices.Clone(ds.Projects)
	c.Links = slices.Clone(ds.Links)
	c.Leads = slices.Clone(ds.Leads)
	c.Reports = slices.Clone(ds.Reports)
	return &c
}

// TestFollowRandomEdits: the valid random edits of the Patch tests, one at
// a time and several at once, followed through their record changes.
func TestFollowRandomEdits(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 120, Projects: 50, Links: 500, Seed: 3})
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{r: rand.New(rand.NewPCG(11, 7))}
	steps := 120
	if testing.Short() {
		steps = 30
	}
	for range steps {
		var ed edit
		if e.pick(4) == 0 {
			ed = e.combined(ds)
		} else {
			ed = e.valid(ds)
		}
		ix = follow(t, ix, ds, ed.next)
		ds = ed.next
	}
}

// TestFollowEveryKind: changes of the region, counties, chains, segments,
// leads and reports too, additions appended after their kind (a segment
// after its chain's), removals, and records removed and added again (which
// the store lists as a removal and an addition: the record moves to the
// end).
func TestFollowEveryKind(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Leads) == 0 || len(ds.Reports) == 0 || len(ds.Chains) < 2 {
		t.Fatal("the built-in dataset should have leads, reports and chains")
	}
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	// again lists the removal and addition of the record of kind with key,
	// as the store does for a record removed and added again.
	again := func(kind, key string) func(a, b *chainscope.Dataset) []chainscope.RecordChange {
		return func(a, b *chainscope.Dataset) []chainscope.RecordChange {
			return []chainscope.RecordChange{{Kind: kind, Key: key, Before: a.Record(kind, key)}, {Kind: kind, Key: key, After: b.Record(kind, key)}}
		}
	}
	var renamed string
	steps := []struct {
		name    string
		edit    func(n *chainscope.Dataset)
		changes func(a, b *chainscope.Dataset) []chainscope.RecordChange // nil: DiffDatasets
	}{
		{"region renamed", func(n *chainscope.Dataset) { n.Region.Name += "（新）" }, nil},
		{"county renamed", func(n *chainscope.Dataset) { n.Counties[1].Note = "改" }, nil},
		{"chain renamed", func(n *chainscope.Dataset) { n.Chains[1].Name += "链" }, nil},
		{"segment added", func(n *chainscope.Dataset) {
			c := &n.Chains[0]
			c.Segments = append(slices.Clone(c.Segments), chainscope.Segment{ID: c.ID + ".new", Name: "新环节", Stage: chainscope.StageSupport})
		}, nil},
		{"segment changed", func(n *chainscope.Dataset) {
			c := &n.Chains[0]
			c.Segments = slices.Clone(c.Segments)
			c.Segments[0].Note = "改"
		}, nil},
		{"segment removed", func(n *chainscope.Dataset) {
			c := &n.Chains[0]
			c.Segments = slices.Clone(c.Segments[:len(c.Segments)-1])
		}, nil},
		{"lead changed, report removed", func(n *chainscope.Dataset) {
			n.Leads[0].Note = "跟进"
			n.Reports = n.Reports[1:]
			if len(n.Reports) == 0 {
				n.Reports = nil // as a load gives none
			}
		}, nil},
		{"lead removed and one added", func(n *chainscope.Dataset) {
			l := n.Leads[0]
			l.ID += "-2"
			n.Leads = append(n.Leads[1:], l)
		}, nil},
		{"enterprise removed and added again", func(n *chainscope.Dataset) {
			// with no links, so that the removal is valid
			linked := map[string]bool{}
			for _, l := range n.Links {
				linked[l.From], linked[l.To] = true, true
			}
			for i, e := range n.Enterprises {
				if !linked[e.ID] {
					e.Name += "（重新登记）"
					n.Enterprises = append(slices.Delete(n.Enterprises, i, i+1), e)
					renamed = e.ID
					return
				}
			}
			t.Fatal("no enterprise without links")
		}, func(a, b *chainscope.Dataset) []chainscope.RecordChange {
			return again(chainscope.RecordEnterprise, renamed)(a, b)
		}},
		{"link removed and added again", func(n *chainscope.Dataset) {
			l := n.Links[0]
			n.Links = append(n.Links[1:], l)
		}, func(a, b *chainscope.Dataset) []chainscope.RecordChange {
			return again(chainscope.RecordLink, chainscope.LinkKey(a.Links[0].From, a.Links[0].To))(a, b)
		}},
		{"county added", func(n *chainscope.Dataset) {
			n.Counties = append(n.Counties, chainscope.County{Code: "Z-new", Name: "新园区", Kind: chainscope.KindZone, Parent: n.Counties[0].Code})
		}, nil},
		{"every lead removed", func(n *chainscope.Dataset) { n.Leads = nil }, nil},
	}
	for _, s := range steps {
		next := deepCopy(ds)
		s.edit(next)
		t.Run(s.name, func(t *testing.T) {
			if s.changes == nil {
				ix = follow(t, ix, ds, next)
			} else {
				ix = followChanges(t, ix, ds, next, s.changes(ds, next))
			}
		})
		ds = next
	}
}

// TestApplyChangesRefuses: changes that do not fit the dataset are errors
// (the server then loads everything), and only the changed kinds are
// copied.
func TestApplyChangesRefuses(t *testing.T) {
	ds := synth.Generate(synth.Small())
	e := ds.Enterprises[0]
	moved := chainscope.SegmentRecord{Chain: ds.Chains[0].ID, Segment: ds.Chains[0].Segments[0]}
	to := moved
	to.Chain = ds.Chains[1].ID
	for name, c := range map[string]chainscope.RecordChange{
		"removed twice":   {Kind: chainscope.RecordEnterprise, Key: "E-none", Before: &chainscope.Enterprise{ID: "E-none"}},
		"added twice":     {Kind: chainscope.RecordEnterprise, Key: e.ID, After: &e},
		"segment moved":   {Kind: chainscope.RecordSegment, Key: moved.ID, Before: &moved, After: &to},
		"neither version": {Kind: chainscope.RecordLink, Key: "a\x1fb"},
	} {
		if _, _, _, err := ApplyChanges(ds, []chainscope.RecordChange{c}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	renamed := e
	renamed.Name += "改"
	next, d, whole, err := ApplyChanges(ds, []chainscope.RecordChange{{Kind: chainscope.RecordEnterprise, Key: e.ID, Before: &e, After: &renamed}})
	if err != nil || whole || !slices.Equal(d.Nodes, []string{e.ID}) || len(d.Links) != 0 {
		t.Fatalf("rename: delta %v, whole %v, %v", d, whole, err)
	}
	if next.Enterprises[0].Name != renamed.Name || ds.Enterprises[0].Name != e.Name {
		t.Fatal("the rename is not in next alone")
	}
	if &next.Links[0] != &ds.Links[0] || &next.Projects[0] != &ds.Projects[0] {
		t.Error("kinds that did not change were copied")
	}
}
