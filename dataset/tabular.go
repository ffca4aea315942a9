package dataset

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"chainscope"

	"github.com/xuri/excelize/v2"
)

// This file holds what the CSV and xlsx formats (SPEC §3) share: the sheets
// and their headers, and how a cell becomes a field value. The format files
// only move rows in and out; a table turns rows into records.

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
	entityCount
)

// valueType says how a cell is read into its field.
type valueType uint8

const (
	vText   valueType = iota // free text (names, product, source, note): kept as written
	vKey                     // an id, code or reference: surrounding spaces trimmed
	vList                    // ids separated by ; ； , ， 、
	vAmount                  // a number of 万元 (or 亿元, scaled)
	vDate                    // normalised to YYYY-MM-DD where recognised
	vBool                    // 是/否, true/false, 1/0, Y/N
	vStage                   // 上游 … or the English constant
	vStatus                  // 签约 … or the English constant
	vKind                    // 区 县 县级市 开发区 … or the English constant
)

// maxSlots bounds the number of fields of any entity (projects have 12).
const maxSlots = 16

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

// table turns the rows of one sheet or file into records. The format
// readers feed it rows; it owns the header, the field mapping and every
// reader-level problem.
type table struct {
	spec  *entitySpec
	ent   entity
	sheet *chainscope.Sheet
	rec   *Records
	probs *[]chainscope.Problem

	csvQuotes bool // strip the ' that guards text against formulas (CSV)
	serials   bool // accept numeric date serials (xlsx)
	date1904  bool

	header  bool     // the header row has been seen
	skip    bool     // a required column is missing: rows are not read
	titles  int      // title rows skipped above the header
	heads   []string // the header row as written, trimmed
	slotOf  []int8   // file column → slot, or one of the col… marks
	colOf   [maxSlots]*column
	present [maxSlots]bool
	vals    [maxSlots]string
	zh      bool // the headers are Chinese: name missing columns in Chinese
	regions int  // region rows seen
}

func newTable(ent entity, file, name string, rec *Records, probs *[]chainscope.Problem) *table {
	return &table{
		spec:  specs[ent],
		ent:   ent,
		sheet: &chainscope.Sheet{File: file, Name: name, Columns: map[string]string{}},
		rec:   rec,
		probs: probs,
	}
}

// problem records a reader problem, keeping at most chainscope.MaxProblems.
func (t *table) problem(p chainscope.Problem) {
	if len(*t.probs) < chainscope.MaxProblems {
		*t.probs = append(*t.probs, p)
	}
}

func (t *table) warn(row int, col, value, msg string) {
	t.rec.Warnings = append(t.rec.Warnings, chainscope.Problem{
		File: t.sheet.File, Sheet: t.sheet.Name, Row: row, Column: col, Value: value, Message: msg,
	})
}

// full reports whether enough problems have been found to stop reading.
func (t *table) full() bool { return len(*t.probs) >= chainscope.MaxProblems }

// blankRow reports whether a row has nothing but spaces.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" && strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// row takes one row of the sheet, numbered as a spreadsheet shows it. The
// first non-blank row is the header (a lone title cell above it is skipped).
func (t *table) row(cells []string, n int) {
	if t.skip || blankRow(cells) {
		return
	}
	if !t.header {
		t.readHeader(cells, n)
		return
	}
	t.fill(cells, n)
	at := chainscope.Origin{Sheet: t.sheet, Row: n}
	switch t.ent {
	case entRegion:
		t.addRegion(at)
	case entCounties:
		t.addCounty(at)
	case entChains:
		t.addChain(at)
	case entSegments:
		t.addSegment(at)
	case entFlows:
		t.addFlow(at)
	case entEnterprises:
		t.addEnterprise(at)
	case entProjects:
		t.addProject(at)
	case entLinks:
		t.addLink(at)
	}
}

// maxReserve bounds what reserve sets aside at once; appending grows the
// records further if the guess was short.
const maxReserve = 1 << 22

