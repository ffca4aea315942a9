package graph

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"chainscope"
)

// reportLeads builds the source report's 市级产业链驻点招商 line: 208
// visited, 40 intent, 7 inspected, 3 negotiating, 1 signed, with no dates.
func reportLeads() []chainscope.Lead {
	var ls []chainscope.Lead
	add := func(n int, st chainscope.LeadStage) {
		for range n {
			ls = append(ls, chainscope.Lead{ID: fmt.Sprintf("L-%03d", len(ls)), Name: "企业", County: "140827",
				Segments: []string{"bat.a"}, Stage: st})
		}
	}
	add(1, chainscope.LeadSigned)
	add(2, chainscope.LeadNegotiating)
	add(4, chainscope.LeadInspected)
	add(33, chainscope.LeadIntent)
	add(168, chainscope.LeadVisited)
	return ls
}

func TestFunnelReportShape(t *testing.T) {
	ds := dataset(nil, nil, nil)
	ds.Leads = reportLeads()
	f, err := NewFunnel(ds, "*", "", Period{})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{208, 40, 7, 3, 1}
	for i, s := range f.Stages {
		if s.Stage != chainscope.LeadPipeline[i] || s.Count != want[i] || len(s.Leads) != want[i] {
			t.Errorf("stage %d = %s %d (%d ids), want %s %d", i, s.Stage, s.Count, len(s.Leads), chainscope.LeadPipeline[i], want[i])
		}
	}
	if f.Stages[0].Rate != nil {
		t.Errorf("visited rate = %v, want null", *f.Stages[0].Rate)
	}
	// 40/208 = 0.19230…, 7/40, 3/7 = 0.42857…, 1/3.
	for i, r := range []float64{0, 0.1923, 0.175, 0.4286, 0.3333} {
		if i > 0 && (f.Stages[i].Rate == nil || *f.Stages[i].Rate != r) {
			t.Errorf("stage %d rate = %v, want %v", i, f.Stages[i].Rate, r)
		}
	}
	// With a period, undated stages do not count.
	f, err = NewFunnel(ds, "*", "", Period{From: "2024-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.Stages {
		if s.Count != 0 {
			t.Errorf("dated funnel of undated leads: %s = %d", s.Stage, s.Count)
		}
	}
	if f.Stages[1].Rate != nil {
		t.Errorf("rate after a zero stage = %v, want null", *f.Stages[1].Rate)
	}
}

// recountFunnel counts a funnel straight from the rules of SPEC §9,
// written without the code under test: the zones of testCounties are
// spelled out, and a stage is reached by position in a literal list.
func recountFunnel(leads []chainscope.Lead, area string, chainSegs []string, from, to string) (counts [5]int, ids [5][]string, dropped []string) {
	order := []string{"visited", "intent", "inspected", "negotiating", "signed"}
	parent := map[string]string{"Z-yq": "140827", "Z-hj": "140882"}
	for _, l := range leads {
		if area != "*" && l.County != area && parent[l.County] != area {
			continue
		}
		if chainSegs != nil {
			found := false
			for _, s := range l.Segments {
				for _, c := range chainSegs {
					found = found || s == c
				}
			}
			if !found {
				continue
			}
		}
		inPeriod := func(d string) bool {
			if from == "" && to == "" {
				return true
			}
			return d != "" && (from == "" || d >= from) && (to == "" || d <= to)
		}
		at := -1
		for i, o := range order {
			if string(l.Stage) == o {
				at = i
			}
		}
		for i, o := range order {
			var reached bool
			if l.Stage == "dropped" {
				_, reached = l.Dates[o]
			} else {
				reached = i <= at
			}
			if reached && inPeriod(l.Dates[o]) {
				counts[i]++
				ids[i] = append(ids[i], l.ID)
			}
		}
		if l.Stage == "dropped" && inPeriod(l.Dates["dropped"]) {
			dropped = append(dropped, l.ID)
		}
	}
	return
}

// randomLeads makes n leads in every county and zone, on both chains, at
// every stage, with some of their dates spread over 2024 and some left out.
func randomLeads(r *rand.Rand, n int) []chainscope.Lead {
	counties := []string{"140827", "140882", "140802", "Z-yq", "Z-hj", "Z-free", region}
	segs := []string{"bat.a", "bat.c", "chem.x", "chem.z"}
	var ls []chainscope.Lead
	for i := range n {
		st := chainscope.LeadStages[r.Intn(len(chainscope.LeadStages))]
		l := chainscope.Lead{ID: fmt.Sprintf("L%04d", r.Intn(10000)*10+i%10), Name: "x",
			County: counties[r.Intn(len(counties))], Segments: []string{segs[r.Intn(len(segs))]}, Stage: st, Dates: map[string]string{}}
		if r.Intn(4) == 0 {
			l.Segments = append(l.Segments, segs[r.Intn(len(segs))])
		}
		day := 0
		top := st.Rank()
		if st == chainscope.LeadDropped {
			top = r.Intn(5)
		}
		for k := 0; k <= top; k++ {
			day += r.Intn(40)
			if r.Intn(5) > 0 {
				l.Dates[string(chainscope.LeadPipeline[k])] = fmt.Sprintf("2024-%02d-%02d", 1+day/31%12, 1+day%28)
			}
		}
		if st == chainscope.LeadDropped && r.Intn(4) > 0 {
			l.Dates["dropped"] = fmt.Sprintf("2024-%02d-15", 1+r.Intn(12))
		}
		ls = append(ls, l)
	}
	return ls
}

func TestFunnelRecount(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	ds := dataset(nil, nil, nil)
	ds.Leads = randomLeads(r, 400)
	chains := map[string][]string{"": nil, "bat": {"bat.a", "bat.b", "bat.c", "bat.d", "bat.e"}, "chem": {"chem.x", "chem.y", "chem.z"}}
	periods := [][2]string{{"", ""}, {"2024-01-01", "2024-04-30"}, {"2024-03-01", ""}, {"", "2024-02-29"}, {"2024-05-15", "2024-05-15"}}
	for _, area := range []string{"*", "140827", "140882", "Z-yq", "Z-free", "140802"} {
		for chain, segs := range chains {
			for _, p := range periods {
				f, err := NewFunnel(ds, area, chain, Period{From: p[0], To: p[1]})
				if err != nil {
					t.Fatal(err)
				}
				counts, ids, dropped := recountFunnel(ds.Leads, area, segs, p[0], p[1])
				for i, s := range f.Stages {
					slices.Sort(ids[i])
					if s.Count != counts[i] || !slices.Equal(s.Leads, ids[i]) && counts[i] > 0 {
						t.Errorf("%s/%s/%v stage %s: %d %v, recount %d %v", area, chain, p, s.Stage, s.Count, s.Leads, counts[i], ids[i])
					}
				}
				slices.Sort(dropped)
				if f.Dropped != len(dropped) || len(dropped) > 0 && !slices.Equal(f.DroppedLeads, dropped) {
					t.Errorf("%s/%s/%v dropped %d, recount %d", area, chain, p, f.Dropped, len(dropped))
				}
				if area == "*" && chain == "" && p[0] == "" && p[1] == "" && f.Stages[0].Count == 0 {
					t.Fatal("the random leads reach no stage")
				}
			}
		}
	}
}

func TestFunnelErrors(t *testing.T) {
	ds := dataset(nil, nil, nil)
	for _, c := range []struct {
		area, chain, from, to, code string
	}{
		{"999999", "", "", "", chainscope.ENOTFOUND},
		{region, "", "", "", chainscope.ENOTFOUND},
		{"*", "nope", "", "", chainscope.ENOTFOUND},
		{"*", "", "2024-13-01", "", chainscope.EINVALID},
		{"*", "", "", "2024-4-30", chainscope.EINVALID},
		{"*", "", "2024-05-01", "2024-04-30", chainscope.EINVALID},
	} {
		_, err := NewFunnel(ds, c.area, c.chain, Period{From: c.from, To: c.to})
		if chainscope.ErrorCode(err) != c.code {
			t.Errorf("%+v: %v, want %s", c, err, c.code)
		}
	}
}
