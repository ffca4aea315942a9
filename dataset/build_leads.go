package dataset

import (
	"fmt"
	"time"

	"chainscope"
)

// The rules of SPEC §4 for the records of the drive over time: county
// portfolios (chains), leads (§9) and reports. Build applies them after
// the projects, ApplyEdit to the lead an edit touches.

// LeadDateField is the field (and tabular column) of the date on which a
// lead reached stage: "visited_date" … "dropped_date" (SPEC §3).
func LeadDateField(stage chainscope.LeadStage) string { return string(stage) + "_date" }

// lead applies the rules of one lead; taken says whether an earlier lead
// has its id. It returns the lead as stored (its enterprise resolved to an
// id) and whether it is kept.
func (b *builder) lead(l chainscope.Lead, taken bool) (_ chainscope.Lead, kept bool) {
	if l.ID == "" {
		b.add(l.At, l.Name, "id", "", "线索编号 (id) 不能为空 lead id is required")
		return l, false
	}
	if taken {
		b.add(l.At, l.ID, "id", l.ID, "线索编号重复 duplicate lead id")
		return l, false
	}
	if l.Name == "" {
		b.add(l.At, l.ID, "name", "", "目标企业 (name) 不能为空 lead name is required")
	}
	if l.USCC != "" && !ValidUSCC(l.USCC) {
		b.add(l.At, l.ID, "uscc", l.USCC, "统一社会信用代码 (uscc) 无效：应为18位且校验位正确 (GB 32100-2015) invalid USCC")
	}
	if l.Enterprise != "" {
		l.Enterprise = b.resolve(l.At, l.ID, "enterprise", l.Enterprise, false)
	}
	l.County = b.area(l.At, l.ID, l.County)
	l.Segments = b.segments(l.At, l.ID, l.Segments)
	stageKnown := oneOf(l.Stage, chainscope.LeadStages)
	if !stageKnown {
		b.add(l.At, l.ID, "stage", string(l.Stage), "未知的线索阶段 (stage) unknown stage; 应为 expected visited/intent/inspected/negotiating/signed/dropped (走访/意向/考察/洽谈/签约/放弃)")
	}
	b.leadDates(&l, stageKnown)
	switch {
	case l.Project != "" && b.ix.number(l.Project) >= 0:
		b.add(l.At, l.ID, "project", l.Project, "未知的项目 (project) unknown project")
	case l.Stage == chainscope.LeadSigned && l.Project == "":
		b.add(l.At, l.ID, "project", "", "已签约的线索必须填写转化项目 (project) a signed lead names its project")
	case l.Project != "" && l.Stage.Rank() >= 0 && l.Stage != chainscope.LeadSigned:
		b.add(l.At, l.ID, "project", l.Project, "只有已签约（或签约后放弃）的线索才有转化项目 (project) only a signed lead names a project")
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
			b.add(l.At, l.ID, "dates", k, "日期的阶段未知 (dates) unknown stage; 应为 expected visited/intent/inspected/negotiating/signed/dropped")
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
			b.add(l.At, l.ID, field, d, "日期格式错误 (%s)，应为 YYYY-MM-DD malformed date", field)
			continue
		}
		if stageKnown {
			reached := s == l.Stage || l.Stage == chainscope.LeadDropped ||
				s != chainscope.LeadDropped && s.Rank() <= l.Stage.Rank()
			if !reached {
				b.add(l.At, l.ID, field, d, "线索处于「%s」阶段，尚未到达「%s」 (%s) date of a stage the lead has not reached (stage %s)",
					l.Stage.Label(), s.Label(), field, l.Stage)
				continue
			}
		}
		if last != "" && d < last {
			b.add(l.At, l.ID, field, d, "阶段日期顺序错误：%s（%s）早于%s（%s） stage out of order: %s before %s",
				s.Label(), d, lastStage.Label(), last, s, lastStage)
			continue
		}
		last, lastStage = d, s
	}
}

// reportKey is a report's key (area, from, to) for duplicate checks.
type reportKey struct{ area, from, to string }

// reportRecord applies the rules of one report; seen holds the keys of
// earlier reports and learns this one's. It returns the report as stored
// (its area resolved to a code).
func (b *builder) reportRecord(r chainscope.Report, seen map[reportKey]bool) chainscope.Report {
	who := r.Area + " " + r.From + ".." + r.To
	if r.Area == "" {
		b.add(r.At, who, "area", "", "上报数据的区域 (area) 不能为空 report area is required")
	} else {
		r.Area, _ = b.countyRef(r.At, who, "area", r.Area, true)
	}
	for _, f := range []struct{ name, v string }{{"from", r.From}, {"to", r.To}} {
		switch {
		case f.v == "":
			b.add(r.At, who, f.name, "", "上报数据的起止日期 (%s) 不能为空 report %s date is required", f.name, f.name)
		case !validDate(f.v):
			b.add(r.At, who, f.name, f.v, "日期格式错误 (%s)，应为 YYYY-MM-DD malformed date", f.name)
		}
	}
	if validDate(r.From) && validDate(r.To) && r.To < r.From {
		b.add(r.At, who, "to", r.To, "截止日期早于起始日期 (to) the period ends before it starts")
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"signed_projects", r.SignedProjects}, {"emerging_projects", r.EmergingProjects},
		{"started_projects", r.StartedProjects}, {"due_projects", r.DueProjects}} {
		if f.v != nil && *f.v < 0 {
			b.add(r.At, who, f.name, fmt.Sprint(*f.v), "项目数 (%s) 不能为负数 count must be ≥ 0", f.name)
		}
	}
	b.amount(r.At, who, "investment_wan", r.InvestmentWan)
	b.amount(r.At, who, "target_wan", r.TargetWan)
	k := reportKey{r.Area, r.From, r.To}
	if seen[k] {
		b.add(r.At, who, "to", r.To, "上报数据重复（区域与起止日期相同） duplicate report")
	}
	seen[k] = true
	return r
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
		ds.Reports = make([]chainscope.Report, 0, len(r.Reports))
		for _, rep := range r.Reports {
			ds.Reports = append(ds.Reports, b.reportRecord(rep, seen))
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
