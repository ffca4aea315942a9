package yuncheng

import (
	"fmt"
	"slices"
	"testing"

	"chainscope"
)

// The 1–4月 report record holds the report's figures as printed
// (REPORT-FACTS.md), and the dashboard's target comes from it.
func TestReportRecord(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Reports) != 1 {
		t.Fatalf("%d reports", len(ds.Reports))
	}
	r := ds.Reports[0]
	if r.Area != regionCode || r.From != "2024-01-01" || r.To != "2024-04-30" || r.Source != reportSource {
		t.Fatalf("report key/source %+v", r)
	}
	for name, got := range map[string]*int{"signed": r.SignedProjects, "emerging": r.EmergingProjects, "started": r.StartedProjects, "due": r.DueProjects} {
		want := map[string]int{"signed": 156, "emerging": 99, "started": 81, "due": 95}[name]
		if got == nil || *got != want {
			t.Errorf("%s = %v, want %d", name, got, want)
		}
	}
	// 1481.37 亿元 and 3000 亿元, in 万元
	if r.InvestmentWan == nil || *r.InvestmentWan != 1481.37*10000 || r.TargetWan == nil || *r.TargetWan != 3000*10000 {
		t.Errorf("amounts %v %v", r.InvestmentWan, r.TargetWan)
	}
	// the report's start rate: 81 of 95 = 85.26%
	if rate := float64(*r.StartedProjects) / float64(*r.DueProjects); fmt.Sprintf("%.2f", rate*100) != "85.26" {
		t.Errorf("start rate %v", rate)
	}
	if tr := chainscope.TargetReport(ds); tr == nil || *tr.TargetWan != 3000*10000 {
		t.Errorf("TargetReport = %+v", tr)
	}
}

// Leads are illustrative but for the one the report names; the signed one
// became an existing project of its county and segment, on its signing day.
func TestLeads(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	signed := 0
	stages := map[chainscope.LeadStage]bool{}
	for _, l := range ds.Leads {
		stages[l.Stage] = true
		if l.Source != illustrative && l.Source != reportSource {
			t.Errorf("lead %s source %q", l.ID, l.Source)
		}
		if l.Stage != chainscope.LeadSigned {
			continue
		}
		signed++
		i := slices.IndexFunc(ds.Projects, func(p chainscope.Project) bool { return p.ID == l.Project })
		if i < 0 {
			t.Fatalf("lead %s: project %q not in the data", l.ID, l.Project)
		}
		p := ds.Projects[i]
		if p.County != l.County || !slices.Equal(p.Segments, l.Segments) || p.Signed != l.Dates["signed"] {
			t.Errorf("lead %s does not match project %+v", l.ID, p)
		}
	}
	if signed != 1 || len(stages) != len(chainscope.LeadStages) {
		t.Errorf("%d signed leads, stages %v", signed, stages)
	}
}

// Each county's chains are the chains its own records (and its zones')
// are in, in dataset order.
func TestCountyChains(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	segChain := map[string]string{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			segChain[s.ID] = c.ID
		}
	}
	in := map[string]map[string]bool{}
	mark := func(county string, segs []string) {
		for _, code := range []string{county, parentOf(ds, county)} {
			if code == "" {
				continue
			}
			if in[code] == nil {
				in[code] = map[string]bool{}
			}
			for _, s := range segs {
				in[code][segChain[s]] = true
			}
		}
	}
	for _, e := range ds.Enterprises {
		mark(e.County, e.Segments)
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			mark(p.County, p.Segments)
		}
	}
	withChains := 0
	for _, c := range ds.Counties {
		var want []string
		for _, ch := range ds.Chains {
			if in[c.Code][ch.ID] {
				want = append(want, ch.ID)
			}
		}
		if !slices.Equal(c.Chains, want) {
			t.Errorf("%s %s chains %v, want %v", c.Code, c.Name, c.Chains, want)
		}
		if len(c.Chains) > 0 {
			withChains++
		}
	}
	if withChains == 0 {
		t.Fatal("no county names its chains")
	}
	// 垣曲县: the report's 锻后焦, 负极材料 and 专用设备 projects are battery
	for _, c := range ds.Counties {
		if c.Code == "140827" && !slices.Contains(c.Chains, "battery") {
			t.Errorf("垣曲县 chains %v lack battery", c.Chains)
		}
	}
}

func parentOf(ds *chainscope.Dataset, code string) string {
	for _, c := range ds.Counties {
		if c.Code == code {
			return c.Parent
		}
	}
	return ""
}
