package dataset

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"chainscope"

	"github.com/xuri/excelize/v2"
)

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
	settled bool     // the header is complete (a second header row, if any, joined)
	skip    bool     // a required column is missing: rows are not read
	titles  int      // title rows skipped above the header
	headRow int      // the spreadsheet row of the header
	read    int      // data rows read
	found   string   // how the sheet was recognised when not by its name, for messages
	twoRows bool     // the header has a second row, joined
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
// first non-blank row is the header (a lone title cell above it is skipped);
// the row right below it may be the second row of a merged header.
func (t *table) row(cells []string, n int) {
	if t.skip || blankRow(cells) {
		return
	}
	if !t.header {
		t.readHeader(cells, n)
		return
	}
	if !t.settled {
		if n == t.headRow+1 && t.subHeader(cells) {
			t.settle()
			return
		}
		t.settle()
		if t.skip {
			return
		}
		t.hintSubHeader(cells, n)
	}
	t.fill(cells, n)
	t.read++
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
	case entLeads:
		t.addLead(at)
	case entReports:
		t.addReport(at)
	}
}

// finish is called after the last row of the sheet. A sheet with a header
// and no data row is worth telling: an error when the sheet was recognised
// by its header alone (an officer's own sheet, read as nothing), a warning
// when by its name (an export of an entity without records writes one).
func (t *table) finish() {
	if t.full() {
		t.rec.partial = true
	}
	if !t.header {
		return
	}
	if !t.settled {
		t.settle()
	}
	if t.skip || t.read > 0 || t.full() {
		return
	}
	what := fmt.Sprintf("%s (%s)", t.spec.zh, t.spec.name)
	if t.found != "" {
		t.problem(chainscope.Problem{File: t.sheet.File, Sheet: t.sheet.Name, Row: t.headRow,
			Message: fmt.Sprintf("按表头识别为%s表，但表头下没有数据行 recognised by its header as %s, but no data row was read below it", what, what)})
		return
	}
	t.warn(t.headRow, "", "", fmt.Sprintf("只有表头，没有数据行：未读到任何%s header only: no %s read", what, t.spec.name))
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
	case entLeads:
		r.Leads = slices.Grow(r.Leads, n)
	case entReports:
		r.Reports = slices.Grow(r.Reports, n)
	}
}

// readHeader maps the columns of the header row n to fields. Unknown
// columns and missing required ones are reported by settle, once a second
// header row has had its chance to name them.
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
	t.header, t.headRow = true, n
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
		t.mapColumn(i, h, n)
	}
}

// mapColumn maps file column i, headed h, to its field; an unknown header
// stays colIgnored.
func (t *table) mapColumn(i int, h string, n int) {
	if !asciiOnly(h) {
		t.zh = true
	}
	ci, ok := t.spec.byHeader[normHeader(h)]
	if !ok {
		t.slotOf[i] = colIgnored
		return
	}
	c := &t.spec.cols[ci]
	if t.present[c.slot] {
		t.slotOf[i] = colDuplicate
		t.problem(chainscope.Problem{
			File: t.sheet.File, Sheet: t.sheet.Name, Row: n, Column: h, Value: h,
			Message: fmt.Sprintf("列 %s 与列 %s 重复 (%s): duplicate column", h, t.sheet.Columns[c.field], c.field),
		})
		return
	}
	t.present[c.slot], t.colOf[c.slot], t.slotOf[i] = true, c, int8(c.slot)
	t.sheet.Columns[c.field] = h
}

// known says whether header h names a column of the sheet's entity that no
// column maps yet.
func (t *table) known(h string) bool {
	ci, ok := t.spec.byHeader[normHeader(h)]
	return ok && !t.present[t.spec.cols[ci].slot]
}

// subHeader reads cells, the row right below the header, as the second row
// of a two-row header when it is one: the key columns are empty and at
// least one cell names a column the first row did not, by itself or joined
// under the merged cell above it (投资情况 over 总投资(亿元) and 其中…).
// Cells under a column the first row named are left alone.
func (t *table) subHeader(cells []string) bool {
	if !t.keysEmpty(cells) {
		return false
	}
	names := make([]string, len(cells))
	news := 0
	for i, raw := range cells {
		c := strings.TrimSpace(t.unquote(raw))
		if c == "" || i < len(t.slotOf) && t.slotOf[i] >= 0 {
			continue
		}
		parent := t.groupOver(i)
		switch {
		case t.known(c):
			names[i] = c
		case parent != "" && t.known(parent+c):
			names[i] = parent + c
		case parent != "":
			names[i] = parent + " " + c
		default:
			names[i] = c
		}
		if t.known(names[i]) {
			news++
		}
	}
	if news == 0 {
		return false
	}
	for len(t.slotOf) < len(cells) {
		t.slotOf = append(t.slotOf, colUnnamed)
		t.heads = append(t.heads, "")
	}
	for i, h := range names {
		if h != "" {
			t.heads[i] = h
			t.mapColumn(i, h, t.headRow+1)
		}
	}
	t.twoRows = true
	return true
}

// groupOver is the header of the merged cell above file column i: its own
// first-row header when that names no field, else the nearest such header
// to its left across empty first-row cells; "" when there is none.
func (t *table) groupOver(i int) string {
	for j := min(i, len(t.heads)-1); j >= 0; j-- {
		if t.heads[j] != "" {
			if t.slotOf[j] == colIgnored {
				return t.heads[j]
			}
			return ""
		}
	}
	return ""
}

