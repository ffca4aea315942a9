// Package report builds the monthly progress report 月度通报 of a region
// or a county: the headline figures of the month and of the year to date
// with their change, the county ranking (晾晒), the chain table, the gaps
// closed and opened during the month (from the history, SPEC §8), the
// leads funnel (SPEC §9) and the top gap-filling targets. It writes the
// content as a print-ready A4 HTML page (HTML) and as an Excel workbook
// (XLSX); the server serves the page at GET /report and `chainscope
// report` writes either file.
package report

import (
	"cmp"
	"slices"
	"strconv"

	"chainscope"
	"chainscope/graph"
)

// MaxTargets and MaxGapChanges bound the lists of the report, which is
// meant to print on a few pages.
const (
	MaxTargets    = 10 // gap-filling targets listed
	MaxGapChanges = 12 // gaps closed, and gaps opened, listed (the rest counted)
)

// Content is everything the report shows, in the words of one language.
type Content struct {
	Lang        string // "zh" or "en"
	Area        string // "*" or a county code
	AreaName    string
	RegionName  string
	Period      string // YYYY-MM
	MonthLabel  string // 2024年4月
	YTDLabel    string // 2024年1–4月
	Month       *graph.PeriodFigures
	YTD         *graph.PeriodFigures
	Headlines   []Headline
	Counties    []CountyRow
	Chains      []ChainRow
	History     *History // nil: no revision in or before the month
	Closed      []GapRow
	Opened      []GapRow
	MoreClosed  int // closed gaps not listed (beyond MaxGapChanges)
	MoreOpened  int
	Funnel      *graph.Funnel // the year to date
	Targets     []TargetRow
	DataVersion int64
}

// Headline is one headline figure: its label, its value this month and
// year to date, and the changes (against the month before; against the
// same months a year before), all written for the reader.
type Headline struct {
	Label       string
	Month       string
	MonthChange string
	YTD         string
	YTDChange   string
	Report      string // 上报口径, when a report record covers the year to date; "" otherwise
}

// CountyRow is one county in the ranking by year-to-date investment.
type CountyRow struct {
	Rank       int
	Name       string
	Signed     string
	Investment string
	Change     string // investment change against the same months a year before
	Started    string
	StartRate  string
	Portfolio  string // the chains it develops (SPEC §5), "" when it lists none
}

// ChainRow is one chain of the area: its year-to-date figures and its gaps.
type ChainRow struct {
	Name         string
	Signed       string
	Investment   string
	Completeness string
	Missing      int
	Weak         int
	Pursuing     int  // missing segments with open leads (在谈)
	NotPursued   bool // the county develops other chains (未布局)
}

// GapRow is a gap closed or opened during the month.
type GapRow struct {
	Chain, Segment string
}

// TargetRow is a gap-filling target: a missing or weak segment of a
// pursued chain with its best candidate from elsewhere in the region.
type TargetRow struct {
	Chain, Segment, Status string
	Candidate, County      string
	Score                  string
	OpenLeads              int
}

// History is what the report compares: the data right after revision
// FromRev (the last one on or before the day before the month) and right
// after ToRev (the last one on or before the month's last day). FromRev 0:
// the history starts inside the month, and Before is empty.
type History struct {
	FromRev, ToRev    int64
	Before, After     *chainscope.Dataset
	BeforeIx, AfterIx *graph.Index
}

// Input is what Build needs: the current data and its index, the area
// ("*", the region's code, or a county code), the month YYYY-MM, the
// region's annual target in 万元 (0: none), the history of the month (nil:
// none), the data version and the language.
type Input struct {
	DS          *chainscope.Dataset
	Ix          *graph.Index
	Area        string
	Period      string
	TargetWan   float64
	History     *History
	DataVersion int64
	Lang        string
}

