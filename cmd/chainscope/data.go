package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"chainscope"
	"chainscope/dataset"
	"chainscope/store"
	"chainscope/synth"
)

func init() {
	register("import", "import --db FILE [--mode replace|merge] [--strict] PATH...   导入 JSON / xlsx / CSV 文件夹", cmdImport)
	register("validate", "validate PATH...   检查数据集，不写入数据库 check a dataset without storing it", cmdValidate)
	register("export", "export --db FILE [--as-of REV|YYYY-MM-DD] [--format json|xlsx|csv|graphml] -o PATH   导出整个数据集（或某个修订时的数据；未给 --format 时按 -o 的扩展名）export the dataset", cmdExport)
	register("init", "init --db FILE [--force]   用内置运城市数据集创建数据库 create a database from the built-in dataset", cmdInit)
	register("gen", "gen [--scale small|province] [--enterprises N --projects N --links N --seed S] [--format json|csv|xlsx|graphml] -o PATH   生成合成数据（未给 --format 时按 -o 的扩展名 .json/.xlsx/.graphml）generate a synthetic dataset", cmdGen)
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	modeName := fs.String("mode", "replace", "replace | merge")
	strict := fs.Bool("strict", false, "把疑似重复的企业（名称和县区相同、编号不同）当作错误 refuse an enterprise that looks like another under a second id (same name and county), instead of warning")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%w: 缺少要导入的文件 no PATH to import", errUsage)
	}
	mode, err := dataset.ParseMode(*modeName)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	// A database that holds data already is compared with, not rewritten
	// (SPEC §8: the import writes what differs): read it while the input
	// is read and checked.
	var db *store.DB
	var early chan storedData
	if st, err := os.Stat(*dbPath); store.IsPostgresURL(*dbPath) || (err == nil && st.Mode().IsRegular() && st.Size() > 0) {
		if db, err = openStore(ctx, *dbPath); err != nil {
			return err
		}
		defer db.Close()
		if rev, err := db.LatestRevision(ctx); err == nil && rev > 0 {
			early = make(chan storedData, 1)
			go func() {
				ds, v, err := db.LoadVersion(ctx)
				early <- storedData{ds, v, err}
			}()
			defer func() {
				if early != nil {
					<-early // not taken: the input failed; let the read end before Close
				}
			}()
		}
	}
	// The links of a CSV folder, most of a large import, are still being
	// read while the other records are checked and written (and then
	// checked themselves while the store works); any problem anywhere rolls
	// the write back.
	recs, problems, rest := dataset.ReadPathsLinksLater(paths...)
	recs.Strict = *strict
	readLinks := slices.Clip(recs.Links)
	var stored *chainscope.Dataset
	var storedVersion int64
	takeEarly := func() error {
		if early == nil {
			return nil
		}
		got := <-early
		early = nil
		stored, storedVersion = got.ds, got.version
		return got.err
	}
	// invalid gives every problem of the import at once, as validate
	// does: the readers', the region's and Build's (dataset.Check).
	invalid := func() error {
		later, read := rest()
		all := *recs
		all.Links = append(readLinks, later.Links...)
		_, problems := dataset.Check(stored, &all, read, mode)
		return &chainscope.InvalidError{Problems: problems}
	}
	// failed is invalid when reading found problems: the checks that stopped
	// at them are run on everything read; otherwise it is problems.
	failed := func(problems []chainscope.Problem) error {
		if _, read := rest(); len(read) > 0 {
			return invalid()
		}
		return &chainscope.InvalidError{Problems: problems}
	}
	if len(problems) > 0 {
		if err := takeEarly(); err != nil {
			return err
		}
		return invalid() // nothing opened or created for an input with problems
	}
	if db == nil {
		if db, err = openStore(ctx, *dbPath); err != nil {
			return err
		}
		defer db.Close()
	}
	if early != nil {
		if err := takeEarly(); err != nil {
			return err
		}
	} else if mode == dataset.ModeMerge || recs.Region == nil {
		if stored, storedVersion, err = db.LoadVersion(ctx); err != nil {
			return err
		}
	}
	// Without a region sheet the stored region is kept, else inferred from
	// the county codes (SPEC §3).
	var storedRegion *chainscope.Region
	if stored != nil {
		storedRegion = &stored.Region
	}
	if len(dataset.FillRegion(recs, storedRegion)) > 0 {
		return invalid()
	}
	// A replace is checked on its own; the stored data is only what it is
	// compared with.
	base := stored
	if mode == dataset.ModeReplace {
		base = nil
	}
	staged := dataset.ApplyStagedLinksLater(base, recs, mode, rest)
	if staged.Nodes == nil {
		_, problems := staged.Wait()
		return failed(problems)
	}
	var ds *chainscope.Dataset
	links := func() ([]chainscope.Link, error) {
		var problems []chainscope.Problem
		if ds, problems = staged.Wait(); len(problems) > 0 {
			return nil, &chainscope.InvalidError{Problems: problems}
		}
		return ds.Links, nil
	}
	update, finish := e.progress("导入 importing")
	err = db.ReplaceWith(ctx, staged.Nodes, store.ReplaceOptions{Progress: update, Links: links, LinkCount: staged.LinkCount,
		Stored: stored, StoredVersion: storedVersion,
		Meta: cliMeta("import " + string(mode))})
	finish()
	if inv := (*chainscope.InvalidError)(nil); errors.As(err, &inv) {
		return failed(inv.Problems)
	}
	if err != nil {
		return fmt.Errorf("导入失败，数据库未改变 import failed, database unchanged: %w", err)
	}
	storeSnapshot(ctx, e, db)
	later, _ := rest()
	printWarnings(e.stderr, append(append(recs.Warnings, later.Warnings...), dataset.ImportWarnings(recs)...))
	fmt.Fprintf(e.stdout, "已导入 imported %s: %s\n", store.SafeTarget(*dbPath), summary(ds))
	return nil
}

