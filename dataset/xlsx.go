package dataset

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"chainscope"
)

// ReadXLSX reads an .xlsx workbook (SPEC §3) with one sheet per entity,
// named in English or Chinese (links, 供需关系, …), plus an optional region
// (地区) sheet. A sheet named otherwise (项目台账) is recognised by its header
// row; sheets recognised neither way are ignored with a warning, and a
// workbook without any recognised sheet is a problem listing the sheets it
// has. A file that is not a workbook, or a damaged one, is a problem naming
// the file.
func ReadXLSX(path string) (*Records, []chainscope.Problem) {
	f, err := os.Open(path)
	if err != nil {
		return &Records{partial: true}, []chainscope.Problem{{File: path, Message: fmt.Sprintf("无法打开 cannot open: %v", err)}}
	}
	defer f.Close()
	return ReadXLSXFrom(f, path)
}

// ReadXLSXFrom is ReadXLSX for a workbook that is not a file (an HTTP
// upload, say); name is how problems name it. The whole workbook is read
// into memory.
func ReadXLSXFrom(r io.Reader, name string) (rec *Records, probs []chainscope.Problem) {
	rec = &Records{}
	defer func() {
		// A damaged workbook must be a problem for the user, never a crash.
		if v := recover(); v != nil {
			rec.partial = true
			probs = append(probs, chainscope.Problem{File: name,
				Message: fmt.Sprintf("工作簿已损坏，无法读取 the workbook is damaged and cannot be read (%v)", v)})
		}
	}()
	f, err := excelize.OpenReader(r)
	if f != nil {
		defer f.Close()
	}
	if err != nil {
		rec.partial = true
		return rec, []chainscope.Problem{{File: name, Message: xlsxOpenMessage(err)}}
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	found := false
	sheets := f.GetSheetList()
	for _, sheet := range sheets {
		ent, ok := entityByName(sheet)
		how := ""
		if !ok {
			var tied []entity
			if ent, ok, tied = entityByHeader(headRows(f, sheet)); !ok {
				msg := "未知的工作表，已忽略 unknown sheet ignored; 应为 expected " + knownSheets() + "，或使用其中一张表的表头 or the headers of one of them"
				if len(tied) > 1 {
					msg = fmt.Sprintf("无法从表头确定是哪张表（可能是 %s），已忽略；请按表名命名工作表 cannot tell the sheet from its header (%s?), ignored: name the sheet after its table",
						entityNames(tied), entityNames(tied))
				}
				rec.Warnings = append(rec.Warnings, chainscope.Problem{File: name, Sheet: sheet, Message: msg})
				continue
			}
			how = "header"
			rec.Warnings = append(rec.Warnings, chainscope.Problem{File: name, Sheet: sheet,
				Message: fmt.Sprintf("按表头识别为%s表 recognised by its header as %s", entityNames([]entity{ent}), specs[ent].name)})
		}
		found = true
		t := newTable(ent, name, sheet, rec, &probs)
		t.serials, t.date1904, t.found = true, date1904, how
		readSheet(f, t)
	}
	if !found {
		rec.partial = true
		probs = append(probs, chainscope.Problem{File: name,
			Message: fmt.Sprintf("工作簿中没有可识别的工作表 no known sheet in the workbook (工作表 sheets: %s); 应为 expected %s，或使用其中一张表的表头 or the headers of one of them",
				quoteList(sheets), knownSheets())})
	}
	return rec, probs
}

// headRowsMax is how many rows of a sheet with an unknown name are looked
// at for its header.
const headRowsMax = 8

// headRows returns the first non-blank rows of a sheet, for entityByHeader.
func headRows(f *excelize.File, sheet string) [][]string {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out [][]string
	for n := 0; n < headRowsMax && rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			break
		}
		if !blankRow(cells) {
			out = append(out, cells)
		}
	}
	return out
}

// quoteList lists names for a message: 「项目台账」「Sheet1」, or （无 none）.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "（无 none）"
	}
	var b strings.Builder
	for _, n := range names {
		b.WriteString("「" + n + "」")
	}
	return b.String()
}

