package dataset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"chainscope"
	"chainscope/dataset/gbt2260"
)

// ReadPaths reads every path — a .json file, an .xlsx workbook, a .zip of
// CSV files or a folder of CSV files — into one set of records: several paths
// form one dataset (SPEC §7 import). Problems of every path are returned.
func ReadPaths(paths ...string) (*Records, []chainscope.Problem) {
	all := &Records{}
	var problems []chainscope.Problem
	for _, p := range paths {
		recs, probs := ReadPath(p)
		all.Append(recs)
		problems = append(problems, probs...)
	}
	return all, problems
}

// ReadPathsLinksLater is ReadPaths for an import that starts checking and
// writing before the links, most of a large dataset, are read: when the
// last path is a CSV folder, its links.csv is still being read when it
// returns. recs holds
// every other record and problems the problems found in them; wait (safe
// to call more than once) waits for the rest and returns the links read
// since, with their warnings, and every problem of every path, as ReadPaths
// reports them. Any problem at all means nothing may be stored.
func ReadPathsLinksLater(paths ...string) (recs *Records, problems []chainscope.Problem, wait func() (*Records, []chainscope.Problem)) {
	recs = &Records{}
	type read struct {
		probs []chainscope.Problem
		wait  func() (*Records, []chainscope.Problem)
	}
	reads := make([]read, len(paths))
	for i, p := range paths {
		var now *Records
		// Only the last path's links may come later: the links keep the
		// order ReadPaths gives them, which is the order they are stored in.
		if st, err := os.Stat(p); err == nil && st.IsDir() && i == len(paths)-1 {
			now, reads[i].probs, reads[i].wait = readCSVDir(p, true)
		} else {
			now, reads[i].probs = ReadPath(p)
		}
		recs.Append(now)
		if now != nil {
			recs.linksPending += now.linksPending
		}
		problems = append(problems, reads[i].probs...)
	}
	wait = sync.OnceValues(func() (*Records, []chainscope.Problem) {
		later := &Records{}
		var all []chainscope.Problem
		for _, r := range reads {
			probs := r.probs
			if r.wait != nil {
				var links *Records
				links, probs = r.wait()
				later.Append(links)
			}
			all = append(all, probs...)
		}
		return later, all
	})
	return recs, problems, wait
}

