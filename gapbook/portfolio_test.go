package gapbook

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/graph"
)

// TestPortfolioRows: a county that develops bat only lists chem as 未布局
// with no gaps, and a missing bat segment with two open leads shows 2 in
// the 在谈线索 column.
func TestPortfolioRows(t *testing.T) {
	ds := &chainscope.Dataset{
		Region: chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{
			{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty, Chains: []string{"bat"}},
			{Code: "140882", Name: "河津市", Kind: chainscope.KindCity},
		},
		Chains: []chainscope.Chain{
			{ID: "bat", Name: "电池", Segments: []chainscope.Segment{{ID: "bat.a", Name: "焦", Stage: "upstream"}, {ID: "bat.b", Name: "负极", Stage: "midstream"}}},
			{ID: "chem", Name: "化工", Segments: []chainscope.Segment{{ID: "chem.x", Name: "原料", Stage: "upstream"}}},
		},
		Enterprises: []chainscope.Enterprise{{ID: "E1", Name: "甲", County: "140827", Segments: []string{"bat.a"}}},
		Leads: []chainscope.Lead{
			{ID: "L1", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadIntent},
			{ID: "L2", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadInspected},
			{ID: "L3", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadDropped},
		},
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(ds, 1, "140827", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Analyse(ix, 5); err != nil {
		t.Fatal(err)
	}
	b, err := r.Workbook("zh", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("补链清单")
	if err != nil {
		t.Fatal(err)
	}
	var bat, chem int
	for _, row := range rows[1:] {
		switch {
		case row[1] == "电池" && row[2] == "负极":
			bat++
			if len(row) < 7 || row[4] != "缺链" || row[6] != "2" {
				t.Errorf("bat.b row %q: want 缺链 with 2 open leads", row)
			}
		case row[1] == "化工":
			chem++
			if len(row) != 5 || row[4] != "未布局" || row[2] != "" {
				t.Errorf("chem row %q: want one 未布局 row", row)
			}
		}
	}
	if bat == 0 || chem != 1 {
		t.Errorf("rows %q", rows)
	}
}
