// Package gapbook writes the 补链清单 workbook (gaps.xlsx): for one area,
// the gap targets with their candidates, the project impact ranking, the
// 延链建议 and what the figures mean, as an Excel workbook in Chinese or
// English, laid out to print (landscape A4, one page wide, the header row
// on every page). The server serves it at GET /api/v1/gaps.xlsx.
package gapbook

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/graph"
)

// Report is what the gap workbook shows of one area: for each chain
// (one, or every chain in dataset order) its gap targets and its project
// impact ranking, as GET /api/v1/analysis reports them, and the 延链建议
// of the area's county (SPEC §11).
type Report struct {
	ds          *chainscope.Dataset
	county      map[string]int    // county or zone code → position in ds.Counties
	chainAt     map[string]int    // chain id → position in ds.Chains
	segment     map[string][2]int // segment id → {chain position, segment position}
	version     int64
	area        string
	chain       string // "" for every chain
	suggestions int    // 延链建议 per county
	chains      []gapChain
	related     []*graph.Relatedness // 延链建议 of the report's county, or of each county for *
}

// gapChain is one chain's part of a gap report.
type gapChain struct {
	chain      *chainscope.Chain
	notPursued bool // the county develops other chains (未布局, SPEC §5): no gaps listed
	targets    []graph.GapTarget
	impact     []graph.ProjectImpact
}

// New checks the area ("*" for the whole region) and the chain (every
// chain when chain is "") of the report on ds at data version version
// and lists the chains it covers, not yet analysed. An unknown area or
// chain is chainscope.ENOTFOUND, as graph reports it.
func New(ds *chainscope.Dataset, version int64, area, chain string) (*Report, error) {
	r := &Report{ds: ds, version: version, area: area, chain: chain,
		county: make(map[string]int, len(ds.Counties)), chainAt: make(map[string]int, len(ds.Chains)), segment: map[string][2]int{}}
	for i, c := range ds.Counties {
		r.county[c.Code] = i
	}
	for i, c := range ds.Chains {
		r.chainAt[c.ID] = i
		for j, s := range c.Segments {
			r.segment[s.ID] = [2]int{i, j}
		}
	}
	if _, ok := r.county[area]; !ok && area != graph.AllAreas {
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知的县区 %q", "unknown area %q", area)
	}
	pf := graph.NewPortfolio(ds)
	for i := range ds.Chains {
		if ch := &ds.Chains[i]; chain == "" || ch.ID == chain {
			r.chains = append(r.chains, gapChain{chain: ch, notPursued: !pf.Pursues(area, ch.ID)})
		}
	}
	if chain != "" && len(r.chains) == 0 {
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知的产业链 %q", "unknown chain %q", chain)
	}
	return r, nil
}

// Analyse fills in each chain's gap targets (graph.DefaultTargets
// candidates per segment) and project impact ranking, the gap_targets and
// project_impact of GET /api/v1/analysis, and the best suggestions 延链建议
// of the area's county, or of every county for the whole region. ix is
// the analysis index of the report's dataset.
func (r *Report) Analyse(ix *graph.Index, suggestions int) error {
	r.suggestions = suggestions
	open := graph.NewOpenLeads(r.ds, r.area)
	for i := range r.chains {
		gc := &r.chains[i]
		var err error
		if !gc.notPursued {
			if gc.targets, err = ix.GapTargets(r.area, gc.chain.ID, graph.DefaultTargets); err != nil {
				return err
			}
			graph.MarkTargets(gc.targets, open)
		}
		if gc.impact, err = ix.ProjectImpact(r.area, gc.chain.ID); err != nil {
			return err
		}
	}
	for _, code := range r.relatedCounties() {
		rel, err := ix.Related(code, r.chain, suggestions)
		if err != nil {
			return err
		}
		r.related = append(r.related, rel)
	}
	return nil
}

