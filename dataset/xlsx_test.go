package dataset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chainscope"
)

func xlsxBytes(t testing.TB, ds *chainscope.Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// workbook builds a workbook from sheets of rows; a value may be any type
// excelize.SetCellValue takes (a time.Time becomes a date cell).
func workbook(t testing.TB, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellValue(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestXLSXRoundTrip(t *testing.T) {
	ds := tabularDataset()
	data := xlsxBytes(t, ds)
	rec, probs := ReadXLSXFrom(bytes.NewReader(data), "export.xlsx")
	if len(probs) > 0 || len(rec.Warnings) > 0 {
		t.Fatalf("problems %v, warnings %v", probs, rec.Warnings)
	}
	sameRecords(t, rec, ds)
	checkOrigins(t, rec)
	if l := rec.Links[2]; l.At.Row != 4 || l.At.Sheet.Name != "供需关系" || l.At.Sheet.File != "export.xlsx" {
		t.Errorf("link 2 at %+v row %d", l.At.Sheet, l.At.Row)
	}

	// The same through a file, and the workbook's layout as officers see it.
	path := filepath.Join(t.TempDir(), "导出.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rec, probs = ReadXLSX(path)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	sameRecords(t, rec, ds)

	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"地区", "县区", "产业链", "环节", "环节关系", "企业", "项目", "供需关系"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	head, _ := f.GetRows("环节")
	if got := strings.Join(head[0], ","); got != "环节编号,产业链编号,环节名称,位置,来源,备注" {
		t.Errorf("segment headers %s", got)
	}
	// Hostile text is a string cell, never a formula.
	for i := range hostile {
		cell, _ := excelize.CoordinatesToCellName(3, i+2)
		formula, _ := f.GetCellFormula("供需关系", cell)
		typ, _ := f.GetCellType("供需关系", cell)
		if formula != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s = %q: formula %q, type %v", cell, hostile[i], formula, typ)
		}
	}
	// Amounts are numbers in 万元 when a number cell holds them exactly.
	if typ, _ := f.GetCellType("项目", "F2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("investment cell type %v", typ)
	}
	if v, _ := f.GetCellValue("项目", "F2", excelize.Options{RawCellValue: true}); v != "10000" {
		t.Errorf("investment %q", v)
	}
}

func TestReadXLSXValues(t *testing.T) {
	date := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	data := workbook(t, map[string][][]any{
		"Projects": {
			{"运城市招商项目台账"}, // a title above the header
			{"项目编号", "项目名称", "总投资（亿元）", "签约日期", "开工日期", "战略性新兴产业", "项目状态", "联系人"},
			{"P1", "项目一", 1.5, date, "2024/4/1", true, "在建", "张三"},
			nil, // an empty row is counted
			{"P2", "项目二", "0.07", "2024年3月15日", 45383, "否", "投产"},
			{"P3", "项目三", nil, "2024-13-01", nil, 1, "operating"},
		},
		"企业": {
			{"统一社会信用代码", "企业名称", "年产值(万元)", "所属环节"},
			{"91140800MA0KABCD12", "正弘", 1234.5, "a;b"},
			{nil, "建龙", "1,000", nil},
		},
		"Sheet9": {{"x"}},
	})
	rec, probs := ReadXLSXFrom(bytes.NewReader(data), "台账.xlsx")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want := []chainscope.Project{
		{ID: "P1", Name: "项目一", Segments: []string{}, InvestmentWan: fp(15000), Signed: "2024-03-15", Started: "2024-04-01",
			Status: chainscope.StatusStarted, Emerging: true},
		{ID: "P2", Name: "项目二", Segments: []string{}, InvestmentWan: fp(700), Signed: "2024-03-15", Started: "2024-04-01",
			Status: chainscope.StatusOperating},
		{ID: "P3", Name: "项目三", Segments: []string{}, Signed: "2024-13-01", Status: chainscope.StatusOperating, Emerging: true},
	}
	if got := withoutOrigins(rec).Projects; !reflect.DeepEqual(got, want) {
		t.Errorf("projects:\n got  %+v\n want %+v", got, want)
	}
	var rows []int
	for _, p := range rec.Projects {
		rows = append(rows, p.At.Row)
	}
	if !reflect.DeepEqual(rows, []int{3, 5, 6}) {
		t.Errorf("rows %v, want [3 5 6]", rows)
	}
	if c := rec.Projects[0].At.Sheet.Column("investment_wan"); c != "总投资（亿元）" {
		t.Errorf("column as written: %q", c)
	}
	wantEnts := []chainscope.Enterprise{
		{ID: "91140800MA0KABCD12", Name: "正弘", USCC: "91140800MA0KABCD12", Segments: []string{"a", "b"}, LeaderOf: []string{}, OutputWan: fp(1234.5)},
		{ID: "建龙", Name: "建龙", Segments: []string{}, LeaderOf: []string{}, OutputWan: fp(1000)},
	}
	if got := withoutOrigins(rec).Enterprises; !reflect.DeepEqual(got, wantEnts) {
		t.Errorf("enterprises:\n got  %+v\n want %+v", got, wantEnts)
	}
	wantWarn := []chainscope.Problem{
		{File: "台账.xlsx", Sheet: "Projects", Row: 2, Column: "联系人"},
		{File: "台账.xlsx", Sheet: "Sheet9"},
	}
	var gotWarn []chainscope.Problem
	for _, w := range rec.Warnings {
		w.Message = ""
		gotWarn = append(gotWarn, w)
	}
	// Sheet order is the workbook's; compare as a set.
	if len(gotWarn) != 2 || !(reflect.DeepEqual(gotWarn, wantWarn) || reflect.DeepEqual(gotWarn, []chainscope.Problem{wantWarn[1], wantWarn[0]})) {
		t.Errorf("warnings %v", rec.Warnings)
	}
}

func TestReadXLSXProblems(t *testing.T) {
	good := xlsxBytes(t, tabularDataset())
	tests := []struct {
		name     string
		data     []byte
		problems []chainscope.Problem
	}{
		{
			name:     "truncated",
			data:     good[:len(good)/2],
			problems: []chainscope.Problem{{File: "in.xlsx", Message: "不是有效的 .xlsx 工作簿"}},
		},
		{
			name:     "not a workbook",
			data:     []byte("上游,下游\nA,B\n"),
			problems: []chainscope.Problem{{File: "in.xlsx", Message: "不是有效的 .xlsx 工作簿"}},
		},
		{
			name:     "empty file",
			data:     nil,
			problems: []chainscope.Problem{{File: "in.xlsx", Message: "不是有效的 .xlsx 工作簿"}},
		},
		{
			name:     "old xls",
			data:     append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 600)...),
			problems: []chainscope.Problem{{File: "in.xlsx", Message: ".xls"}},
		},
		{
			name:     "no known sheet",
			data:     workbook(t, map[string][][]any{"Sheet1": {{"a", "b"}}}),
			problems: []chainscope.Problem{{File: "in.xlsx", Message: "没有可识别的工作表"}},
		},
		{
			name: "non-numeric amount",
			data: workbook(t, map[string][][]any{"项目": {{"项目编号", "总投资(万元)"}, {"P1", 5}, {"P2", "五千"}}}),
			problems: []chainscope.Problem{{File: "in.xlsx", Sheet: "项目", Row: 3, Column: "总投资(万元)", Value: "五千",
				Message: "总投资(万元) (investment_wan) 不是数字 not a number"}},
		},
		{
			name: "bad boolean",
			data: workbook(t, map[string][][]any{"projects": {{"id", "emerging"}, nil, {"P1", "perhaps"}}}),
			problems: []chainscope.Problem{{File: "in.xlsx", Sheet: "projects", Row: 3, Column: "emerging", Value: "perhaps",
				Message: "(emerging) 不是“是/否”"}},
		},
		{
			name: "missing segment id",
			data: workbook(t, map[string][][]any{"环节": {{"产业链编号", "环节名称"}, {"battery", "锻后焦"}}}),
			problems: []chainscope.Problem{{File: "in.xlsx", Sheet: "环节", Row: 1, Column: "环节编号",
				Message: "缺少必需的列 环节编号 (id)"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := ReadXLSXFrom(bytes.NewReader(tc.data), "in.xlsx")
			matchProblems(t, "problem", "", probs, tc.problems)
		})
	}
	_, probs := ReadXLSX(filepath.Join(t.TempDir(), "missing.xlsx"))
	if len(probs) != 1 || !strings.HasSuffix(probs[0].File, "missing.xlsx") {
		t.Errorf("missing file: %v", probs)
	}
}

func TestWriteXLSXLimits(t *testing.T) {
	ds := tabularDataset()
	ds.Links[0].Note = strings.Repeat("长", maxCellChars+1)
	if err := WriteXLSX(&bytes.Buffer{}, ds); err == nil || !strings.Contains(err.Error(), "32767") {
		t.Errorf("over-long text: %v", err)
	}
	ds.Links[0].Note = strings.Repeat("长", maxCellChars)
	if err := WriteXLSX(&bytes.Buffer{}, ds); err != nil {
		t.Errorf("text at the limit: %v", err)
	}
}

func TestFitsExcelNumber(t *testing.T) {
	for v, want := range map[float64]bool{0: true, 10000: true, 12345.67: true, 0.1: true, 123456789012345: true,
		1234567890123456: false, 0.30000000000000004: false, 1e21: false, 1e-7: true} {
		if got := fitsExcelNumber(v); got != want {
			t.Errorf("fitsExcelNumber(%v) = %v", v, got)
		}
	}
}

// FuzzReadXLSX feeds arbitrary bytes to the workbook reader: it must never
// panic and every problem must name the file.
func FuzzReadXLSX(f *testing.F) {
	small := &chainscope.Dataset{
		Region:   chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty}},
		Projects: []chainscope.Project{{ID: "P1", Name: "=1+1", County: "140827", Segments: []string{"a", "b"},
			InvestmentWan: fp(1.5), Signed: "2024-03-15", Status: chainscope.StatusSigned, Emerging: true}},
		Links: []chainscope.Link{{From: "A", To: "B", Product: "x"}},
	}
	good := xlsxBytes(f, small)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	// Small, stored without compression or checksums, so that mutations
	// reach the XML of the sheets instead of failing the zip layer.
	f.Add(minimalWorkbook(f, map[string]string{
		"项目": `<row r="1"><c r="A1" t="inlineStr"><is><t>项目编号</t></is></c><c r="B1" t="inlineStr"><is><t>签约日期</t></is></c>` +
			`<c r="C1" t="inlineStr"><is><t>总投资(亿元)</t></is></c><c r="D1" t="inlineStr"><is><t>战略性新兴产业</t></is></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>P1</t></is></c><c r="B3"><v>45366</v></c><c r="C3"><v>1.5</v></c><c r="D3" t="b"><v>1</v></c></row>`,
		"links": `<row r="1"><c r="A1" t="str"><v>from</v></c><c r="B1" t="str"><v>to</v></c><c r="C1" t="str"><v>product</v></c></row>` +
			`<row r="2"><c r="A2" t="str"><v>E1</v></c><c r="B2" t="str"><v>P1</v></c><c r="E2" t="str"><v>=1+1</v></c></row>`,
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, probs := ReadXLSXFrom(bytes.NewReader(data), "fuzz.xlsx")
		if rec == nil {
			t.Fatal("nil records")
		}
		for _, p := range probs {
			if p.File != "fuzz.xlsx" {
				t.Errorf("problem without the file: %v", p)
			}
		}
	})
}

// minimalWorkbook is a hand-made workbook with only the parts a reader
// needs — no styles, no theme — and one sheet per name, stored with
// fuzzableZip: small enough for the fuzzer to mutate its XML usefully.
func minimalWorkbook(t testing.TB, sheets map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	var types, wb, rels strings.Builder
	types.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + `><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	names := slices.Sorted(maps.Keys(sheets))
	for i, name := range names {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), `<?xml version="1.0" encoding="UTF-8"?><worksheet `+ns+`><sheetData>`+sheets[name]+`</sheetData></worksheet>`)
	}
	types.WriteString(`</Types>`)
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	add("[Content_Types].xml", types.String())
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return fuzzableZip(t, b.Bytes())
}

// fuzzableZip rewrites a zip archive with every entry stored uncompressed
// and without a CRC, which archive/zip then does not check.
func fuzzableZip(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store,
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func BenchmarkReadXLSX(b *testing.B) {
	ds := genDataset(5_000, 5_000, 50_000)
	data := xlsxBytes(b, ds)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rec, probs := ReadXLSXFrom(bytes.NewReader(data), "bench.xlsx")
		if len(probs) > 0 || len(rec.Links) != len(ds.Links) {
			b.Fatal(probs)
		}
	}
}

func BenchmarkWriteXLSX(b *testing.B) {
	ds := genDataset(5_000, 5_000, 50_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(&bytes.Buffer{}, ds); err != nil {
			b.Fatal(err)
		}
	}
}