// reserve makes room for about n more records of the table's entity, so
// that a province-scale file is not copied again and again as it grows.
func (t *table) reserve(n int) {
	if n <= 0 {
		return
	}
	n = min(n, maxReserve)
	r := t.rec
	switch t.ent {
	case entCounties:
		r.Counties = slices.Grow(r.Counties, n)
	case entChains:
		r.Chains = slices.Grow(r.Chains, n)
	case entSegments:
		r.Segments = slices.Grow(r.Segments, n)
	case entFlows:
		r.Flows = slices.Grow(r.Flows, n)
	case entEnterprises:
		r.Enterprises = slices.Grow(r.Enterprises, n)
	case entProjects:
		r.Projects = slices.Grow(r.Projects, n)
	case entLinks:
		r.Links = slices.Grow(r.Links, n)
	}
}

// readHeader maps the columns of the header row n to fields.
func (t *table) readHeader(cells []string, n int) {
	nonEmpty, known := 0, 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			nonEmpty++
			if _, ok := t.spec.byHeader[normHeader(t.unquote(c))]; ok {
				known++
			}
		}
	}
	if known == 0 && nonEmpty == 1 && t.titles < 3 {
		t.titles++ // a title such as "运城市2024年招商项目台账" above the header
		return
	}
	t.header = true
	t.slotOf = make([]int8, len(cells))
	t.heads = make([]string, len(cells))
	for i, raw := range cells {
		t.slotOf[i] = colIgnored
		h := strings.TrimSpace(t.unquote(raw))
		t.heads[i] = h
		if h == "" {
			t.slotOf[i] = colUnnamed
			continue
		}
		if !asciiOnly(h) {
			t.zh = true
		}
		ci, ok := t.spec.byHeader[normHeader(h)]
		if !ok {
			t.warn(n, h, "", fmt.Sprintf("未知的列，已忽略 unknown column %q ignored (%s)", h, t.spec.name))
			continue
		}
		c := &t.spec.cols[ci]
		if t.present[c.slot] {
			t.problem(chainscope.Problem{
				File: t.sheet.File, Sheet: t.sheet.Name, Row: n, Column: h, Value: h,
				Message: fmt.Sprintf("列 %s 与列 %s 重复 (%s): duplicate column", h, t.sheet.Columns[c.field], c.field),
			})
			continue
		}
		t.present[c.slot], t.colOf[c.slot], t.slotOf[i] = true, c, int8(c.slot)
		t.sheet.Columns[c.field] = h
	}
	for _, s := range t.spec.required {
		if t.present[s] {
			continue
		}
		c := t.spec.primary()[s]
		name := c.key
		if t.zh {
			name = c.zh
		}
		t.problem(chainscope.Problem{
			File: t.sheet.File, Sheet: t.sheet.Name, Row: n, Column: name,
			Message: fmt.Sprintf("缺少必需的列 %s (%s)，本表未读取 missing required column %s (%s); sheet not read", c.zh, c.field, c.key, c.zh),
		})
		t.skip = true
	}
	if t.ent == entEnterprises && !t.present[enID] {
		// Problems about the id name the column it came from.
		switch {
		case t.present[enUSCC]:
			t.sheet.Columns["id"] = t.sheet.Columns["uscc"]
		case t.present[enName]:
			t.sheet.Columns["id"] = t.sheet.Columns["name"]
		default:
			name := "id/uscc/name"
			if t.zh {
				name = "企业编号/统一社会信用代码/企业名称"
			}
			t.problem(chainscope.Problem{
				File: t.sheet.File, Sheet: t.sheet.Name, Row: n, Column: name,
				Message: "缺少企业编号、统一社会信用代码和企业名称列，本表未读取 missing id, uscc and name columns; sheet not read",
			})
			t.skip = true
		}
	}
}

// Marks in table.slotOf for columns that feed no field.
const (
	colIgnored  = -1 // an unknown header, warned about once at the header row
	colUnnamed  = -2 // no header: warned about at its first non-empty cell
	colUnwarned = -3 // no header, already warned about
)

