package dataset

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chainscope"
)

// These tests feed the readers input shaped as county offices type it
// (SPEC §3; issue 11): workbooks with their own sheet names, merged headers,
// typos in cells, no region sheet; zips made by Windows; JSON with a word
// where a number belongs.

// sheetRows is one sheet of a test workbook: its name, rows and merged
// ranges ("C1:D1").
type sheetRows struct {
	name   string
	rows   [][]any
	merges []string
}

// orderedWorkbook builds a workbook with the sheets in order.
func orderedWorkbook(t testing.TB, sheets ...sheetRows) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range s.merges {
			from, to, _ := strings.Cut(m, ":")
			if err := f.MergeCell(s.name, from, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// officerSheets is a workbook as an officer keeps it: no 地区 sheet, the
// projects in a sheet named 项目台账, and one mistake of each kind.
func officerSheets() []sheetRows {
	return []sheetRows{
		{name: "县区", rows: [][]any{{"代码", "名称", "类型"}, {"140827", "垣曲县", "县"}, {"140802", "盐湖区", "区"}}},
		{name: "产业链", rows: [][]any{{"产业链编号", "产业链名称"}, {"battery", "新能源电池"}}},
		{name: "环节", rows: [][]any{{"环节编号", "产业链编号", "环节名称", "位置"},
			{"battery.coke", "battery", "锻后焦", "上游"}, {"battery.anode", "battery", "负极材料", "中游"}}},
		{name: "企业", rows: [][]any{{"企业编号", "企业名称", "统一社会信用代码", "所在县区", "所属环节", "年产值(万元)"},
			{"E-001", "山西正弘新能源材料有限公司", nil, "140827", "battery.coke", 1200},
			{"E-002", "运城负极材料有限公司", "91140800MA0KABCD1X", "140802", "battery.anode", nil},
			{"E-002", "运城负极材料二厂", nil, "140802", "battery.anode", nil}}},
		{name: "项目台账", rows: [][]any{{"运城市2024年招商项目台账"},
			{"项目编号", "项目名称", "投资主体", "所在县区", "所属环节", "总投资(亿元)", "签约日期", "项目状态", "战略性新兴产业"},
			{"P-1", "年产7万吨锂电池材料项目", "E-001", "140827", "battery.coke", "约3", "2024-03-15", "签约", "是"},
			{"P-2", "负极材料二期", "E-001", "140802", "battery.anode", -1, "2024-02-30", "开工", "否"},
			{"P-3", "石墨化项目", "E-001", "140802", "battery.anode", 2, "2024-01-10", "签约", "也许"}}},
		{name: "供需关系", rows: [][]any{{"上游", "下游", "产品"},
			{"E-404", "E-001", "锻后焦"}, {"E-001", "E-001", "锻后焦"}, {"E-001", "P-1", "锻后焦"}}},
	}
}

// hasProblem finds the problem at file, sheet, row and column naming value.
func hasProblem(probs []chainscope.Problem, file, sheet string, row int, column, value, words string) bool {
	for _, p := range probs {
		if p.File == file && p.Sheet == sheet && p.Row == row && p.Column == column && p.Value == value && strings.Contains(p.Message, words) {
			return true
		}
	}
	return false
}

func TestOfficerWorkbookEveryProblemAtOnce(t *testing.T) {
	data := orderedWorkbook(t, officerSheets()...)
	rec, read := ReadXLSXFrom(bytes.NewReader(data), "officer.xlsx")
	ds, probs := Check(nil, rec, read, ModeReplace)
	if ds != nil {
		t.Fatal("a dataset with problems was built")
	}
	const f = "officer.xlsx"
	want := []struct {
		sheet  string
		row    int
		column string
		value  string
		words  string
	}{
		// the readers' problems: the value as typed, the column as headed
		{"项目台账", 3, "总投资(亿元)", "约3", "not a number"},
		{"项目台账", 4, "总投资(亿元)", "-1", "≥ 0"},
		{"项目台账", 5, "战略性新兴产业", "也许", "boolean"},
		// Build's, in the same run
		{"企业", 3, "统一社会信用代码", "91140800MA0KABCD1X", "USCC"},
		{"企业", 4, "企业编号", "E-002", "duplicate"},
		{"项目台账", 4, "签约日期", "2024-02-30", "date"},
		{"供需关系", 2, "上游", "E-404", "unknown"},
		{"供需关系", 3, "下游", "E-001", "self-link"},
	}
	for _, w := range want {
		if !hasProblem(probs, f, w.sheet, w.row, w.column, w.value, w.words) {
			t.Errorf("no problem [%s] row %d column %s value %q (%s) in\n%s", w.sheet, w.row, w.column, w.value, w.words, problemList(probs))
		}
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d (no follow-on problem about P-1, whose amount is unknown):\n%s", len(probs), len(want), problemList(probs))
	}
	// The region was inferred from the county codes and said so.
	if rec.Region == nil || *rec.Region != (chainscope.Region{Code: "140800", Name: "运城市"}) {
		t.Errorf("region %+v", rec.Region)
	}
	if !hasWarning(rec.Warnings, "140800 运城市") || !hasWarning(rec.Warnings, "recognised by its header as projects") {
		t.Errorf("warnings %v", rec.Warnings)
	}
}

func problemList(probs []chainscope.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func hasWarning(ws []chainscope.Problem, words string) bool {
	for _, w := range ws {
		if strings.Contains(w.String(), words) {
			return true
		}
	}
	return false
}

// TestOfficerWorkbookValid: the same workbook with its mistakes fixed is
// valid, read by its header, with the region inferred.
func TestOfficerWorkbookValid(t *testing.T) {
	sheets := officerSheets()
	sheets[3].rows = sheets[3].rows[:3]
	sheets[3].rows[2][2] = nil
	p := sheets[4].rows
	p[2][5], p[3][5], p[3][6], p[4][8] = "3", 0.5, "2024/2/29", "√"
	sheets[5].rows = [][]any{{"上游", "下游", "产品"}, {"E-002", "E-001", "负极"}, {"E-001", "P-1", "锻后焦"}}
	rec, read := ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, sheets...)), "officer.xlsx")
	ds, probs := Check(nil, rec, read, ModeReplace)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", problemList(probs))
	}
	if len(ds.Projects) != 3 || *ds.Projects[0].InvestmentWan != 30000 || *ds.Projects[1].InvestmentWan != 5000 ||
		ds.Projects[1].Signed != "2024-02-29" || !ds.Projects[2].Emerging {
		t.Errorf("projects %+v", ds.Projects)
	}
	if ds.Region != (chainscope.Region{Code: "140800", Name: "运城市"}) {
		t.Errorf("region %+v", ds.Region)
	}
}

