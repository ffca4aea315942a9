package graph

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"chainscope"
)

func TestPeriodBounds(t *testing.T) {
	for _, c := range []struct{ kind, month, from, to, pfrom, pto string }{
		{"month", "2024-04", "2024-04-01", "2024-04-30", "2024-03-01", "2024-03-31"},
		{"month", "2024-03", "2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"},
		{"month", "2024-01", "2024-01-01", "2024-01-31", "2023-12-01", "2023-12-31"},
		{"quarter", "2024-05", "2024-04-01", "2024-06-30", "2024-01-01", "2024-03-31"},
		{"quarter", "2024-01", "2024-01-01", "2024-03-31", "2023-10-01", "2023-12-31"},
		{"quarter", "2024-12", "2024-10-01", "2024-12-31", "2024-07-01", "2024-09-30"},
		{"ytd", "2024-04", "2024-01-01", "2024-04-30", "2023-01-01", "2023-04-30"},
		{"ytd", "2024-02", "2024-01-01", "2024-02-29", "2023-01-01", "2023-02-28"},
	} {
		cur, prev, err := PeriodBounds(c.kind, c.month)
		if err != nil || cur != (Period{c.from, c.to}) || prev != (Period{c.pfrom, c.pto}) {
			t.Errorf("%s %s = %v %v %v", c.kind, c.month, cur, prev, err)
		}
	}
	for _, c := range [][2]string{{"week", "2024-04"}, {"month", "2024-4"}, {"month", "2024-13"}, {"ytd", ""}} {
		if _, _, err := PeriodBounds(c[0], c[1]); chainscope.ErrorCode(err) != chainscope.EINVALID {
			t.Errorf("%v: %v, want invalid", c, err)
		}
	}
	if got := PeriodLabel("ytd", "2024-04", "zh"); got != "2024年1–4月" {
		t.Errorf("label %q", got)
	}
}

// recountPeriod counts one area's period figures record by record from
// the definitions of PeriodFigures, spelling out the zones of testCounties.
func recountPeriod(ps []chainscope.Project, area, from, to string) (signed, started, emerging int, wan float64) {
	parent := map[string]string{"Z-yq": "140827", "Z-hj": "140882"}
	in := func(d string) bool { return len(d) == 10 && d >= from && d <= to }
	for _, p := range ps {
		county := p.County
		if parent[county] != "" {
			county = parent[county]
		}
		if area != "*" && county != area || !in(p.Signed) || p.Status == "cancelled" {
			continue
		}
		signed++
		if in(p.Started) {
			started++
		}
		if p.Emerging {
			emerging++
		}
		if p.InvestmentWan != nil {
			wan += *p.InvestmentWan
		}
	}
	return
}

func randomProjects(r *rand.Rand, n int) []chainscope.Project {
	counties := []string{"140827", "140882", "140802", "Z-yq", "Z-hj", "Z-free", region}
	statuses := []chainscope.Status{"signed", "started", "operating", "stalled", "cancelled"}
	var ps []chainscope.Project
	for i := range n {
		p := chainscope.Project{ID: fmt.Sprintf("P%d", i), Name: "p", County: counties[r.Intn(len(counties))],
			Segments: []string{"bat.a"}, Status: statuses[r.Intn(len(statuses))], Emerging: r.Intn(3) == 0}
		y, m := 2023+r.Intn(2), 1+r.Intn(12)
		p.Signed = fmt.Sprintf("%d-%02d-%02d", y, m, 1+r.Intn(28))
		if r.Intn(6) == 0 {
			p.Signed = ""
		}
		if p.Status != "signed" && r.Intn(4) > 0 {
			m2 := m + r.Intn(4)
			if m2 > 12 {
				m2 = 12
			}
			p.Started = fmt.Sprintf("%d-%02d-%02d", y, m2, 1+r.Intn(28))
		}
		if r.Intn(5) > 0 {
			w := float64(r.Intn(1_000_000)) + 0.25*float64(r.Intn(4))
			p.InvestmentWan = &w
		}
		ps = append(ps, p)
	}
	return ps
}

