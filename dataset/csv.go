package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"chainscope"
)

// utf8BOM is what Excel puts before a "CSV UTF-8" file.
const utf8BOM = "\uFEFF"

// ReadCSV reads a folder of CSV files (SPEC §3), one file per entity named
// after it in English or Chinese (links.csv, 供需关系.csv, …), plus an optional
// region.csv (地区.csv). Files may start with a BOM. Other .csv files are
// ignored with a warning; a folder with none of the known files is a
// problem. A path to a single known .csv file reads just that file.
//
// Problems are reader-level (a file that is not UTF-8, broken quoting, an
// amount that is not a number, …); Build checks the rest.
func ReadCSV(dir string) (*Records, []chainscope.Problem) {
	rec := &Records{}
	var probs []chainscope.Problem
	st, err := os.Stat(dir)
	if err != nil {
		return rec, []chainscope.Problem{{File: dir, Message: fmt.Sprintf("无法打开 cannot open: %v", err)}}
	}
	if !st.IsDir() {
		ent, how, warn := recogniseCSV(dir, filepath.Base(dir), func() (io.ReadCloser, error) { return os.Open(dir) })
		if how == "" {
			rec.partial = true
			return rec, []chainscope.Problem{{File: dir, Message: "无法从文件名或表头看出是哪张表 cannot tell the table from the file name or its header: " + csvNames()}}
		}
		if warn != nil {
			rec.Warnings = append(rec.Warnings, *warn)
		}
		readCSVFile(dir, ent, how, rec, &probs)
		return rec, probs
	}
	now, probs, _ := readCSVDir(dir, false)
	return now, probs
}

// readCSVDir reads a folder of CSV files (see ReadCSV). The files are read
// at once, each into its own records, and joined in folder order: the
// result, problems included, is what reading them one after the other
// gives, with the small tables read while the links are. With linksLater
// it returns as soon as every file but the links tables is read, with
// their records and problems; wait then waits for the links tables and
// returns their records and the problems of the whole folder, in order.
// Otherwise wait is nil.
func readCSVDir(dir string, linksLater bool) (now *Records, probs []chainscope.Problem, wait func() (*Records, []chainscope.Problem)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &Records{}, []chainscope.Problem{{File: dir, Message: fmt.Sprintf("无法读取文件夹 cannot read folder: %v", err)}}, nil
	}
	type part struct {
		rec   Records
		probs []chainscope.Problem
		later bool // a links table read after readCSVDir returns
	}
	var parts []*part
	var first, second sync.WaitGroup
	pending := 0
	found := false
	var seen []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		seen = append(seen, name)
		if !isCSVName(name) {
			continue
		}
		p := filepath.Join(dir, name)
		ent, how, warn := recogniseCSV(p, name, func() (io.ReadCloser, error) { return os.Open(p) })
		pt := &part{}
		parts = append(parts, pt)
		if warn != nil {
			pt.rec.Warnings = []chainscope.Problem{*warn}
		}
		if how == "" {
			continue
		}
		found = true
		wg := &first
		if linksLater && ent == entLinks {
			pt.later, wg = true, &second
			pending += estimateRows(p)
		}
		wg.Go(func() { readCSVFile(p, ent, how, &pt.rec, &pt.probs) })
	}
	var missing []chainscope.Problem
	if !found {
		missing = []chainscope.Problem{{File: dir,
			Message: fmt.Sprintf("文件夹中没有可识别的 CSV 文件 no known CSV file in the folder (文件 files: %s); %s", quoteList(seen), csvNames())}}
	}
	// records joins the records of the parts keep chooses, and problems
	// their problems, in folder order.
	records := func(keep func(*part) bool) *Records {
		rec := &Records{}
		for _, pt := range parts {
			if keep(pt) {
				rec.Append(&pt.rec)
			}
		}
		return rec
	}
	problems := func(keep func(*part) bool) []chainscope.Problem {
		var probs []chainscope.Problem
		for _, pt := range parts {
			if keep(pt) {
				probs = append(probs, pt.probs[:min(len(pt.probs), chainscope.MaxProblems-len(probs))]...)
			}
		}
		return append(probs, missing...)
	}
	all := func(*part) bool { return true }
	first.Wait()
	if !linksLater {
		rec := records(all)
		rec.partial = rec.partial || !found
		return rec, problems(all), nil
	}
	now = records(func(pt *part) bool { return !pt.later })
	now.partial = now.partial || !found
	now.linksPending = pending
	wait = sync.OnceValues(func() (*Records, []chainscope.Problem) {
		second.Wait()
		return records(func(pt *part) bool { return pt.later }), problems(all)
	})
	return now, problems(func(pt *part) bool { return !pt.later }), wait
}

