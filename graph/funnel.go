package graph

import (
	"slices"
	"time"

	"chainscope"
)

// Funnel is the 招商 pipeline of an area and chain over a period (SPEC §9):
// for each stage of chainscope.LeadPipeline, the leads that reached it.
// From and To are the period's bounds as asked ("" when absent); Chain is
// "" for every chain.
type Funnel struct {
	Area   string        `json:"area"`
	Chain  string        `json:"chain"`
	From   string        `json:"from"`
	To     string        `json:"to"`
	Stages []FunnelStage `json:"stages"`
	// Dropped counts the leads at stage dropped whose dropped date lies in
	// the period (without a period: every dropped lead); DroppedLeads are
	// their ids in byte order.
	Dropped      int      `json:"dropped"`
	DroppedLeads []string `json:"dropped_leads"`
}

// FunnelStage is one bar of the funnel: how many leads reached the stage
// (Count), the conversion from the previous bar (Rate = Count / previous
// Count, 4 decimals; nil for visited or when the previous count is 0) and
// the ids of the leads behind the bar, in byte order.
type FunnelStage struct {
	Stage chainscope.LeadStage `json:"stage"`
	Count int                  `json:"count"`
	Rate  *float64             `json:"rate"`
	Leads []string             `json:"leads"`
}

// Period is an inclusive date range [From, To] of YYYY-MM-DD dates; an
// empty bound is open.
type Period struct{ From, To string }

// Bounded reports whether either bound is given.
func (p Period) Bounded() bool { return p.From != "" || p.To != "" }

// Contains reports whether date, a well-formed YYYY-MM-DD, lies in the
// period. A malformed or empty date lies in no bounded period.
func (p Period) Contains(date string) bool {
	if !IsDate(date) {
		return false
	}
	return (p.From == "" || date >= p.From) && (p.To == "" || date <= p.To)
}

// IsDate reports whether s is a valid calendar date written YYYY-MM-DD.
func IsDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// CheckPeriod returns an EINVALID error when a bound is not a YYYY-MM-DD
// date or From is after To.
func CheckPeriod(p Period) error {
	for _, d := range []struct{ name, v string }{{"from", p.From}, {"to", p.To}} {
		if d.v != "" && !IsDate(d.v) {
			return chainscope.Localizedf(chainscope.EINVALID, "参数 %[1]s 应为日期 YYYY-MM-DD：%[2]q", "%[1]s must be a date YYYY-MM-DD: %[2]q", d.name, d.v)
		}
	}
	if p.From != "" && p.To != "" && p.From > p.To {
		return chainscope.Localizedf(chainscope.EINVALID, "起始日期 %[1]s 晚于结束日期 %[2]s", "from %[1]s is after to %[2]s", p.From, p.To)
	}
	return nil
}

// AreaMatcher tells whether a record's county code lies in an area of the
// dataset (SPEC §5): "*" holds every record, a county holds itself and the
// zones whose parent (or parent's parent …) it is, a zone holds itself and
// its own zones.
type AreaMatcher struct {
	area    string
	parents map[string]string // zone code → parent
}

// NewAreaMatcher checks area against the dataset's counties ("*" or a
// county or zone code; otherwise an ENOTFOUND error).
func NewAreaMatcher(ds *chainscope.Dataset, area string) (*AreaMatcher, error) {
	m := &AreaMatcher{area: area, parents: map[string]string{}}
	known := area == "*"
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			m.parents[c.Code] = c.Parent
		}
		if c.Code == area && area != ds.Region.Code {
			known = true
		}
	}
	if !known {
		return nil, notFoundArea(area)
	}
	return m, nil
}

// Holds reports whether a record located in county code lies in the area.
func (m *AreaMatcher) Holds(code string) bool {
	if m.area == "*" {
		return true
	}
	for steps := 0; steps <= len(m.parents); steps++ {
		if code == m.area {
			return true
		}
		parent, ok := m.parents[code]
		if !ok {
			return false
		}
		code = parent
	}
	return false // zone parents in a cycle
}

// chainSegments returns the set of the segment ids of chain id, or an
// ENOTFOUND error; "" gives nil (every chain).
func chainSegments(ds *chainscope.Dataset, id string) (map[string]bool, error) {
	if id == "" {
		return nil, nil
	}
	for _, c := range ds.Chains {
		if c.ID == id {
			set := make(map[string]bool, len(c.Segments))
			for _, s := range c.Segments {
				set[s.ID] = true
			}
			return set, nil
		}
	}
	return nil, notFoundChain(id)
}

// listsAny reports whether segs names a segment of set (nil: any).
func listsAny(segs []string, set map[string]bool) bool {
	if set == nil {
		return true
	}
	for _, s := range segs {
		if set[s] {
			return true
		}
	}
	return false
}

// Reached reports whether lead l has reached pipeline stage st (SPEC §9):
// a lead at a pipeline stage has reached it and every earlier one, dated
// or not; a dropped lead has reached the stages it has dates for.
func Reached(l *chainscope.Lead, st chainscope.LeadStage) bool {
	if l.Stage == chainscope.LeadDropped {
		return l.Dates[string(st)] != ""
	}
	r := l.Stage.Rank()
	return r >= 0 && st.Rank() >= 0 && st.Rank() <= r
}

// NewFunnel counts the funnel of SPEC §9 over the leads of ds: area "*" or
// a county or zone code (a county includes its zones), chain "" for every
// chain (a lead is in a chain when one of its segments is), and the period
// [p.From, p.To], both optional and inclusive. Without either bound every
// lead counts for every stage it has reached, dated or not; with either,
// a stage counts only when its date lies in the period. An unknown area
// or chain is an ENOTFOUND error, a malformed bound an EINVALID one.
func NewFunnel(ds *chainscope.Dataset, area, chain string, p Period) (*Funnel, error) {
	if err := CheckPeriod(p); err != nil {
		return nil, err
	}
	in, err := NewAreaMatcher(ds, area)
	if err != nil {
		return nil, err
	}
	segs, err := chainSegments(ds, chain)
	if err != nil {
		return nil, err
	}
	f := &Funnel{Area: area, Chain: chain, From: p.From, To: p.To,
		Stages: make([]FunnelStage, len(chainscope.LeadPipeline)), DroppedLeads: []string{}}
	for i, st := range chainscope.LeadPipeline {
		f.Stages[i] = FunnelStage{Stage: st, Leads: []string{}}
	}
	for i := range ds.Leads {
		l := &ds.Leads[i]
		if !in.Holds(l.County) || !listsAny(l.Segments, segs) {
			continue
		}
		for k, st := range chainscope.LeadPipeline {
			if Reached(l, st) && (!p.Bounded() || p.Contains(l.Dates[string(st)])) {
				f.Stages[k].Leads = append(f.Stages[k].Leads, l.ID)
			}
		}
		if l.Stage == chainscope.LeadDropped && (!p.Bounded() || p.Contains(l.Dates[string(chainscope.LeadDropped)])) {
			f.DroppedLeads = append(f.DroppedLeads, l.ID)
		}
	}
	for k := range f.Stages {
		s := &f.Stages[k]
		slices.Sort(s.Leads)
		s.Count = len(s.Leads)
		if k > 0 && f.Stages[k-1].Count > 0 {
			r := round4(float64(s.Count) / float64(f.Stages[k-1].Count))
			s.Rate = &r
		}
	}
	slices.Sort(f.DroppedLeads)
	f.Dropped = len(f.DroppedLeads)
	return f, nil
}