func cmdValidate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%w: 缺少要检查的文件 no PATH to validate", errUsage)
	}
	recs, read := dataset.ReadPaths(paths...)
	ds, problems := dataset.Check(nil, recs, read, dataset.ModeReplace)
	if len(problems) > 0 {
		return &chainscope.InvalidError{Problems: problems}
	}
	printWarnings(e.stderr, append(recs.Warnings, dataset.ImportWarnings(recs)...))
	fmt.Fprintf(e.stdout, "数据有效 valid: %s\n", summary(ds))
	return nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	format := fs.String("format", "json", "json | xlsx | csv | graphml")
	out := fs.String("o", "", "output file (a folder for csv); - for standard output")
	asOf := asOfFlag(fs)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("o", *out); err != nil {
		return err
	}
	var err error
	if *format, err = outputFormat(fs, *format, *out); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, rev, err := loadAsOf(ctx, db, *asOf)
	if err != nil {
		return err
	}
	// The time of the revision the export shows, for the formats that
	// carry a date (SPEC §8).
	if rev == 0 {
		if rev, err = db.LatestRevision(ctx); err != nil {
			return err
		}
	}
	var at time.Time
	if rev > 0 {
		r, err := db.Revision(ctx, rev)
		if err != nil {
			return err
		}
		at = r.At
	}
	stop := e.spinner("导出 exporting")
	defer stop()
	return writeDataset(ds, *format, *out, e.stdout, at)
}

// storedData is the stored dataset as an import read it, with its data
// version.
type storedData struct {
	ds      *chainscope.Dataset
	version int64
	err     error
}

// writeDataset writes ds in format to out: a file, a folder (csv) or "-".
// at is the time of the revision ds is, for the formats that carry a date.
func writeDataset(ds *chainscope.Dataset, format, out string, stdout io.Writer, at time.Time) error {
	var write func(io.Writer, *chainscope.Dataset) error
	switch format {
	case "json":
		write = dataset.WriteJSON
	case "xlsx":
		write = func(w io.Writer, ds *chainscope.Dataset) error { return dataset.WriteXLSXAt(w, ds, at) }
	case "graphml":
		write = dataset.WriteGraphML
	case "csv":
		if out == "-" {
			return fmt.Errorf("%w: csv 导出为文件夹，不能写到标准输出 csv writes a folder, not stdout", errUsage)
		}
		return dataset.WriteCSV(out, ds)
	default:
		return fmt.Errorf("%w: 未知格式 unknown format %q", errUsage, format)
	}
	return writeOutput(out, stdout, func(w io.Writer) error { return write(w, ds) })
}

// writeOutput writes what fill writes to out: standard output for "-",
// else the file, replaced atomically (writeFileAtomic).
func writeOutput(out string, stdout io.Writer, fill func(io.Writer) error) error {
	if out == "-" {
		return fill(stdout)
	}
	return writeFileAtomic(out, fill)
}

// formatByExt is the file format each output extension names.
var formatByExt = map[string]string{".json": "json", ".xlsx": "xlsx", ".graphml": "graphml"}

