package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
)

// DefaultMaxNodes is the scope size above which SVG and Layout draw
// per-segment counts instead of node boxes, when Options.MaxNodes is 0.
const DefaultMaxNodes = 400

// Options says how to title and label a chain panorama. The zero value is
// ready to use: a Chinese picture with the default title and source line,
// no date, laid out for a 16:9 slide, and node boxes up to DefaultMaxNodes
// nodes.
type Options struct {
	// Title replaces the default "<area name> · <chain name> 产业链全景".
	Title string
	// Date (YYYY-MM-DD) is the day the data is as of, printed at the right
	// of the title line as "数据截至 <Date>" / "Data as of <Date>"; "" prints
	// none. The caller passes it (render does no I/O), so that the same
	// data renders to the same bytes any day.
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
	// "chainscope · 数据来源：<region name>".
	Source string
	// Aspect is the width:height the picture is laid out toward (see
	// ParseAspect); the zero value is 16:9, a slide.
	Aspect Aspect
}

// Aspect is the shape of the page the picture is made for: the layout
// picks the arrangement of columns, the placement of the support band and
// the wrapping of names whose shape comes nearest to W:H, then pads the
// picture to exactly W:H.
type Aspect struct {
	W, H float64
}

// Aspects are the page shapes ParseAspect knows by name: a widescreen slide
// (the default), a classic slide, and an A4 page in portrait (210 × 297 mm,
// the document a picture is printed in or pasted into).
var Aspects = map[string]Aspect{
	"16:9": {16, 9},
	"4:3":  {4, 3},
	"a4":   {210, 297},
}

// DefaultAspect is the name of the aspect used when none is given.
const DefaultAspect = "16:9"

// ParseAspect reads a page shape: "" or "16:9" (a widescreen slide, the
// default), "4:3", "a4" (A4 portrait, 210:297), or any "W:H" of two
// positive numbers whose ratio lies between 1:4 and 4:1. The error (a
// chainscope.Error, EINVALID) says in Chinese and in English what is
// accepted.
func ParseAspect(s string) (Aspect, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		v = DefaultAspect
	}
	if a, ok := Aspects[v]; ok {
		return a, nil
	}
	w, h, ok := strings.Cut(v, ":")
	if ok {
		x, err1 := strconv.ParseFloat(w, 64)
		y, err2 := strconv.ParseFloat(h, 64)
		if err1 == nil && err2 == nil && x > 0 && y > 0 && x/y >= 0.25 && x/y <= 4 && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			return Aspect{x, y}, nil
		}
	}
	return Aspect{}, chainscope.Localizedf(chainscope.EINVALID,
		"画面比例应为 16:9、4:3、a4（A4 纵向）或 宽:高（1:4 至 4:1）：%q",
		"aspect must be 16:9, 4:3, a4 (A4 portrait) or W:H between 1:4 and 4:1: %q", s)
}

// ratio is W/H, 16/9 for the zero value.
func (a Aspect) ratio() float64 {
	if a.W <= 0 || a.H <= 0 {
		return 16.0 / 9
	}
	return a.W / a.H
}

// messages is the text of the picture in one language: every Chinese string
// the renderer draws has its English twin beside it in the other table, and
// a picture shows one language only (names from the data excepted).
type messages struct {
	lang        string // "zh" or "en", for chainscope.FormatAmount
	title       string // "%s · %s 产业链全景": area, chain
	source      string // "chainscope · 数据来源：%s": region
	asOf        string // "数据截至 %s": date
	wholeCity   string // "%s（全市）": the region's name, area "*" of a city
	wholeProv   string // "%s（全省）": the same for a province
	colon       string // "：" / ": " after a label
	listSep     string // "、" / ", " between list items
	paren       string // "%s（%s %s）" / "%s (%s %s)": label, key, value
	idLabel     string // "编号" / "id"
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
	counts      string // "企业 %s · 项目 %s": grouped counts
	entCount    string // "企业 %s"
	prjCount    string // "项目 %s"
	counts2     string // "链主 %s · 关键节点 %s"
	compact     string // "共 %s 个节点（超过 %s），按环节汇总数量"
	upstream    string
	downstream  string
	supportBand string
	legend      string
	footer      string // "完整度 %s · 企业 %s · 项目 %s · 供需关系 %s"
	noSegments  string
	product     string
	impact      string
	investment  string
	signed      string
	segments    string
}