// hintSubHeader adds a hint to the first data row n when it looks like the
// second row of a merged header that could not be joined: its key is empty
// and the first row has a header that names no field.
func (t *table) hintSubHeader(cells []string, n int) {
	if n != t.headRow+1 || t.twoRows || !slices.Contains(t.slotOf, colIgnored) || !t.keysEmpty(cells) {
		return
	}
	t.warn(n, "", "", fmt.Sprintf("第 %d 行的编号为空：若这一行是表头的第二行（合并单元格的表头），请把两行表头合并为一行，每列一个表头 "+
		"row %d has no key: if it is the second row of a two-row (merged) header, make the header one row with one header per column", n, n))
}

// keysEmpty says whether every key column of the sheet (the required
// ones; for enterprises id, USCC and name) is empty in cells.
func (t *table) keysEmpty(cells []string) bool {
	keys := t.spec.required
	if t.ent == entEnterprises {
		keys = []int{enID, enUSCC, enName}
	}
	for _, s := range keys {
		if i := slices.Index(t.slotOf, int8(s)); i >= 0 && i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			return false
		}
	}
	return true
}

// settle completes the header: it warns about the columns it ignores and
// reports the required ones it lacks (then no row is read).
func (t *table) settle() {
	t.settled = true
	n := t.headRow
	for i, h := range t.heads {
		if t.slotOf[i] == colIgnored {
			t.warn(n, h, "", fmt.Sprintf("未知的列，已忽略 unknown column %q ignored (%s)", h, t.spec.name))
		}
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
	if t.skip {
		t.rec.partial = true
	}
}

// Marks in table.slotOf for columns that feed no field.
const (
	colIgnored   = -1 // an unknown header, warned about once at the header row
	colUnnamed   = -2 // no header: warned about at its first non-empty cell
	colUnwarned  = -3 // no header, already warned about
	colDuplicate = -4 // a second column for a field, reported at the header
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
	switch {
	case !ok:
		t.problem(chainscope.ProblemAt(at, c.field, strings.TrimSpace(t.vals[s]), "%s (%s) 不是数字 not a number", t.sheet.Column(c.field), c.key))
	case v != nil && *v < 0:
		// Checked here, where the typed text and its unit are known: Build
		// sees only the 万元 (−1 亿元 is −10000).
		t.problem(chainscope.ProblemAt(at, c.field, strings.TrimSpace(t.vals[s]), "%s 不能为负数 amount must be a number ≥ 0", t.sheet.Column(c.field)))
		return nil
	}
	return v
}

func (t *table) boolean(s int, at chainscope.Origin) bool {
	c := t.colOf[s]
	if c == nil {
		return false
	}
	v, ok := ParseBool(t.vals[s])
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
		Chains: t.optList(ctChains), Source: t.text(ctSource), Note: t.text(ctNote), At: at,
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
		// Not kept: nothing can name it, and Build would report it again.
		t.problem(chainscope.ProblemAt(at, "id", "", "企业没有编号、统一社会信用代码或名称 enterprise has no id, uscc or name"))
		return
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

// optList is a list that is absent (nil) when its cell is empty: an
// optional list such as a county's chains.
func (t *table) optList(s int) []string {
	if l := t.list(s); len(l) > 0 {
		return l
	}
	return nil
}

// count reads a whole number ≥ 0; an empty cell is nil (not stated).
func (t *table) count(s int, at chainscope.Origin) *int {
	c := t.colOf[s]
	if c == nil {
		return nil
	}
	text := strings.TrimSpace(t.vals[s])
	if text == "" || unknownAmounts[text] {
		return nil
	}
	num, ok := numberText(text)
	v, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<31 {
		t.problem(chainscope.ProblemAt(at, c.field, text, "%s (%s) 不是整数 not a whole number", t.sheet.Column(c.field), c.key))
		return nil
	}
	if v < 0 {
		t.problem(chainscope.ProblemAt(at, c.field, text, "%s 不能为负数 count must be ≥ 0", t.sheet.Column(c.field)))
		return nil
	}
	n := int(v)
	return &n
}

// addLead reads a lead: its seven… six date columns become its dates.
func (t *table) addLead(at chainscope.Origin) {
	l := chainscope.Lead{
		ID: t.key(ldID), Name: t.text(ldName), USCC: t.key(ldUSCC), Enterprise: t.key(ldEnterprise),
		County: t.key(ldCounty), Segments: t.list(ldSegments), Stage: parseLeadStage(t.vals[ldStage]),
		Project: t.key(ldProject), Owner: t.text(ldOwner), Reason: t.text(ldReason),
		Source: t.text(ldSource), Note: t.text(ldNote), At: at,
	}
	for i, st := range chainscope.LeadStages {
		if d := t.date(leadDateSlot(i)); d != "" {
			if l.Dates == nil {
				l.Dates = map[string]string{}
			}
			l.Dates[string(st)] = d
		}
	}
	t.rec.Leads = append(t.rec.Leads, l)
}

func (t *table) addReport(at chainscope.Origin) {
	t.rec.Reports = append(t.rec.Reports, chainscope.Report{
		Area: t.key(rpArea), From: t.date(rpFrom), To: t.date(rpTo),
		SignedProjects: t.count(rpSigned, at), InvestmentWan: t.amount(rpInvestment, at),
		EmergingProjects: t.count(rpEmerging, at), StartedProjects: t.count(rpStarted, at),
		DueProjects: t.count(rpDue, at), TargetWan: t.amount(rpTarget, at),
		Source: t.text(rpSource), Note: t.text(rpNote), At: at,
	})
}
