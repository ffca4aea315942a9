package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"chainscope"
	"chainscope/graph"
)

// commitDiff stores next as one revision of the changes from the stored
// dataset, and returns the data version it made.
func commitDiff(t *testing.T, db *DB, next *chainscope.Dataset) int64 {
	t.Helper()
	ctx := context.Background()
	cur, version, err := db.LoadVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := chainscope.DiffDatasets(cur, next)
	if err != nil {
		t.Fatal(err)
	}
	return commitChanges(t, db, version, changes)
}

func commitChanges(t *testing.T, db *DB, base int64, changes []chainscope.RecordChange) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Commit(ctx, base, changes, Meta{By: "测试"}); err != nil {
		t.Fatal(err)
	}
	v, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestChangesGiveTheLaterDataset: after many revisions of every kind of
// change, the changes between any two data versions, applied to the
// dataset as of the first (graph.ApplyChanges), give exactly the dataset
// as of the second, record for record and in order, as Load returned it.
func TestChangesGiveTheLaterDataset(t *testing.T) {
	eachEngine(t, testChangesGiveTheLaterDataset)
}

func testChangesGiveTheLaterDataset(t *testing.T, open func(testing.TB) (*DB, string)) {
	db, _ := open(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 9))
	base := genDataset(genConfig{enterprises: 200, projects: 60, links: 900, seed: 4})
	base.Leads = []chainscope.Lead{{ID: "L-1", Name: "某电池企业", County: base.Counties[0].Code, Segments: []string{}, Stage: chainscope.LeadVisited}}
	mustReplace(t, db, base)

	// version[i] is the data version right after revision i; loaded[i]
	// the dataset Load returned then.
	v1, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	version := []int64{0, v1}
	loaded := []*chainscope.Dataset{nil, mustLoad(t, db)}
	record := func(v int64) {
		version = append(version, v)
		loaded = append(loaded, mustLoad(t, db))
	}
	for step := 2; step <= 30; step++ {
		record(commitDiff(t, db, mutate(rng, loaded[len(loaded)-1], step)))
	}

	// The kinds mutate leaves alone, and records removed and added again.
	cur := loaded[len(loaded)-1]
	next := *cur
	next.Chains = slices.Clone(cur.Chains)
	c := &next.Chains[2]
	c.Segments = append(slices.Clone(c.Segments), chainscope.Segment{ID: c.ID + ".new", Name: "新环节", Stage: chainscope.StageSupport})
	next.Leads = append(slices.Clone(cur.Leads), chainscope.Lead{ID: "L-2", Name: "某材料企业", County: cur.Region.Code,
		Segments: []string{c.ID + ".new"}, Stage: chainscope.LeadIntent, Dates: map[string]string{"intent": "2024-05-01"}})
	next.Reports = []chainscope.Report{{Area: cur.Region.Code, From: "2024-01-01", To: "2024-06-30", Source: "半年报"}}
	next.Counties = append(slices.Clone(cur.Counties), chainscope.County{Code: "Z-new", Name: "新园区", Kind: chainscope.KindZone, Parent: cur.Counties[0].Code})
	next.Enterprises = append(slices.Clone(cur.Enterprises), chainscope.Enterprise{ID: "E-lonely", Name: "无供应关系企业",
		County: "Z-new", Segments: []string{c.ID + ".new"}, LeaderOf: []string{}})
	record(commitDiff(t, db, &next))

	// An enterprise without links and a link, removed and added again in
	// two revisions: they move to the end.
	cur = loaded[len(loaded)-1]
	linked := map[string]bool{}
	for _, l := range cur.Links {
		linked[l.From], linked[l.To] = true, true
	}
	i := slices.IndexFunc(cur.Enterprises, func(e chainscope.Enterprise) bool { return !linked[e.ID] })
	if i < 0 {
		t.Fatal("no enterprise without links")
	}
	ent, link := cur.Enterprises[i], cur.Links[0]
	record(commitChanges(t, db, version[len(version)-1], []chainscope.RecordChange{
		{Kind: chainscope.RecordEnterprise, Key: ent.ID, Before: &ent},
		{Kind: chainscope.RecordLink, Key: chainscope.LinkKey(link.From, link.To), Before: &link}}))
	ent.Name += "（重新登记）"
	record(commitChanges(t, db, version[len(version)-1], []chainscope.RecordChange{
		{Kind: chainscope.RecordEnterprise, Key: ent.ID, After: &ent},
		{Kind: chainscope.RecordLink, Key: chainscope.LinkKey(link.From, link.To), After: &link}}))
	// and a lead removed, the segment changed, the report changed.
	cur = loaded[len(loaded)-1]
	next = *cur
	next.Leads = cur.Leads[1:]
	next.Chains = slices.Clone(cur.Chains)
	next.Chains[2].Segments = slices.Clone(cur.Chains[2].Segments)
	next.Chains[2].Segments[len(next.Chains[2].Segments)-1].Note = "改"
	next.Reports = slices.Clone(cur.Reports)
	next.Reports[0].Note = "改"
	record(commitDiff(t, db, &next))

	last := len(version) - 1
	pairs := 0
	for from := 2; from <= last; from++ {
		asOf, err := db.LoadAsOf(ctx, int64(from))
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, asOf, loaded[from])
		for to := from; to <= last; to++ {
			if from != to && rng.IntN(3) != 0 && to != last && from != 2 {
				continue // a third of the pairs, and every one from the first revision or to the last
			}
			changes, err := db.Changes(ctx, version[from], version[to])
			if err != nil {
				t.Fatalf("changes %d→%d: %v", from, to, err)
			}
			got, _, _, err := graph.ApplyChanges(asOf, changes)
			if err != nil {
				t.Fatalf("apply %d→%d: %v", from, to, err)
			}
			checkEqual(t, got, loaded[to])
			if !slices.IsSortedFunc(changes, func(a, b chainscope.RecordChange) int {
				return slices.Index(chainscope.RecordKinds, a.Kind) - slices.Index(chainscope.RecordKinds, b.Kind)
			}) {
				t.Fatalf("changes %d→%d not in kind order", from, to)
			}
			pairs++
		}
	}
	t.Logf("%d revisions, %d pairs of versions", last, pairs)

	// The single-record revisions are listed as such.
	changes, err := db.Changes(ctx, version[last-2], version[last-1])
	if err != nil || len(changes) != 2 || changes[0].Change() != "added" || changes[1].Change() != "added" {
		t.Fatalf("re-adding: %v %v", changes, err)
	}
	changes, err = db.Changes(ctx, version[last-3], version[last-1])
	if err != nil || len(changes) != 4 || changes[0].Change() != "removed" || changes[1].Change() != "added" {
		t.Fatalf("removed and added again: %v %v", changes, err)
	}
}

