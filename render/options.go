package render

import (
	"fmt"

	"chainscope"
	"chainscope/graph"
)

// DefaultMaxNodes is the scope size above which SVG and Layout draw
// per-segment counts instead of node boxes, when Options.MaxNodes is 0.
const DefaultMaxNodes = 400

// Options says how to title and label a chain panorama. The zero value is
// ready to use: a Chinese picture with the default title and source line,
// no date, and node boxes up to DefaultMaxNodes nodes.
type Options struct {
	// Title replaces the default "<area name> · <chain name> 产业链全景".
	Title string
	// Date (YYYY-MM-DD) is printed at the right of the title line. The caller
	// passes it, so that the same data renders to the same bytes any day.
	Date string
	// Lang is "zh" (default) or "en"; it picks the legend, labels and
	// tooltips. Names from the dataset are drawn as they are.
	Lang string
	// MaxNodes is the largest scope drawn node by node; a larger scope shows
	// per-segment counts ("企业 123 · 项目 45") instead, so a province-sized
	// picture still opens at once. 0 means DefaultMaxNodes; a negative value
	// always draws counts.
	MaxNodes int
	// Source replaces the footer's source line, by default
	// "chainscope · 数据来源 source: <region name> dataset".
	Source string
}

// messages is the text of the picture in one language: every Chinese string
// the renderer draws has its English twin beside it in the other table.
type messages struct {
	title       string // "%s · %s 产业链全景": area, chain
	source      string // "chainscope · 数据来源 source: %s dataset": region
	stage       map[chainscope.Stage]string
	projStatus  map[chainscope.Status]string
	ok          string
	weakSingle  string
	weakPlanned string
	missing     string
	broken      string
	external    string
	badge       map[string]string // badge key → badge text (缺, 断, 外, 单, 规)
	entTag      string
	prjTag      string
	enterprise  string
	project     string
	leader      string
	cutNode     string
	cutLegend   string
	bridge      string
	link        string
	flow        string
	alias       string
	aliasOf     string // "另见：%s" tooltip: primary segment name
	kpiComplete string
	kpiSegments string
	kpiMissing  string
	kpiBroken   string
	kpiWeak     string
	kpiLinks    string
	kpiInvest   string
	emptyBody   string
	extBody     string
	counts      string // "企业 %d · 项目 %d"
	entCount    string // "企业 %d"
	prjCount    string // "项目 %d"
	counts2     string // "链主 %d · 关键节点 %d"
	compact     string // "共 %d 个节点（超过 %d），按环节汇总数量"
	upstream    string
	downstream  string
	supportBand string
	legend      string
	footer      string // "完整度 %s · 企业 %d · 项目 %d · 供需关系 %d"
	noSegments  string
	product     string
	impact      string
	investment  string
	signed      string
	segments    string
	wan         func(float64) string // an amount in 万元, in words
}

var zh = &messages{
	title:  "%s · %s 产业链全景",
	source: "chainscope · 数据来源 source: %s dataset",
	stage: map[chainscope.Stage]string{
		chainscope.StageUpstream: "上游", chainscope.StageMidstream: "中游",
		chainscope.StageDownstream: "下游", chainscope.StageSupport: "配套",
	},
	projStatus: map[chainscope.Status]string{
		chainscope.StatusSigned: "签约", chainscope.StatusStarted: "在建",
		chainscope.StatusOperating: "投产", chainscope.StatusStalled: "停滞",
		chainscope.StatusCancelled: "终止",
	},
	ok: "正常", weakSingle: "薄弱·单一", weakPlanned: "薄弱·仅规划",
	missing: "缺链", broken: "断链", external: "外部供给",
	badge:  map[string]string{"missing": "缺", "broken": "断", "external": "外", "single": "单", "planned": "规"},
	entTag: "企", prjTag: "项", enterprise: "企业", project: "项目", leader: "链主",
	cutNode: "关键节点", cutLegend: "关键节点（数字=失联数）", bridge: "关键链接",
	link: "供需关系", flow: "环节流向", alias: "另见（跨环节）", aliasOf: "主位置：%s",
	kpiComplete: "完整度", kpiSegments: "环节", kpiMissing: "缺链", kpiBroken: "断链",
	kpiWeak: "薄弱", kpiLinks: "供需关系", kpiInvest: "项目投资",
	emptyBody: "空白 · 待招引", extBody: "区外供给 · 待本地配套",
	counts: "企业 %d · 项目 %d", entCount: "企业 %d", prjCount: "项目 %d", counts2: "链主 %d · 关键节点 %d",
	compact:  "共 %d 个节点（超过 %d），按环节汇总数量",
	upstream: "上游", downstream: "下游", supportBand: "配套环节", legend: "图例",
	footer:     "完整度 %s · 企业 %d · 项目 %d · 供需关系 %d",
	noSegments: "该产业链未定义环节", product: "产品", impact: "影响", investment: "投资",
	signed: "签约", segments: "环节",
	wan: func(w float64) string {
		if w >= 10000 {
			return fmtFixed(w/10000, 2) + " 亿元"
		}
		return fmtFixed(w, 0) + " 万元"
	},
}

