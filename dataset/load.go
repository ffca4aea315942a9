package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"chainscope"
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
		return nil, []chainscope.Problem{{File: path, Message: fmt.Sprintf(format, args...)}}
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
	case ".zip":
		f, err := os.Open(path)
		if err != nil {
			return fail("无法打开 cannot open: %v", err)
		}
		defer f.Close()
		return ReadCSVZip(f, st.Size(), path)
	}
	return fail("不支持的文件类型 unsupported file type %q: 请使用 .json、.xlsx、.zip 或 CSV 文件夹 use .json, .xlsx, .zip or a folder of CSV files", filepath.Ext(path))
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
	return "", chainscope.Errorf(chainscope.EINVALID, "未知的导入方式 unknown mode %q: 应为 expected replace 或 merge", s)
}

// Apply computes the dataset an import leaves: in replace mode the records
// themselves, in merge mode the stored dataset with the records upserted.
// Tabular sources name no region: then the stored region is kept. The result
// is fully checked; with problems it is nil and nothing should be stored.
func Apply(stored *chainscope.Dataset, in *Records, mode Mode) (*chainscope.Dataset, []chainscope.Problem) {
	return Build(prepare(stored, in, mode))
}

// prepare gives the records Apply checks.
func prepare(stored *chainscope.Dataset, in *Records, mode Mode) *Records {
	if in.Region == nil && stored != nil && stored.Region.Code != "" {
		region := stored.Region
		in.Region = &region
	}
	if mode == ModeMerge && stored != nil {
		in = Merge(Flatten(stored), in)
	}
	return in
}