func TestTwoRowMergedHeader(t *testing.T) {
	header := sheetRows{name: "项目台账", merges: []string{"A1:A2", "B1:B2", "C1:D1", "E1:E2"}, rows: [][]any{
		{"项目编号", "项目名称", "投资情况", nil, "签约日期"},
		{nil, nil, "总投资(亿元)", "其中：固定资产投资", nil},
		{"P-1", "年产7万吨锂电池材料项目", 3, 2.5, "2024-03-15"},
	}}
	rec, probs := ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, header)), "ledger.xlsx")
	if len(probs) > 0 {
		t.Fatalf("problems %v", probs)
	}
	if len(rec.Projects) != 1 || rec.Projects[0].InvestmentWan == nil || *rec.Projects[0].InvestmentWan != 30000 || rec.Projects[0].At.Row != 3 {
		t.Fatalf("projects %+v", rec.Projects)
	}
	if got := rec.Projects[0].At.Sheet.Column("investment_wan"); got != "总投资(亿元)" {
		t.Errorf("investment column %q", got)
	}
	if !hasWarning(rec.Warnings, "投资情况 其中：固定资产投资") {
		t.Errorf("the joined unknown column is not warned about: %v", rec.Warnings)
	}

	// A second row that names nothing known cannot be joined: the hint
	// says it belongs to the header.
	header.rows[1] = []any{nil, nil, "合计", "其中：固定资产投资", nil}
	rec, probs = ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, header)), "ledger.xlsx")
	_, probs = Check(nil, rec, probs, ModeReplace)
	if !hasWarning(rec.Warnings, "row 2 has no key: if it is the second row of a two-row (merged) header") {
		t.Errorf("no hint: warnings %v problems %v", rec.Warnings, probs)
	}

	// An extra column and a first row with its key is no header at all.
	plain := sheetRows{name: "企业", rows: [][]any{{"企业名称", "联系人", "所在县区"}, {"山西正弘", "张三", "140827"}, {"运城负极", "", "140802"}}}
	rec, probs = ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, plain)), "e.xlsx")
	if len(probs) > 0 || len(rec.Enterprises) != 2 || len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0].Message, "unknown column") {
		t.Errorf("problems %v, %d enterprises, warnings %v", probs, len(rec.Enterprises), rec.Warnings)
	}
}

func TestWorkbookWithoutKnownSheet(t *testing.T) {
	data := orderedWorkbook(t,
		sheetRows{name: "Sheet1", rows: [][]any{{"序号", "备注"}, {1, "x"}}},
		sheetRows{name: "备忘", rows: [][]any{{"编号", "名称"}, {"a", "b"}}}) // fits several tables: not guessed
	rec, probs := ReadXLSXFrom(bytes.NewReader(data), "book.xlsx")
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "「Sheet1」「备忘」") || probs[0].File != "book.xlsx" {
		t.Fatalf("problems %v", probs)
	}
	if !hasWarning(rec.Warnings, "cannot tell the sheet from its header") {
		t.Errorf("warnings %v", rec.Warnings)
	}
	if _, all := Check(nil, rec, probs, ModeReplace); len(all) != 1 {
		t.Errorf("Build ran on a workbook read as nothing: %v", all)
	}
}

