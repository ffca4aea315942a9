package graph

import (
	"slices"
	"strings"

	"chainscope"
)

// Figures are the investment-drive numbers a report leads with (签约项目,
// 总投资, 目标完成率, 战略性新兴产业占比, 开工率), over a set of projects.
//
// Definitions, cancelled projects being out of everything but Projects and
// Cancelled:
//   - Projects: every project record, cancelled ones included.
//   - Signed (签约): the projects that are not cancelled — every project in
//     the ledger was signed, whatever happened since.
//   - Started (开工): status started or operating. A stalled project does
//     not count, even if it once broke ground.
//   - Operating, Stalled, Cancelled: projects with that status.
//   - Emerging: signed projects marked emerging (战略性新兴产业).
//   - StartedSameYear (当年签约当年开工): signed projects whose started date
//     falls in the year of their signed date.
//   - InvestmentWan: the investment of the signed projects, 万元 (unknown
//     counts 0); TargetShare = InvestmentWan / TargetWan, 0 without a target.
//   - EmergingShare = Emerging / Signed; StartRate = Started / Signed.
//
// The 运城 report's start rate (81 started of 95 due, 85.26%) divides by the
// projects due to start, which a ledger cannot tell; StartRate divides by
// every signed project instead. Shares are rounded to 4 decimals and are 0
// when the denominator is.
type Figures struct {
	Projects        int     `json:"projects"`
	Signed          int     `json:"signed"`
	Started         int     `json:"started"`
	Operating       int     `json:"operating"`
	Stalled         int     `json:"stalled"`
	Cancelled       int     `json:"cancelled"`
	Emerging        int     `json:"emerging"`
	StartedSameYear int     `json:"started_same_year"`
	InvestmentWan   float64 `json:"investment_wan"`
	TargetWan       float64 `json:"target_wan"`
	TargetShare     float64 `json:"target_share"`
	EmergingShare   float64 `json:"emerging_share"`
	StartRate       float64 `json:"start_rate"`
}

// AreaFigures are the Figures of one county, zones folded in.
type AreaFigures struct {
	Area string `json:"area"`
	Name string `json:"name"`
	// Portfolio lists the chains the county develops (SPEC §5, its zones'
	// included), absent when it lists none: every chain counts.
	Portfolio []string `json:"portfolio,omitempty"`
	Figures
}

// ChainFigures are the Figures of the projects listing a segment of a chain.
type ChainFigures struct {
	Chain string `json:"chain"`
	Name  string `json:"name"`
	Figures
}

// Dashboard is the region's investment-drive summary: the region as a
// whole (with the annual target), every county (zones folded into the
// county they lie in; districts, counties and county-level cities in
// ascending code order, those without projects included) and every chain
// (dataset order). Only the region carries the target: TargetWan and
// TargetShare are 0 for counties and chains. A project in no county (the
// region's own code, or a zone under the region) counts for the region
// only, and for RegionLevel (市本级 / 省本级), present when there is at least
// one such project: RegionLevel and the counties add up to the region. A
// project listing segments of two chains counts for both.
type Dashboard struct {
	Region      Figures        `json:"region"`
	RegionLevel *AreaFigures   `json:"region_level,omitempty"` // area: the region's code, name: its name
	Counties    []AreaFigures  `json:"counties"`
	Chains      []ChainFigures `json:"chains"`
}

