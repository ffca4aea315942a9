package dataset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"chainscope"
)

// writeFiles creates the named files in a new temporary folder.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gbk(t testing.TB, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// csvBytes is one file of WriteCSV, in memory.
func csvBytes(t testing.TB, ds *chainscope.Dataset, e entity) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeCSV(&b, ds, e); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCSVRoundTrip(t *testing.T) {
	ds := tabularDataset()
	dir := filepath.Join(t.TempDir(), "out", "csv")
	if err := WriteCSV(dir, ds); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"region", "counties", "chains", "segments", "flows", "enterprises", "projects", "links"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(utf8BOM)) {
			t.Errorf("%s.csv has no BOM", name)
		}
		if bytes.Contains(b, []byte("\n=")) || bytes.Contains(b, []byte(",=")) || bytes.Contains(b, []byte(",-1+1")) {
			t.Errorf("%s.csv has an unguarded formula:\n%s", name, b)
		}
	}
	rec, probs := ReadCSV(dir)
	if len(probs) > 0 || len(rec.Warnings) > 0 {
		t.Fatalf("problems %v, warnings %v", probs, rec.Warnings)
	}
	sameRecords(t, rec, ds)
	checkOrigins(t, rec)

	// Origins: one Sheet per file, rows as a spreadsheet numbers them.
	l := rec.Links[3]
	if l.At.Row != 5 || l.At.Sheet.Name != "links" || l.At.Sheet.File != filepath.Join(dir, "links.csv") {
		t.Errorf("link 3 at %+v row %d", l.At.Sheet, l.At.Row)
	}
	if got := l.At.Sheet.Column("product"); got != "产品" {
		t.Errorf("product column = %q", got)
	}
	if got := rec.Projects[0].At.Sheet.Column("investment_wan"); got != "总投资(万元)" {
		t.Errorf("investment column = %q", got)
	}
	if rec.Enterprises[0].At.Sheet != rec.Enterprises[4].At.Sheet {
		t.Error("rows of one file must share one *Sheet")
	}
	// Row numbers count a record with line breaks as one row.
	for i, l := range rec.Links {
		if l.At.Row != i+2 {
			t.Errorf("link %d at row %d, want %d", i, l.At.Row, i+2)
		}
	}
}

func TestCSVZipRoundTrip(t *testing.T) {
	ds := tabularDataset()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for e := range entityCount {
		if !writesSheet(ds, e) {
			continue
		}
		w, err := zw.Create("export/" + specs[e].name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(csvBytes(t, ds, e))
	}
	w, _ := zw.Create("export/README.csv")
	w.Write([]byte("hello\n"))
	w, _ = zw.Create("__MACOSX/export/._links.csv")
	w.Write([]byte{0, 1, 2})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	rec, probs := ReadCSVZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "upload.zip")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	sameRecords(t, rec, ds)
	if len(rec.Warnings) != 1 || rec.Warnings[0].File != "upload.zip/export/README.csv" {
		t.Errorf("warnings = %v", rec.Warnings)
	}
	if f := rec.Links[0].At.Sheet.File; f != "upload.zip/export/links.csv" {
		t.Errorf("file = %q", f)
	}

	// A zip made by Windows Explorer names its files in GBK.
	buf.Reset()
	zw = zip.NewWriter(&buf)
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: gbk(t, "供需关系.csv"), NonUTF8: true})
	w.Write([]byte("上游,下游\nA,B\n"))
	zw.Close()
	rec, probs = ReadCSVZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "win.zip")
	if len(probs) > 0 || len(rec.Links) != 1 || rec.Links[0].At.Sheet.File != "win.zip/供需关系.csv" {
		t.Errorf("GBK names: %v %+v", probs, rec.Links)
	}

	_, probs = ReadCSVZip(bytes.NewReader([]byte("not a zip")), 9, "bad.zip")
	if len(probs) != 1 || probs[0].File != "bad.zip" {
		t.Errorf("not a zip: %v", probs)
	}
}

