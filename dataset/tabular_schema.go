package dataset

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The tabular formats (SPEC §3: CSV and xlsx) share four files: this one,
// the schema (the sheets, their names and their column headers);
// tabular_read.go, the table that turns the rows of one sheet into records;
// tabular_cells.go, how a cell becomes a field value and back; and
// tabular_write.go, the rows the writers write. The format files (csv.go,
// xlsx.go) only move rows in and out.

// entity is one kind of sheet (xlsx) or file (CSV) of a tabular dataset.
type entity uint8

const (
	entRegion entity = iota
	entCounties
	entChains
	entSegments
	entFlows
	entEnterprises
	entProjects
	entLinks
	entLeads   // optional: written only when the dataset has leads
	entReports // optional: written only when the dataset has reports
	entityCount
)

// valueType says how a cell is read into its field.
type valueType uint8

const (
	vText      valueType = iota // free text (names, product, source, note): kept as written
	vKey                        // an id, code or reference: surrounding spaces trimmed
	vList                       // ids separated by ; ； , ， 、
	vAmount                     // a number of 万元 (or 亿元, scaled)
	vDate                       // normalised to YYYY-MM-DD where recognised
	vBool                       // 是/否, true/false, 1/0, Y/N
	vStage                      // 上游 … or the English constant
	vStatus                     // 签约 … or the English constant
	vKind                       // 区 县 县级市 开发区 … or the English constant
	vCount                      // a whole number ≥ 0
	vLeadStage                  // 走访 … or the English constant
)

// maxSlots bounds the number of fields of any entity (leads have 18).
const maxSlots = 20

// column is one header a tabular entity accepts. Several columns may feed
// one slot (field): 总投资(万元) and 总投资(亿元) both fill the investment.
type column struct {
	slot  int
	field string // JSON field name: the key of Sheet.Columns, the name Build uses
	key   string // English header: the JSON name, or a unit variant such as investment_yi
	zh    string // Chinese header of SPEC §3
	typ   valueType
	scale float64  // amounts: multiplier to 万元
	alias []string // further accepted spellings
}

// entitySpec describes one sheet: its names and its columns. The first
// column of each slot is the one the writers use, in slot order.
type entitySpec struct {
	name     string // English name: the CSV file name and the English sheet name
	zh       string // Chinese sheet name
	alias    []string
	cols     []column
	slots    int
	required []int // slots without which the rows cannot be read

	byHeader map[string]int // normalised header → index in cols
}

// Slots of each entity, in the order the writers put the columns.
const (
	rgCode = iota
	rgName
	rgSource
	rgNote
)

const (
	ctCode = iota
	ctName
	ctKind
	ctParent
	ctSource
	ctNote
	ctChains // last: written only when a county names its chains
)

const (
	chID = iota
	chName
	chSource
	chNote
)

const (
	sgID = iota
	sgChain
	sgName
	sgStage
	sgSource
	sgNote
)

const (
	flFrom = iota
	flTo
)

const (
	enID = iota
	enName
	enUSCC
	enCounty
	enSegments
	enLeaderOf
	enOutput
	enSource
	enNote
)

const (
	pjID = iota
	pjName
	pjInvestor
	pjCounty
	pjSegments
	pjInvestment
	pjSigned
	pjStarted
	pjStatus
	pjEmerging
	pjSource
	pjNote
)

const (
	lkFrom = iota
	lkTo
	lkProduct
	lkSource
	lkNote
)

const (
	ldID = iota
	ldName
	ldUSCC
	ldEnterprise
	ldCounty
	ldSegments
	ldStage
	ldVisited // the seven… six stage dates, in chainscope.LeadStages order
	ldIntent
	ldInspected
	ldNegotiating
	ldSigned
	ldDropped
	ldProject
	ldOwner
	ldReason
	ldSource
	ldNote
)

// leadDateSlot is the slot of the date of stage i of chainscope.LeadStages.
func leadDateSlot(i int) int { return ldVisited + i }

const (
	rpArea = iota
	rpFrom
	rpTo
	rpSigned
	rpInvestment
	rpEmerging
	rpStarted
	rpDue
	rpTarget
	rpSource
	rpNote
)

// wanPerYi converts 亿元 to 万元.
const wanPerYi = 10000

func sourceNote(source, note int) []column {
	return []column{
		{slot: source, field: "source", zh: "来源", typ: vText, alias: []string{"数据来源", "信息来源"}},
		{slot: note, field: "note", zh: "备注", typ: vText, alias: []string{"说明"}},
	}
}

func withSourceNote(cols []column, source, note int) []column {
	return append(cols, sourceNote(source, note)...)
}

