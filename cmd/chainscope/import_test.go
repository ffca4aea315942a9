package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chainscope"
)

// writeCSVFolder writes a folder of CSV files (name → content) and returns
// its path.
func writeCSVFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "台账")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const enterpriseHeader = "企业编号,企业名称,统一社会信用代码,所在县区,所属环节,链主产业链,年产值(万元)\n"

// TestImportMergeRefusesDuplicateRows: two rows with one key in the input
// are an error in merge mode as in replace mode (SPEC §4); the database
// is unchanged.
func TestImportMergeRefusesDuplicateRows(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"enterprises", map[string]string{"企业.csv": enterpriseHeader +
			"E-002,晋南新材料有限公司,,垣曲县,锻后焦,battery,1200\n" +
			"E-002,晋南新材料有限公司,,垣曲县,锻后焦,,800\n"},
			[]string{"企业.csv", "(row 3)", "企业编号", `"E-002"`, "E-002: 企业编号重复 duplicate enterprise id"}},
		{"an enterprise stored already", map[string]string{"企业.csv": enterpriseHeader +
			"E-zhenghong,山西正弘新能源材料有限公司,,垣曲县,锻后焦,,1200\n" +
			"E-zhenghong,山西正弘新能源材料有限公司,,垣曲县,锻后焦,,800\n"},
			[]string{"(row 3)", "E-zhenghong: 企业编号重复"}},
		{"links", map[string]string{"供需关系.csv": "上游,下游,产品\n" +
			"E-zhenghong,E-jianlong,锻后焦\n" +
			"E-zhenghong,E-jianlong,石油焦\n"},
			[]string{"供需关系.csv", "(row 3)", "E-zhenghong → E-jianlong: 供需关系重复"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			importFails(t, db, before, tc.want, "--mode", "merge", writeCSVFolder(t, tc.files))
		})
	}
}

// TestImportNamesAsOfficersWrite: 所在县区 垣曲县 and 所属环节 锻后焦 name the
// county and segment of those unique names; the database stores their
// code and id.
func TestImportNamesAsOfficersWrite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	dir := writeCSVFolder(t, map[string]string{"企业.csv": enterpriseHeader + "E-jinnan,晋南新材料有限公司,,垣曲县,锻后焦；负极材料,,1200\n"})
	mustCLI(t, "import", "--db", db, "--mode", "merge", dir)
	ds := loadDB(t, db)
	i := slices.IndexFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.ID == "E-jinnan" })
	if i < 0 {
		t.Fatal("not stored")
	}
	if e := ds.Enterprises[i]; e.County != "140827" || !slices.Contains(e.Segments, "battery.coke") {
		t.Fatalf("stored as %s %v", e.County, e.Segments)
	}
}

// TestImportSameEnterpriseTwice: a workbook with its own ids names an
// enterprise the database has under another id (the same name and
// county): the import says so, naming both ids, and with --strict refuses.
func TestImportSameEnterpriseTwice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)
	dir := writeCSVFolder(t, map[string]string{"企业.csv": enterpriseHeader + "E-001,山西正弘新能源材料有限公司,,垣曲县,锻后焦,,\n"})
	const msg = "E-001: 企业名称和所在县区与 E-zhenghong 相同，可能是同一企业的两个编号"

	importFails(t, db, before, []string{"企业.csv", "(row 2)", "企业名称", msg}, "--mode", "merge", "--strict", dir)

	code, _, errOut := cli(t, "import", "--db", db, "--mode", "merge", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "警告 warning") || !strings.Contains(errOut, msg) {
		t.Fatalf("no warning naming both ids:\n%s", errOut)
	}
}

// TestImportDuplicateNameColumn: in a sheet without 企业编号, enterprises
// are keyed by their name; the same name twice is reported in the name
// column, not in 统一社会信用代码.
func TestImportDuplicateNameColumn(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)
	dir := writeCSVFolder(t, map[string]string{"企业.csv": "企业名称,统一社会信用代码,所在县区,所属环节\n" +
		"晋南新材料有限公司,,垣曲县,锻后焦\n晋南新材料有限公司,,垣曲县,负极材料\n"})
	importFails(t, db, before, []string{"(row 3) 列 企业名称", "晋南新材料有限公司: 企业编号重复"}, "--mode", "merge", dir)
	importFails(t, db, before, []string{"(row 3) 列 企业名称"}, "--mode", "replace", dir)
}