// Build computes the report's content. An unknown area is ENOTFOUND; a
// zone, a malformed period or language EINVALID.
func Build(in Input) (*Content, error) {
	ds := in.DS
	w := wordsOf(in.Lang)
	area := in.Area
	if area == "" || area == ds.Region.Code {
		area = graph.AllAreas
	}
	c := &Content{Lang: w.Lang, Area: area, RegionName: ds.Region.Name, Period: in.Period, DataVersion: in.DataVersion, History: in.History}
	var err error
	if c.Month, err = graph.NewPeriodFigures(ds, graph.PeriodMonth, in.Period, area, in.TargetWan); err != nil {
		return nil, err
	}
	if c.YTD, err = graph.NewPeriodFigures(ds, graph.PeriodYTD, in.Period, area, in.TargetWan); err != nil {
		return nil, err
	}
	c.AreaName = c.YTD.Name
	c.MonthLabel = graph.PeriodLabel(graph.PeriodMonth, in.Period, in.Lang)
	c.YTDLabel = graph.PeriodLabel(graph.PeriodYTD, in.Period, in.Lang)
	c.Headlines = headlines(w, c.Month, c.YTD)

	pf := graph.NewPortfolio(ds)
	chainName := map[string]string{}
	for _, ch := range ds.Chains {
		chainName[ch.ID] = ch.Name
	}
	for _, e := range rankingOf(c.YTD, "investment_wan") {
		cp := c.YTD.Counties[slices.IndexFunc(c.YTD.Counties, func(x graph.CountyPeriod) bool { return x.Area == e.Area })]
		var names []string
		for _, id := range pf.Listed(cp.Area, ds.Chains) {
			names = append(names, chainName[id])
		}
		c.Counties = append(c.Counties, CountyRow{Rank: e.Rank, Name: cp.Name, Signed: chainscope.FormatCount(cp.Figures.Signed),
			Investment: chainscope.FormatAmount(cp.Figures.InvestmentWan, in.Lang), Change: signedAmount(cp.Change.InvestmentWan, in.Lang),
			Started: chainscope.FormatCount(cp.Figures.Started), StartRate: percent(cp.Figures.StartRate), Portfolio: joinNames(names, w.Sep)})
	}

	if err := c.chains(in, area, pf); err != nil {
		return nil, err
	}
	c.gapChanges(area, pf, chainName)
	from, to := c.YTD.From, c.YTD.To
	if c.Funnel, err = graph.NewFunnel(ds, area, "", graph.Period{From: from, To: to}); err != nil {
		return nil, err
	}
	return c, c.targets(in, area, pf, w)
}

// rankingOf returns the counties' ranking by figure.
func rankingOf(pf *graph.PeriodFigures, figure string) []graph.RankEntry {
	for _, r := range pf.Rankings {
		if r.Figure == figure {
			return r.Entries
		}
	}
	return nil
}

// chains fills the chain table: each chain's year-to-date figures over the
// area's projects, and its completeness and gaps in the area.
func (c *Content) chains(in Input, area string, pf *graph.Portfolio) error {
	ds := in.DS
	cur, _, err := graph.PeriodBounds(graph.PeriodYTD, in.Period)
	if err != nil {
		return err
	}
	view := *ds
	if area != graph.AllAreas {
		m, err := graph.NewAreaMatcher(ds, area)
		if err != nil {
			return err
		}
		view.Projects = nil
		for _, p := range ds.Projects {
			if m.Holds(p.County) {
				view.Projects = append(view.Projects, p)
			}
		}
	}
	d := graph.PeriodDashboard(&view, cur, 0)
	open := graph.NewOpenLeads(ds, area)
	for i, ch := range ds.Chains {
		// The chain table needs the §5 statuses only: the analysis, not the
		// Report with its project impact and leader dependency.
		r, err := in.Ix.Analyze(area, ch.ID)
		if err != nil {
			return err
		}
		row := ChainRow{Name: ch.Name, Signed: chainscope.FormatCount(d.Chains[i].Signed),
			Investment: chainscope.FormatAmount(d.Chains[i].InvestmentWan, in.Lang), Completeness: percent(r.Completeness),
			Pursuing: len(open.Pursuing(r.Segments)), NotPursued: !pf.Pursues(area, ch.ID)}
		for _, s := range r.Segments {
			switch s.Status {
			case graph.Missing:
				row.Missing++
			case graph.Weak:
				row.Weak++
			}
		}
		c.Chains = append(c.Chains, row)
	}
	return nil
}

