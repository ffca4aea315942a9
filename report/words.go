package report

import (
	"math"
	"strconv"

	"chainscope"
	"chainscope/graph"
)

// words are the report's texts in one language.
type words struct {
	Lang, HtmlLang                                        string
	Title, Region, DataVersion                            string
	Headlines, Figure, Month, MonthChange, Ytd, YtdChange string
	Reported, ReportNote                                  string
	Signed, Investment, Started, StartRate, Emerging      string
	TargetShare                                           string
	Counties, Rank, County, Change, Portfolio, AllChains  string
	Chains, Chain, Completeness, Missing, Weak, Pursuing  string
	NotPursued                                            string
	Gaps, Closed, Opened, NoHistory, NoChange, More       string
	HistoryFrom                                           string
	Funnel, Stage, Leads, Rate, Dropped                   string
	Targets, Segment, Status, Candidate, Score, OpenLds   string
	StatusWords                                           map[string]string
	CountUnit, Points, Sep                                string
	Notes                                                 string
}

var zh = &words{
	Lang: "zh", HtmlLang: "zh-CN",
	Title: "招商引资月度通报", Region: "地区", DataVersion: "数据版本",
	Headlines: "一、主要指标", Figure: "指标", Month: "本月", MonthChange: "比上月", Ytd: "累计", YtdChange: "同比",
	Reported: "上报口径", ReportNote: "台账口径为本系统按项目签约、开工日期统计；上报口径为报告数据（来源：%s），开工率按应开工项目计。",
	Signed: "签约项目（个）", Investment: "签约总投资", Started: "签约且开工（个）", StartRate: "开工率", Emerging: "战略性新兴产业项目（个）",
	TargetShare: "年度目标完成率",
	Counties:    "二、县区晾晒（按累计签约投资排序）", Rank: "排名", County: "县区", Change: "投资同比", Portfolio: "主导产业链", AllChains: "全部",
	Chains: "三、产业链", Chain: "产业链", Completeness: "完整度", Missing: "缺链", Weak: "薄弱", Pursuing: "在谈",
	NotPursued: "未布局",
	Gaps:       "四、本月补链与新增缺链", Closed: "补链（缺链已补上）", Opened: "新增缺链", NoHistory: "本月及以前没有数据修订记录，无法比较。",
	NoChange: "无", More: "另有 %d 项", HistoryFrom: "比较修订 %d 与修订 %d。",
	Funnel: "五、招商线索漏斗（累计）", Stage: "阶段", Leads: "线索数", Rate: "转化率", Dropped: "放弃",
	Targets: "六、重点补链招商目标", Segment: "环节", Status: "状态", Candidate: "首选候选", Score: "推荐分", OpenLds: "在谈线索",
	StatusWords: map[string]string{"broken": "断链", "missing": "缺链", "weak": "薄弱"},
	CountUnit:   " 个", Points: " 个百分点", Sep: "、",
	Notes: "说明：签约项目按签约日期计入期间，开工按开工日期计；终止项目不计。比上月：与上月相比；同比：与上年同期相比。",
}

var en = &words{
	Lang: "en", HtmlLang: "en",
	Title: "Monthly investment progress report", Region: "Region", DataVersion: "Data version",
	Headlines: "1. Headline figures", Figure: "Figure", Month: "Month", MonthChange: "vs previous month", Ytd: "Year to date", YtdChange: "vs a year before",
	Reported: "As reported", ReportNote: "Ledger figures count projects by their signed and started dates; reported figures are the report's (source: %s), its start rate over the projects due to start.",
	Signed: "Projects signed", Investment: "Investment signed", Started: "Signed and started", StartRate: "Start rate", Emerging: "Strategic emerging projects",
	TargetShare: "Share of annual target",
	Counties:    "2. County ranking (by investment signed, year to date)", Rank: "Rank", County: "County", Change: "Investment vs a year before", Portfolio: "Chains developed", AllChains: "all",
	Chains: "3. Chains", Chain: "Chain", Completeness: "Completeness", Missing: "Missing", Weak: "Weak", Pursuing: "Pursued",
	NotPursued: "not pursued",
	Gaps:       "4. Gaps closed and opened this month", Closed: "Gaps closed", Opened: "New gaps", NoHistory: "No revision of the data up to this month: nothing to compare.",
	NoChange: "none", More: "and %d more", HistoryFrom: "Revision %d compared with revision %d.",
	Funnel: "5. Leads funnel (year to date)", Stage: "Stage", Leads: "Leads", Rate: "Conversion", Dropped: "Dropped",
	Targets: "6. Top gap-filling targets", Segment: "Segment", Status: "Status", Candidate: "Best candidate", Score: "Score", OpenLds: "Open leads",
	StatusWords: map[string]string{"broken": "broken", "missing": "missing", "weak": "weak"},
	CountUnit:   "", Points: " pp", Sep: ", ",
	Notes: "Notes: projects count in a period by their signed date, starts by their started date; cancelled projects do not count.",
}