// ReadPath reads one path, choosing the format by its kind and extension.
func ReadPath(path string) (*Records, []chainscope.Problem) {
	fail := func(format string, args ...any) (*Records, []chainscope.Problem) {
		return &Records{partial: true}, []chainscope.Problem{{File: path, Message: fmt.Sprintf(format, args...)}}
	}
	st, err := os.Stat(path)
	if err != nil {
		return fail("无法打开 cannot open: %v", err)
	}
	if st.IsDir() {
		return ReadCSV(path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		f, err := os.Open(path)
		if err != nil {
			return fail("无法打开 cannot open: %v", err)
		}
		defer f.Close()
		return ReadJSON(f, path)
	case ".csv":
		return ReadCSV(path)
	case ".xlsx", ".xlsm":
		return ReadXLSX(path)
	case ".graphml":
		return fail(graphMLImport)
	case ".zip":
		f, err := os.Open(path)
		if err != nil {
			return fail("无法打开 cannot open: %v", err)
		}
		defer f.Close()
		return ReadCSVZip(f, st.Size(), path)
	}
	// No extension we know (gen -o data): tell the format by the content.
	switch sniffFile(path) {
	case "json":
		f, err := os.Open(path)
		if err != nil {
			return fail("无法打开 cannot open: %v", err)
		}
		defer f.Close()
		return ReadJSON(f, path)
	case "xlsx":
		return ReadXLSX(path)
	case "zip":
		f, err := os.Open(path)
		if err != nil {
			return fail("无法打开 cannot open: %v", err)
		}
		defer f.Close()
		return ReadCSVZip(f, st.Size(), path)
	case "graphml":
		return fail(graphMLImport)
	case "xls":
		return fail("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx legacy .xls is not supported; save it as .xlsx")
	}
	return fail("不支持的文件类型 unsupported file type %q: 请使用 .json、.xlsx、.zip 或 CSV 文件夹 use .json, .xlsx, .zip or a folder of CSV files", filepath.Ext(path))
}

// sourceFile is the file the first record of in was read from, to name
// in a problem about the whole input; "" when none says.
func sourceFile(in *Records) string {
	var ats []chainscope.Origin
	if len(in.Counties) > 0 {
		ats = append(ats, in.Counties[0].At)
	}
	if len(in.Chains) > 0 {
		ats = append(ats, in.Chains[0].At)
	}
	if len(in.Enterprises) > 0 {
		ats = append(ats, in.Enterprises[0].At)
	}
	if len(in.Projects) > 0 {
		ats = append(ats, in.Projects[0].At)
	}
	if len(in.Links) > 0 {
		ats = append(ats, in.Links[0].At)
	}
	for _, at := range ats {
		if at.Sheet != nil && at.Sheet.File != "" {
			return at.Sheet.File
		}
	}
	return ""
}

// graphMLImport is the answer to importing a GraphML file.
const graphMLImport = "GraphML 只用于导出到其他软件，不能导入 GraphML is an export for other tools and cannot be imported: 请使用 .json、.xlsx、.zip 或 CSV 文件夹 use .json, .xlsx, .zip or a folder of CSV files"

// sniffFile tells the format of a file by its first bytes: "json", "xlsx"
// (a zip holding xl/workbook.xml), "zip" (any other zip: CSV files),
// "graphml", "xls" (a legacy workbook), or "" when it cannot tell.
func sniffFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		st, err := f.Stat()
		if err != nil {
			return ""
		}
		zr, err := zip.NewReader(f, st.Size())
		if err != nil {
			return "zip" // ReadCSVZip says what is wrong with it
		}
		for _, e := range zr.File {
			if e.Name == "xl/workbook.xml" {
				return "xlsx"
			}
		}
		return "zip"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		return "xls"
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte(utf8BOM)), " \t\r\n")
	switch {
	case bytes.HasPrefix(text, []byte("{")):
		return "json"
	case bytes.HasPrefix(text, []byte("<")) && bytes.Contains(head, []byte("<graphml")):
		return "graphml"
	}
	return ""
}

// Mode says how an import treats the data already stored.
type Mode string

// The import modes of SPEC §7.
const (
	ModeReplace Mode = "replace" // the import becomes the whole dataset
	ModeMerge   Mode = "merge"   // the import is upserted by key into the stored data
)

// ParseMode reads a mode name; "" means replace.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeReplace:
		return ModeReplace, nil
	case ModeMerge:
		return ModeMerge, nil
	}
	return "", chainscope.Localizedf(chainscope.EINVALID, "未知的导入方式 %q：应为 replace 或 merge", "unknown mode %q: expected replace or merge", s)
}

// Apply computes the dataset an import leaves: in replace mode the records
// themselves, in merge mode the stored dataset with the records upserted.
// Records without a region take one as FillRegion gives it. The result is
// fully checked; with problems it is nil and nothing should be stored.
func Apply(stored *chainscope.Dataset, in *Records, mode Mode) (*chainscope.Dataset, []chainscope.Problem) {
	return Build(prepare(stored, in, mode))
}

// prepare gives the records Apply checks.
func prepare(stored *chainscope.Dataset, in *Records, mode Mode) *Records {
	if stored != nil {
		FillRegion(in, &stored.Region)
	} else {
		FillRegion(in, nil)
	}
	if mode == ModeMerge && stored != nil {
		in = Merge(Flatten(stored), in)
	}
	return in
}