var en = &messages{
	title:  "%s · %s industrial chain panorama",
	source: "chainscope · source: %s dataset",
	stage: map[chainscope.Stage]string{
		chainscope.StageUpstream: "upstream", chainscope.StageMidstream: "midstream",
		chainscope.StageDownstream: "downstream", chainscope.StageSupport: "support",
	},
	projStatus: map[chainscope.Status]string{
		chainscope.StatusSigned: "signed", chainscope.StatusStarted: "under construction",
		chainscope.StatusOperating: "operating", chainscope.StatusStalled: "stalled",
		chainscope.StatusCancelled: "cancelled",
	},
	ok: "OK", weakSingle: "weak: single", weakPlanned: "weak: planned only",
	missing: "missing", broken: "broken", external: "supplied externally",
	badge:  map[string]string{"missing": "GAP", "broken": "BRK", "external": "EXT", "single": "1", "planned": "PLN"},
	entTag: "E", prjTag: "P", enterprise: "enterprises", project: "projects", leader: "chain leader",
	cutNode: "cut node", cutLegend: "cut node (n = nodes cut off)", bridge: "bridge link",
	link: "supply link", flow: "segment flow", alias: "also listed here", aliasOf: "drawn in: %s",
	kpiComplete: "completeness", kpiSegments: "segments", kpiMissing: "missing", kpiBroken: "broken",
	kpiWeak: "weak", kpiLinks: "supply links", kpiInvest: "investment",
	emptyBody: "gap · to attract", extBody: "supplied from outside",
	counts: "enterprises %d · projects %d", entCount: "enterprises %d", prjCount: "projects %d", counts2: "leaders %d · cut nodes %d",
	compact:  "%d nodes (more than %d): counts per segment",
	upstream: "upstream", downstream: "downstream", supportBand: "support segments", legend: "Legend",
	footer:     "completeness %s · enterprises %d · projects %d · supply links %d",
	noSegments: "this chain defines no segments", product: "product", impact: "impact", investment: "investment",
	signed: "signed", segments: "segments",
	wan: func(w float64) string {
		return "CNY " + fmtFixed(w/100, 1) + " m" // 1 万元 = CNY 10 000
	},
}

// messagesFor returns the table of a language; anything but "en" is Chinese.
func messagesFor(lang string) *messages {
	if lang == "en" {
		return en
	}
	return zh
}

// statusText names a segment's status the way the legend does.
func (m *messages) statusText(s *graph.SegmentResult) string {
	switch {
	case s.Status == graph.Missing && s.Broken:
		return m.missing + " · " + m.broken
	case s.Status == graph.Missing && s.SuppliedExternally:
		return m.missing + " · " + m.external
	case s.Status == graph.Missing:
		return m.missing
	case s.Status == graph.Weak && hasReason(s, graph.ReasonPlannedOnly) && hasReason(s, graph.ReasonSingle):
		return m.weakSingle + " · " + m.weakPlanned
	case s.Status == graph.Weak && hasReason(s, graph.ReasonPlannedOnly):
		return m.weakPlanned
	case s.Status == graph.Weak:
		return m.weakSingle
	}
	return m.ok
}

func hasReason(s *graph.SegmentResult, r graph.Reason) bool {
	for _, x := range s.Reasons {
		if x == r {
			return true
		}
	}
	return false
}

// nodeCounts says how many enterprises and projects a segment holds,
// leaving out a kind it has none of.
func (m *messages) nodeCounts(ents, projects int) string {
	switch {
	case ents > 0 && projects > 0:
		return fmt.Sprintf(m.counts, ents, projects)
	case projects > 0:
		return fmt.Sprintf(m.prjCount, projects)
	}
	return fmt.Sprintf(m.entCount, ents)
}