// fill copies the cells of data row n into t.vals by slot.
func (t *table) fill(cells []string, n int) {
	for s := 0; s < t.spec.slots; s++ {
		t.vals[s] = ""
	}
	for len(t.slotOf) < len(cells) { // a ragged row wider than the header
		t.slotOf = append(t.slotOf, colUnnamed)
	}
	for i, c := range cells {
		switch s := t.slotOf[i]; {
		case s >= 0:
			t.vals[s] = t.unquote(c)
		case s == colUnnamed && c != "" && strings.TrimSpace(c) != "":
			t.slotOf[i] = colUnwarned
			col := excelColumn(i)
			t.warn(n, col, c, fmt.Sprintf("第 %s 列没有表头，其中的数据已忽略 column %s has no header; its data is ignored", col, col))
		}
	}
}

// columnName names file column i (0-based) by its header, or by its letter
// when it has none.
func (t *table) columnName(i int) string {
	if i < len(t.heads) && t.heads[i] != "" {
		return t.heads[i]
	}
	return excelColumn(i)
}

// excelColumn names a 0-based column index as a spreadsheet does: A, B, … AA.
func excelColumn(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}

// unquote removes the ' that a CSV writer puts before text that a
// spreadsheet would otherwise run as a formula (see csvText).
func (t *table) unquote(s string) string {
	if t.csvQuotes && len(s) > 1 && s[0] == '\'' && formulaStart(s[1]) {
		return s[1:]
	}
	return s
}

// formulaStart reports whether a text starting with c needs a ' guard in a
// CSV file; ' itself is included so that the guard can be undone exactly.
func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return true
	}
	return false
}

// Field accessors for the current row.

func (t *table) text(s int) string { return t.vals[s] }

func (t *table) key(s int) string { return strings.TrimSpace(t.vals[s]) }

func (t *table) list(s int) []string { return splitList(t.vals[s]) }

func (t *table) date(s int) string {
	v := normDate(t.vals[s])
	if t.serials {
		if d, ok := serialDate(v, t.date1904); ok {
			return d
		}
	}
	return v
}

func (t *table) amount(s int, at chainscope.Origin) *float64 {
	c := t.colOf[s]
	if c == nil {
		return nil
	}
	v, ok := parseAmount(t.vals[s], c.scale)
	if !ok {
		t.problem(chainscope.ProblemAt(at, c.field, t.vals[s], "%s (%s) 不是数字 not a number", t.sheet.Column(c.field), c.key))
	}
	return v
}

func (t *table) boolean(s int, at chainscope.Origin) bool {
	c := t.colOf[s]
	if c == nil {
		return false
	}
	v, ok := parseBool(t.vals[s])
	if !ok {
		t.problem(chainscope.ProblemAt(at, c.field, t.vals[s], "%s (%s) 不是“是/否” not a boolean (是/否, true/false, 1/0, Y/N)", t.sheet.Column(c.field), c.key))
	}
	return v
}

// Record builders, one per entity.

func (t *table) addRegion(at chainscope.Origin) {
	t.regions++
	if t.regions > 1 {
		t.problem(chainscope.ProblemAt(at, "code", t.key(rgCode), "地区表只能有一行 the region sheet must have exactly one row"))
		return
	}
	t.rec.Region = &chainscope.Region{
		Code: t.key(rgCode), Name: t.text(rgName), Source: t.text(rgSource), Note: t.text(rgNote),
	}
	t.rec.RegionAt = at
}

func (t *table) addCounty(at chainscope.Origin) {
	t.rec.Counties = append(t.rec.Counties, chainscope.County{
		Code: t.key(ctCode), Name: t.text(ctName), Kind: parseKind(t.vals[ctKind]), Parent: t.key(ctParent),
		Source: t.text(ctSource), Note: t.text(ctNote), At: at,
	})
}

func (t *table) addChain(at chainscope.Origin) {
	t.rec.Chains = append(t.rec.Chains, chainscope.Chain{
		ID: t.key(chID), Name: t.text(chName), Source: t.text(chSource), Note: t.text(chNote), At: at,
	})
}

