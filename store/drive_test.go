package store

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"chainscope"
)

func intp(n int) *int { return &n }

// driveDataset is richDataset with county chains, leads and reports.
func driveDataset() *chainscope.Dataset {
	ds := richDataset()
	ds.Counties = slices.Clone(ds.Counties)
	ds.Counties[1].Chains = []string{"battery", "alu"}
	ds.Leads = []chainscope.Lead{
		{ID: "L-1", Name: "湖南某负极材料公司", County: "140827", Segments: []string{"battery.anode"},
			Stage: chainscope.LeadIntent, Dates: map[string]string{"visited": "2024-01-10", "intent": "2024-02-01"},
			Owner: "王科长", Source: "illustrative"},
		{ID: "L-2", Name: "山西正弘新能源材料有限公司", Enterprise: "E-zhenghong", County: "140827",
			Segments: []string{"battery.coke"}, Stage: chainscope.LeadSigned,
			Dates: map[string]string{"visited": "2024-01-05", "signed": "2024-03-15"}, Project: "P-2024-017"},
	}
	ds.Reports = []chainscope.Report{{Area: "140800", From: "2024-01-01", To: "2024-04-30",
		SignedProjects: intp(156), InvestmentWan: ptr(14813700), StartedProjects: intp(81), DueProjects: intp(95),
		TargetWan: ptr(30000000), Source: "运城日报"}}
	return ds
}

func TestDriveRecordsStoredVersionedAndAsOf(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ctx := context.Background()
		db, _ := open(t)
		v1 := driveDataset()
		mustReplace(t, db, v1) // rev 1: the bulk path
		got := mustLoad(t, db)
		if !reflect.DeepEqual(got.Leads, v1.Leads) || !reflect.DeepEqual(got.Reports, v1.Reports) ||
			!reflect.DeepEqual(got.Counties[1].Chains, []string{"battery", "alu"}) || got.Counties[0].Chains != nil {
			t.Fatalf("stored drive records differ:\n%+v\n%+v\n%+v", got.Leads, got.Reports, got.Counties)
		}

		// rev 2: the lead advances, a lead is added, the report corrected, a county's chains change
		v2 := *got
		v2.Leads = slices.Clone(got.Leads)
		v2.Leads[0].Stage = chainscope.LeadInspected
		v2.Leads[0].Dates = map[string]string{"visited": "2024-01-10", "intent": "2024-02-01", "inspected": "2024-03-02"}
		v2.Leads = append(v2.Leads, chainscope.Lead{ID: "L-3", Name: "某电芯企业", County: "140882",
			Segments: []string{"battery.cell"}, Stage: chainscope.LeadVisited, Dates: map[string]string{"visited": "2024-04-01"}})
		v2.Reports = slices.Clone(got.Reports)
		v2.Reports[0].EmergingProjects = intp(58)
		v2.Counties = slices.Clone(got.Counties)
		v2.Counties[1].Chains = []string{"battery"}
		if err := db.ReplaceWith(ctx, &v2, ReplaceOptions{Meta: Meta{By: "test"}}); err != nil {
			t.Fatal(err)
		}
		// rev 3: the first lead dropped, the report removed
		v3 := v2
		v3.Leads = slices.Clone(v2.Leads[1:])
		v3.Reports = nil
		if err := db.ReplaceWith(ctx, &v3, ReplaceOptions{Meta: Meta{By: "test"}}); err != nil {
			t.Fatal(err)
		}

		want := map[int64]*chainscope.Dataset{1: v1, 2: &v2, 3: &v3}
		for rev := int64(1); rev <= 3; rev++ {
			at, err := db.LoadAsOf(ctx, rev)
			if err != nil {
				t.Fatal(err)
			}
			w := want[rev]
			if !reflect.DeepEqual(at.Leads, w.Leads) || len(at.Reports) != len(w.Reports) ||
				(len(w.Reports) > 0 && !reflect.DeepEqual(at.Reports, w.Reports)) ||
				!slices.Equal(at.Counties[1].Chains, w.Counties[1].Chains) {
				t.Fatalf("as of %d:\nleads %+v\nwant  %+v\nreports %+v\nwant    %+v\nchains %v want %v", rev,
					at.Leads, w.Leads, at.Reports, w.Reports, at.Counties[1].Chains, w.Counties[1].Chains)
			}
		}
		cur, _, err := db.LoadVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cur.Leads, v3.Leads) || cur.Reports != nil {
			t.Fatalf("current %+v %+v", cur.Leads, cur.Reports)
		}

		// the diff between revisions 1 and 3 names leads by id, the report by its key
		a, _ := db.LoadAsOf(ctx, 1)
		changes, err := chainscope.DiffDatasets(a, cur)
		if err != nil {
			t.Fatal(err)
		}
		got3 := map[string]string{}
		for _, c := range changes {
			got3[c.Kind+" "+c.Key] = c.Change()
		}
		wantChanges := map[string]string{
			"county 140827": "changed", "lead L-3": "added", "lead L-1": "removed",
			"report " + chainscope.ReportKey("140800", "2024-01-01", "2024-04-30"): "removed",
		}
		if !reflect.DeepEqual(got3, wantChanges) {
			t.Fatalf("changes %v, want %v", got3, wantChanges)
		}
		// a revision's summary counts the kinds it wrote
		revs, _, err := db.Revisions(ctx, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if s := revs[0].Summary; !strings.Contains(s, "1 lead") || !strings.Contains(s, "1 report") {
			t.Fatalf("summary %q", s)
		}
		// the history of one lead holds its closed versions
		_, versions, err := db.RecordHistory(ctx, chainscope.RecordLead, "L-1")
		if err != nil || len(versions) != 2 {
			t.Fatalf("history of L-1: %v %+v", err, versions)
		}
	})
}