// relatedCounties are the counties whose 延链建议 (SPEC §11) the report
// lists: for *, every county in dataset order; for a county, itself; for a
// zone, the county it lies in (a zone has no suggestions of its own, its
// records count for its county).
func (r *Report) relatedCounties() []string {
	ds := r.ds
	if r.area == graph.AllAreas {
		var out []string
		for _, c := range ds.Counties {
			if c.Kind != chainscope.KindZone {
				out = append(out, c.Code)
			}
		}
		return out
	}
	code := r.area
	for range len(ds.Counties) { // a zone's parent may be a zone; never loop forever
		i, ok := r.county[code]
		if !ok {
			return nil
		}
		if ds.Counties[i].Kind != chainscope.KindZone {
			return []string{code}
		}
		code = ds.Counties[i].Parent
	}
	return nil
}

// segmentName names a segment id, or gives the id when it is unknown.
func (r *Report) segmentName(id string) string {
	if at, ok := r.segment[id]; ok {
		return r.ds.Chains[at[0]].Segments[at[1]].Name
	}
	return id
}

// chainNameOf names a chain id, or gives the id when it is unknown.
func (r *Report) chainNameOf(id string) string {
	if i, ok := r.chainAt[id]; ok {
		return r.ds.Chains[i].Name
	}
	return id
}

// countyName names a county or zone code as the web app does: the
// region's own code (or none) is the region, an unknown code itself.
func (r *Report) countyName(code string) string {
	ds := r.ds
	if code == "" || code == ds.Region.Code {
		return ds.Region.Name
	}
	if i, ok := r.county[code]; ok {
		return ds.Counties[i].Name
	}
	return code
}

// areaName names the report's area, "*" as the whole region: 全省 for a
// province, 全市 otherwise (chainscope.Region.Level).
func (r *Report) areaName(w *gapWords) string {
	if r.area == graph.AllAreas {
		if r.ds.Region.Level() == chainscope.LevelProvince {
			return w.allProvince
		}
		return w.allAreas
	}
	return r.countyName(r.area)
}

// chainName names the report's chain, or says it covers every chain.
func (r *Report) chainName(w *gapWords) string {
	if r.chain == "" {
		return w.allChains
	}
	return r.chains[0].chain.Name
}

// unsafeFileChars are what the web app's download names replace
// (static/download.js): path separators, characters Windows refuses,
// spaces and control characters.
var unsafeFileChars = regexp.MustCompile(`[\\/:*?"<>|\s\x00-\x1f\x7f]+`)

// FileName is the workbook's name in lang ("en" English, otherwise
// Chinese) as the web app names its CSV: 补链清单-垣曲县-新能源电池.xlsx.
func (r *Report) FileName(lang string) string {
	return r.fileName(wordsOf(lang))
}

func (r *Report) fileName(w *gapWords) string {
	name := strings.Join([]string{w.fileName, r.areaName(w), r.chainName(w)}, "-")
	return unsafeFileChars.ReplaceAllString(name, "_") + ".xlsx"
}

// ASCIIFileName is the name for clients that do not read RFC 5987
// names: gaps-140827-battery.xlsx, from codes and ids only (any other
// byte an underscore).
func (r *Report) ASCIIFileName() string {
	area, chain := r.area, r.chain
	if area == graph.AllAreas {
		area = "all"
	}
	if chain == "" {
		chain = "all-chains"
	}
	return asciiName("gaps-"+area+"-"+chain) + ".xlsx"
}

// gapWords are the workbook's words in one language: sheet names,
// headers, and the words the web app's gap view uses for statuses, stages
// and reasons (static/i18n.js), so the file reads like the page.
type gapWords struct {
	lang                           string // the document's language tag
	gapsSheet, impactSheet, about  string
	relatedSheet                   string
	gapHeads, impactHeads          []string
	relatedHeads                   []string
	aboutHeads                     []string
	allAreas, allProvince          string // the whole region of a city, of a province
	allChains, yes                 string
	notPursued                     string // a chain the county does not develop (未布局)
	fileName                       string
	sep, colon                     string // between list items; between a name and its value
	segment                        map[graph.Status]string
	reason                         map[graph.Reason]string
	region, area, chain, version   string // About labels
	generated, statuses            string
	candidates, ranking            string
	statusNote, candNote, rankNote string
	related, relatedNote           string
	proximity                      string // a because segment and its proximity: 负极材料（0.8）
}