// specs are the sheets of SPEC §3 plus the region sheet a tabular dataset
// needs to name its region.
var specs = [entityCount]*entitySpec{
	entRegion: {
		name: "region", zh: "地区", alias: []string{"区域", "地区信息"},
		cols: withSourceNote([]column{
			{slot: rgCode, field: "code", zh: "代码", typ: vKey, alias: []string{"地区代码", "区划代码", "行政区划代码"}},
			{slot: rgName, field: "name", zh: "名称", typ: vText, alias: []string{"地区名称"}},
		}, rgSource, rgNote),
		required: []int{rgCode},
	},
	entCounties: {
		name: "counties", zh: "县区", alias: []string{"county", "区县", "县(市、区)"},
		cols: withSourceNote([]column{
			{slot: ctCode, field: "code", zh: "代码", typ: vKey, alias: []string{"县区代码", "区划代码", "行政区划代码"}},
			{slot: ctName, field: "name", zh: "名称", typ: vText, alias: []string{"县区名称"}},
			{slot: ctKind, field: "kind", zh: "类型", typ: vKind, alias: []string{"县区类型"}},
			{slot: ctParent, field: "parent", zh: "所属县区", typ: vKey, alias: []string{"上级县区"}},
		}, ctSource, ctNote),
		// SPEC §3: the counties' chains are an extra column of the 县区 sheet.
		// It is appended after source and note, which withSourceNote placed.
		required: []int{ctCode},
	},
	entChains: {
		name: "chains", zh: "产业链", alias: []string{"chain"},
		cols: withSourceNote([]column{
			{slot: chID, field: "id", zh: "产业链编号", typ: vKey, alias: []string{"编号"}},
			{slot: chName, field: "name", zh: "产业链名称", typ: vText, alias: []string{"名称"}},
		}, chSource, chNote),
		required: []int{chID},
	},
	entSegments: {
		name: "segments", zh: "环节", alias: []string{"segment", "产业链环节"},
		cols: withSourceNote([]column{
			{slot: sgID, field: "id", zh: "环节编号", typ: vKey, alias: []string{"编号"}},
			{slot: sgChain, field: "chain", zh: "产业链编号", typ: vKey, alias: []string{"产业链", "chain_id"}},
			{slot: sgName, field: "name", zh: "环节名称", typ: vText, alias: []string{"名称"}},
			{slot: sgStage, field: "stage", zh: "位置", typ: vStage, alias: []string{"环节位置", "上中下游"}},
		}, sgSource, sgNote),
		required: []int{sgID, sgChain},
	},
	entFlows: {
		name: "flows", zh: "环节关系", alias: []string{"flow", "环节流向"},
		cols: []column{
			{slot: flFrom, field: "from", zh: "上游环节", typ: vKey, alias: []string{"上游"}},
			{slot: flTo, field: "to", zh: "下游环节", typ: vKey, alias: []string{"下游"}},
		},
		required: []int{flFrom, flTo},
	},
	entEnterprises: {
		name: "enterprises", zh: "企业", alias: []string{"enterprise", "企业名录"},
		cols: withSourceNote([]column{
			{slot: enID, field: "id", zh: "企业编号", typ: vKey, alias: []string{"编号"}},
			{slot: enName, field: "name", zh: "企业名称", typ: vText, alias: []string{"名称"}},
			{slot: enUSCC, field: "uscc", zh: "统一社会信用代码", typ: vKey, alias: []string{"信用代码", "社会信用代码"}},
			{slot: enCounty, field: "county", zh: "所在县区", typ: vKey, alias: []string{"县区"}},
			{slot: enSegments, field: "segments", zh: "所属环节", typ: vList, alias: []string{"环节"}},
			{slot: enLeaderOf, field: "leader_of", zh: "链主产业链", typ: vList, alias: []string{"链主"}},
			{slot: enOutput, field: "output_wan", zh: "年产值(万元)", typ: vAmount, scale: 1, alias: []string{"年产值", "output", "产值(万元)"}},
			{slot: enOutput, field: "output_wan", key: "output_yi", zh: "年产值(亿元)", typ: vAmount, scale: wanPerYi, alias: []string{"产值(亿元)"}},
		}, enSource, enNote),
		// The id falls back to the USCC, then the name: see table.addEnterprise.
	},
	entProjects: {
		name: "projects", zh: "项目", alias: []string{"project", "招商项目"},
		cols: withSourceNote([]column{
			{slot: pjID, field: "id", zh: "项目编号", typ: vKey, alias: []string{"编号"}},
			{slot: pjName, field: "name", zh: "项目名称", typ: vText, alias: []string{"名称"}},
			{slot: pjInvestor, field: "investor", zh: "投资主体", typ: vKey, alias: []string{"投资方", "投资企业"}},
			{slot: pjCounty, field: "county", zh: "所在县区", typ: vKey, alias: []string{"县区"}},
			{slot: pjSegments, field: "segments", zh: "所属环节", typ: vList, alias: []string{"环节"}},
			{slot: pjInvestment, field: "investment_wan", zh: "总投资(万元)", typ: vAmount, scale: 1, alias: []string{"总投资", "investment", "投资额(万元)"}},
			{slot: pjInvestment, field: "investment_wan", key: "investment_yi", zh: "总投资(亿元)", typ: vAmount, scale: wanPerYi, alias: []string{"投资额(亿元)"}},
			{slot: pjSigned, field: "signed", zh: "签约日期", typ: vDate, alias: []string{"签约时间"}},
			{slot: pjStarted, field: "started", zh: "开工日期", typ: vDate, alias: []string{"开工时间"}},
			{slot: pjStatus, field: "status", zh: "项目状态", typ: vStatus, alias: []string{"状态"}},
			{slot: pjEmerging, field: "emerging", zh: "战略性新兴产业", typ: vBool, alias: []string{"是否战略性新兴产业", "战新产业"}},
		}, pjSource, pjNote),
		required: []int{pjID},
	},
	entLeads: {
		name: "leads", zh: "招商线索", alias: []string{"lead", "线索"},
		cols: []column{
			{slot: ldID, field: "id", zh: "线索编号", typ: vKey, alias: []string{"编号"}},
			{slot: ldName, field: "name", zh: "目标企业", typ: vText, alias: []string{"企业名称", "目标企业名称"}},
			{slot: ldUSCC, field: "uscc", zh: "统一社会信用代码", typ: vKey, alias: []string{"信用代码"}},
			{slot: ldEnterprise, field: "enterprise", zh: "关联企业编号", typ: vKey, alias: []string{"关联企业"}},
			{slot: ldCounty, field: "county", zh: "所在县区", typ: vKey, alias: []string{"县区", "责任县区"}},
			{slot: ldSegments, field: "segments", zh: "所属环节", typ: vList, alias: []string{"环节"}},
			{slot: ldStage, field: "stage", zh: "阶段", typ: vLeadStage, alias: []string{"线索阶段", "进展阶段"}},
			{slot: ldVisited, field: "visited_date", zh: "走访日期", typ: vDate},
			{slot: ldIntent, field: "intent_date", zh: "意向日期", typ: vDate},
			{slot: ldInspected, field: "inspected_date", zh: "考察日期", typ: vDate},
			{slot: ldNegotiating, field: "negotiating_date", zh: "洽谈日期", typ: vDate},
			{slot: ldSigned, field: "signed_date", zh: "签约日期", typ: vDate},
			{slot: ldDropped, field: "dropped_date", zh: "放弃日期", typ: vDate},
			{slot: ldProject, field: "project", zh: "转化项目", typ: vKey, alias: []string{"转化项目编号", "项目编号"}},
			{slot: ldOwner, field: "owner", zh: "负责人", typ: vText, alias: []string{"责任人"}},
			{slot: ldReason, field: "reason", zh: "放弃原因", typ: vText},
			{slot: ldSource, field: "source", zh: "来源", typ: vText, alias: []string{"数据来源", "信息来源"}},
			{slot: ldNote, field: "note", zh: "备注", typ: vText, alias: []string{"说明"}},
		},
		required: []int{ldID},
	},
	entReports: {
		name: "reports", zh: "上报数据", alias: []string{"report"},
		cols: []column{
			{slot: rpArea, field: "area", zh: "区域", typ: vKey, alias: []string{"区域代码", "县区"}},
			{slot: rpFrom, field: "from", zh: "起始日期", typ: vDate, alias: []string{"开始日期"}},
			{slot: rpTo, field: "to", zh: "截止日期", typ: vDate, alias: []string{"结束日期"}},
			{slot: rpSigned, field: "signed_projects", zh: "签约项目数", typ: vCount},
			{slot: rpInvestment, field: "investment_wan", zh: "总投资(万元)", typ: vAmount, scale: 1, alias: []string{"总投资", "投资额(万元)"}},
			{slot: rpInvestment, field: "investment_wan", key: "investment_yi", zh: "总投资(亿元)", typ: vAmount, scale: wanPerYi, alias: []string{"投资额(亿元)"}},
			{slot: rpEmerging, field: "emerging_projects", zh: "新兴产业项目数", typ: vCount, alias: []string{"战略性新兴产业项目数"}},
			{slot: rpStarted, field: "started_projects", zh: "开工项目数", typ: vCount},
			{slot: rpDue, field: "due_projects", zh: "应开工项目数", typ: vCount},
			{slot: rpTarget, field: "target_wan", zh: "年度目标(万元)", typ: vAmount, scale: 1, alias: []string{"年度目标"}},
			{slot: rpTarget, field: "target_wan", key: "target_yi", zh: "年度目标(亿元)", typ: vAmount, scale: wanPerYi},
			{slot: rpSource, field: "source", zh: "来源", typ: vText, alias: []string{"数据来源", "信息来源"}},
			{slot: rpNote, field: "note", zh: "备注", typ: vText, alias: []string{"说明"}},
		},
		required: []int{rpArea, rpFrom, rpTo},
	},
	entLinks: {
		name: "links", zh: "供需关系", alias: []string{"link", "供需"},
		cols: withSourceNote([]column{
			{slot: lkFrom, field: "from", zh: "上游", typ: vKey, alias: []string{"供方", "供应方"}},
			{slot: lkTo, field: "to", zh: "下游", typ: vKey, alias: []string{"需方", "采购方"}},
			{slot: lkProduct, field: "product", zh: "产品", typ: vText, alias: []string{"产品名称"}},
		}, lkSource, lkNote),
		required: []int{lkFrom, lkTo},
	},
}