// wordsOf returns the words of lang: English for "en", otherwise Chinese.
func wordsOf(lang string) *words {
	if lang == "en" {
		return en
	}
	return zh
}

// status names a gap's status.
func (w *words) gapStatus(st graph.Status, broken bool) string {
	if st == graph.Missing && broken {
		return w.StatusWords["broken"]
	}
	return w.StatusWords[string(st)]
}

// stageLabel names a lead stage.
func (w *words) stageLabel(st chainscope.LeadStage) string {
	if w == en {
		return string(st)
	}
	return st.Label()
}

// percent writes a share as a percentage with 2 decimals: 85.26%.
func percent(x float64) string { return strconv.FormatFloat(x*100, 'f', 2, 64) + "%" }

// sign writes + for a positive number and − for a negative one.
func sign(x float64) string {
	switch {
	case x > 0:
		return "+"
	case x < 0:
		return "−"
	}
	return "±"
}

// signedAmount writes a change of 万元: +85.20 亿元.
func signedAmount(wan float64, lang string) string {
	return sign(wan) + chainscope.FormatAmount(math.Abs(wan), lang)
}

// signedCount writes a change of a count: +12 个.
func (w *words) signedCount(n int) string {
	return sign(float64(n)) + chainscope.FormatCount(int(math.Abs(float64(n)))) + w.CountUnit
}

// signedPoints writes a change of a share in percentage points: +3.10 个百分点.
func (w *words) signedPoints(p float64) string {
	return sign(p) + strconv.FormatFloat(math.Abs(p), 'f', 2, 64) + w.Points
}

// headlines writes the headline figures of the month and the year to date.
func headlines(w *words, month, ytd *graph.PeriodFigures) []Headline {
	lang := w.Lang
	m, y := month.Figures, ytd.Figures
	rep := ytd.Report
	repInt := func(v *int) string {
		if rep == nil || v == nil {
			return ""
		}
		return chainscope.FormatCount(*v)
	}
	repShare := func(v *float64) string {
		if rep == nil || v == nil {
			return ""
		}
		return percent(*v)
	}
	out := []Headline{
		{w.Signed, chainscope.FormatCount(m.Signed), w.signedCount(month.Change.Signed), chainscope.FormatCount(y.Signed), w.signedCount(ytd.Change.Signed), ""},
		{w.Investment, chainscope.FormatAmount(m.InvestmentWan, lang), signedAmount(month.Change.InvestmentWan, lang),
			chainscope.FormatAmount(y.InvestmentWan, lang), signedAmount(ytd.Change.InvestmentWan, lang), ""},
		{w.Started, chainscope.FormatCount(m.Started), w.signedCount(month.Change.Started), chainscope.FormatCount(y.Started), w.signedCount(ytd.Change.Started), ""},
		{w.StartRate, percent(m.StartRate), w.signedPoints(month.Change.StartRatePoints), percent(y.StartRate), w.signedPoints(ytd.Change.StartRatePoints), ""},
		{w.Emerging, chainscope.FormatCount(m.Emerging), w.signedCount(month.Change.Emerging), chainscope.FormatCount(y.Emerging), w.signedCount(ytd.Change.Emerging), ""},
	}
	if rep != nil {
		out[0].Report = repInt(rep.SignedProjects)
		if rep.InvestmentWan != nil {
			out[1].Report = chainscope.FormatAmount(*rep.InvestmentWan, lang)
		}
		out[2].Report = repInt(rep.StartedProjects)
		out[3].Report = repShare(rep.StartRate)
		out[4].Report = repInt(rep.EmergingProjects)
	}
	if y.TargetWan > 0 {
		out = append(out, Headline{w.TargetShare, percent(m.TargetShare), w.signedPoints(month.Change.TargetSharePoints),
			percent(y.TargetShare), w.signedPoints(ytd.Change.TargetSharePoints), repShare(func() *float64 {
				if rep == nil {
					return nil
				}
				return rep.TargetShare
			}())})
	}
	return out
}
