package graph

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"chainscope"
	"chainscope/yuncheng"
)

func TestNewDashboard(t *testing.T) {
	p := func(id, county string, st chainscope.Status, inv *float64, signed, started string, emerging bool, segs ...string) chainscope.Project {
		x := proj(id, county, st, inv, segs...)
		x.Signed, x.Started, x.Emerging = signed, started, emerging
		return x
	}
	const yq, hj, yh = "140827", "140882", "140802"
	s := chainscope.StatusSigned
	ds := dataset(nil, []chainscope.Project{
		p("A", yq, s, wan(100), "2024-01-10", "", true, "bat.a"),
		p("B", "Z-yq", chainscope.StatusStarted, wan(200), "2024-02-01", "2024-03-01", false, "bat.b", "chem.x"),
		p("C", hj, chainscope.StatusOperating, wan(300), "2023-05-01", "2024-01-01", false, "chem.y"),
		p("D", "Z-hj", chainscope.StatusStalled, nil, "2023-01-01", "2023-02-01", false, "chem.y"),
		p("E", region, chainscope.StatusCancelled, wan(1000), "2024-01-01", "2024-01-02", true, "bat.c"),
		p("F", "", chainscope.StatusOperating, wan(50), "2024-01-01", "2024-06-01", true, "bat.d"),
		p("G", "Z-free", s, wan(25.5), "", "", true, "chem.z"),
		p("H", yh, chainscope.StatusStarted, wan(10), "2024-03-03", "2024-04-04", true, "bat.a"),
	}, nil)
	d := NewDashboard(ds, 1000)
	want := &Dashboard{
		Region: Figures{Projects: 8, Signed: 7, Started: 4, Operating: 2, Stalled: 1, Cancelled: 1, Emerging: 4, StartedSameYear: 4,
			InvestmentWan: 685.5, TargetWan: 1000, TargetShare: 0.6855, EmergingShare: 0.5714, StartRate: 0.5714},
		// E (the region's code, cancelled), F (no county), G (a zone in no county).
		RegionLevel: &AreaFigures{Area: region, Name: "运城市", Figures: Figures{Projects: 3, Signed: 2, Started: 1, Operating: 1, Cancelled: 1,
			Emerging: 2, StartedSameYear: 1, InvestmentWan: 75.5, EmergingShare: 1, StartRate: 0.5}},
		Counties: []AreaFigures{
			{Area: yh, Name: "盐湖区", Figures: Figures{Projects: 1, Signed: 1, Started: 1, Emerging: 1, StartedSameYear: 1, InvestmentWan: 10, EmergingShare: 1, StartRate: 1}},
			{Area: yq, Name: "垣曲县", Figures: Figures{Projects: 2, Signed: 2, Started: 1, Emerging: 1, StartedSameYear: 1, InvestmentWan: 300, EmergingShare: 0.5, StartRate: 0.5}},
			{Area: hj, Name: "河津市", Figures: Figures{Projects: 2, Signed: 2, Started: 1, Operating: 1, Stalled: 1, StartedSameYear: 1, InvestmentWan: 300, StartRate: 0.5}},
		},
		Chains: []ChainFigures{
			{Chain: "bat", Name: "新能源电池", Figures: Figures{Projects: 5, Signed: 4, Started: 3, Operating: 1, Cancelled: 1, Emerging: 3, StartedSameYear: 3, InvestmentWan: 360, EmergingShare: 0.75, StartRate: 0.75}},
			{Chain: "chem", Name: "化工", Figures: Figures{Projects: 4, Signed: 4, Started: 2, Operating: 1, Stalled: 1, Emerging: 1, StartedSameYear: 2, InvestmentWan: 525.5, EmergingShare: 0.25, StartRate: 0.5}},
		},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("NewDashboard:\n got %+v\nwant %+v", d, want)
	}

	b, _ := json.Marshal(d.Counties[0])
	for _, k := range []string{`"area":"140802"`, `"name":"盐湖区"`, `"projects":1`, `"signed":1`, `"started":1`, `"operating":0`, `"stalled":0`, `"cancelled":0`,
		`"emerging":1`, `"started_same_year":1`, `"investment_wan":10`, `"target_wan":0`, `"target_share":0`, `"emerging_share":1`, `"start_rate":1`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
	if b, _ := json.Marshal(NewDashboard(&chainscope.Dataset{}, 0)); string(b) != `{"region":{"projects":0,"signed":0,"started":0,"operating":0,"stalled":0,"cancelled":0,"emerging":0,"started_same_year":0,"investment_wan":0,"target_wan":0,"target_share":0,"emerging_share":0,"start_rate":0},"counties":[],"chains":[]}` {
		t.Errorf("empty dashboard JSON = %s", b)
	}
}

// TestDashboardYuncheng checks the built-in 运城 dataset against figures
// counted here record by record, with the definitions of Figures.
func TestDashboardYuncheng(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	const target = 3000 * 1e4 // 3000 亿元, the report's annual target
	d := NewDashboard(ds, target)

	type tally struct {
		projects, signed, started, operating, stalled, cancelled, emerging, sameYear int
		inv                                                                          float64
	}
	count := func(keep func(p chainscope.Project) bool) tally {
		var x tally
		for _, p := range ds.Projects {
			if !keep(p) {
				continue
			}
			x.projects++
			if p.Status == chainscope.StatusCancelled {
				x.cancelled++
				continue
			}
			x.signed++
			if p.InvestmentWan != nil {
				x.inv += *p.InvestmentWan
			}
			switch p.Status {
			case chainscope.StatusStarted:
				x.started++
			case chainscope.StatusOperating:
				x.started++
				x.operating++
			case chainscope.StatusStalled:
				x.stalled++
			}
			if p.Emerging {
				x.emerging++
			}
			if p.Signed != "" && p.Started != "" && strings.Split(p.Signed, "-")[0] == strings.Split(p.Started, "-")[0] {
				x.sameYear++
			}
		}
		return x
	}
	check := func(what string, f Figures, x tally, targetWan float64) {
		t.Helper()
		ratio := func(a, b float64) float64 {
			if b == 0 {
				return 0
			}
			return math.Round(a/b*10000) / 10000
		}
		want := Figures{Projects: x.projects, Signed: x.signed, Started: x.started, Operating: x.operating, Stalled: x.stalled,
			Cancelled: x.cancelled, Emerging: x.emerging, StartedSameYear: x.sameYear, InvestmentWan: x.inv, TargetWan: targetWan,
			TargetShare: ratio(x.inv, targetWan), EmergingShare: ratio(float64(x.emerging), float64(x.signed)), StartRate: ratio(float64(x.started), float64(x.signed))}
		if math.Abs(f.InvestmentWan-want.InvestmentWan) < 1e-6 {
			want.InvestmentWan = f.InvestmentWan
		}
		if f != want {
			t.Errorf("%s:\n got %+v\nwant %+v", what, f, want)
		}
	}
	check("region", d.Region, count(func(chainscope.Project) bool { return true }), target)

	// Counties: zones fold into their parent (运城's zones all have one).
	parent := map[string]string{}
	var codes []string
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			parent[c.Code] = c.Parent
		} else {
			codes = append(codes, c.Code)
		}
	}
	if len(d.Counties) != len(codes) || len(codes) != 13 {
		t.Fatalf("%d counties, want the 13 of 运城 (%d listed)", len(d.Counties), len(codes))
	}
	signedInCounties := 0
	for _, af := range d.Counties {
		code := af.Area
		check(code, af.Figures, count(func(p chainscope.Project) bool { return p.County == code || parent[p.County] == code }), 0)
		signedInCounties += af.Signed
	}
	for i := 1; i < len(d.Counties); i++ {
		if d.Counties[i-1].Area >= d.Counties[i].Area {
			t.Errorf("counties out of order: %s before %s", d.Counties[i-1].Area, d.Counties[i].Area)
		}
	}
	atRegion := count(func(p chainscope.Project) bool {
		return p.County == ds.Region.Code || p.County == "" || parent[p.County] == ds.Region.Code || (parent[p.County] == "" && isZone(ds, p.County))
	})
	if signedInCounties+atRegion.signed != d.Region.Signed {
		t.Errorf("counties sign %d and the region itself %d, region total %d", signedInCounties, atRegion.signed, d.Region.Signed)
	}
	// The region-level row (市本级): the projects in no county, and with
	// the county rows it adds up to the region — the 99 signed projects /
	// 395.30 亿元 on top are 90 / 365.40 in the counties and 9 / 29.90 here.
	if d.RegionLevel == nil {
		t.Fatal("no region_level row, though 运城 has 市本级 projects")
	}
	if d.RegionLevel.Area != ds.Region.Code || d.RegionLevel.Name != ds.Region.Name {
		t.Errorf("region_level names %s %s", d.RegionLevel.Area, d.RegionLevel.Name)
	}
	check("region_level", d.RegionLevel.Figures, atRegion, 0)
	var countyInv float64
	countySigned := 0
	for _, af := range d.Counties {
		countyInv += af.InvestmentWan
		countySigned += af.Signed
	}
	for _, f := range []struct {
		what            string
		signed, signed2 int
		yi              string
		wan             float64
	}{
		{"region", 99, d.Region.Signed, "395.30", d.Region.InvestmentWan},
		{"counties", 90, countySigned, "365.40", countyInv},
		{"region_level", 9, atRegion.signed, "29.90", atRegion.inv},
	} {
		if f.signed != f.signed2 || chainscope.FormatYiNumber(f.wan) != f.yi {
			t.Errorf("%s: %d signed / %s 亿元, the issue counted %d / %s", f.what, f.signed2, chainscope.FormatYiNumber(f.wan), f.signed, f.yi)
		}
	}
	if math.Abs(countyInv+atRegion.inv-d.Region.InvestmentWan) > 1e-6 || countySigned+atRegion.signed != d.Region.Signed {
		t.Errorf("counties and region_level do not add up to the region")
	}

	// Chains: a project counts for every chain it lists a segment of.
	if len(d.Chains) != len(ds.Chains) {
		t.Fatalf("%d chains, want %d", len(d.Chains), len(ds.Chains))
	}
	for i, c := range ds.Chains {
		segs := map[string]bool{}
		for _, s := range c.Segments {
			segs[s.ID] = true
		}
		cf := d.Chains[i]
		if cf.Chain != c.ID || cf.Name != c.Name {
			t.Errorf("chain %d = %s %s, want %s %s", i, cf.Chain, cf.Name, c.ID, c.Name)
		}
		check(c.ID, cf.Figures, count(func(p chainscope.Project) bool {
			for _, s := range p.Segments {
				if segs[s] {
					return true
				}
			}
			return false
		}), 0)
	}
	if d.Region.Signed == 0 || d.Region.InvestmentWan == 0 || d.Region.Emerging == 0 {
		t.Errorf("the built-in dataset should have signed projects, investment and emerging projects: %+v", d.Region)
	}
}

func isZone(ds *chainscope.Dataset, code string) bool {
	for _, c := range ds.Counties {
		if c.Code == code {
			return c.Kind == chainscope.KindZone
		}
	}
	return false
}