// readSheet feeds the rows of t's sheet to t, numbered as Excel shows them.
func readSheet(f *excelize.File, t *table) {
	fail := func(row int, err error) {
		t.rec.partial = true
		t.problem(chainscope.Problem{File: t.sheet.File, Sheet: t.sheet.Name, Row: row,
			Message: fmt.Sprintf("工作表无法读取 cannot read the sheet: %v", err)})
	}
	rows, err := f.Rows(t.sheet.Name)
	if err != nil {
		fail(0, err)
		return
	}
	defer rows.Close()
	n := 0
	for !t.full() && rows.Next() {
		n++ // Next visits missing rows too, with no cells
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			fail(n, err)
			return
		}
		t.row(cells, n)
	}
	if err := rows.Error(); err != nil {
		fail(n+1, err)
		return
	}
	t.finish()
}

func xlsxOpenMessage(err error) string {
	hint := "不是有效的 .xlsx 工作簿，或文件已损坏、不完整 not a valid .xlsx workbook, or the file is damaged or truncated"
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		hint = "不是 .xlsx 工作簿（旧版 .xls 或加密文件请在 Excel 中另存为 .xlsx）not an .xlsx workbook (save an old .xls or an encrypted file as .xlsx)"
	case errors.Is(err, excelize.ErrWorkbookPassword):
		hint = "工作簿有密码保护，请去掉密码后再导入 the workbook is password-protected; remove the password"
	}
	return fmt.Sprintf("%s (%v)", hint, err)
}

// maxCellChars is the most UTF-16 units an Excel cell holds.
const maxCellChars = excelize.TotalCellChars

// WriteXLSX writes ds as a workbook that ReadXLSX reads back to the same
// records: a 地区 (region) sheet and one sheet per entity, with the Chinese
// sheet names and headers of SPEC §3 plus 来源 and 备注. Text is always a
// string cell — never a formula, whatever it starts with — and amounts are
// numbers in 万元. A text longer than Excel's 32 767 characters, or more rows
// than a sheet holds, is an error rather than a silent cut.
func WriteXLSX(w io.Writer, ds *chainscope.Dataset) error {
	return WriteXLSXAt(w, ds, time.Time{})
}

// WriteXLSXAt is WriteXLSX with the workbook's created and modified dates
// set to at (SPEC §8: a file carries the time of the revision it shows);
// a zero at leaves excelize's fixed default, so equal data gives equal
// bytes either way.
func WriteXLSXAt(w io.Writer, ds *chainscope.Dataset, at time.Time) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if !at.IsZero() {
		stamp := at.UTC().Format(time.RFC3339)
		if err := f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "chainscope"}); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for e := range entityCount {
		if !writesSheet(ds, e) {
			continue
		}
		name := specs[e].zh
		if e == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = writeSheet(f, name, ds, e, bold)
		}
		if err != nil {
			return fmt.Errorf("write xlsx sheet %s: %w", name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, name string, ds *chainscope.Dataset, e entity, headStyle int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	heads := sheetHeaders(ds, e)
	if err := sw.SetColWidth(1, len(heads), 18); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	vals := make([]any, len(heads))
	for i, h := range heads {
		vals[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A1", vals); err != nil {
		return err
	}
	n := 1
	err = rowsOf(ds, e, func(cells []outCell) error {
		n++
		if n > excelize.TotalRows {
			return fmt.Errorf("超过一张工作表的行数上限 %d，请导出为 CSV more rows than a sheet holds (%d); export as CSV", excelize.TotalRows, excelize.TotalRows)
		}
		for i, c := range cells {
			switch {
			case c.num && c.amount == nil:
				vals[i] = nil
			case c.num && fitsExcelNumber(*c.amount):
				vals[i] = *c.amount
			case c.num:
				vals[i] = amountText(*c.amount) // a number cell would lose digits
			case c.text == "":
				vals[i] = nil
			default:
				if len(c.text) > maxCellChars && utf16Len(c.text) > maxCellChars {
					col := excelColumn(i)
					return fmt.Errorf("第 %d 行 %s 列的文字超过 Excel 单元格上限 %d 字符 row %d column %s: text longer than an Excel cell holds (%d)",
						n, col, maxCellChars, n, col, maxCellChars)
				}
				vals[i] = c.text // a string cell: never a formula
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

// fitsExcelNumber reports whether v survives a number cell: excelize keeps
// 15 significant digits of a float, as Excel shows them.
func fitsExcelNumber(v float64) bool {
	s := amountText(v)
	sig := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || sig == 0 && c == '0' {
			continue
		}
		sig++
	}
	return sig <= 15
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