func TestReadCSVHeaders(t *testing.T) {
	english := "\uFEFFid,name,investor,county,segments,investment_yi,signed,started,status,emerging,source,note\n" +
		"P1,项目一,E1,140827,a;b,1.5,2024/3/15,,签约,是,报道,\n"
	chinese := "项目编号,项目名称,投资主体,所在县区,所属环节,总投资（亿元）,签约日期,开工日期,项目状态,战略性新兴产业,来源,备注\n" +
		"P1,项目一,E1,140827,a、b,\"1.5\",2024年3月15日,,signed,true,报道,\n"
	mixed := " Note , Emerging ,STATUS,  项目编号 ,Name,总投资 (亿元),签约日期,所在县区,所属环节,投资主体,来源\n" +
		",Y,Signed,P1,项目一,1.5,2024.3.15,140827,\"a ，b\",E1,报道\n"
	want := []chainscope.Project{{ID: "P1", Name: "项目一", Investor: "E1", County: "140827", Segments: []string{"a", "b"},
		InvestmentWan: fp(15000), Signed: "2024-03-15", Status: chainscope.StatusSigned, Emerging: true, Source: "报道"}}
	for name, body := range map[string]string{"english": english, "chinese": chinese, "mixed": mixed} {
		t.Run(name, func(t *testing.T) {
			for _, file := range []string{"projects.csv", "项目.csv", "Projects.CSV"} {
				rec, probs := ReadCSV(writeFiles(t, map[string]string{file: body}))
				if len(probs) > 0 || len(rec.Warnings) > 0 {
					t.Fatalf("%s: problems %v warnings %v", file, probs, rec.Warnings)
				}
				if got := withoutOrigins(rec).Projects; !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got  %+v\n want %+v", file, got, want)
				}
				if rec.Projects[0].At.Row != 2 {
					t.Errorf("row %d", rec.Projects[0].At.Row)
				}
			}
		})
	}
}

func TestReadCSVValues(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"region.csv":   "code,name\n140800,运城市\n",
		"counties.csv": "代码,名称,类型,所属县区\n140827,垣曲县,县,\n140882,河津市,县级市,\n140802,盐湖区,区,\nZ1,风陵渡经济开发区,开发区,140830\nX,某地,乡,\n",
		"segments.csv": "环节编号,产业链编号,环节名称,位置\nb.coke,battery,锻后焦,上游\nb.anode,battery,负极,中游\nb.x,battery,x,下游\nb.y,battery,y,配套\nb.z,battery,z,旁路\n",
		"enterprises.csv": "企业名称,统一社会信用代码,所在县区,所属环节,链主产业链,年产值(亿元)\n" +
			"山西正弘,91140800MA0KABCD12,140827,b.coke；b.anode,,2\n" +
			" 山西建龙 ,,140800,,battery，steel,\n" +
			",,140800,,,\n" + // blank but for the county: no id at all
			"\n" +
			"东方,,140800,b.x、b.y,,\"1,234.5\"\n",
		"flows.csv": "上游环节,下游环节\nb.coke,b.anode\n",
		"links.csv": "上游,下游,产品\n" +
			"A,B,\"two\nlines\"\n" +
			"\n" +
			"C,D\n" + // ragged: product missing
			"E,F,x,extra\n",
	})
	rec, probs := ReadCSV(dir)
	wantProbs := []chainscope.Problem{{File: filepath.Join(dir, "enterprises.csv"), Sheet: "enterprises", Row: 4,
		Column: "统一社会信用代码", Message: "企业没有编号、统一社会信用代码或名称 enterprise has no id, uscc or name"}}
	if !reflect.DeepEqual(probs, wantProbs) {
		t.Errorf("problems:\n got  %v\n want %v", probs, wantProbs)
	}
	if rec.Region == nil || *rec.Region != (chainscope.Region{Code: "140800", Name: "运城市"}) || rec.RegionAt.Row != 2 {
		t.Errorf("region %+v at %d", rec.Region, rec.RegionAt.Row)
	}
	var kinds []chainscope.Kind
	for _, c := range rec.Counties {
		kinds = append(kinds, c.Kind)
	}
	if want := []chainscope.Kind{"county", "city", "district", "zone", "乡"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v", kinds)
	}
	var stages []chainscope.Stage
	for _, s := range rec.Segments {
		stages = append(stages, s.Stage)
	}
	if want := []chainscope.Stage{"upstream", "midstream", "downstream", "support", "旁路"}; !reflect.DeepEqual(stages, want) {
		t.Errorf("stages %v", stages)
	}
	ents := withoutOrigins(rec).Enterprises
	wantEnts := []chainscope.Enterprise{
		{ID: "91140800MA0KABCD12", Name: "山西正弘", USCC: "91140800MA0KABCD12", County: "140827",
			Segments: []string{"b.coke", "b.anode"}, LeaderOf: []string{}, OutputWan: fp(20000)},
		{ID: "山西建龙", Name: " 山西建龙 ", County: "140800", Segments: []string{}, LeaderOf: []string{"battery", "steel"}},
		// the record without any key is reported, not kept: Build would report it again
		{ID: "东方", Name: "东方", County: "140800", Segments: []string{"b.x", "b.y"}, LeaderOf: []string{}, OutputWan: fp(12345000)},
	}
	if !reflect.DeepEqual(ents, wantEnts) {
		t.Errorf("enterprises:\n got  %+v\n want %+v", ents, wantEnts)
	}
	if r := rec.Enterprises[2].At.Row; r != 6 {
		t.Errorf("enterprise after a blank line at row %d, want 6", r)
	}
	var rows []int
	for _, l := range rec.Links {
		rows = append(rows, l.At.Row)
	}
	if want := []int{2, 4, 5}; !reflect.DeepEqual(rows, want) {
		t.Errorf("link rows %v, want %v", rows, want)
	}
	if rec.Links[0].Product != "two\nlines" || rec.Links[1].Product != "" {
		t.Errorf("links %+v", rec.Links)
	}
	wantWarn := chainscope.Problem{File: filepath.Join(dir, "links.csv"), Sheet: "links", Row: 5, Column: "D", Value: "extra",
		Message: "第 D 列没有表头，其中的数据已忽略 column D has no header; its data is ignored"}
	if len(rec.Warnings) != 1 || rec.Warnings[0] != wantWarn {
		t.Errorf("warnings %v", rec.Warnings)
	}
}

