package chainscope

import (
	"fmt"
	"strings"
)

// Sheet describes where a group of records was read from: a file, and for a
// workbook the sheet inside it. Columns maps a field name (the JSON name, such
// as "county") to the column header as the file spelt it, so that problems
// name the column the user sees.
type Sheet struct {
	File    string
	Name    string // sheet name for xlsx, entity name for CSV, "" for JSON
	Columns map[string]string
}

// Column returns the header the user saw for field, or field itself.
func (s *Sheet) Column(field string) string {
	if s != nil && s.Columns != nil {
		if c, ok := s.Columns[field]; ok {
			return c
		}
	}
	return field
}

// Origin is where one record came from. A record built in code has the zero
// Origin. It is not part of any format and not stored.
type Origin struct {
	Sheet *Sheet
	Row   int // 1-based, as a spreadsheet shows it (the header is row 1); the line in JSON
}

// Problem is one thing wrong with input data (SPEC §4). Problems are data,
// not strings: the CLI prints them, the API returns them as JSON.
type Problem struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// ProblemAt builds a problem for a record read from at, in the column of field.
func ProblemAt(at Origin, field, value, format string, args ...any) Problem {
	p := Problem{Row: at.Row, Value: value, Message: fmt.Sprintf(format, args...)}
	if at.Sheet != nil {
		p.File, p.Sheet = at.Sheet.File, at.Sheet.Name
	}
	p.Column = at.Sheet.Column(field)
	return p
}

// String renders the problem on one line: file, sheet, row, column, value, message.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
	}
	if p.Sheet != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "[%s]", p.Sheet)
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第%d行 (row %d)", p.Row, p.Row)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, " 列 %s", p.Column)
	}
	if p.Value != "" || p.Column != "" {
		fmt.Fprintf(&b, " 值 %q", p.Value)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return strings.TrimSpace(b.String())
}

// MaxProblems is how many problems a validation collects before it stops
// looking; SPEC §4 asks for at least the first 100.
const MaxProblems = 1000

// InvalidError is returned when input data has problems. Nothing was stored.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	n := len(e.Problems)
	if n == 0 {
		return "数据无效 invalid data"
	}
	return fmt.Sprintf("数据有 %d 处问题 (%d problems), 第一处 first: %s", n, n, e.Problems[0])
}

// Text says in lang ("en" English, otherwise Chinese) how many problems
// the data has; the problems themselves travel as data beside it.
func (e *InvalidError) Text(lang string) string {
	n := len(e.Problems)
	switch {
	case lang == "en" && n == 0:
		return "invalid data"
	case lang == "en" && n == 1:
		return "the data has 1 problem; nothing was stored"
	case lang == "en":
		return fmt.Sprintf("the data has %d problems; nothing was stored", n)
	case n == 0:
		return "数据无效"
	}
	return fmt.Sprintf("数据有 %d 处问题，未保存任何数据", n)
}
