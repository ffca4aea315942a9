package graph

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"chainscope"
)

// The kinds of period of the dashboard and the monthly report.
const (
	PeriodMonth   = "month"   // the calendar month
	PeriodQuarter = "quarter" // the calendar quarter holding the month
	PeriodYTD     = "ytd"     // 1 January to the end of the month (1–4月)
)

// PeriodBounds returns the period of kind (month, quarter or ytd) named by
// month (YYYY-MM) and the period it is compared with: the month before,
// the quarter before, or for ytd the same months of the year before (同比,
// as reports compare 1–4月 with last year's 1–4月). A bad kind or month is
// an EINVALID error.
func PeriodBounds(kind, month string) (cur, prev Period, err error) {
	t, perr := time.Parse("2006-01", month)
	if perr != nil || len(month) != 7 {
		return cur, prev, chainscope.Localizedf(chainscope.EINVALID, "参数 period 应为年月 YYYY-MM：%q", "period must be a month YYYY-MM: %q", month)
	}
	span := func(first time.Time, months int) Period {
		return Period{From: first.Format(time.DateOnly), To: first.AddDate(0, months, -1).Format(time.DateOnly)}
	}
	switch kind {
	case PeriodMonth:
		return span(t, 1), span(t.AddDate(0, -1, 0), 1), nil
	case PeriodQuarter:
		q := t.AddDate(0, -int(t.Month()-1)%3, 0)
		return span(q, 3), span(q.AddDate(0, -3, 0), 3), nil
	case PeriodYTD:
		jan := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		n := int(t.Month())
		return span(jan, n), span(jan.AddDate(-1, 0, 0), n), nil
	}
	return cur, prev, chainscope.Localizedf(chainscope.EINVALID, "参数 kind 应为 month、quarter 或 ytd：%q", "kind must be month, quarter or ytd: %q", kind)
}

// PeriodFigures are the figures of a period by the records' own dates
// (SPEC §8), beside those of the previous period and the change, with the
// counties ranked by each figure (晾晒) and the report record whose bounds
// equal the period (上报口径 beside the ledger's 台账口径).
//
// A period's Figures are graph.Figures (see Figures for each field) over
// the projects whose signed date lies in the period, each taken with the
// status it had by the period's end as far as its dates tell:
//   - signed in period (签约): signed date inside the period; a project
//     cancelled since is out of every figure but Projects and Cancelled;
//   - started (开工): of those, the ones whose started date lies inside the
//     period too (签约且开工, the report's started_projects), stalled or
//     operating since or not; a project whose started date is later, or
//     absent, counts as signed only;
//   - investment: of the projects signed in the period;
//   - start rate: Started / Signed, as the dashboard defines it (the
//     report's own rate divides by the projects due to start, which only
//     the report record knows: see ReportFigures.StartRate).
//
// Only the region ("*") carries the annual target; the target share is
// the period's investment over the annual target.
type PeriodFigures struct {
	Kind     string        `json:"kind"`   // month, quarter or ytd
	Period   string        `json:"period"` // the month as asked, YYYY-MM
	Area     string        `json:"area"`   // "*" or a county code
	Name     string        `json:"name"`   // the area's name
	From     string        `json:"from"`
	To       string        `json:"to"`
	PrevFrom string        `json:"prev_from"`
	PrevTo   string        `json:"prev_to"`
	Figures  Figures       `json:"figures"`  // 台账口径, this period
	Previous Figures       `json:"previous"` // the previous period
	Change   FiguresChange `json:"change"`
	// Counties are every county (zones folded in, ascending code) with its
	// figures, previous figures and change; Rankings order them by each figure.
	Counties []CountyPeriod  `json:"counties"`
	Rankings []PeriodRanking `json:"rankings"`
	// Report is the report record of the area (the region's code for "*")
	// whose from and to equal the period's, nil when there is none.
	Report *ReportFigures `json:"report"`
}

// FiguresChange is this period's figures minus the previous period's:
// counts, 万元, and shares in percentage points (2 decimals: 开工率 +3.1
// 个百分点 is 3.1).
type FiguresChange struct {
	Signed              int     `json:"signed"`
	Started             int     `json:"started"`
	Emerging            int     `json:"emerging"`
	InvestmentWan       float64 `json:"investment_wan"`
	StartRatePoints     float64 `json:"start_rate_points"`
	EmergingSharePoints float64 `json:"emerging_share_points"`
	TargetSharePoints   float64 `json:"target_share_points"`
}

// CountyPeriod is one county's row of the 晾晒 table.
type CountyPeriod struct {
	Area     string        `json:"area"`
	Name     string        `json:"name"`
	Figures  Figures       `json:"figures"`
	Previous Figures       `json:"previous"`
	Change   FiguresChange `json:"change"`
}

