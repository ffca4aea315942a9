package graph

import (
	"slices"
	"testing"

	"chainscope"
)

// portfolioDataset: 垣曲 develops bat, 河津's zone develops chem (so 河津
// does), 盐湖 lists nothing; enterprises of 垣曲 hold bat.a and bat.c, so
// bat.b is missing there; leads of 垣曲 and its zone pursue bat.b.
func portfolioDataset() *chainscope.Dataset {
	ds := dataset([]chainscope.Enterprise{
		{ID: "E1", Name: "甲", County: "140827", Segments: []string{"bat.a"}},
		{ID: "E2", Name: "乙", County: "Z-yq", Segments: []string{"bat.c"}},
		{ID: "E3", Name: "丙", County: "140882", Segments: []string{"bat.a", "chem.x"}},
	}, nil, nil)
	for i := range ds.Counties {
		switch ds.Counties[i].Code {
		case "140827":
			ds.Counties[i].Chains = []string{"bat"}
		case "Z-hj":
			ds.Counties[i].Chains = []string{"chem"}
		}
	}
	ds.Leads = []chainscope.Lead{
		{ID: "L3", County: "Z-yq", Segments: []string{"bat.b", "bat.b"}, Stage: chainscope.LeadIntent},
		{ID: "L1", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadNegotiating},
		{ID: "L2", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadSigned},
		{ID: "L4", County: "140827", Segments: []string{"bat.b"}, Stage: chainscope.LeadDropped},
		{ID: "L5", County: "140882", Segments: []string{"bat.b"}, Stage: chainscope.LeadVisited},
		{ID: "L6", County: "140827", Segments: []string{"bat.a"}, Stage: chainscope.LeadVisited},
	}
	return ds
}

func TestPortfolio(t *testing.T) {
	ds := portfolioDataset()
	pf := NewPortfolio(ds)
	for _, c := range []struct {
		area, chain string
		want        bool
	}{
		{"*", "bat", true}, {"*", "chem", true},
		{"140827", "bat", true}, {"140827", "chem", false}, {"Z-yq", "chem", false}, {"Z-yq", "bat", true},
		{"140882", "chem", true}, {"140882", "bat", false}, {"Z-hj", "bat", false},
		{"140802", "bat", true}, {"140802", "chem", true}, {"Z-free", "chem", true},
	} {
		if got := pf.Pursues(c.area, c.chain); got != c.want {
			t.Errorf("Pursues(%s, %s) = %v", c.area, c.chain, got)
		}
	}
	if got := pf.Listed("Z-hj", ds.Chains); !slices.Equal(got, []string{"chem"}) {
		t.Errorf("Listed(Z-hj) = %v", got)
	}
	if got := pf.Listed("140802", ds.Chains); got != nil {
		t.Errorf("Listed(140802) = %v", got)
	}
	d := NewDashboard(ds, 0)
	for _, c := range d.Counties {
		if want := map[string][]string{"140827": {"bat"}, "140882": {"chem"}}[c.Area]; !slices.Equal(c.Portfolio, want) {
			t.Errorf("dashboard %s portfolio %v, want %v", c.Area, c.Portfolio, want)
		}
	}

	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	pf.MarkCluster(cl)
	for _, cell := range cl.Cells {
		if cell.NotPursued != !pf.Pursues(cell.Area, cell.Chain) {
			t.Errorf("cell %s/%s not_pursued %v", cell.Area, cell.Chain, cell.NotPursued)
		}
		if cell.Area == "140827" && cell.Chain == "chem" && !cell.NotPursued {
			t.Errorf("垣曲 chem should be 未布局")
		}
	}
}

func TestOpenLeads(t *testing.T) {
	ds := portfolioDataset()
	// 垣曲 with its zone: L1 and L3 are open on bat.b (L2 signed, L4 dropped).
	ol := NewOpenLeads(ds, "140827")
	if !slices.Equal(ol["bat.b"], []string{"L1", "L3"}) || !slices.Equal(ol["bat.a"], []string{"L6"}) {
		t.Errorf("open leads %v", ol)
	}
	if got := NewOpenLeads(ds, "Z-yq")["bat.b"]; !slices.Equal(got, []string{"L3"}) {
		t.Errorf("zone open leads %v", got)
	}
	if got := NewOpenLeads(ds, "*")["bat.b"]; !slices.Equal(got, []string{"L1", "L3", "L5"}) {
		t.Errorf("region open leads %v", got)
	}
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.Report("140827", "bat")
	if err != nil {
		t.Fatal(err)
	}
	r.AddLeads(ol)
	// bat.b is missing in 垣曲: 在谈 with L1 and L3; bat.a is held, so L6
	// marks nothing; the §5 status stays missing.
	if len(r.Pursuing) != 1 || r.Pursuing[0].Segment != "bat.b" || r.Pursuing[0].OpenLeads != 2 {
		t.Errorf("pursuing %+v", r.Pursuing)
	}
	for _, g := range r.GapTargets {
		want := 0
		if g.Segment == "bat.b" {
			want = 2
			if g.Status != Missing {
				t.Errorf("bat.b status %s", g.Status)
			}
		}
		if g.OpenLeads != want {
			t.Errorf("gap %s open_leads %d, want %d", g.Segment, g.OpenLeads, want)
		}
	}
}