// byName maps a normalised sheet or file name to its entity.
var byName = map[string]entity{}

func init() {
	c := specs[entCounties]
	c.cols = append(c.cols, column{slot: ctChains, field: "chains", zh: "主导产业链", typ: vList, alias: []string{"产业链布局"}})

	for e, s := range specs {
		for _, n := range append([]string{s.name, s.zh}, s.alias...) {
			k := normHeader(n)
			if old, dup := byName[k]; dup && old != entity(e) {
				panic("dataset: sheet name " + n + " used twice")
			}
			byName[k] = entity(e)
		}
		s.byHeader = map[string]int{}
		for i := range s.cols {
			c := &s.cols[i]
			if c.key == "" {
				c.key = c.field
			}
			if c.scale == 0 {
				c.scale = 1
			}
			s.slots = max(s.slots, c.slot+1)
			for _, h := range append([]string{c.key, c.zh}, c.alias...) {
				k := normHeader(h)
				if old, dup := s.byHeader[k]; dup && old != i {
					panic("dataset: header " + h + " used twice in " + s.name)
				}
				s.byHeader[k] = i
			}
		}
		if s.slots > maxSlots {
			panic("dataset: too many columns in " + s.name)
		}
	}
}

// primary returns the column the writers use for each slot, in slot order.
func (s *entitySpec) primary() []*column {
	out := make([]*column, s.slots)
	for i := range s.cols {
		if out[s.cols[i].slot] == nil {
			out[s.cols[i].slot] = &s.cols[i]
		}
	}
	return out
}