// PeriodRanking orders the counties by one figure (signed, investment_wan,
// started, start_rate, emerging), largest first, ties by ascending code.
type PeriodRanking struct {
	Figure  string      `json:"figure"`
	Entries []RankEntry `json:"entries"`
}

// RankEntry is a county's place in a ranking: Rank from 1, equal values
// sharing a rank (1, 1, 3); Value and Change are the figure and its change
// (shares as fractions for Value, percentage points for Change).
type RankEntry struct {
	Area   string  `json:"area"`
	Name   string  `json:"name"`
	Rank   int     `json:"rank"`
	Value  float64 `json:"value"`
	Change float64 `json:"change"`
}

// ReportFigures is a report record (上报口径) with the shares it implies:
// StartRate = started / due (the report's 开工率), TargetShare = investment /
// target, EmergingShare = emerging / signed; each 4 decimals, nil when a
// figure is missing or the denominator is 0.
type ReportFigures struct {
	chainscope.Report
	StartRate     *float64 `json:"start_rate"`
	TargetShare   *float64 `json:"target_share"`
	EmergingShare *float64 `json:"emerging_share"`
}

// RankedFigures lists the figures the counties are ranked by, in order.
var RankedFigures = []string{"signed", "investment_wan", "started", "start_rate", "emerging"}

// value returns the figure named name (one of RankedFigures).
func (f *Figures) value(name string) float64 {
	switch name {
	case "signed":
		return float64(f.Signed)
	case "investment_wan":
		return f.InvestmentWan
	case "started":
		return float64(f.Started)
	case "start_rate":
		return f.StartRate
	case "emerging":
		return float64(f.Emerging)
	}
	return 0
}

// value returns the change of the figure named name.
func (c *FiguresChange) value(name string) float64 {
	switch name {
	case "signed":
		return float64(c.Signed)
	case "investment_wan":
		return c.InvestmentWan
	case "started":
		return float64(c.Started)
	case "start_rate":
		return c.StartRatePoints
	case "emerging":
		return float64(c.Emerging)
	}
	return 0
}

// ChangeOf returns cur − prev.
func ChangeOf(cur, prev Figures) FiguresChange {
	points := func(a, b float64) float64 { return math.Round((a-b)*1e4) / 100 }
	return FiguresChange{
		Signed: cur.Signed - prev.Signed, Started: cur.Started - prev.Started, Emerging: cur.Emerging - prev.Emerging,
		InvestmentWan:       round4(cur.InvestmentWan - prev.InvestmentWan),
		StartRatePoints:     points(cur.StartRate, prev.StartRate),
		EmergingSharePoints: points(cur.EmergingShare, prev.EmergingShare),
		TargetSharePoints:   points(cur.TargetShare, prev.TargetShare),
	}
}

// InPeriod returns the projects of ds signed inside p, each with the
// status its dates give it at the period's end (see PeriodFigures).
func InPeriod(ds *chainscope.Dataset, p Period) []chainscope.Project {
	var out []chainscope.Project
	for _, pr := range ds.Projects {
		if !p.Contains(pr.Signed) {
			continue
		}
		switch {
		case pr.Status == chainscope.StatusCancelled:
		case p.Contains(pr.Started) && pr.Status == chainscope.StatusOperating:
		case p.Contains(pr.Started):
			pr.Status = chainscope.StatusStarted
		case pr.Status == chainscope.StatusStalled:
		default:
			pr.Status = chainscope.StatusSigned
		}
		out = append(out, pr)
	}
	return out
}

// PeriodDashboard is the dashboard (NewDashboard) of the projects signed
// in p, with their statuses as of the period's end.
func PeriodDashboard(ds *chainscope.Dataset, p Period, targetWan float64) *Dashboard {
	view := *ds
	view.Projects = InPeriod(ds, p)
	return NewDashboard(&view, targetWan)
}

