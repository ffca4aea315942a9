package dataset

import (
	"fmt"
	"slices"
	"time"

	"chainscope"
)

// The rules of SPEC §4 for the records of the drive over time: county
// portfolios (chains), leads (§9) and reports. Build applies them after
// the projects, ApplyEdit to the lead an edit touches.

// countyChains checks each county's chains against the dataset's chains.
func (b *builder) countyChains(counties []chainscope.County) {
	for i := range counties {
		c := &counties[i]
		for j, id := range c.Chains {
			switch {
			case !hasKey(b.chainIdx, id):
				b.add(c.At, "chains", id, "%s 未知的产业链 (chains) unknown chain", c.Code)
			case slices.Contains(c.Chains[:j], id):
				b.add(c.At, "chains", id, "%s 产业链重复 (chains) duplicate chain", c.Code)
			}
		}
	}
}

// LeadDateField is the field (and tabular column) of the date on which a
// lead reached stage: "visited_date" … "dropped_date" (SPEC §3).
func LeadDateField(stage chainscope.LeadStage) string { return string(stage) + "_date" }

// lead applies the rules of one lead; taken says whether an earlier lead
// has its id. It returns the lead as stored (its enterprise resolved to an
// id) and whether it is kept.
func (b *builder) lead(l chainscope.Lead, taken bool) (_ chainscope.Lead, kept bool) {
	if l.ID == "" {
		b.add(l.At, "id", "", "线索编号 (id) 不能为空 lead id is required")
		return l, false
	}
	if taken {
		b.add(l.At, "id", l.ID, "线索编号重复 duplicate lead id")
		return l, false
	}
	if l.Name == "" {
		b.add(l.At, "name", "", "%s 目标企业 (name) 不能为空 lead name is required", l.ID)
	}
	if l.USCC != "" && !ValidUSCC(l.USCC) {
		b.add(l.At, "uscc", l.USCC, "%s 统一社会信用代码 (uscc) 无效：应为18位且校验位正确 (GB 32100-2015) invalid USCC", l.ID)
	}
	if l.Enterprise != "" {
		l.Enterprise = b.resolve(l.At, "enterprise", l.Enterprise, false)
	}
	if !b.knownArea(l.County) {
		b.add(l.At, "county", l.County, "%s 未知的县区 (county) unknown county", l.ID)
	}
	l.Segments = b.segments(l.At, l.Segments)
	stageKnown := oneOf(l.Stage, chainscope.LeadStages)
	if !stageKnown {
		b.add(l.At, "stage", string(l.Stage), "%s 未知的线索阶段 (stage) unknown stage; 应为 expected visited/intent/inspected/negotiating/signed/dropped (走访/意向/考察/洽谈/签约/放弃)", l.ID)
	}
	b.leadDates(&l, stageKnown)
	switch {
	case l.Project != "" && b.ix.number(l.Project) >= 0:
		b.add(l.At, "project", l.Project, "%s 未知的项目 (project) unknown project", l.ID)
	case l.Stage == chainscope.LeadSigned && l.Project == "":
		b.add(l.At, "project", "", "%s 已签约的线索必须填写转化项目 (project) a signed lead names its project", l.ID)
	case l.Project != "" && l.Stage.Rank() >= 0 && l.Stage != chainscope.LeadSigned:
		b.add(l.At, "project", l.Project, "%s 只有已签约（或签约后放弃）的线索才有转化项目 (project) only a signed lead names a project", l.ID)
	}
	return l, true
}