// NewDashboard computes the dashboard straight from the dataset: it needs
// no Index, and a dataset that fails validation still gives figures (an
// unknown county or segment is simply not counted there). targetWan is the
// annual investment target in 万元 (0 or less: none).
func NewDashboard(ds *chainscope.Dataset, targetWan float64) *Dashboard {
	d := &Dashboard{Counties: []AreaFigures{}, Chains: []ChainFigures{}}
	if ds == nil {
		return d
	}
	zones := map[string]string{} // zone code → parent
	slot := map[string]int{}     // county code → position in d.Counties
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			zones[c.Code] = c.Parent
		} else if c.Code != ds.Region.Code {
			if _, dup := slot[c.Code]; !dup {
				slot[c.Code] = -1
				d.Counties = append(d.Counties, AreaFigures{Area: c.Code, Name: c.Name})
			}
		}
	}
	slices.SortFunc(d.Counties, func(a, b AreaFigures) int { return strings.Compare(a.Area, b.Area) })
	for i, c := range d.Counties {
		slot[c.Area] = i
	}
	countyOf := func(code string) int {
		for steps := 0; steps <= len(zones); steps++ {
			if i, ok := slot[code]; ok {
				return i
			}
			parent, ok := zones[code]
			if !ok {
				return -1
			}
			code = parent
		}
		return -1 // zone parents in a cycle
	}
	// atRegion: the code is the region's own, none, or a zone that lies
	// in no county (its parents end at the region or nowhere).
	atRegion := func(code string) bool {
		for steps := 0; steps <= len(zones); steps++ {
			if code == "" || code == ds.Region.Code {
				return true
			}
			parent, ok := zones[code]
			if !ok {
				return false // an unknown code: counted for the region only
			}
			code = parent
		}
		return false
	}
	chainOf := map[string]int{} // segment id → chain position
	for i, c := range ds.Chains {
		d.Chains = append(d.Chains, ChainFigures{Chain: c.ID, Name: c.Name})
		for _, s := range c.Segments {
			chainOf[s.ID] = i
		}
	}

	var chains []int
	for i := range ds.Projects {
		p := &ds.Projects[i]
		d.Region.add(p)
		if k := countyOf(p.County); k >= 0 {
			d.Counties[k].add(p)
		} else if atRegion(p.County) {
			if d.RegionLevel == nil {
				d.RegionLevel = &AreaFigures{Area: ds.Region.Code, Name: ds.Region.Name}
			}
			d.RegionLevel.add(p)
		}
		chains = chains[:0]
		for _, s := range p.Segments {
			if c, ok := chainOf[s]; ok && !slices.Contains(chains, c) {
				chains = append(chains, c)
				d.Chains[c].add(p)
			}
		}
	}
	if targetWan > 0 {
		d.Region.TargetWan = targetWan
	}
	d.Region.finish()
	if d.RegionLevel != nil {
		d.RegionLevel.finish()
	}
	pf := NewPortfolio(ds)
	for i := range d.Counties {
		d.Counties[i].finish()
		d.Counties[i].Portfolio = pf.Listed(d.Counties[i].Area, ds.Chains)
	}
	for i := range d.Chains {
		d.Chains[i].finish()
	}
	return d
}

// add counts one project.
func (f *Figures) add(p *chainscope.Project) {
	f.Projects++
	switch p.Status {
	case chainscope.StatusCancelled:
		f.Cancelled++
		return
	case chainscope.StatusStarted:
		f.Started++
	case chainscope.StatusOperating:
		f.Started++
		f.Operating++
	case chainscope.StatusStalled:
		f.Stalled++
	}
	f.Signed++
	f.InvestmentWan += p.Investment()
	if p.Emerging {
		f.Emerging++
	}
	if len(p.Signed) >= 4 && len(p.Started) >= 4 && p.Signed[:4] == p.Started[:4] {
		f.StartedSameYear++
	}
}

// finish works out the shares.
func (f *Figures) finish() {
	share := func(a, b float64) float64 {
		if b <= 0 {
			return 0
		}
		return round4(a / b)
	}
	f.InvestmentWan = round4(f.InvestmentWan) // sums of decimal amounts drift in the last bits
	f.TargetShare = share(f.InvestmentWan, f.TargetWan)
	f.EmergingShare = share(float64(f.Emerging), float64(f.Signed))
	f.StartRate = share(float64(f.Started), float64(f.Signed))
}