// NewPeriodFigures computes the figures of area ("*" or a district, county
// or city code; a zone's figures are its county's) for the period of kind
// named by month (see PeriodBounds). targetWan is the region's annual
// target in 万元 (0: none). An unknown area is an ENOTFOUND error; a zone,
// a bad kind or month an EINVALID one.
func NewPeriodFigures(ds *chainscope.Dataset, kind, month, area string, targetWan float64) (*PeriodFigures, error) {
	cur, prev, err := PeriodBounds(kind, month)
	if err != nil {
		return nil, err
	}
	pf := &PeriodFigures{Kind: kind, Period: month, Area: area, From: cur.From, To: cur.To, PrevFrom: prev.From, PrevTo: prev.To,
		Counties: []CountyPeriod{}, Rankings: []PeriodRanking{}}
	dc, dp := PeriodDashboard(ds, cur, targetWan), PeriodDashboard(ds, prev, targetWan)
	reportArea := area
	switch {
	case area == "*":
		pf.Name, pf.Figures, pf.Previous, reportArea = ds.Region.Name, dc.Region, dp.Region, ds.Region.Code
	default:
		k := slices.IndexFunc(dc.Counties, func(c AreaFigures) bool { return c.Area == area })
		if k < 0 {
			if slices.ContainsFunc(ds.Counties, func(c chainscope.County) bool { return c.Code == area && c.Code != ds.Region.Code }) {
				return nil, chainscope.Localizedf(chainscope.EINVALID, "开发区 %[1]q 的期间指标计入其所在县区", "the period figures of zone %[1]q are its county's", area)
			}
			return nil, notFoundArea(area)
		}
		pf.Name, pf.Figures, pf.Previous = dc.Counties[k].Name, dc.Counties[k].Figures, dp.Counties[k].Figures
	}
	pf.Change = ChangeOf(pf.Figures, pf.Previous)
	for k, c := range dc.Counties {
		pf.Counties = append(pf.Counties, CountyPeriod{Area: c.Area, Name: c.Name, Figures: c.Figures,
			Previous: dp.Counties[k].Figures, Change: ChangeOf(c.Figures, dp.Counties[k].Figures)})
	}
	pf.Rankings = RankCounties(pf.Counties)
	for i := range ds.Reports {
		r := &ds.Reports[i]
		if r.Area == reportArea && r.From == cur.From && r.To == cur.To {
			pf.Report = NewReportFigures(r)
			break
		}
	}
	return pf, nil
}

// RankCounties orders the counties by each of RankedFigures.
func RankCounties(cs []CountyPeriod) []PeriodRanking {
	out := make([]PeriodRanking, 0, len(RankedFigures))
	for _, name := range RankedFigures {
		r := PeriodRanking{Figure: name, Entries: make([]RankEntry, len(cs))}
		for i, c := range cs {
			r.Entries[i] = RankEntry{Area: c.Area, Name: c.Name, Value: c.Figures.value(name), Change: c.Change.value(name)}
		}
		slices.SortStableFunc(r.Entries, func(a, b RankEntry) int {
			if a.Value != b.Value {
				if a.Value > b.Value {
					return -1
				}
				return 1
			}
			return strings.Compare(a.Area, b.Area)
		})
		for i := range r.Entries {
			if i > 0 && r.Entries[i].Value == r.Entries[i-1].Value {
				r.Entries[i].Rank = r.Entries[i-1].Rank
			} else {
				r.Entries[i].Rank = i + 1
			}
		}
		out = append(out, r)
	}
	return out
}

// NewReportFigures adds the shares a report record implies.
func NewReportFigures(r *chainscope.Report) *ReportFigures {
	share := func(a *int, af *float64, b *int, bf *float64) *float64 {
		var x, y float64
		switch {
		case a != nil:
			x = float64(*a)
		case af != nil:
			x = *af
		default:
			return nil
		}
		switch {
		case b != nil:
			y = float64(*b)
		case bf != nil:
			y = *bf
		default:
			return nil
		}
		if y <= 0 {
			return nil
		}
		v := round4(x / y)
		return &v
	}
	return &ReportFigures{Report: *r,
		StartRate:     share(r.StartedProjects, nil, r.DueProjects, nil),
		TargetShare:   share(nil, r.InvestmentWan, nil, r.TargetWan),
		EmergingShare: share(r.EmergingProjects, nil, r.SignedProjects, nil)}
}

// PeriodLabel names the period as officers write it: 2024年4月, 2024年第二季度,
// 2024年1–4月 (English: April 2024, 2024 Q2, January–April 2024).
func PeriodLabel(kind, month, lang string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	y, m := t.Year(), int(t.Month())
	if lang == "en" {
		switch kind {
		case PeriodQuarter:
			return fmt.Sprintf("%d Q%d", y, (m-1)/3+1)
		case PeriodYTD:
			if m == 1 {
				return fmt.Sprintf("January %d", y)
			}
			return fmt.Sprintf("January–%s %d", t.Month(), y)
		}
		return fmt.Sprintf("%s %d", t.Month(), y)
	}
	switch kind {
	case PeriodQuarter:
		return fmt.Sprintf("%d年第%s季度", y, []string{"一", "二", "三", "四"}[(m-1)/3])
	case PeriodYTD:
		if m == 1 {
			return fmt.Sprintf("%d年1月", y)
		}
		return fmt.Sprintf("%d年1–%d月", y, m)
	}
	return fmt.Sprintf("%d年%d月", y, m)
}