func TestReadCSVProblems(t *testing.T) {
	type files = map[string]string
	tests := []struct {
		name     string
		files    files
		problems []chainscope.Problem // File relative to the folder
		warnings []chainscope.Problem
	}{
		{
			name: "not UTF-8",
			files: files{"links.csv": "上游,下游,产品\nA,B,锻后焦\n" +
				"C,D," + gbk(t, "负极材料") + "\nE,F," + gbk(t, "电芯") + "\n"},
			problems: []chainscope.Problem{{File: "links.csv", Sheet: "links", Row: 3, Column: "产品", Value: "负极材料",
				Message: "文件不是 UTF-8 编码"}},
		},
		{
			name:  "GBK header",
			files: files{"企业.csv": gbk(t, "企业编号,企业名称\nE1,山西\n")},
			problems: []chainscope.Problem{{File: "企业.csv", Sheet: "enterprises", Row: 1, Column: "A", Value: "企业编号",
				Message: "save it as “CSV UTF-8"}},
		},
		{
			name:  "bare quote",
			files: files{"links.csv": "上游,下游,产品\nA,B,x\n\nC,D,12\" pipe\nE,F,y\n"},
			problems: []chainscope.Problem{{File: "links.csv", Sheet: "links", Row: 4, Column: "产品",
				Message: "引号不配对 malformed quoting"}},
		},
		{
			name:  "unclosed quote",
			files: files{"links.csv": "上游,下游,产品\n\"A\nB\",B,x\nC,\"D,y\nE,F,z\n"},
			problems: []chainscope.Problem{{File: "links.csv", Sheet: "links", Row: 3, Column: "下游",
				Message: "引号不配对 malformed quoting"}},
		},
		{
			name:  "non-numeric amount",
			files: files{"projects.csv": "项目编号,总投资(万元)\nP1,100\nP2,一百\n"},
			problems: []chainscope.Problem{{File: "projects.csv", Sheet: "projects", Row: 3, Column: "总投资(万元)", Value: "一百",
				Message: "总投资(万元) (investment_wan) 不是数字 not a number"}},
		},
		{
			name:  "non-numeric 亿元 amount",
			files: files{"enterprises.csv": "id,Output_Yi\nE1,1.2.3\n"},
			problems: []chainscope.Problem{{File: "enterprises.csv", Sheet: "enterprises", Row: 2, Column: "Output_Yi", Value: "1.2.3",
				Message: "Output_Yi (output_yi) 不是数字 not a number"}},
		},
		{
			name:  "bad boolean",
			files: files{"项目.csv": "项目编号,战略性新兴产业\nP1,是\nP2,也许\n"},
			problems: []chainscope.Problem{{File: "项目.csv", Sheet: "projects", Row: 3, Column: "战略性新兴产业", Value: "也许",
				Message: "战略性新兴产业 (emerging) 不是“是/否” not a boolean"}},
		},
		{
			name:  "missing id column",
			files: files{"segments.csv": "产业链编号,环节名称\nbattery,锻后焦\n"},
			problems: []chainscope.Problem{{File: "segments.csv", Sheet: "segments", Row: 1, Column: "环节编号",
				Message: "缺少必需的列 环节编号 (id)"}},
		},
		{
			name:  "missing link end, English",
			files: files{"links.csv": "from,product\nA,x\n"},
			problems: []chainscope.Problem{{File: "links.csv", Sheet: "links", Row: 1, Column: "to",
				Message: "missing required column to"}},
		},
		{
			name:  "enterprise with nothing to key it by",
			files: files{"enterprises.csv": "所在县区,所属环节\n140827,a\n"},
			problems: []chainscope.Problem{{File: "enterprises.csv", Sheet: "enterprises", Row: 1, Column: "企业编号/统一社会信用代码/企业名称",
				Message: "缺少企业编号"}},
		},
		{
			name:  "duplicate column",
			files: files{"projects.csv": "项目编号,总投资(万元),总投资(亿元)\nP1,1,2\n"},
			problems: []chainscope.Problem{{File: "projects.csv", Sheet: "projects", Row: 1, Column: "总投资(亿元)", Value: "总投资(亿元)",
				Message: "重复"}},
		},
		{
			name:  "two region rows",
			files: files{"region.csv": "代码,名称\n140800,运城市\n140900,忻州市\n"},
			problems: []chainscope.Problem{{File: "region.csv", Sheet: "region", Row: 3, Column: "代码", Value: "140900",
				Message: "地区表只能有一行"}},
		},
		{
			name:     "no known file",
			files:    files{"data.csv": "a,b\n1,2\n", "readme.txt": "hi"},
			problems: []chainscope.Problem{{File: "", Message: "文件夹中没有可识别的 CSV 文件"}},
			warnings: []chainscope.Problem{{File: "data.csv", Message: "未知的 CSV 文件"}},
		},
		{
			name:     "unknown column is a warning",
			files:    files{"links.csv": "上游,下游,产品,联系人,电话\nA,B,x,张三,123\nC,D,y,李四,456\n"},
			warnings: []chainscope.Problem{{File: "links.csv", Sheet: "links", Row: 1, Column: "联系人", Message: "未知的列"}, {File: "links.csv", Sheet: "links", Row: 1, Column: "电话", Message: "未知的列"}},
		},
		{
			name:  "title row above the header",
			files: files{"links.csv": "运城市供需关系台账,,\n上游,下游,产品\nA,B,x\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			rec, probs := ReadCSV(dir)
			matchProblems(t, "problem", dir, probs, tc.problems)
			matchProblems(t, "warning", dir, rec.Warnings, tc.warnings)
		})
	}
}

