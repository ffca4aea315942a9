package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"
)

// officerWorkbook writes a workbook as a county office keeps it (no 地区
// sheet, projects in 项目台账) with one mistake of each kind when bad, and
// returns its path.
func officerWorkbook(t *testing.T, dir string, bad bool) string {
	t.Helper()
	amount, signed, emerging, uscc, dupID := any("约3"), "2024-02-30", "也许", "91140800MA0KABCD1X", "E-002"
	links := [][]any{{"上游", "下游", "产品"}, {"E-404", "E-001", "锻后焦"}, {"E-001", "E-001", "锻后焦"}, {"E-001", "P-1", "锻后焦"}}
	if !bad {
		amount, signed, emerging, uscc, dupID = 3, "2024-02-29", "是", "", "E-003"
		links = [][]any{{"上游", "下游", "产品"}, {"E-002", "E-001", "负极"}, {"E-001", "P-1", "锻后焦"}}
	}
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"县区", [][]any{{"代码", "名称", "类型"}, {"140827", "垣曲县", "县"}, {"140802", "盐湖区", "区"}}},
		{"产业链", [][]any{{"产业链编号", "产业链名称"}, {"battery", "新能源电池"}}},
		{"环节", [][]any{{"环节编号", "产业链编号", "环节名称", "位置"}, {"battery.coke", "battery", "锻后焦", "上游"}, {"battery.anode", "battery", "负极材料", "中游"}}},
		{"企业", [][]any{{"企业编号", "企业名称", "统一社会信用代码", "所在县区", "所属环节"},
			{"E-001", "山西正弘新能源材料有限公司", nil, "140827", "battery.coke"},
			{"E-002", "运城负极材料有限公司", uscc, "140802", "battery.anode"},
			{dupID, "运城负极材料二厂", nil, "140802", "battery.anode"}}},
		{"项目台账", [][]any{{"项目编号", "项目名称", "投资主体", "所在县区", "所属环节", "总投资(亿元)", "签约日期", "项目状态", "战略性新兴产业"},
			{"P-1", "年产7万吨锂电池材料项目", "E-001", "140827", "battery.coke", amount, "2024-03-15", "签约", "是"},
			{"P-2", "负极材料二期", "E-001", "140802", "battery.anode", 0.5, signed, "开工", emerging}}},
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
	p := filepath.Join(dir, "台账.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// problemLines are the problems a failed command printed, one a line.
func problemLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "  - ") {
			out = append(out, l)
		}
	}
	return out
}

// TestEveryProblemAtOnce: validate and import (into a database with data,
// and into none) report the same problems, readers' and Build's together,
// each naming file, sheet, row, column and the typed value; nothing is
// stored or created.
func TestEveryProblemAtOnce(t *testing.T) {
	dir := t.TempDir()
	book := officerWorkbook(t, dir, true)
	code, _, errOut := cli(t, "validate", book)
	if code != 1 {
		t.Fatalf("validate: exit %d\n%s", code, errOut)
	}
	want := []string{
		book + ` [项目台账] 第2行 (row 2) 列 总投资(亿元) 值 "约3"`,
		book + ` [项目台账] 第3行 (row 3) 列 战略性新兴产业 值 "也许"`,
		book + ` [项目台账] 第3行 (row 3) 列 签约日期 值 "2024-02-30"`,
		book + ` [企业] 第3行 (row 3) 列 统一社会信用代码 值 "91140800MA0KABCD1X"`,
		book + ` [企业] 第4行 (row 4) 列 企业编号 值 "E-002"`,
		book + ` [供需关系] 第2行 (row 2) 列 上游 值 "E-404"`,
		book + ` [供需关系] 第3行 (row 3) 列 下游 值 "E-001"`,
	}
	validated := problemLines(errOut)
	for _, w := range want {
		if !slices.ContainsFunc(validated, func(l string) bool { return strings.Contains(l, w) }) {
			t.Errorf("validate does not report %s:\n%s", w, errOut)
		}
	}
	if len(validated) != len(want) {
		t.Errorf("validate: %d problems, want %d:\n%s", len(validated), len(want), errOut)
	}

	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)
	importFails(t, db, before, want, book)
	if _, _, errOut := cli(t, "import", "--db", db, book); !slices.Equal(problemLines(errOut), validated) {
		t.Errorf("import and validate differ:\n%s\nvalidate:\n%s", errOut, strings.Join(validated, "\n"))
	}
	fresh := filepath.Join(dir, "new.db")
	if code, _, _ := cli(t, "import", "--db", fresh, book); code != 1 {
		t.Fatalf("import into a new database: exit %d", code)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Error("a failed import created the database")
	}
}