// Check is what validate, import and the upload do with what the readers
// gave: in, read with the problems read, is applied to stored in mode (as
// Apply does; stored may be nil) and every problem is returned at once —
// the readers' first, then the region's (FillRegion), then those Build
// finds, at most chainscope.MaxProblems. Build is skipped only when a
// reader lost records (a sheet it could not read): it would report every
// reference to them as unknown. The dataset is nil when there is any
// problem.
func Check(stored *chainscope.Dataset, in *Records, read []chainscope.Problem, mode Mode) (*chainscope.Dataset, []chainscope.Problem) {
	var storedRegion *chainscope.Region
	if stored != nil {
		storedRegion = &stored.Region
	}
	problems := append([]chainscope.Problem(nil), read...)
	if in.partial {
		return nil, capProblems(problems)
	}
	region := FillRegion(in, storedRegion)
	problems = append(problems, region...)
	ds, built := Apply(stored, in, mode)
	if len(region) > 0 {
		// FillRegion said why there is no region; Build says only that.
		built = slices.DeleteFunc(built, func(p chainscope.Problem) bool { return p == missingRegion() })
	}
	problems = append(problems, built...)
	if len(problems) > 0 {
		return nil, capProblems(problems)
	}
	return ds, nil
}

// missingRegion is the problem Build reports for records without a region.
var missingRegion = sync.OnceValue(func() chainscope.Problem {
	if _, probs := Build(&Records{}); len(probs) > 0 && probs[0].Row == 0 && probs[0].File == "" {
		return probs[0]
	}
	return chainscope.Problem{Message: "\x00"} // matches nothing
})

func capProblems(p []chainscope.Problem) []chainscope.Problem {
	return p[:min(len(p), chainscope.MaxProblems)]
}

// FillRegion gives records read without a region (a workbook or folder
// without a 地区/region sheet, SPEC §3) their region. An import into a
// database with a region keeps it (stored, nil for none). Otherwise the
// region is the smallest GB/T 2260 division that holds the codes of every
// county that is not a zone (140802, 140827 → 140800 运城市), named by
// GB/T 2260 (or by its code where the table lacks it), and a warning in
// in.Warnings says so. Only when the counties share no such code is the
// region left out and an error returned, saying why. Records with a region
// are left alone.
func FillRegion(in *Records, stored *chainscope.Region) []chainscope.Problem {
	if in.Region != nil {
		return nil
	}
	if stored != nil && stored.Code != "" {
		region := *stored
		in.Region = &region
		return nil
	}
	var codes []string
	for _, c := range in.Counties {
		if c.Kind != chainscope.KindZone {
			codes = append(codes, c.Code)
		}
	}
	file := sourceFile(in)
	at := chainscope.Origin{Sheet: &chainscope.Sheet{File: file, Name: specs[entRegion].zh}}
	code, ok := gbt2260.Region(codes)
	if !ok {
		why := "没有县区 there are no counties"
		if len(codes) > 0 {
			why = fmt.Sprintf("县区代码 %s 不都是同一省内的 GB/T 2260 县级代码 the county codes are not GB/T 2260 county-level codes of one province", shorten(strings.Join(codes, "、")))
		}
		return []chainscope.Problem{chainscope.ProblemAt(at, "", "",
			"缺少地区：没有地区（地区/region）表，也无法从县区代码推断：%s；请加一张“地区”表（代码、名称） missing region: no 地区/region sheet, and it cannot be inferred (%s); add a 地区 sheet with 代码 and 名称",
			why, why)}
	}
	name, known := gbt2260.Name(code)
	if !known {
		name = code
	}
	in.Region, in.RegionAt = &chainscope.Region{Code: code, Name: name}, at
	in.Warnings = append(in.Warnings, chainscope.ProblemAt(at, "", code,
		"没有地区表：按县区代码推断地区为 %s %s（GB/T 2260）；可加“地区”表或编辑地区以改名 no region sheet: the region is %s %s, inferred from the county codes; add a 地区 sheet or edit the region to rename it",
		code, name, code, name))
	return nil
}