func TestHeaderOnlySheets(t *testing.T) {
	head := []any{"项目编号", "项目名称", "投资主体", "所在县区"}
	// Recognised by its header only, and empty: an error.
	_, probs := ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, sheetRows{name: "项目台账", rows: [][]any{head}})), "a.xlsx")
	if len(probs) != 1 || probs[0].Sheet != "项目台账" || probs[0].Row != 1 || !strings.Contains(probs[0].Message, "no data row") {
		t.Errorf("problems %v", probs)
	}
	// Named 项目, as an export of a dataset without projects writes it: a warning.
	rec, probs := ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, sheetRows{name: "项目", rows: [][]any{head}})), "b.xlsx")
	if len(probs) != 0 || !hasWarning(rec.Warnings, "header only") {
		t.Errorf("problems %v warnings %v", probs, rec.Warnings)
	}
}

func TestCSVFolderOfficerNames(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"县区.csv":       "代码,名称,类型\n140827,垣曲县,县\n",
		"2024项目台账.csv": "\uFEFF项目编号,项目名称,所在县区,总投资(亿元),签约日期,项目状态\nP-1,项目一,140827,−1,2024-02-30,签约\nP-2,项目二,140827,约3,2024-03-01,签约\n",
		"说明.txt":       "not a table",
	})
	rec, read := ReadCSV(dir)
	_, probs := Check(nil, rec, read, ModeReplace)
	file := filepath.Join(dir, "2024项目台账.csv")
	for _, w := range []struct {
		row           int
		column, value string
	}{{2, "总投资(亿元)", "−1"}, {2, "签约日期", "2024-02-30"}, {3, "总投资(亿元)", "约3"}} {
		if !hasProblem(probs, file, "projects", w.row, w.column, w.value, "") {
			t.Errorf("no problem row %d %s %q in\n%s", w.row, w.column, w.value, problemList(probs))
		}
	}
	if len(probs) != 3 {
		t.Errorf("problems:\n%s", problemList(probs))
	}

	// A folder with no table at all lists what it holds.
	dir = writeFiles(t, map[string]string{"台账.csv": "甲,乙\n1,2\n", "说明.txt": "x"})
	_, read = ReadCSV(dir)
	if len(read) != 1 || !strings.Contains(read[0].Message, "「台账.csv」「说明.txt」") {
		t.Errorf("problems %v", read)
	}
}

func TestWindowsZipNames(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range []struct{ name, body string }{
		{"数据/县区.csv", "代码,名称,类型\n140827,垣曲县,县\n"},
		{"数据/项目台账.csv", "项目编号,项目名称,所在县区,总投资(万元)\nP-1,项目一,140827,十亿\n"},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: gbkName(t, f.name), NonUTF8: true, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.body))
	}
	zw.Close()
	rec, read := ReadCSVZip(bytes.NewReader(b.Bytes()), int64(b.Len()), "导出.zip")
	if len(rec.Counties) != 1 || len(rec.Projects) != 1 {
		t.Fatalf("records %+v %+v, problems %v", rec.Counties, rec.Projects, read)
	}
	if !hasProblem(read, "导出.zip/数据/项目台账.csv", "projects", 2, "总投资(万元)", "十亿", "not a number") {
		t.Errorf("problems %v", read)
	}

	// Nothing recognised: the entries are listed, their names decoded.
	b.Reset()
	zw = zip.NewWriter(&b)
	for _, n := range []string{"备忘.csv", "说明.docx"} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: gbkName(t, n), NonUTF8: true})
		w.Write([]byte("甲,乙\n1,2\n"))
	}
	zw.Close()
	_, read = ReadCSVZip(bytes.NewReader(b.Bytes()), int64(b.Len()), "导出.zip")
	if len(read) != 1 || !strings.Contains(read[0].Message, "「备忘.csv」「说明.docx」") {
		t.Errorf("problems %v", read)
	}
}

// gbkName is a zip entry name as Chinese Windows writes it.
func gbkName(t testing.TB, s string) string { return gbk(t, s) }