func TestPeriodFiguresRecount(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	ds := dataset(nil, randomProjects(r, 600), nil)
	seven, wan, tgt := 7, 14813700.0, 30000000.0
	ds.Reports = []chainscope.Report{{Area: region, From: "2024-01-01", To: "2024-04-30", SignedProjects: &seven, InvestmentWan: &wan, TargetWan: &tgt, Source: "通报"}}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	for _, kind := range []string{"month", "quarter", "ytd"} {
		for _, month := range []string{"2024-01", "2024-04", "2024-07", "2024-12"} {
			for _, area := range []string{"*", "140827", "140882", "140802"} {
				pf, err := NewPeriodFigures(ds, kind, month, area, tgt)
				if err != nil {
					t.Fatal(err)
				}
				for _, side := range []struct {
					f        Figures
					from, to string
				}{{pf.Figures, pf.From, pf.To}, {pf.Previous, pf.PrevFrom, pf.PrevTo}} {
					s, st, em, w := recountPeriod(ds.Projects, area, side.from, side.to)
					rate := 0.0
					if s > 0 {
						rate = math.Round(float64(st)/float64(s)*1e4) / 1e4
					}
					if side.f.Signed != s || side.f.Started != st || side.f.Emerging != em || !near(side.f.InvestmentWan, w) || side.f.StartRate != rate {
						t.Errorf("%s %s %s [%s,%s]: %+v, recount signed %d started %d emerging %d wan %v rate %v",
							kind, month, area, side.from, side.to, side.f, s, st, em, w, rate)
					}
					if area == "*" && !near(side.f.TargetShare, math.Round(w/tgt*1e4)/1e4) {
						t.Errorf("target share %v of %v", side.f.TargetShare, w)
					}
				}
				if pf.Change.Signed != pf.Figures.Signed-pf.Previous.Signed ||
					!near(pf.Change.StartRatePoints, math.Round((pf.Figures.StartRate-pf.Previous.StartRate)*1e4)/100) {
					t.Errorf("change %+v of %+v and %+v", pf.Change, pf.Figures, pf.Previous)
				}
				if len(pf.Counties) != 3 {
					t.Fatalf("counties %d", len(pf.Counties))
				}
				for _, c := range pf.Counties {
					if s, _, _, _ := recountPeriod(ds.Projects, c.Area, pf.From, pf.To); s != c.Figures.Signed {
						t.Errorf("county %s signed %d, recount %d", c.Area, c.Figures.Signed, s)
					}
				}
				wantReport := kind == "ytd" && month == "2024-04" && area == "*"
				if (pf.Report != nil) != wantReport {
					t.Errorf("%s %s %s report %v", kind, month, area, pf.Report)
				} else if wantReport && (*pf.Report.TargetShare != 0.4938 || pf.Report.StartRate != nil || pf.Report.Source != "通报") {
					t.Errorf("report figures %+v", pf.Report)
				}
			}
		}
	}
	if _, err := NewPeriodFigures(ds, "month", "2024-04", "Z-yq", 0); chainscope.ErrorCode(err) != chainscope.EINVALID {
		t.Errorf("zone: %v", err)
	}
	if _, err := NewPeriodFigures(ds, "month", "2024-04", "999", 0); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
		t.Errorf("unknown: %v", err)
	}
}

func TestRankCounties(t *testing.T) {
	cs := []CountyPeriod{
		{Area: "b", Figures: Figures{Signed: 3}, Change: FiguresChange{Signed: 1}},
		{Area: "a", Figures: Figures{Signed: 5}},
		{Area: "c", Figures: Figures{Signed: 3}, Change: FiguresChange{Signed: -2}},
		{Area: "d", Figures: Figures{Signed: 0}},
	}
	r := RankCounties(cs)[0]
	want := []RankEntry{{Area: "a", Rank: 1, Value: 5}, {Area: "b", Rank: 2, Value: 3, Change: 1}, {Area: "c", Rank: 2, Value: 3, Change: -2}, {Area: "d", Rank: 4}}
	if r.Figure != "signed" || fmt.Sprint(r.Entries) != fmt.Sprint(want) {
		t.Errorf("ranking %+v, want %+v", r, want)
	}
}