// entityByName recognises a sheet name or a CSV file's base name.
func entityByName(name string) (entity, bool) {
	e, ok := byName[normHeader(name)]
	return e, ok
}

// normHeader folds the spellings of one header together: surrounding and
// inner spaces, underscores and hyphens dropped, full-width parentheses made
// half-width, letters lower-cased.
func normHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '_', r == '-', r == '*', r == '\uFEFF':
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '，':
			r = ','
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// knownSheets lists the sheet names for messages.
func knownSheets() string {
	var b strings.Builder
	for e, s := range specs {
		if e > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s/%s", s.zh, s.name)
	}
	return b.String()
}

// minHeaderMatch is how many known headers a row needs before a sheet with
// an unknown name is recognised by it.
const minHeaderMatch = 2

// entityByHeader recognises a sheet whose name is unknown (项目台账) by its
// header: of rows, the first non-blank rows of the sheet, the row whose
// cells name the most columns of one entity, with the columns that entity
// requires. ok is false when no entity has at least minHeaderMatch of its
// columns there, or when several have equally many; tied then lists them.
func entityByHeader(rows [][]string) (ent entity, ok bool, tied []entity) {
	best := 0
	for _, cells := range rows {
		for e, s := range specs {
			var has [maxSlots]bool
			n := 0
			for _, c := range cells {
				if ci, found := s.byHeader[normHeader(c)]; found && !has[s.cols[ci].slot] {
					has[s.cols[ci].slot] = true
					n++
				}
			}
			if n < minHeaderMatch || !hasRequired(entity(e), has) {
				continue
			}
			switch {
			case n > best:
				best, tied = n, append(tied[:0], entity(e))
			case n == best && !slices.Contains(tied, entity(e)):
				tied = append(tied, entity(e))
			}
		}
	}
	if len(tied) == 1 {
		return tied[0], true, nil
	}
	return 0, false, tied
}

// hasRequired says whether the columns has holds what entity e's rows
// cannot be read without.
func hasRequired(e entity, has [maxSlots]bool) bool {
	for _, s := range specs[e].required {
		if !has[s] {
			return false
		}
	}
	return e != entEnterprises || has[enID] || has[enUSCC] || has[enName]
}

// entityNames names entities for messages: 项目 (projects), 企业 (enterprises).
func entityNames(ents []entity) string {
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = fmt.Sprintf("%s (%s)", specs[e].zh, specs[e].name)
	}
	return strings.Join(names, "、")
}