// label writes a stage or status word (chainscope's Text) as a cell: in
// English with a capital letter, as the workbook's other cells are.
func (w *gapWords) label(s string) string {
	if w.lang == "en" && s != "" {
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// wordsOf is the workbook's words in lang: English for "en", otherwise Chinese.
func wordsOf(lang string) *gapWords {
	if lang == "en" {
		return gapEN
	}
	return gapZH
}

var gapZH = &gapWords{
	lang:      "zh-CN",
	gapsSheet: "补链清单", impactSheet: "项目影响排名", about: "说明", relatedSheet: "延链建议",
	gapHeads: []string{"县区", "产业链", "环节", "位置", "状态", "断链", "在谈线索", "候选序号", "候选企业", "候选编号", "候选所在县区", "推荐分", "推荐理由"},
	impactHeads: []string{"产业链", "排名", "项目", "项目编号", "县区", "状态", "投资（亿元）",
		"补缺链", "强薄弱", "完整度提升", "关键节点影响减少", "环节变化"},
	aboutHeads:   []string{"事项", "内容"},
	relatedHeads: []string{"县区", "建议环节", "产业链", "密度", "依据"},
	allAreas:     "全市", allProvince: "全省", allChains: "全部产业链", yes: "是", notPursued: "未布局",
	fileName: "补链清单",
	sep:      "；", colon: "：",
	segment: map[graph.Status]string{graph.Missing: "缺链", graph.Weak: "薄弱", graph.OK: "正常"},
	reason:  map[graph.Reason]string{graph.ReasonSingle: "单一主体", graph.ReasonPlannedOnly: "仅规划"},
	region:  "地区", area: "范围", chain: "产业链", version: "数据版本", generated: "生成时间",
	statuses: "环节状态", candidates: "候选与推荐分", ranking: "项目影响排名",
	statusNote: "缺链：本区域没有企业或项目列在该环节；断链：缺链，且其上游和下游环节都有本区域的企业或项目，链条在此中断；" +
		"薄弱：只有一家（单一主体），或没有一家已投产（仅规划）。终止的项目不计。在谈线索：本区域尚未签约也未放弃、会带来该缺链环节的招商线索数。" +
		"未布局：县区列明了主导产业链而不含此链，此链的缺口不计入该县区。",
	candNote: "候选是本地区内、本县区以外列在该环节的企业和未终止的项目，每个环节列推荐分最高的前 %d 个（整个地区范围没有区外候选）。" +
		"推荐分 0–100：已向本区域供货 35，在产 20，链主 15，本链供需伙伴 15（10 个为满分），年产值 15（100 亿元为满分）。",
	rankNote: "签约和在建的项目，比较“项目落空”与“项目投产”两种情形：按补上的缺链数，再按薄弱转正常的环节数、完整度提升、" +
		"关键节点影响减少，最后按投资额排序。投资为空表示未知。",
	related: "延链建议",
	relatedNote: "密度（0–1）：常与该环节出现在同一县区的环节中，本县区已有的比重（按接近度加权）；接近度：本地区各县区中两个环节都有的县区数" +
		" ÷ 两者各自所在县区数中较大者。密度描述的是本地区数据中哪些环节常在一起，不是预测。每个县区列本县区尚无、密度最高的前 %d 个环节，" +
		"依据为本县区已有、与之接近度最高的至多 3 个环节（括号内为接近度）。",
	proximity: "%s（%s）",
}

var gapEN = &gapWords{
	lang:      "en",
	gapsSheet: "Gaps", impactSheet: "Project impact", about: "About", relatedSheet: "Extend",
	gapHeads: []string{"Area", "Chain", "Segment", "Stage", "Status", "Broken", "Open leads", "Candidate rank", "Candidate", "Candidate id",
		"Candidate county", "Score", "Reasons"},
	impactHeads: []string{"Chain", "Rank", "Project", "Project id", "County", "Status", "Investment (CNY m)",
		"Fills", "Weak→OK", "Completeness gain", "Cut-node impact removed", "Segment changes"},
	aboutHeads:   []string{"Item", "Value"},
	relatedHeads: []string{"Area", "Suggested segment", "Chain", "Density", "Because"},
	allAreas:     "Whole city", allProvince: "Whole province", allChains: "All chains", yes: "yes", notPursued: "Not pursued",
	fileName: "gap-report",
	sep:      "; ", colon: ": ",
	segment: map[graph.Status]string{graph.Missing: "Missing", graph.Weak: "Weak", graph.OK: "OK"},
	reason:  map[graph.Reason]string{graph.ReasonSingle: "single holder", graph.ReasonPlannedOnly: "planned only"},
	region:  "Region", area: "Area", chain: "Chain", version: "Data version", generated: "Generated",
	statuses: "Segment status", candidates: "Candidates and score", ranking: "Project impact",
	statusNote: "Missing: nothing in the area lists the segment; broken: missing while segments upstream and downstream of it are held in the area; " +
		"weak: one holder only (single holder) or none operating (planned only). Cancelled projects do not count. " +
		"Open leads: the area's leads neither signed nor dropped that would bring a missing segment. " +
		"Not pursued: the county lists the chains it develops and not this one; its gaps here do not count for the county.",
	candNote: "Candidates are the enterprises and live projects elsewhere in the region that list the segment, the best %d per segment " +
		"(the whole region has nothing outside it). Score 0–100: already supplies into the area 35, operating 20, chain leader 15, " +
		"supply partners in the chain 15 (full at 10), annual output 15 (full at CNY 10 bn).",
	rankNote: "Signed and started projects, comparing the scope without the project with the scope where it operates: ranked by missing " +
		"segments filled, then weak segments made OK, completeness gain, cut-node impact removed, and investment. An empty investment is unknown.",
	related: "Extend",
	relatedNote: "Density (0–1): of the segments that usually sit in the same counties as this one, the share the county already holds, " +
		"weighted by proximity; proximity of two segments: the counties holding both ÷ the larger of the numbers of counties holding each. " +
		"Density describes which segments sit together in this region's data, not a forecast. Each county lists the %d segments it lacks " +
		"with the highest density; because: up to 3 segments it holds with the largest proximity (in brackets).",
	proximity: "%s (%s)",
}

// status is a gap's status as the web app writes it: 缺链, or 薄弱 with its
// reasons (薄弱·单一主体).
func (w *gapWords) status(st graph.Status, reasons []graph.Reason) string {
	if st != graph.Weak || len(reasons) == 0 {
		return w.segment[st]
	}
	parts := []string{w.segment[st]}
	for _, r := range reasons {
		parts = append(parts, w.reason[r])
	}
	return strings.Join(parts, "·")
}

// reasons writes a candidate's reasons in the workbook's language
// (graph.CandidateReason.Text, the one label of a reason).
func (w *gapWords) reasons(rs []graph.CandidateReason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Text(w.lang)
	}
	return strings.Join(parts, w.sep)
}

// amount is an amount in 万元 as the workbook's investment column holds
// it: 亿元 in Chinese, millions of yuan in English, the units of
// chainscope.FormatAmount, with the cell format amountFormat gives.
func (w *gapWords) amount(wan float64) float64 {
	if w.lang == "en" {
		return wan / 100
	}
	return wan / chainscope.WanPerYi
}

// amountFormat is the number format of the investment column: 亿元 with
// two decimals, or whole millions of yuan, grouped, as FormatAmount.
func (w *gapWords) amountFormat() string {
	if w.lang == "en" {
		return "#,##0"
	}
	return "#,##0.00"
}

// changes writes a project's segment changes: 正极材料：缺链→薄弱；…
func (w *gapWords) changes(cs []graph.SegmentChange) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Name + w.colon + w.segment[c.From] + "→" + w.segment[c.To]
	}
	return strings.Join(parts, w.sep)
}