// TestImportWithoutRegionSheet: a workbook without a 地区 sheet imports into
// a new database with the region its county codes share, and into one with
// a region keeps it (SPEC §3).
func TestImportWithoutRegionSheet(t *testing.T) {
	dir := t.TempDir()
	book := officerWorkbook(t, dir, false)
	db := filepath.Join(dir, "new.db")
	code, out, errOut := cli(t, "import", "--db", db, book)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "140800 运城市") || !strings.Contains(errOut, "recognised by its header as projects") || !strings.Contains(out, "2 项目 projects") {
		t.Errorf("stdout %s\nstderr %s", out, errOut)
	}
	if ds := loadDB(t, db); ds.Region.Code != "140800" || ds.Region.Name != "运城市" || len(ds.Projects) != 2 {
		t.Errorf("region %+v, %d projects", ds.Region, len(ds.Projects))
	}

	kept := filepath.Join(dir, "kept.db")
	mustCLI(t, "init", "--db", kept)
	region := loadDB(t, kept).Region
	_, _, errOut = cli(t, "import", "--db", kept, book)
	if got := loadDB(t, kept).Region; got != region || strings.Contains(errOut, "inferred") {
		t.Errorf("region %+v, want the stored %+v\n%s", got, region, errOut)
	}
}

// TestGenOutputFormats: gen names its format by -o, and import reads what
// gen wrote, extension or none.
func TestGenOutputFormats(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"data", "data.json", "data.xlsx"} {
		out := filepath.Join(dir, name)
		mustCLI(t, "gen", "--enterprises", "30", "--projects", "10", "--links", "40", "-o", out)
		b, _ := os.ReadFile(out)
		if isZip := bytes.HasPrefix(b, []byte("PK")); isZip != strings.HasSuffix(name, ".xlsx") {
			t.Errorf("%s: zip %v", name, isZip)
		}
		mustCLI(t, "import", "--db", filepath.Join(dir, name+".db"), out)
	}
	if code, _, errOut := cli(t, "gen", "--format", "json", "-o", filepath.Join(dir, "x.xlsx")); code != 2 || !strings.Contains(errOut, "x.xlsx") {
		t.Errorf("a name that says another format: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := cli(t, "gen", "-o", filepath.Join(dir, "x.csv")); code != 2 || !strings.Contains(errOut, "--format csv") {
		t.Errorf("json to a .csv name: exit %d\n%s", code, errOut)
	}
	code, help, _ := cli(t, "gen", "--help")
	if code != 0 || !strings.Contains(help, "json|csv|xlsx|graphml") {
		t.Errorf("gen --help: exit %d\n%s", code, help)
	}
	for _, cmd := range []string{"funnel", "report", "map", "import"} {
		if code, out, _ := cli(t, cmd, "--help"); code != 0 || !strings.Contains(out, "chainscope "+cmd) {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, out)
		}
	}
}

// TestExportRespectsUmask: an exported file has the mode a file the user
// creates has, not a temporary file's 0600.
func TestExportRespectsUmask(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	for _, mask := range []int{0o022, 0o027} {
		old := syscall.Umask(mask)
		out := filepath.Join(dir, "export.json")
		os.Remove(out)
		code, _, errOut := cli(t, "export", "--db", db, "-o", out)
		syscall.Umask(old)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		st, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if want := os.FileMode(0o666 &^ mask); st.Mode().Perm() != want {
			t.Errorf("umask %o: mode %o, want %o", mask, st.Mode().Perm(), want)
		}
	}
	// Replacing a file keeps its mode.
	out := filepath.Join(dir, "export.json")
	os.Chmod(out, 0o600)
	mustCLI(t, "export", "--db", db, "-o", out)
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %o, want 0600", st.Mode().Perm())
	}
}