func (t *table) addSegment(at chainscope.Origin) {
	t.rec.Segments = append(t.rec.Segments, SegmentRecord{Chain: t.key(sgChain), Segment: chainscope.Segment{
		ID: t.key(sgID), Name: t.text(sgName), Stage: parseStage(t.vals[sgStage]),
		Source: t.text(sgSource), Note: t.text(sgNote), At: at,
	}})
}

func (t *table) addFlow(at chainscope.Origin) {
	t.rec.Flows = append(t.rec.Flows, chainscope.Flow{From: t.key(flFrom), To: t.key(flTo), At: at})
}

// addEnterprise keys an enterprise without an id by its USCC, else by its
// name (SPEC §3).
func (t *table) addEnterprise(at chainscope.Origin) {
	e := chainscope.Enterprise{
		ID: t.key(enID), Name: t.text(enName), USCC: t.key(enUSCC), County: t.key(enCounty),
		Segments: t.list(enSegments), LeaderOf: t.list(enLeaderOf), OutputWan: t.amount(enOutput, at),
		Source: t.text(enSource), Note: t.text(enNote), At: at,
	}
	if e.ID == "" {
		e.ID = e.USCC
	}
	if e.ID == "" {
		e.ID = strings.TrimSpace(e.Name)
	}
	if e.ID == "" {
		t.problem(chainscope.ProblemAt(at, "id", "", "企业没有编号、统一社会信用代码或名称 enterprise has no id, uscc or name"))
	}
	t.rec.Enterprises = append(t.rec.Enterprises, e)
}

func (t *table) addProject(at chainscope.Origin) {
	t.rec.Projects = append(t.rec.Projects, chainscope.Project{
		ID: t.key(pjID), Name: t.text(pjName), Investor: t.key(pjInvestor), County: t.key(pjCounty),
		Segments: t.list(pjSegments), InvestmentWan: t.amount(pjInvestment, at),
		Signed: t.date(pjSigned), Started: t.date(pjStarted), Status: parseStatus(t.vals[pjStatus]),
		Emerging: t.boolean(pjEmerging, at), Source: t.text(pjSource), Note: t.text(pjNote), At: at,
	})
}

func (t *table) addLink(at chainscope.Origin) {
	t.rec.Links = append(t.rec.Links, chainscope.Link{
		From: t.key(lkFrom), To: t.key(lkTo), Product: t.text(lkProduct),
		Source: t.text(lkSource), Note: t.text(lkNote), At: at,
	})
}

// Value parsing, shared by the CSV and xlsx readers.

// isListSep reports whether r separates the items of a list cell.
func isListSep(r rune) bool {
	switch r {
	case ';', '；', ',', '，', '、':
		return true
	}
	return false
}

// splitList splits a list cell on ; ； , ， 、, trims the items and drops
// empty ones. An empty cell is an empty, non-nil list.
func splitList(s string) []string {
	n := 0
	inItem := false
	for _, r := range s {
		if isListSep(r) {
			inItem = false
		} else if !inItem && !unicode.IsSpace(r) {
			inItem = true
			n++
		}
	}
	if n == 0 {
		return []string{}
	}
	out := make([]string, 0, n)
	for {
		i := strings.IndexFunc(s, isListSep)
		item := s
		if i >= 0 {
			item = s[:i]
		}
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
		if i < 0 {
			return out
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		s = s[i+w:]
	}
}

// joinList is the inverse of splitList for ids that contain no separator.
func joinList(items []string) string { return strings.Join(items, ";") }

// parseBool reads 是/否, true/false, 1/0, Y/N, yes/no (any case); an empty
// cell is false.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "否", "n", "no", "f", "×", "非":
		return false, true
	case "true", "1", "是", "y", "yes", "t", "√":
		return true, true
	}
	return false, false
}

// boolText is how the writers spell a boolean.
func boolText(v bool) string {
	if v {
		return "是"
	}
	return "否"
}