// matchProblems checks got against want field by field; want.Message is a
// fragment the message must contain, want.File is relative to dir.
func matchProblems(t *testing.T, what, dir string, got, want []chainscope.Problem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%ss: got %d, want %d:\n%v", what, len(got), len(want), got)
		return
	}
	for i, w := range want {
		g := got[i]
		file := filepath.Join(dir, w.File)
		if g.File != file || g.Sheet != w.Sheet || g.Row != w.Row || g.Column != w.Column || g.Value != w.Value ||
			!strings.Contains(g.Message, w.Message) {
			t.Errorf("%s %d:\n got  %q %q row %d col %q val %q: %s\n want %q %q row %d col %q val %q: …%s…",
				what, i, g.File, g.Sheet, g.Row, g.Column, g.Value, g.Message, file, w.Sheet, w.Row, w.Column, w.Value, w.Message)
		}
	}
}

// TestReadCSVLargeFileBadCell puts one bad cell in the middle of a 10 000-row
// links file: the problem must name exactly that row.
func TestReadCSVLargeFileBadCell(t *testing.T) {
	build := func(bad string) string {
		var b strings.Builder
		b.WriteString("\uFEFF上游,下游,产品,备注\n")
		for i := 2; i <= 10_001; i++ {
			product := "产品"
			if i == 5001 {
				product = bad
			}
			fmt.Fprintf(&b, "E%d,E%d,%s,第%d行\n", i, i+1, product, i)
		}
		return b.String()
	}
	tests := []struct {
		name, bad string
		want      chainscope.Problem
	}{
		{"not UTF-8", gbk(t, "锻后焦"), chainscope.Problem{File: "links.csv", Sheet: "links", Row: 5001, Column: "产品", Value: "锻后焦", Message: "UTF-8"}},
		{"bare quote", `12" pipe`, chainscope.Problem{File: "links.csv", Sheet: "links", Row: 5001, Column: "产品", Message: "引号"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"links.csv": build(tc.bad)})
			_, probs := ReadCSV(dir)
			matchProblems(t, "problem", dir, probs, []chainscope.Problem{tc.want})
		})
	}
	t.Run("clean", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"links.csv": build("ok")})
		rec, probs := ReadCSV(dir)
		if len(probs) > 0 || len(rec.Links) != 10_000 {
			t.Fatalf("%d links, problems %v", len(rec.Links), probs)
		}
		if l := rec.Links[4999]; l.At.Row != 5001 || l.Product != "ok" || l.Note != "第5001行" {
			t.Errorf("link at row %d: %+v", l.At.Row, l)
		}
	})
}