// gapStyles are the cell styles of the workbook.
type gapStyles struct {
	head, score, share, wrap, density, amount int
}

// Workbook writes the analysed report as an xlsx workbook in lang ("en"
// English, otherwise Chinese), generated at now (written in the region's
// time, Asia/Shanghai). See workbook.
func (r *Report) Workbook(lang string, now time.Time) ([]byte, error) {
	return workbook(r, wordsOf(lang), now)
}

// workbook writes the gap report as an xlsx workbook in the words of w:
// the gap list (one row per candidate, a segment without candidates on a
// row of its own), the project impact ranking, and a sheet saying what the
// report covers and how its figures are defined. Every sheet has a bold,
// frozen header row. Names and other data are always string cells, never
// formulas, whatever they start with; counts, scores and amounts are numbers.
func workbook(r *Report, w *gapWords, now time.Time) (_ []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	var st gapStyles
	amountFormat := w.amountFormat()
	styles := []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.head, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8EEF4"}},
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&st.score, &excelize.Style{NumFmt: 2}},  // 0.00
		{&st.share, &excelize.Style{NumFmt: 10}}, // 0.00%
		{&st.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.density, &excelize.Style{CustomNumFmt: &densityFormat}},
		{&st.amount, &excelize.Style{CustomNumFmt: &amountFormat}},
	}
	for _, s := range styles {
		if *s.id, err = f.NewStyle(s.style); err != nil {
			return nil, fmt.Errorf("gap workbook style: %w", err)
		}
	}
	if err := f.SetSheetName(f.GetSheetName(0), w.gapsSheet); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	if _, err := f.NewSheet(w.impactSheet); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	if _, err := f.NewSheet(w.relatedSheet); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	if _, err := f.NewSheet(w.about); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	sheets := []struct {
		name   string
		heads  []string
		widths []float64
		rows   func(add func(...any) error) error
	}{
		{w.gapsSheet, w.gapHeads, []float64{12, 14, 16, 8, 18, 6, 8, 9, 32, 18, 14, 8, 70},
			func(add func(...any) error) error { return r.gapRows(w, &st, add) }},
		{w.impactSheet, w.impactHeads, []float64{14, 6, 36, 16, 14, 10, 14, 8, 8, 12, 12, 60},
			func(add func(...any) error) error { return r.impactRows(w, &st, add) }},
		{w.relatedSheet, w.relatedHeads, []float64{12, 20, 14, 8, 70},
			func(add func(...any) error) error { return r.relatedRows(w, &st, add) }},
		{w.about, w.aboutHeads, []float64{16, 100},
			func(add func(...any) error) error { return r.aboutRows(w, &st, now, add) }},
	}
	for _, sh := range sheets {
		if err := writeGapSheet(f, sh.name, sh.heads, sh.widths, st.head, sh.rows); err != nil {
			return nil, fmt.Errorf("gap workbook sheet %s: %w", sh.name, err)
		}
	}
	f.SetActiveSheet(0)
	title := strings.TrimSuffix(r.fileName(w), ".xlsx")
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "chainscope", Language: w.lang,
		Created: now.UTC().Format(time.RFC3339), Modified: now.UTC().Format(time.RFC3339)}); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("gap workbook: %w", err)
	}
	return b.Bytes(), nil
}