// unknownAmounts are what ledgers write for "not known".
var unknownAmounts = map[string]bool{"-": true, "—": true, "——": true, "–": true, "/": true}

// parseAmount reads a number of the column's unit and returns it in 万元:
// thousands separators and spaces are dropped; an empty cell is nil
// (unknown). The scaling is done on the decimal text, so 0.07 亿元 is
// exactly 700 万元.
func parseAmount(s string, scale float64) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || unknownAmounts[s] {
		return nil, true
	}
	num, ok := numberText(s)
	if !ok {
		return nil, false
	}
	v, err := strconv.ParseFloat(num, 64)
	if err == nil && scale != 1 {
		// Scale the shortest decimal text of v, so that 0.07 亿元 is 700 万元
		// exactly, even when a workbook stored 0.07 as 7.0000000000000007E-2.
		v, err = strconv.ParseFloat(string(shiftDecimal(strconv.AppendFloat(nil, v, 'g', -1, 64), scaleDigits(scale))), 64)
	}
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, false
	}
	return &v, true
}

// numberText returns the plain number text of an amount cell — full-width
// digits made ASCII, thousands separators and spaces dropped — or
// false when the cell holds something else.
func numberText(s string) (string, bool) {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E'
	}
	if plain {
		return s, true
	}
	var b []byte
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r >= '0' && r <= '9', r == '.', r == '+', r == '-', r == 'e', r == 'E':
			b = append(b, byte(r))
		case r >= '０' && r <= '９':
			b = append(b, byte('0'+r-'０'))
		case r == '．':
			b = append(b, '.')
		case r == ',', r == '，', unicode.IsSpace(r):
			// thousands separator
		default:
			return "", false
		}
	}
	return string(b), len(b) > 0
}

// scaleDigits is log10 of a unit scale (1 or 10 000).
func scaleDigits(scale float64) int { return int(math.Round(math.Log10(scale))) }

// shiftDecimal multiplies a decimal number text by 10^k by adjusting its
// exponent, so that no binary rounding happens before ParseFloat.
func shiftDecimal(b []byte, k int) []byte {
	i := strings.IndexAny(string(b), "eE")
	if i < 0 {
		return strconv.AppendInt(append(b, 'e'), int64(k), 10)
	}
	exp, err := strconv.Atoi(string(b[i+1:]))
	if err != nil {
		return b // ParseFloat will refuse it
	}
	return strconv.AppendInt(b[:i+1], int64(exp+k), 10)
}