// outputFormat settles the format of gen's and export's output: --format
// when given, else the one the name's extension says (data.xlsx), else
// format (the default). A name whose extension says another format than
// --format, or .csv for anything but a csv folder, is refused: import
// reads a file by its extension, and must read what gen and export wrote.
func outputFormat(fs *flag.FlagSet, format, out string) (string, error) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
	if out == "-" {
		return format, nil
	}
	ext := strings.ToLower(filepath.Ext(out))
	byName, known := formatByExt[ext]
	switch {
	case !set && known:
		return byName, nil
	case set && known && byName != format:
		return "", fmt.Errorf("%w: 文件名 %s 是 %s 格式，与 --format %s 不符 the name %s says %s, not --format %s", errUsage, out, byName, format, out, byName, format)
	case ext == ".csv" && format != "csv":
		return "", fmt.Errorf("%w: csv 导出为文件夹：用 --format csv -o 文件夹 csv writes a folder: use --format csv -o DIR", errUsage)
	}
	return format, nil
}

// writeFileAtomic writes a file through a temporary beside it, so that a
// failed export never leaves half a file under the real name. The file has
// the mode a file the user creates has (0666 less the umask), or the mode
// of the file it replaces.
func writeFileAtomic(path string, fill func(io.Writer) error) error {
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		if err := tmp.Chmod(st.Mode().Perm()); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := fill(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// createTemp creates a new hidden file beside path, with mode 0666 for the
// umask to narrow (os.CreateTemp makes 0600, which is for secrets).
func createTemp(path string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("无法在 %s 建立临时文件 cannot create a temporary file beside %s", path, path)
}

func cmdInit(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	dbPath := fs.String("db", "chainscope.db", "SQLite database file or postgres:// URL")
	force := fs.Bool("force", false, "replace the data of a database that already holds some")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	empty, err := db.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty && !*force {
		return fmt.Errorf("数据库已有数据，未改变；用 --force 覆盖 %s already holds data (use --force to replace it)", store.SafeTarget(*dbPath))
	}
	ds, err := seedBuiltin(ctx, db)
	if err != nil {
		return err
	}
	storeSnapshot(ctx, e, db)
	fmt.Fprintf(e.stdout, "已创建 created %s: %s\n", store.SafeTarget(*dbPath), summary(ds))
	return nil
}

// initSummary names the revision that stores the built-in dataset.
const initSummary = "init built-in dataset"

// openOrSeed opens the database at path, creating it from the built-in
// 运城市 dataset, with its county boundaries, when the file does not exist
// yet (SPEC §7 serve); a PostgreSQL database (a URL) is seeded when it
// holds no data yet.
func openOrSeed(ctx context.Context, path string) (*store.DB, error) {
	_, statErr := os.Stat(path)
	db, err := openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	seed := errors.Is(statErr, os.ErrNotExist)
	if db.Engine() != "sqlite" {
		// Not a file: seeding again on every start would write the
		// built-in data over what the servers have stored.
		if seed, err = db.Empty(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if seed {
		if _, err := seedBuiltin(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func cmdGen(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	scale := fs.String("scale", "small", "small | province")
	ents := fs.Int("enterprises", 0, "enterprises (overrides --scale)")
	projs := fs.Int("projects", 0, "projects (overrides --scale)")
	links := fs.Int("links", 0, "links (overrides --scale)")
	seed := fs.Int64("seed", 0, "random seed (overrides --scale)")
	format := fs.String("format", "json", "json | csv | xlsx | graphml")
	out := fs.String("o", "-", "output file (a folder for csv); - for standard output")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	var err error
	if *format, err = outputFormat(fs, *format, *out); err != nil {
		return err
	}
	var o synth.Options
	switch *scale {
	case "small":
		o = synth.Small()
	case "province":
		o = synth.Province()
	default:
		return fmt.Errorf("%w: 未知规模 unknown scale %q", errUsage, *scale)
	}
	for _, v := range []struct {
		set int
		dst *int
	}{{*ents, &o.Enterprises}, {*projs, &o.Projects}, {*links, &o.Links}} {
		if v.set < 0 {
			return fmt.Errorf("%w: 数量不能为负 counts must be ≥ 0", errUsage)
		}
		if v.set > 0 {
			*v.dst = v.set
		}
	}
	if *seed != 0 {
		o.Seed = *seed
	}
	stop := e.spinner("生成 generating")
	defer stop()
	return writeDataset(synth.Generate(o), *format, *out, e.stdout, time.Time{})
}

func summary(ds *chainscope.Dataset) string {
	segs := 0
	for _, c := range ds.Chains {
		segs += len(c.Segments)
	}
	return fmt.Sprintf("%s %s — %d 县区 counties, %d 产业链 chains, %d 环节 segments, %d 企业 enterprises, %d 项目 projects, %d 供需关系 links",
		ds.Region.Code, ds.Region.Name, len(ds.Counties), len(ds.Chains), segs, len(ds.Enterprises), len(ds.Projects), len(ds.Links))
}

func printWarnings(w io.Writer, warnings []chainscope.Problem) {
	for _, p := range warnings {
		fmt.Fprintf(w, "警告 warning: %s\n", p)
	}
}