// TestChangesNeedReload: what cannot be read record by record says so, and
// nothing else does.
func TestChangesNeedReload(t *testing.T) {
	eachEngine(t, testChangesNeedReload)
}

func testChangesNeedReload(t *testing.T, open func(testing.TB) (*DB, string)) {
	db, _ := open(t)
	ctx := context.Background()
	ds := richDataset()
	if changes, err := db.Changes(ctx, 0, 0); err != nil || changes != nil {
		t.Fatalf("no versions apart: %v %v", changes, err)
	}
	mustReplace(t, db, ds)
	v1, _ := db.DataVersion(ctx)
	// The bulk first import lists no records.
	if _, err := db.Changes(ctx, 0, v1); !errors.Is(err, ErrNeedReload) {
		t.Fatalf("bulk import: %v", err)
	}
	next := *ds
	next.Enterprises = slices.Clone(ds.Enterprises)
	next.Enterprises[0].Note = "改"
	v2 := commitDiff(t, db, &next)
	// A version the database has not reached yet.
	if _, err := db.Changes(ctx, v2, v2+1); !errors.Is(err, ErrNeedReload) {
		t.Fatalf("a future version: %v", err)
	}
	if _, err := db.Changes(ctx, v2, v1); !errors.Is(err, ErrNeedReload) {
		t.Fatalf("backwards: %v", err)
	}
	// Boundaries move the version and make no revision.
	if err := db.SetBoundaries(ctx, nil); err != nil {
		t.Fatal(err)
	}
	v3, _ := db.DataVersion(ctx)
	next.Enterprises[1].Note = "再改"
	v4 := commitDiff(t, db, &next)
	for _, span := range [][2]int64{{v2, v3}, {v1, v4}, {v2, v4}} {
		if _, err := db.Changes(ctx, span[0], span[1]); !errors.Is(err, ErrNeedReload) {
			t.Errorf("changes %d→%d across boundaries: %v", span[0], span[1], err)
		}
	}
	// More records than are worth reading one by one.
	defer func(n int) { changesLimit = n }(changesLimit)
	changesLimit = 0
	if _, err := db.Changes(ctx, v3, v4); !errors.Is(err, ErrNeedReload) {
		t.Errorf("changes of more records than the limit: %v", err)
	}
	changesLimit = 1
	// Right after the boundaries, the revision reads as usual.
	changes, err := db.Changes(ctx, v3, v4)
	if err != nil || len(changes) != 1 || changes[0].Key != next.Enterprises[1].ID {
		t.Fatalf("after the boundaries: %v %v", changes, err)
	}
	if !chainscope.SameRecord(changes[0].After, &next.Enterprises[1]) || !chainscope.SameRecord(changes[0].Before, &ds.Enterprises[1]) {
		t.Errorf("before %v, after %v", changes[0].Before, changes[0].After)
	}
}