func TestJSONTypedValues(t *testing.T) {
	doc := `{
  "region": {"code": "140800", "name": "运城市"},
  "counties": [{"code": "140827", "name": "垣曲县", "kind": "county"}],
  "chains": [],
  "enterprises": [{"id": "E-1", "name": 17, "county": "140827", "segments": [], "leader_of": []}],
  "projects": [{"id": "P-1", "name": "项目", "county": "140827", "segments": [], "investment_wan": "十亿",
                "signed": "2024-03-15", "status": "signed", "emerging": "是"}],
  "links": [{"from": "E-1", "to": "P-1", "product": "x"}]
}`
	rec, read := ReadJSON(strings.NewReader(doc), "d.json")
	_, probs := Check(nil, rec, read, ModeReplace)
	if !hasProblem(probs, "d.json", "projects", 6, "investment_wan", "十亿", "P-1") ||
		!hasProblem(probs, "d.json", "projects", 6, "emerging", "是", "P-1") ||
		!hasProblem(probs, "d.json", "enterprises", 5, "name", "17", "E-1") {
		t.Errorf("problems:\n%s", problemList(probs))
	}
	if len(probs) != 3 { // the link finds both its ends; the name is not also "missing"
		t.Errorf("problems:\n%s", problemList(probs))
	}
}

func TestFillRegion(t *testing.T) {
	counties := func(codes ...string) *Records {
		r := &Records{}
		for _, c := range codes {
			kind := chainscope.KindCounty
			if strings.HasPrefix(c, "Z") {
				kind = chainscope.KindZone
			}
			r.Counties = append(r.Counties, chainscope.County{Code: c, Kind: kind})
		}
		return r
	}
	stored := &chainscope.Region{Code: "140800", Name: "运城市（库）"}
	for _, tc := range []struct {
		name   string
		in     *Records
		stored *chainscope.Region
		want   chainscope.Region
		fails  bool
	}{
		{"stored kept", counties("140827"), stored, *stored, false},
		{"one city", counties("140802", "140827", "Z1"), nil, chainscope.Region{Code: "140800", Name: "运城市"}, false},
		{"one province", counties("140802", "140105"), &chainscope.Region{}, chainscope.Region{Code: "140000", Name: "山西省"}, false},
		{"two provinces", counties("140802", "110105"), nil, chainscope.Region{}, true},
		{"not GB/T 2260", counties("140802", "YQ"), nil, chainscope.Region{}, true},
		{"only zones", counties("Z1"), nil, chainscope.Region{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := FillRegion(tc.in, tc.stored)
			if tc.fails {
				if len(probs) != 1 || tc.in.Region != nil || !strings.Contains(probs[0].Message, "missing region") {
					t.Errorf("region %+v problems %v", tc.in.Region, probs)
				}
				// Check says it once, not again as Build's bare "missing region".
				if _, all := Check(nil, tc.in, nil, ModeReplace); countWith(all, "region") != 1 {
					t.Errorf("problems %v", all)
				}
				return
			}
			if len(probs) > 0 || tc.in.Region == nil || *tc.in.Region != tc.want {
				t.Errorf("region %+v problems %v", tc.in.Region, probs)
			}
			if inferred := tc.stored == nil || tc.stored.Code == ""; inferred != hasWarning(tc.in.Warnings, "inferred from the county codes") {
				t.Errorf("warnings %v", tc.in.Warnings)
			}
		})
	}
	// A workbook without counties: the problem names the file.
	rec, read := ReadXLSXFrom(bytes.NewReader(orderedWorkbook(t, sheetRows{name: "项目", rows: [][]any{{"项目编号", "项目名称", "项目状态"}, {"P-1", "x", "签约"}}})), "p.xlsx")
	if _, probs := Check(nil, rec, read, ModeReplace); !hasProblem(probs, "p.xlsx", "地区", 0, "", "", "there are no counties") {
		t.Errorf("problems %v", probs)
	}
	// A region of the records is left alone.
	r := counties("140827")
	r.Region = &chainscope.Region{Code: "140800", Name: "运城"}
	if FillRegion(r, stored); r.Region.Name != "运城" {
		t.Errorf("region %+v", r.Region)
	}
}

func countWith(probs []chainscope.Problem, words string) int {
	n := 0
	for _, p := range probs {
		if strings.Contains(p.Message, words) {
			n++
		}
	}
	return n
}

// TestReadPathSniffs: a file without a known extension (gen -o data) is
// read by its content.
func TestReadPathSniffs(t *testing.T) {
	dir := t.TempDir()
	ds := tabularDataset()
	var js bytes.Buffer
	if err := WriteJSON(&js, ds); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"data": js.Bytes(), "book": xlsxBytes(t, ds), "data.txt": js.Bytes()}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, probs := ReadPath(p)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", name, probs)
		}
		if len(rec.Enterprises) != len(ds.Enterprises) {
			t.Errorf("%s: %d enterprises", name, len(rec.Enterprises))
		}
	}
	var gm bytes.Buffer
	if err := WriteGraphML(&gm, ds); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "graph")
	os.WriteFile(p, gm.Bytes(), 0o644)
	if _, probs := ReadPath(p); len(probs) != 1 || !strings.Contains(probs[0].Message, "GraphML is an export") {
		t.Errorf("graphml: %v", probs)
	}
}
