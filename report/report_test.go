package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/graph"
)

func wan(x float64) *float64 { return &x }

// testData: two counties (one with a zone), one chain of three segments,
// projects signed in March and April 2024 and April 2023, a report record
// for 2024 1–4月, and leads.
func testData() *chainscope.Dataset {
	seven := 7
	return &chainscope.Dataset{
		Region: chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{
			{Code: "140827", Name: "垣曲县<script>", Kind: chainscope.KindCounty, Chains: []string{"bat"}},
			{Code: "140882", Name: "河津市", Kind: chainscope.KindCity},
			{Code: "Z1", Name: "开发区", Kind: chainscope.KindZone, Parent: "140882"},
		},
		Chains: []chainscope.Chain{
			{ID: "bat", Name: "电池", Segments: []chainscope.Segment{{ID: "a", Name: "焦", Stage: "upstream"}, {ID: "b", Name: "负极", Stage: "midstream"}, {ID: "c", Name: "电芯", Stage: "downstream"}},
				Flows: []chainscope.Flow{{From: "a", To: "b"}, {From: "b", To: "c"}}},
			{ID: "chem", Name: "化工", Segments: []chainscope.Segment{{ID: "x", Name: "原料", Stage: "upstream"}}},
		},
		Enterprises: []chainscope.Enterprise{
			{ID: "E1", Name: "甲", County: "140827", Segments: []string{"a"}},
			{ID: "E2", Name: "乙", County: "140827", Segments: []string{"c"}},
			{ID: "E3", Name: "丙", County: "Z1", Segments: []string{"b", "x"}},
		},
		Projects: []chainscope.Project{
			{ID: "P1", Name: "一", County: "140827", Segments: []string{"a"}, InvestmentWan: wan(100000), Signed: "2024-04-02", Started: "2024-04-20", Status: "started", Emerging: true},
			{ID: "P2", Name: "二", County: "Z1", Segments: []string{"x"}, InvestmentWan: wan(52000), Signed: "2024-04-10", Status: "signed"},
			{ID: "P3", Name: "三", County: "140882", Segments: []string{"x"}, InvestmentWan: wan(30000), Signed: "2024-03-10", Started: "2024-03-30", Status: "operating"},
			{ID: "P4", Name: "四", County: "140882", Segments: []string{"x"}, InvestmentWan: wan(9000), Signed: "2023-04-10", Status: "signed"},
			{ID: "P5", Name: "五", County: "140827", Segments: []string{"a"}, InvestmentWan: wan(7000), Signed: "2024-04-11", Status: "cancelled"},
		},
		Leads: []chainscope.Lead{
			{ID: "L1", County: "140827", Segments: []string{"b"}, Stage: "intent", Dates: map[string]string{"visited": "2024-02-01", "intent": "2024-04-01"}},
			{ID: "L2", County: "140827", Segments: []string{"b"}, Stage: "visited", Dates: map[string]string{"visited": "2024-03-01"}},
		},
		Reports: []chainscope.Report{{Area: "140800", From: "2024-01-01", To: "2024-04-30", SignedProjects: &seven, InvestmentWan: wan(14813700), Source: "运城市通报 & <b>"}},
	}
}

func build(t *testing.T, ds *chainscope.Dataset, area, lang string) *Content {
	t.Helper()
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Build(Input{DS: ds, Ix: ix, Area: area, Period: "2024-04", TargetWan: 30000000, DataVersion: 3, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBuild: the headline figures as counted by hand from testData: April
// 2024 signs P1 and P2 (P5 is cancelled), 15.20 亿元, P1 started; March
// signed P3, started; 1–4月 P1–P3, 18.20 亿元 against April 2023's P4.
func TestBuild(t *testing.T) {
	c := build(t, testData(), "*", "zh")
	want := [][]string{
		{"签约项目（个）", "2", "+1 个", "3", "+2 个", "7"},
		{"签约总投资", "15.20 亿元", "+12.20 亿元", "18.20 亿元", "+17.30 亿元", "1,481.37 亿元"},
		{"签约且开工（个）", "1", "±0 个", "2", "+2 个", ""},
		{"开工率", "50.00%", "−50.00 个百分点", "66.67%", "+66.67 个百分点", ""},
	}
	for i, w := range want {
		h := c.Headlines[i]
		if got := []string{h.Label, h.Month, h.MonthChange, h.YTD, h.YTDChange, h.Report}; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("headline %d = %q, want %q", i, got, w)
		}
	}
	if len(c.Counties) != 2 || c.Counties[0].Name != "垣曲县<script>" || c.Counties[0].Portfolio != "电池" || c.Counties[1].Portfolio != "" {
		t.Errorf("counties %+v", c.Counties)
	}
	// 垣曲 develops bat only: 化工 is 未布局 there; b is missing with two
	// open leads, the top target.
	cc := build(t, testData(), "140827", "zh")
	if !cc.Chains[1].NotPursued || cc.Chains[0].NotPursued || cc.Chains[0].Missing != 1 || cc.Chains[0].Pursuing != 1 {
		t.Errorf("chains %+v", cc.Chains)
	}
	if len(cc.Targets) == 0 || cc.Targets[0].Segment != "负极" || cc.Targets[0].OpenLeads != 2 || cc.Targets[0].Status != "断链" || cc.Targets[0].Candidate != "丙" {
		t.Errorf("targets %+v", cc.Targets)
	}
	for _, tg := range cc.Targets {
		if tg.Chain == "化工" {
			t.Errorf("a target of a chain not pursued: %+v", tg)
		}
	}
	if cc.Funnel.Stages[0].Count != 2 || cc.Funnel.Stages[1].Count != 1 {
		t.Errorf("funnel %+v", cc.Funnel.Stages)
	}

	var b bytes.Buffer
	if err := c.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>") || strings.Contains(page, "<b>") || !strings.Contains(page, "垣曲县&lt;script&gt;") {
		t.Errorf("user strings are not escaped:\n%s", page)
	}
	for _, h := range c.Headlines {
		if !strings.Contains(page, h.YTD) {
			t.Errorf("page lacks %q", h.YTD)
		}
	}

	b.Reset()
	if err := build(t, testData(), "*", "en").XLSX(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); strings.Join(got, ",") != "Headlines,Counties,Chains,Gaps,Funnel,Targets" {
		t.Errorf("sheets %v", got)
	}
	if v, _ := f.GetCellValue("Headlines", "D5"); v != "CNY 1,820 m" {
		t.Errorf("Headlines!D5 = %q", v)
	}
}

func TestBuildErrors(t *testing.T) {
	ds := testData()
	ix, _ := graph.NewIndex(ds)
	for _, c := range []struct{ area, period, code string }{
		{"999", "2024-04", chainscope.ENOTFOUND}, {"Z1", "2024-04", chainscope.EINVALID}, {"*", "2024-4", chainscope.EINVALID},
	} {
		_, err := Build(Input{DS: ds, Ix: ix, Area: c.area, Period: c.period})
		if chainscope.ErrorCode(err) != c.code {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