// gapChanges lists the segments of the area's pursued chains that stopped
// being missing (补链) and those that became missing during the month.
func (c *Content) gapChanges(area string, pf *graph.Portfolio, chainName map[string]string) {
	h := c.History
	if h == nil || h.After == nil {
		return
	}
	segName := map[string]string{}
	for _, ds := range []*chainscope.Dataset{h.Before, h.After} {
		if ds == nil {
			continue
		}
		for _, ch := range ds.Chains {
			for _, s := range ch.Segments {
				segName[s.ID] = s.Name
			}
		}
	}
	var scopes []graph.ScopeChange
	if h.Before != nil && h.BeforeIx != nil {
		ch, err := graph.Diff(h.Before, h.After, h.BeforeIx, h.AfterIx)
		if err == nil {
			scopes = ch.Scopes
		}
	}
	missing := func(s *graph.Status) bool { return s != nil && *s == graph.Missing }
	for _, sc := range scopes {
		if sc.Area != area || !pf.Pursues(area, sc.Chain) {
			continue
		}
		for _, s := range sc.Segments {
			row := GapRow{Chain: cmp.Or(chainName[sc.Chain], sc.Chain), Segment: cmp.Or(segName[s.ID], s.ID)}
			switch {
			case missing(s.Status[0]) && !missing(s.Status[1]) && s.Status[1] != nil:
				if len(c.Closed) < MaxGapChanges {
					c.Closed = append(c.Closed, row)
				} else {
					c.MoreClosed++
				}
			case !missing(s.Status[0]) && missing(s.Status[1]):
				if len(c.Opened) < MaxGapChanges {
					c.Opened = append(c.Opened, row)
				} else {
					c.MoreOpened++
				}
			}
		}
	}
}

// targets lists the top gap-filling targets of the pursued chains: missing
// and broken first, then missing, then weak; within a group by the best
// candidate's score, then the chain and segment order.
func (c *Content) targets(in Input, area string, pf *graph.Portfolio, w *words) error {
	type ranked struct {
		row   TargetRow
		group int
		score float64
		order int
	}
	var all []ranked
	open := graph.NewOpenLeads(in.DS, area)
	for _, ch := range in.DS.Chains {
		if !pf.Pursues(area, ch.ID) {
			continue
		}
		ts, err := in.Ix.GapTargets(area, ch.ID, 1)
		if err != nil {
			return err
		}
		graph.MarkTargets(ts, open)
		for _, g := range ts {
			r := ranked{row: TargetRow{Chain: ch.Name, Segment: g.Name, Status: w.gapStatus(g.Status, g.Broken), OpenLeads: g.OpenLeads, Candidate: "—"},
				group: 2, score: -1, order: len(all)}
			switch {
			case g.Status == graph.Missing && g.Broken:
				r.group = 0
			case g.Status == graph.Missing:
				r.group = 1
			}
			if len(g.Candidates) > 0 {
				cd := g.Candidates[0]
				r.row.Candidate, r.row.Score, r.score = cd.Name, strconv.FormatFloat(cd.Score, 'f', -1, 64), cd.Score
				r.row.County = countyName(in.DS, cd.County)
			}
			all = append(all, r)
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(b.score, a.score), cmp.Compare(a.order, b.order))
	})
	for _, r := range all[:min(len(all), MaxTargets)] {
		c.Targets = append(c.Targets, r.row)
	}
	return nil
}

// countyName names a county code, the region's name for its own code.
func countyName(ds *chainscope.Dataset, code string) string {
	for _, c := range ds.Counties {
		if c.Code == code {
			return c.Name
		}
	}
	if code == ds.Region.Code || code == "" {
		return ds.Region.Name
	}
	return code
}

// joinNames joins names with sep.
func joinNames(names []string, sep string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += sep
		}
		out += n
	}
	return out
}