// writeGapSheet streams one sheet: column widths, the bold header row
// frozen above the data, then the rows rows adds. A string value is
// written as a string cell, never as a formula.
func writeGapSheet(f *excelize.File, name string, heads []string, widths []float64, headStyle int,
	rows func(add func(...any) error) error) error {
	if err := printLayout(f, name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(heads))
	for i, h := range heads {
		head[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	n := 1
	err = rows(func(vals ...any) error {
		n++
		if n > excelize.TotalRows {
			return fmt.Errorf("超过一张工作表的行数上限 more rows than a sheet holds (%d)", excelize.TotalRows)
		}
		for i, v := range vals {
			if s, ok := v.(string); ok && s == "" {
				vals[i] = nil // an empty cell rather than an empty string
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// printLayout sets how a sheet prints: landscape A4, as many pages
// high as it takes but one page wide, with the header row repeated on
// every page (the _xlnm.Print_Titles defined name).
func printLayout(f *excelize.File, sheet string) error {
	landscape, a4 := "landscape", 9
	wide, high := 1, 0
	fit := true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &a4,
		FitToWidth: &wide, FitToHeight: &high}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1"})
}

// regionTime is the time zone the workbook's 生成时间 is written in: the
// regions chainscope serves keep China Standard Time (Asia/Shanghai, UTC+8
// all year, no daylight saving since 1991), with a fixed UTC+8 when the
// system has no time zone data.
var regionTime = zoneOrCST("Asia/Shanghai")

// zoneOrCST loads the time zone name, or gives a fixed UTC+8 without
// the zone's data.
func zoneOrCST(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// gapRows adds the rows of the gap list: per chain, per gap target, one
// row per candidate (ranked from 1), or one row without a candidate.
func (r *Report) gapRows(w *gapWords, st *gapStyles, add func(...any) error) error {
	area := r.areaName(w)
	for _, gc := range r.chains {
		if gc.notPursued {
			if err := add(area, gc.chain.Name, "", "", w.notPursued); err != nil {
				return err
			}
			continue
		}
		for _, g := range gc.targets {
			broken := ""
			if g.Broken {
				broken = w.yes
			}
			var open any // none: an empty cell
			if g.OpenLeads > 0 {
				open = g.OpenLeads
			}
			base := []any{area, gc.chain.Name, g.Name, w.label(g.Stage.Text(w.lang)), w.status(g.Status, g.Reasons), broken, open}
			if len(g.Candidates) == 0 {
				if err := add(base...); err != nil {
					return err
				}
			}
			for k, cd := range g.Candidates {
				row := append(base[:len(base):len(base)], k+1, cd.Name, cd.ID, r.countyName(cd.County),
					excelize.Cell{StyleID: st.score, Value: cd.Score}, w.reasons(cd.Reasons))
				if err := add(row...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// impactRows adds the project impact ranking, chain by chain.
func (r *Report) impactRows(w *gapWords, st *gapStyles, add func(...any) error) error {
	for _, gc := range r.chains {
		for _, p := range gc.impact {
			var investment any // unknown: an empty cell, as the web app shows —
			if p.InvestmentWan != 0 {
				investment = excelize.Cell{StyleID: st.amount, Value: w.amount(p.InvestmentWan)}
			}
			err := add(gc.chain.Name, p.Rank, p.Name, p.ID, r.countyName(p.County), w.label(p.Status.Text(w.lang)), investment,
				p.Filled, p.WeakToOK, excelize.Cell{StyleID: st.share, Value: p.CompletenessGain}, p.CutImpactRemoved,
				w.changes(p.Changes))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// densityFormat shows a density with the 4 decimals SPEC §11 rounds it to.
var densityFormat = "0.0000"

// relatedRows adds the 延链建议: per county, its suggestions in the API's
// order, each with its density and the held segments it rests on.
func (r *Report) relatedRows(w *gapWords, st *gapStyles, add func(...any) error) error {
	for _, rel := range r.related {
		county := r.countyName(rel.Area)
		for _, sg := range rel.Suggestions {
			because := make([]string, len(sg.Because))
			for i, b := range sg.Because {
				because[i] = fmt.Sprintf(w.proximity, r.segmentName(b.Segment), strconv.FormatFloat(b.Proximity, 'f', -1, 64))
			}
			err := add(county, r.segmentName(sg.Segment), r.chainNameOf(sg.Chain),
				excelize.Cell{StyleID: st.density, Value: sg.Density}, strings.Join(because, w.sep))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// aboutRows adds what the report covers and how its figures are defined.
func (r *Report) aboutRows(w *gapWords, st *gapStyles, now time.Time, add func(...any) error) error {
	region := r.ds.Region
	area := r.areaName(w)
	if r.area != graph.AllAreas {
		area += " (" + r.area + ")"
	}
	chain := r.chainName(w)
	if r.chain != "" {
		chain += " (" + r.chain + ")"
	}
	note := func(s string) excelize.Cell { return excelize.Cell{StyleID: st.wrap, Value: s} }
	rows := [][]any{
		{w.region, region.Name + " (" + region.Code + ")"},
		{w.area, area},
		{w.chain, chain},
		{w.version, r.version},
		{w.generated, now.In(regionTime).Format("2006-01-02 15:04 Z07:00")},
		{w.statuses, note(w.statusNote)},
		{w.candidates, note(fmt.Sprintf(w.candNote, graph.DefaultTargets))},
		{w.ranking, note(w.rankNote)},
		{w.related, note(fmt.Sprintf(w.relatedNote, r.suggestions))},
	}
	for _, row := range rows {
		if err := add(row...); err != nil {
			return err
		}
	}
	return nil
}

// asciiName keeps letters, digits, dot, dash and underscore and replaces
// every other byte with an underscore.
func asciiName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
