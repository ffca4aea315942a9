package server

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chainscope"
)

// officerXLSX is a workbook as a county office keeps it — no 地区 sheet,
// projects in a sheet named 项目台账 — with, when bad, one mistake of each
// kind: a reader's (an amount "约3", a boolean "也许") and Build's (a bad
// USCC, a duplicate id, 2024-02-30, an unknown supplier, a self-link).
func officerXLSX(t *testing.T, bad bool) []byte {
	t.Helper()
	amount, signed, emerging, uscc, dupID := any("约3"), "2024-02-30", "也许", "91140800MA0KABCD1X", "E-Y2"
	links := [][]any{{"上游", "下游", "产品"}, {"E-404", "E-Y1", "锻后焦"}, {"E-Y1", "E-Y1", "锻后焦"}, {"E-Y1", "P-Y1", "锻后焦"}}
	if !bad {
		amount, signed, emerging, uscc, dupID = 3, "2024-02-29", "是", "", "E-Y3"
		links = links[:1]
	}
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"县区", [][]any{{"代码", "名称", "类型"}, {"140827", "垣曲县", "县"}}},
		{"企业", [][]any{{"企业编号", "企业名称", "统一社会信用代码", "所在县区", "所属环节"},
			{"E-Y1", "垣曲测试企业一", nil, "140827", nil},
			{"E-Y2", "垣曲测试企业二", uscc, "140827", nil},
			{dupID, "垣曲测试企业三", nil, "140827", nil}}},
		{"项目台账", [][]any{{"项目编号", "项目名称", "投资主体", "所在县区", "总投资(亿元)", "签约日期", "项目状态", "战略性新兴产业"},
			{"P-Y1", "测试项目一", "E-Y1", "140827", amount, "2024-03-15", "签约", "是"},
			{"P-Y2", "测试项目二", "E-Y1", "140827", 0.5, signed, "开工", emerging}}},
		{"供需关系", links},
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.name)
		} else {
			f.NewSheet(s.name)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v != nil {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					f.SetCellValue(s.name, cell, v)
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

// TestUploadEveryProblemAtOnce: the upload reports the readers' and
// Build's problems together, as the CLI import does, each naming file,
// sheet, row, column and the typed value, in either mode, and stores
// nothing.
func TestUploadEveryProblemAtOnce(t *testing.T) {
	ts := start(t, nil)
	before := jsonOf(t, ts.stored())
	want := []chainscope.Problem{
		{File: "台账.xlsx", Sheet: "项目台账", Row: 2, Column: "总投资(亿元)", Value: "约3"},
		{File: "台账.xlsx", Sheet: "项目台账", Row: 3, Column: "战略性新兴产业", Value: "也许"},
		{File: "台账.xlsx", Sheet: "项目台账", Row: 3, Column: "签约日期", Value: "2024-02-30"},
		{File: "台账.xlsx", Sheet: "企业", Row: 3, Column: "统一社会信用代码", Value: "91140800MA0KABCD1X"},
		{File: "台账.xlsx", Sheet: "企业", Row: 4, Column: "企业编号", Value: "E-Y2"},
		{File: "台账.xlsx", Sheet: "供需关系", Row: 2, Column: "上游", Value: "E-404"},
		{File: "台账.xlsx", Sheet: "供需关系", Row: 3, Column: "下游", Value: "E-Y1"},
	}
	for _, mode := range []string{"replace", "merge"} {
		r := ts.edit("POST", "/api/v1/dataset?mode="+mode, officerXLSX(t, true),
			"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"Content-Disposition", `attachment; filename="台账.xlsx"`)
		if r.status != 422 {
			t.Fatalf("%s: %d %.600s", mode, r.status, r.body)
		}
		got := r.errorBody(t).Problems
		for _, w := range want {
			found := false
			for _, p := range got {
				found = found || p.File == w.File && p.Sheet == w.Sheet && p.Row == w.Row && p.Column == w.Column && p.Value == w.Value
			}
			if !found {
				t.Errorf("%s: no problem %+v in %+v", mode, w, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d problems, want %d: %+v", mode, len(got), len(want), got)
		}
		if jsonOf(t, ts.stored()) != before {
			t.Fatal("a refused upload changed the data")
		}
	}

	// Fixed, it merges; the stored region is kept without a 地区 sheet.
	r := ts.edit("POST", "/api/v1/dataset?mode=merge", officerXLSX(t, false),
		"Content-Type", "application/octet-stream", "Content-Disposition", `attachment; filename="台账.xlsx"`)
	if r.status != 200 {
		t.Fatalf("%d %.600s", r.status, r.body)
	}
	var res UploadResult
	r.decode(t, &res)
	warned := false
	for _, w := range res.Warnings {
		warned = warned || w.Sheet == "项目台账" && strings.Contains(w.Message, "recognised by its header as projects")
	}
	if !warned {
		t.Errorf("warnings %+v", res.Warnings)
	}
	if after := ts.stored(); after.Region != builtin(t).Region || len(after.Projects) != len(builtin(t).Projects)+2 || len(after.Counties) != len(builtin(t).Counties) {
		t.Errorf("region %+v, %d projects", after.Region, len(after.Projects))
	}
}
