package report

import (
	"path/filepath"
	"testing"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// TestLoadHistory: two revisions this month, the second adding an
// enterprise of 垣曲 on 负极: the report of this month compares revision 1
// (the history starts inside the month) with revision 2 and lists 负极 as
// closed; a month before the first revision has no history.
func TestLoadHistory(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds := testData()
	ds.Leads, ds.Reports = nil, nil
	for i := range ds.Counties {
		ds.Counties[i].Chains = nil
	}
	if err := db.Replace(ctx, ds); err != nil {
		t.Fatal(err)
	}
	ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: "E4", Name: "丁", County: "140827", Segments: []string{"b"}, LeaderOf: []string{}})
	if err := db.Replace(ctx, ds); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	month := time.Now().In(loc).Format("2006-01")
	h, err := LoadHistory(ctx, db, month)
	if err != nil {
		t.Fatal(err)
	}
	if h == nil || h.FromRev != 1 || h.ToRev != 2 {
		t.Fatalf("history %+v", h)
	}
	ix, err := graph.NewIndex(h.After)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Build(Input{DS: h.After, Ix: ix, Area: "140827", Period: month, History: h})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Closed) != 1 || c.Closed[0].Segment != "负极" || c.Closed[0].Chain != "电池" || len(c.Opened) != 0 {
		t.Errorf("closed %+v opened %+v", c.Closed, c.Opened)
	}
	if h, err := LoadHistory(ctx, db, "2024-04"); err != nil || h != nil {
		t.Errorf("2024-04: %+v %v", h, err)
	}
}