// amountText writes an amount exactly: the shortest text that reads back
// as the same float64.
func amountText(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var stageWords = map[string]chainscope.Stage{
	"upstream": chainscope.StageUpstream, "上游": chainscope.StageUpstream, "上游环节": chainscope.StageUpstream,
	"midstream": chainscope.StageMidstream, "中游": chainscope.StageMidstream, "中游环节": chainscope.StageMidstream,
	"downstream": chainscope.StageDownstream, "下游": chainscope.StageDownstream, "下游环节": chainscope.StageDownstream,
	"support": chainscope.StageSupport, "配套": chainscope.StageSupport, "配套环节": chainscope.StageSupport,
}

var statusWords = map[string]chainscope.Status{
	"signed": chainscope.StatusSigned, "签约": chainscope.StatusSigned, "已签约": chainscope.StatusSigned,
	"started": chainscope.StatusStarted, "开工": chainscope.StatusStarted, "已开工": chainscope.StatusStarted,
	"在建": chainscope.StatusStarted, "新开工": chainscope.StatusStarted, "续建": chainscope.StatusStarted,
	"operating": chainscope.StatusOperating, "投产": chainscope.StatusOperating, "已投产": chainscope.StatusOperating,
	"运营": chainscope.StatusOperating, "建成投产": chainscope.StatusOperating, "竣工投产": chainscope.StatusOperating,
	"stalled": chainscope.StatusStalled, "停滞": chainscope.StatusStalled, "停工": chainscope.StatusStalled,
	"停建": chainscope.StatusStalled, "暂停": chainscope.StatusStalled,
	"cancelled": chainscope.StatusCancelled, "canceled": chainscope.StatusCancelled, "终止": chainscope.StatusCancelled,
	"已终止": chainscope.StatusCancelled, "取消": chainscope.StatusCancelled, "已取消": chainscope.StatusCancelled,
}

var kindWords = map[string]chainscope.Kind{
	"district": chainscope.KindDistrict, "区": chainscope.KindDistrict, "市辖区": chainscope.KindDistrict,
	"county": chainscope.KindCounty, "县": chainscope.KindCounty,
	"city": chainscope.KindCity, "县级市": chainscope.KindCity, "市": chainscope.KindCity,
	"zone": chainscope.KindZone, "开发区": chainscope.KindZone, "园区": chainscope.KindZone,
	"经济开发区": chainscope.KindZone, "经济技术开发区": chainscope.KindZone, "高新区": chainscope.KindZone,
	"高新技术产业开发区": chainscope.KindZone, "工业园区": chainscope.KindZone, "产业园区": chainscope.KindZone,
}

// lookupWord looks a stage, status or kind up by its English constant (any case)
// or Chinese word; an unknown value comes back trimmed, for Build to report.
func lookupWord[T ~string](words map[string]T, s string) T {
	s = strings.TrimSpace(s)
	if v, ok := words[s]; ok {
		return v
	}
	if v, ok := words[strings.ToLower(s)]; ok {
		return v
	}
	return T(s)
}

func parseStage(s string) chainscope.Stage   { return lookupWord(stageWords, s) }
func parseStatus(s string) chainscope.Status { return lookupWord(statusWords, s) }
func parseKind(s string) chainscope.Kind     { return lookupWord(kindWords, s) }
func stageText(v chainscope.Stage) string    { return labelOr(v.Label(), string(v)) }
func statusText(v chainscope.Status) string  { return labelOr(v.Label(), string(v)) }
func kindText(v chainscope.Kind) string      { return labelOr(v.Label(), string(v)) }
func labelOr(label, value string) string {
	if label == "" {
		return value
	}
	return label
}

// normDate writes a recognised date — 2024-03-15, 2024/3/15, 2024.3.15,
// 2024年3月15日, 20240315, with or without a time after it — as
// YYYY-MM-DD. Anything else comes back trimmed, for Build to report.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if y, m, d, ok := parseYMD(s); ok {
		return ymd(y, m, d)
	}
	return s
}

func ymd(y, m, d int) string {
	b := make([]byte, 0, 10)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return string(b)
}

// leadingDigits reads up to maxN ASCII digits from s.
func leadingDigits(s string, maxN int) (v, n int) {
	for n < len(s) && n < maxN && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

func parseYMD(s string) (y, m, d int, ok bool) {
	y, n := leadingDigits(s, 4)
	if n != 4 {
		return 0, 0, 0, false
	}
	rest := s[4:]
	if len(s) >= 8 {
		if v, k := leadingDigits(s, 9); k == 8 && (len(s) == 8 || s[8] == ' ' || s[8] == 'T') {
			y, m, d = v/10000, v/100%100, v%100
			return y, m, d, calendarDate(y, m, d)
		}
	}
	var sep, msep, dsep string
	switch {
	case strings.HasPrefix(rest, "-"), strings.HasPrefix(rest, "/"), strings.HasPrefix(rest, "."):
		sep = rest[:1]
		msep = sep
	case strings.HasPrefix(rest, "年"):
		sep, msep, dsep = "年", "月", "日"
	default:
		return 0, 0, 0, false
	}
	rest = rest[len(sep):]
	m, n = leadingDigits(rest, 2)
	if n == 0 || !strings.HasPrefix(rest[n:], msep) {
		return 0, 0, 0, false
	}
	rest = rest[n+len(msep):]
	d, n = leadingDigits(rest, 2)
	if n == 0 {
		return 0, 0, 0, false
	}
	rest = rest[n:]
	if dsep != "" {
		rest = strings.TrimPrefix(rest, dsep)
	}
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, 0, 0, false
	}
	return y, m, d, calendarDate(y, m, d)
}