func TestReadCSVSingleFileAndMissing(t *testing.T) {
	dir := writeFiles(t, map[string]string{"links.csv": "上游,下游\nA,B\n", "other.csv": "x\n"})
	rec, probs := ReadCSV(filepath.Join(dir, "links.csv"))
	if len(probs) > 0 || len(rec.Links) != 1 {
		t.Errorf("single file: %v %v", probs, rec.Links)
	}
	_, probs = ReadCSV(filepath.Join(dir, "other.csv"))
	if len(probs) != 1 {
		t.Errorf("unknown single file: %v", probs)
	}
	_, probs = ReadCSV(filepath.Join(dir, "nope"))
	if len(probs) != 1 || probs[0].File != filepath.Join(dir, "nope") {
		t.Errorf("missing folder: %v", probs)
	}
}

func TestWriteCSVLayout(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCSV(dir, tabularDataset()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "projects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if want := utf8BOM + "项目编号,项目名称,投资主体,所在县区,所属环节,总投资(万元),签约日期,开工日期,项目状态,战略性新兴产业,来源,备注"; lines[0] != want {
		t.Errorf("header %q", lines[0])
	}
	if want := "P-2024-017,年产7万吨锂电池材料(锻后焦)项目,E-zhenghong,140827,battery.coke,10000,2024-03-15,2024-04-01,开工,是,,"; lines[1] != want {
		t.Errorf("row %q\nwant %q", lines[1], want)
	}
	if want := "'+P2,"; !strings.HasPrefix(lines[2], want) {
		t.Errorf("row %q does not guard its id", lines[2])
	}
	b, _ = os.ReadFile(filepath.Join(dir, "enterprises.csv"))
	if !strings.Contains(string(b), "1000000000000000000000") || !strings.Contains(string(b), "0.30000000000000004") {
		t.Errorf("amounts not exact:\n%s", b)
	}
}

// FuzzReadCSV feeds arbitrary bytes to the CSV reader as every entity, and
// as a zip of CSV files. It must never panic, and every problem and record
// must say where it came from.
func FuzzReadCSV(f *testing.F) {
	ds := tabularDataset()
	for e := range entityCount {
		f.Add(csvBytes(f, ds, e), uint8(e))
	}
	f.Add([]byte("上游,下游,产品\n\"a\nb\",\"c\"\"d\",e\n\n,,\nx"), uint8(entLinks))
	f.Add([]byte("项目编号,总投资(亿元),签约日期,战略性新兴产业,项目状态\nP1,1.5,2024年3月15日,是,在建\nP2,abc,x,maybe,?\n"), uint8(entProjects))
	f.Add([]byte("\xef\xbb\xbf企业名称,统一社会信用代码,所属环节\n\xd5\xfd,,a、b\n"), uint8(entEnterprises))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		rec := &Records{}
		var probs []chainscope.Problem
		if which%10 == 9 {
			r, ps := ReadCSVZip(bytes.NewReader(data), int64(len(data)), "fuzz.zip")
			rec, probs = r, ps
		} else {
			readCSVStream(bytes.NewReader(data), int64(len(data)), "fuzz.csv", entity(which%10%uint8(entityCount)), "name", rec, &probs)
		}
		for _, p := range probs {
			if p.File == "" {
				t.Errorf("problem without a file: %v", p)
			}
		}
		for _, e := range rec.Enterprises {
			if e.Segments == nil || e.LeaderOf == nil || e.At.Row < 2 {
				t.Errorf("enterprise %+v", e)
			}
		}
		for _, p := range rec.Projects {
			if p.Segments == nil || p.At.Row < 2 {
				t.Errorf("project %+v", p)
			}
		}
		for _, l := range rec.Links {
			if l.At.Sheet == nil || l.At.Row < 2 {
				t.Errorf("link %+v", l)
			}
		}
	})
}

func BenchmarkReadCSV(b *testing.B) {
	ds := genDataset(20_000, 20_000, 200_000)
	dir := b.TempDir()
	if err := WriteCSV(dir, ds); err != nil {
		b.Fatal(err)
	}
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		size += info.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		rec, probs := ReadCSV(dir)
		if len(probs) > 0 || len(rec.Links) != len(ds.Links) {
			b.Fatal(probs)
		}
	}
}
