package main

import (
	"strings"
	"testing"
)

// TestTableAlignsChinese: every column starts at the same terminal cell
// in every row, counting a Chinese character as two cells.
func TestTableAlignsChinese(t *testing.T) {
	var tb table
	tb.add("环节 segment", "位置 stage", "状态")
	tb.add("正极材料", "中游", "缺链 missing")
	tb.add("x", "upstream", "正常 ok")
	var b strings.Builder
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	// the cell where the second and third columns start, per row
	starts := func(line string, cells ...string) []int { return cellStarts(t, line, cells...) }
	want := starts(lines[0], "环节 segment", "位置 stage", "状态")
	for i, cells := range [][]string{{"正极材料", "中游", "缺链 missing"}, {"x", "upstream", "正常 ok"}} {
		if got := starts(lines[i+1], cells...); got[1] != want[1] || got[2] != want[2] {
			t.Errorf("row %d columns start at %v, header at %v:\n%s", i+1, got, want, b.String())
		}
	}
	if displayWidth("正极a") != 5 {
		t.Errorf("displayWidth(正极a) = %d, want 5", displayWidth("正极a"))
	}
}

// cellStarts returns the display column at which each of cells starts in
// line, looked for in order.
func cellStarts(t *testing.T, line string, cells ...string) []int {
	t.Helper()
	var at []int
	col := 0
	for _, c := range cells {
		i := strings.Index(line, c)
		if i < 0 {
			t.Fatalf("%q lacks %q", line, c)
		}
		at = append(at, col+displayWidth(line[:i]))
		col += displayWidth(line[:i+len(c)])
		line = line[i+len(c):]
	}
	return at
}