// estimateRows guesses the number of rows of a CSV file from its size and
// the lines in its first 64 KiB; exact for a file that small. It is for a
// progress bar only: 0 when the file cannot be read.
func estimateRows(p string) int {
	f, err := os.Open(p)
	if err != nil {
		return 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	lines := bytes.Count(buf[:n], []byte{'\n'})
	if n == 0 || int64(n) == st.Size() {
		return max(lines-1, 0) // less the header
	}
	return int(st.Size() * int64(lines) / int64(n))
}

// ReadCSVZip reads a zip archive of CSV files named as for ReadCSV (folders
// inside the archive are looked through). name is the archive's name as the
// user knows it; problems name a file as name/entry.
func ReadCSVZip(r io.ReaderAt, size int64, name string) (*Records, []chainscope.Problem) {
	rec := &Records{}
	var probs []chainscope.Problem
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // nothing is written to disk
		rec.partial = true
		return rec, []chainscope.Problem{{File: name, Message: fmt.Sprintf("不是有效的 zip 文件 not a valid zip file: %v", err)}}
	}
	found := false
	var seen []string
	for _, f := range zr.File {
		entry := zipEntryName(f)
		if f.FileInfo().IsDir() || strings.HasPrefix(entry, "__MACOSX/") || strings.HasPrefix(path.Base(entry), ".") {
			continue
		}
		seen = append(seen, entry)
		if !isCSVName(path.Base(entry)) {
			continue
		}
		file := name + "/" + entry
		ent, how, warn := recogniseCSV(file, path.Base(entry), func() (io.ReadCloser, error) { return f.Open() })
		if warn != nil {
			rec.Warnings = append(rec.Warnings, *warn)
		}
		if how == "" {
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			rec.partial = true
			probs = append(probs, chainscope.Problem{File: file, Sheet: specs[ent].name,
				Message: fmt.Sprintf("无法解压 cannot unpack: %v", err)})
			continue
		}
		// The declared size only sizes the records; it is bounded by what
		// deflate can expand the archive to, so that a lying header cannot
		// make the reader reserve memory the data does not fill.
		hint := int64(min(f.UncompressedSize64, uint64(max(size, 0))*maxDeflateRatio))
		readCSVStream(rc, hint, file, ent, how, rec, &probs)
		rc.Close()
	}
	if !found {
		rec.partial = true
		probs = append(probs, chainscope.Problem{File: name,
			Message: fmt.Sprintf("压缩包中没有可识别的 CSV 文件 no known CSV file in the archive (文件 entries: %s); %s", quoteList(seen), csvNames())})
	}
	return rec, probs
}