var zh = &messages{
	lang:   "zh",
	title:  "%s · %s 产业链全景",
	source: "chainscope · 数据来源：%s",
	asOf:   "数据截至 %s", wholeCity: "%s（全市）", wholeProv: "%s（全省）",
	colon: "：", listSep: "、", paren: "%s（%s %s）", idLabel: "编号",
	ok: "正常", weakSingle: "薄弱·单一", weakPlanned: "薄弱·仅规划",
	missing: "缺链", broken: "断链", external: "外部供给",
	badge:  map[string]string{"missing": "缺", "broken": "断", "external": "外", "single": "单", "planned": "规"},
	entTag: "企", prjTag: "项", enterprise: "企业", project: "项目", leader: "链主",
	cutNode: "关键节点", cutLegend: "关键节点（数字=失联数）", bridge: "关键链接",
	link: "供需关系", flow: "环节流向", alias: "另见（跨环节）", aliasOf: "主位置：%s",
	kpiComplete: "完整度", kpiSegments: "环节", kpiMissing: "缺链", kpiBroken: "断链",
	kpiWeak: "薄弱", kpiLinks: "供需关系", kpiInvest: "项目投资",
	emptyBody: "空白 · 待招引", extBody: "区外供给 · 待本地配套",
	counts: "企业 %s · 项目 %s", entCount: "企业 %s", prjCount: "项目 %s", counts2: "链主 %s · 关键节点 %s",
	compact:  "共 %s 个节点（超过 %s），按环节汇总数量",
	upstream: "上游", downstream: "下游", supportBand: "配套环节", legend: "图例",
	footer:     "完整度 %s · 企业 %s · 项目 %s · 供需关系 %s",
	noSegments: "该产业链未定义环节", product: "产品", impact: "影响", investment: "投资",
	signed: "签约", segments: "环节",
}

var en = &messages{
	lang:   "en",
	title:  "%s · %s industrial chain panorama",
	source: "chainscope · source: %s dataset",
	asOf:   "Data as of %s", wholeCity: "%s (whole city)", wholeProv: "%s (whole province)",
	colon: ": ", listSep: ", ", paren: "%s (%s %s)", idLabel: "id",
	ok: "OK", weakSingle: "weak: single", weakPlanned: "weak: planned only",
	missing: "missing", broken: "broken", external: "supplied externally",
	badge:  map[string]string{"missing": "GAP", "broken": "BRK", "external": "EXT", "single": "1", "planned": "PLN"},
	entTag: "E", prjTag: "P", enterprise: "enterprises", project: "projects", leader: "chain leader",
	cutNode: "cut node", cutLegend: "cut node (n = nodes cut off)", bridge: "bridge link",
	link: "supply link", flow: "segment flow", alias: "also listed here", aliasOf: "drawn in: %s",
	kpiComplete: "completeness", kpiSegments: "segments", kpiMissing: "missing", kpiBroken: "broken",
	kpiWeak: "weak", kpiLinks: "supply links", kpiInvest: "investment",
	emptyBody: "gap · to attract", extBody: "supplied from outside",
	counts: "enterprises %s · projects %s", entCount: "enterprises %s", prjCount: "projects %s", counts2: "leaders %s · cut nodes %s",
	compact:  "%s nodes (more than %s): counts per segment",
	upstream: "upstream", downstream: "downstream", supportBand: "support segments", legend: "Legend",
	footer:     "completeness %s · enterprises %s · projects %s · supply links %s",
	noSegments: "this chain defines no segments", product: "product", impact: "impact", investment: "investment",
	signed: "signed", segments: "segments",
}

// amount writes an amount in 万元 the one way officers read it.
func (m *messages) amount(wan float64) string { return chainscope.FormatAmount(wan, m.lang) }

// count writes a count with digit grouping.
func count(n int) string { return chainscope.FormatCount(n) }

// whole names the whole-region scope by the region's level: 运城市（全市）,
// 山西省（全省）.
func (m *messages) whole(r chainscope.Region, name string) string {
	if r.Level() == chainscope.LevelProvince {
		return fmt.Sprintf(m.wholeProv, name)
	}
	return fmt.Sprintf(m.wholeCity, name)
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
		return fmt.Sprintf(m.counts, count(ents), count(projects))
	case projects > 0:
		return fmt.Sprintf(m.prjCount, count(projects))
	}
	return fmt.Sprintf(m.entCount, count(ents))
}