// leadDates checks a lead's dates (SPEC §9): known stages, valid dates, no
// later stage dated before an earlier one, no date for a stage the lead
// has not reached.
func (b *builder) leadDates(l *chainscope.Lead, stageKnown bool) {
	if len(l.Dates) == 0 {
		return
	}
	for k := range l.Dates {
		if !oneOf(chainscope.LeadStage(k), chainscope.LeadStages) {
			b.add(l.At, "dates", k, "%s 日期的阶段未知 (dates) unknown stage; 应为 expected visited/intent/inspected/negotiating/signed/dropped", l.ID)
		}
	}
	last, lastStage := "", chainscope.LeadStage("")
	for _, s := range chainscope.LeadStages {
		d, ok := l.Dates[string(s)]
		if !ok || d == "" {
			continue
		}
		field := LeadDateField(s)
		if !validDate(d) {
			b.add(l.At, field, d, "%s 日期格式错误 (%s)，应为 YYYY-MM-DD malformed date", l.ID, field)
			continue
		}
		if stageKnown {
			reached := s == l.Stage || l.Stage == chainscope.LeadDropped ||
				s != chainscope.LeadDropped && s.Rank() <= l.Stage.Rank()
			if !reached {
				b.add(l.At, field, d, "%s 线索处于「%s」阶段，尚未到达「%s」 (%s) date of a stage the lead has not reached (stage %s)",
					l.ID, l.Stage.Label(), s.Label(), field, l.Stage)
				continue
			}
		}
		if last != "" && d < last {
			b.add(l.At, field, d, "%s 阶段日期顺序错误：%s（%s）早于%s（%s） stage out of order: %s before %s",
				l.ID, s.Label(), d, lastStage.Label(), last, s, lastStage)
			continue
		}
		last, lastStage = d, s
	}
}

// reportKey is a report's key (area, from, to) for duplicate checks.
type reportKey struct{ area, from, to string }

// report applies the rules of one report; seen holds the keys of earlier
// reports and learns this one's.
func (b *builder) report(r chainscope.Report, seen map[reportKey]bool) {
	who := r.Area + " " + r.From + ".." + r.To
	if r.Area == "" {
		b.add(r.At, "area", "", "上报数据的区域 (area) 不能为空 report area is required")
	} else if !b.knownArea(r.Area) {
		b.add(r.At, "area", r.Area, "%s 未知的区域 (area) unknown county or region", who)
	}
	for _, f := range []struct{ name, v string }{{"from", r.From}, {"to", r.To}} {
		switch {
		case f.v == "":
			b.add(r.At, f.name, "", "%s 上报数据的起止日期 (%s) 不能为空 report %s date is required", who, f.name, f.name)
		case !validDate(f.v):
			b.add(r.At, f.name, f.v, "%s 日期格式错误 (%s)，应为 YYYY-MM-DD malformed date", who, f.name)
		}
	}
	if validDate(r.From) && validDate(r.To) && r.To < r.From {
		b.add(r.At, "to", r.To, "%s 截止日期早于起始日期 (to) the period ends before it starts", who)
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"signed_projects", r.SignedProjects}, {"emerging_projects", r.EmergingProjects},
		{"started_projects", r.StartedProjects}, {"due_projects", r.DueProjects}} {
		if f.v != nil && *f.v < 0 {
			b.add(r.At, f.name, fmt.Sprint(*f.v), "%s 项目数 (%s) 不能为负数 count must be ≥ 0", who, f.name)
		}
	}
	b.amount(r.At, "investment_wan", r.InvestmentWan)
	b.amount(r.At, "target_wan", r.TargetWan)
	k := reportKey{r.Area, r.From, r.To}
	if seen[k] {
		b.add(r.At, "to", r.To, "%s 上报数据重复（区域与起止日期相同） duplicate report", who)
	}
	seen[k] = true
}

// leadsAndReports checks and keeps the leads and reports of r, after the
// projects (leads name them).
func (b *builder) leadsAndReports(r *Records, ds *chainscope.Dataset) {
	if len(r.Leads) > 0 {
		ids := make(map[string]bool, len(r.Leads))
		ds.Leads = make([]chainscope.Lead, 0, len(r.Leads))
		for _, l := range r.Leads {
			l, kept := b.lead(l, ids[l.ID])
			if !kept {
				continue
			}
			ids[l.ID] = true
			ds.Leads = append(ds.Leads, l)
		}
	}
	if len(r.Reports) > 0 {
		seen := make(map[reportKey]bool, len(r.Reports))
		ds.Reports = append([]chainscope.Report(nil), r.Reports...)
		for _, rep := range r.Reports {
			b.report(rep, seen)
		}
	}
}

func validDate(v string) bool {
	if len(v) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}