// zipEntryName is the name of a zip entry as its maker meant it: an entry
// without the UTF-8 flag whose name is not UTF-8 was written by Windows'
// own zip (Explorer's “send to compressed folder”, most Chinese tools),
// which writes names in the system code page, GBK on Chinese Windows.
// Backslashes some Windows tools write are made slashes.
func zipEntryName(f *zip.File) string {
	entry := f.Name
	if f.NonUTF8 && !utf8.ValidString(entry) {
		entry = decodeGBK(entry)
	}
	return strings.ReplaceAll(entry, `\`, "/")
}

// recogniseCSV tells the entity of the CSV file named base (file in
// messages): by its name, else by its header row, read through open. how
// is "name" or "header", or "" when the file is not recognised; warn, when
// not nil, says what was done (read by its header, or ignored).
func recogniseCSV(file, base string, open func() (io.ReadCloser, error)) (ent entity, how string, warn *chainscope.Problem) {
	if ent, ok := csvEntity(base); ok {
		return ent, "name", nil
	}
	var rows [][]string
	if rc, err := open(); err == nil {
		rows = csvHeadRows(rc)
		rc.Close()
	}
	ent, ok, tied := entityByHeader(rows)
	switch {
	case ok:
		return ent, "header", &chainscope.Problem{File: file,
			Message: fmt.Sprintf("按表头识别为%s表 recognised by its header as %s", entityNames([]entity{ent}), specs[ent].name)}
	case len(tied) > 1:
		return 0, "", &chainscope.Problem{File: file,
			Message: fmt.Sprintf("无法从表头确定是哪张表（可能是 %s），已忽略；请按表名命名文件 cannot tell the table from its header (%s?), ignored: name the file after its table",
				entityNames(tied), entityNames(tied))}
	}
	return 0, "", &chainscope.Problem{File: file, Message: "未知的 CSV 文件，已忽略 unknown CSV file ignored; " + csvNames()}
}

// csvHeadRows returns the first non-blank records of a CSV file, for
// entityByHeader.
func csvHeadRows(r io.Reader) [][]string {
	br := bufio.NewReader(io.LimitReader(r, 64<<10))
	if b, _ := br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out [][]string
	for n := 0; n < headRowsMax; n++ {
		cells, err := cr.Read()
		if err != nil {
			break
		}
		if !blankRow(cells) {
			out = append(out, cells)
		}
	}
	return out
}

// maxDeflateRatio bounds how much larger deflated data can become.
const maxDeflateRatio = 1100

// isCSVName reports whether a file name is a CSV file worth reading: not
// hidden and not an Office lock file.
func isCSVName(name string) bool {
	return strings.EqualFold(path.Ext(name), ".csv") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "~$")
}

// csvEntity recognises a CSV file by its name without the extension.
func csvEntity(name string) (entity, bool) {
	return entityByName(name[:len(name)-len(path.Ext(name))])
}

// csvNames lists the file names ReadCSV knows, for messages.
func csvNames() string {
	var b strings.Builder
	b.WriteString("应为 expected ")
	for e, s := range specs {
		if e > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s.csv/%s.csv", s.name, s.zh)
	}
	return b.String()
}

func decodeGBK(s string) string {
	out, err := simplifiedchinese.GBK.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

func readCSVFile(p string, ent entity, how string, rec *Records, probs *[]chainscope.Problem) {
	f, err := os.Open(p)
	if err != nil {
		rec.partial = true
		*probs = append(*probs, chainscope.Problem{File: p, Sheet: specs[ent].name,
			Message: fmt.Sprintf("无法打开 cannot open: %v", err)})
		return
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	readCSVStream(f, size, p, ent, how, rec, probs)
}

// readCSVStream reads one CSV file of entity ent into rec. Rows are
// numbered as a spreadsheet shows them: a record with line breaks inside a
// quoted cell is one row, and a blank line is a (skipped) row. size is the
// length of the file when known (0 otherwise), to size the records once.
func readCSVStream(r io.Reader, size int64, file string, ent entity, how string, rec *Records, probs *[]chainscope.Problem) {
	t := newTable(ent, file, specs[ent].name, rec, probs)
	t.csvQuotes = true
	if how == "header" {
		t.found = how
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // ragged rows: missing cells are empty
	cr.ReuseRecord = true
	row, end := 0, 0 // the spreadsheet row of the last record, and its last line
	sized := false   // the records have been sized for the whole file
	for !t.full() {
		cells, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			rec.partial = true
			var pe *csv.ParseError
			if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)) {
				// The reader hands back the cells before the bad one.
				t.problem(chainscope.Problem{File: file, Sheet: t.sheet.Name, Row: row + pe.StartLine - end,
					Column: t.columnName(len(cells)),
					Message: fmt.Sprintf("引号不配对 malformed quoting (第 %d 行第 %d 个字符 line %d, character %d): %v；"+
						"含逗号、引号或换行的单元格须整体加双引号，其中的双引号写两遍 a cell with a comma, quote or line break must be quoted, with \"\" for a quote",
						pe.Line, pe.Column, pe.Line, pe.Column, pe.Err)})
			} else {
				t.problem(chainscope.Problem{File: file, Sheet: t.sheet.Name, Row: row + 1,
					Message: fmt.Sprintf("读取失败 read error: %v", err)})
			}
			return
		}
		start, _ := cr.FieldPos(0)
		row += start - end
		last, _ := cr.FieldPos(len(cells) - 1)
		end = last + strings.Count(cells[len(cells)-1], "\n")
		for i, c := range cells {
			if !utf8.ValidString(c) {
				t.problem(chainscope.Problem{File: file, Sheet: t.sheet.Name, Row: row, Column: t.columnName(i),
					Value: shorten(decodeGBK(c)),
					Message: "文件不是 UTF-8 编码（可能是 Excel 存成了 GBK/ANSI）：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）” " +
						"file is not UTF-8 (GBK from Excel?): save it as “CSV UTF-8 (comma delimited)”"})
				rec.partial = true
				return
			}
		}
		t.row(cells, row)
		if !sized && row >= sampleRows && size > 0 {
			// Guess the number of rows from the bytes the first ones took.
			sized = true
			if off := cr.InputOffset(); off > 0 && off < size {
				t.reserve(int(float64(size-off) / float64(off) * float64(row) * 1.05))
			}
		}
	}
	t.finish()
}

// sampleRows is how many rows readCSVStream reads before it estimates the
// size of the whole file.
const sampleRows = 200

// shorten keeps a problem's value readable.
func shorten(s string) string {
	const maxRunes = 80
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxRunes]) + "…"
}

// WriteCSV writes ds as a folder of CSV files that ReadCSV reads back to the
// same records: region.csv and one file per entity, English file names,
// Chinese headers (SPEC §3 plus 来源 and 备注), UTF-8 with a BOM so that
// Excel opens it correctly. dir is created if needed; existing files of the
// same names are replaced.
//
// Text that a spreadsheet would run as a formula (starting with = + - @, a
// tab or a carriage return) is written with a leading ', which ReadCSV
// removes again. The one thing CSV cannot keep is a CR LF pair inside a
// text: it reads back as LF.
func WriteCSV(dir string, ds *chainscope.Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for e := range entityCount {
		if !writesSheet(ds, e) {
			continue
		}
		p := filepath.Join(dir, specs[e].name+".csv")
		if err := writeCSVFile(p, ds, e); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	return nil
}

func writeCSVFile(p string, ds *chainscope.Dataset, e entity) (err error) {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := writeCSV(bw, ds, e); err != nil {
		return err
	}
	return bw.Flush()
}

// writeCSV writes the file of entity e, BOM included.
func writeCSV(w io.Writer, ds *chainscope.Dataset, e entity) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(sheetHeaders(ds, e)); err != nil {
		return err
	}
	var rec []string
	err := rowsOf(ds, e, func(cells []outCell) error {
		rec = rec[:0]
		for _, c := range cells {
			switch {
			case !c.num:
				rec = append(rec, csvText(c.text))
			case c.amount == nil:
				rec = append(rec, "")
			default:
				rec = append(rec, amountText(*c.amount))
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvText guards text that a spreadsheet would run as a formula with a
// leading ', and a text that already starts with such a guard with one more,
// so that table.unquote restores it exactly.
func csvText(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c != '\'' && formulaStart(c) || c == '\'' && len(s) > 1 && formulaStart(s[1]) {
		return "'" + s
	}
	return s
}