func calendarDate(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// Excel date serials accepted in date columns: 1950-01-01 to 2099-12-31.
// A smaller number is more likely a year or a typo than a date.
const (
	minSerial = 18264
	maxSerial = 73051
)

// serialDate reads an Excel date serial (days since 1900, or 1904), as a
// date cell holds it, into YYYY-MM-DD.
func serialDate(s string, date1904 bool) (string, bool) {
	if s == "" || !(s[0] >= '0' && s[0] <= '9') {
		return "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < minSerial || v >= maxSerial {
		return "", false
	}
	tm, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
	if err != nil {
		return "", false
	}
	return ymd(tm.Year(), int(tm.Month()), tm.Day()), true
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Writers: one row of text per record, in the columns of entitySpec.primary.
// An amount is a *float64 so that the xlsx writer can store a number.

// outCell is one value to write: text, or an amount (nil when unknown).
type outCell struct {
	text   string
	amount *float64
	num    bool
}

func textCell(s string) outCell     { return outCell{text: s} }
func amountCell(v *float64) outCell { return outCell{amount: v, num: true} }
func sheetHeaders(e entity) []string {
	cols := specs[e].primary()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.zh
	}
	return out
}

// rowsOf calls emit with the cells of every record of entity e in ds, in
// dataset order (segments and flows chain by chain, as Flatten lists them).
// The row slice is reused between calls.
func rowsOf(ds *chainscope.Dataset, e entity, emit func([]outCell) error) error {
	var row []outCell
	put := func(cells ...outCell) error {
		row = append(row[:0], cells...)
		return emit(row)
	}
	switch e {
	case entRegion:
		if g := ds.Region; g != (chainscope.Region{}) {
			return put(textCell(g.Code), textCell(g.Name), textCell(g.Source), textCell(g.Note))
		}
	case entCounties:
		for _, c := range ds.Counties {
			if err := put(textCell(c.Code), textCell(c.Name), textCell(kindText(c.Kind)), textCell(c.Parent), textCell(c.Source), textCell(c.Note)); err != nil {
				return err
			}
		}
	case entChains:
		for _, c := range ds.Chains {
			if err := put(textCell(c.ID), textCell(c.Name), textCell(c.Source), textCell(c.Note)); err != nil {
				return err
			}
		}
	case entSegments:
		for _, c := range ds.Chains {
			for _, s := range c.Segments {
				if err := put(textCell(s.ID), textCell(c.ID), textCell(s.Name), textCell(stageText(s.Stage)), textCell(s.Source), textCell(s.Note)); err != nil {
					return err
				}
			}
		}
	case entFlows:
		for _, c := range ds.Chains {
			for _, f := range c.Flows {
				if err := put(textCell(f.From), textCell(f.To)); err != nil {
					return err
				}
			}
		}
	case entEnterprises:
		for _, x := range ds.Enterprises {
			if err := put(textCell(x.ID), textCell(x.Name), textCell(x.USCC), textCell(x.County), textCell(joinList(x.Segments)),
				textCell(joinList(x.LeaderOf)), amountCell(x.OutputWan), textCell(x.Source), textCell(x.Note)); err != nil {
				return err
			}
		}
	case entProjects:
		for _, p := range ds.Projects {
			if err := put(textCell(p.ID), textCell(p.Name), textCell(p.Investor), textCell(p.County), textCell(joinList(p.Segments)),
				amountCell(p.InvestmentWan), textCell(p.Signed), textCell(p.Started), textCell(statusText(p.Status)),
				textCell(boolText(p.Emerging)), textCell(p.Source), textCell(p.Note)); err != nil {
				return err
			}
		}
	case entLinks:
		for _, l := range ds.Links {
			if err := put(textCell(l.From), textCell(l.To), textCell(l.Product), textCell(l.Source), textCell(l.Note)); err != nil {
				return err
			}
		}
	}
	return nil
}
