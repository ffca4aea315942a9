package store

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"chainscope"
)

// BenchmarkReplace imports benchScale (20 000 enterprises, 4 000 projects,
// 200 000 links: about 237 000 rows with the join tables), into a new
// database ("new") and over the same data already stored ("over").
func BenchmarkReplace(b *testing.B) {
	benchReplace(b, benchScale)
}

// BenchmarkReplaceProvince is BenchmarkReplace at the scale of the
// performance target (1 000 000 links, about 1.2M rows). Skipped with -short.
func BenchmarkReplaceProvince(b *testing.B) {
	if testing.Short() {
		b.Skip("province scale")
	}
	benchReplace(b, provinceScale)
}

func benchReplace(b *testing.B, cfg genConfig) {
	ds := genDataset(cfg)
	n := rows(ds)
	ctx := context.Background()
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		var cpu time.Duration
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			db, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("new%d.db", i)))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			c := processCPU()
			if err := db.Replace(ctx, ds); err != nil {
				b.Fatal(err)
			}
			cpu += processCPU() - c
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
		reportRows(b, n, cpu)
	})
	b.Run("over", func(b *testing.B) {
		db, _ := openTemp(b)
		mustReplace(b, db, ds)
		b.ReportAllocs()
		b.ResetTimer()
		c := processCPU()
		for b.Loop() {
			if err := db.Replace(ctx, ds); err != nil {
				b.Fatal(err)
			}
		}
		reportRows(b, n, processCPU()-c)
	})
}

// BenchmarkLoad loads benchScale back.
func BenchmarkLoad(b *testing.B) {
	benchLoad(b, benchScale)
}

// BenchmarkLoadProvince loads provinceScale back. Skipped with -short.
func BenchmarkLoadProvince(b *testing.B) {
	if testing.Short() {
		b.Skip("province scale")
	}
	benchLoad(b, provinceScale)
}

func benchLoad(b *testing.B, cfg genConfig) {
	ds := genDataset(cfg)
	n := rows(ds)
	db, _ := openTemp(b)
	mustReplace(b, db, ds)
	b.ReportAllocs()
	b.ResetTimer()
	c := processCPU()
	for b.Loop() {
		if _, err := db.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b, n, processCPU()-c)
}

// reportRows reports rows/s of wall time, and CPU time per operation with
// rows per CPU second: on a shared machine the CPU figures are the ones that
// compare across runs.
func reportRows(b *testing.B, rows int, cpu time.Duration) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}

// BenchmarkSQLiteCLIImport is the yardstick of the performance target: the
// sqlite3 command-line shell's .import of the same rows, as CSV, into
// tables without any index or constraint, in WAL mode with
// synchronous=NORMAL like Open. The CSV files are written before the timer
// starts; only the sqlite3 process is timed. Skipped without sqlite3 on
// PATH; CHAINSCOPE_BENCH_SCALE=province selects provinceScale.
func BenchmarkSQLiteCLIImport(b *testing.B) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("no sqlite3 on PATH")
	}
	cfg := benchScale
	if os.Getenv("CHAINSCOPE_BENCH_SCALE") == "province" {
		cfg = provinceScale
	}
	ds := genDataset(cfg)
	n := rows(ds)
	dir := b.TempDir()
	script, err := writeCSV(dir, ds)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		dbPath := filepath.Join(dir, fmt.Sprintf("cli%d.db", i))
		cmd := exec.Command(shell, dbPath)
		cmd.Stdin = strings.NewReader(script)
		cmd.Dir = dir
		b.StartTimer()
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 && !strings.HasPrefix(string(out), "wal") {
			b.Fatalf("sqlite3: %v\n%s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	reportRows(b, n, cpu)
}

// writeCSV writes one CSV file per table of ds into dir (the same rows
// Replace writes) and returns the sqlite3 shell script that imports them.
func writeCSV(dir string, ds *chainscope.Dataset) (string, error) {
	tables := map[string][][]string{}
	order := []string{}
	add := func(table string, row ...string) {
		if _, ok := tables[table]; !ok {
			order = append(order, table)
		}
		tables[table] = append(tables[table], row)
	}
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	r := ds.Region
	add("region", "1", r.Code, r.Name, r.Source, r.Note)
	for _, c := range ds.Counties {
		add("counties", c.Code, c.Name, string(c.Kind), c.Parent, c.Source, c.Note)
	}
	for _, c := range ds.Chains {
		add("chains", c.ID, c.Name, c.Source, c.Note)
	}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			add("segments", s.ID, c.ID, s.Name, string(s.Stage), s.Source, s.Note)
		}
	}
	for _, c := range ds.Chains {
		for _, fl := range c.Flows {
			add("flows", c.ID, fl.From, fl.To)
		}
	}
	for _, e := range ds.Enterprises {
		add("enterprises", e.ID, e.Name, e.USCC, e.County, f(e.OutputWan), e.Source, e.Note)
	}
	for _, e := range ds.Enterprises {
		for _, s := range e.Segments {
			add("enterprise_segments", e.ID, s)
		}
	}
	for _, e := range ds.Enterprises {
		for _, c := range e.LeaderOf {
			add("enterprise_leaders", e.ID, c)
		}
	}
	for _, p := range ds.Projects {
		em := "0"
		if p.Emerging {
			em = "1"
		}
		add("projects", p.ID, p.Name, p.Investor, p.County, f(p.InvestmentWan), p.Signed, p.Started, string(p.Status), em, p.Source, p.Note)
	}
	for _, p := range ds.Projects {
		for _, s := range p.Segments {
			add("project_segments", p.ID, s)
		}
	}
	for _, l := range ds.Links {
		add("links", l.From, l.To, l.Product, l.Source, l.Note)
	}

	var script strings.Builder
	script.WriteString("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n")
	for _, table := range order {
		rows := tables[table]
		cols := make([]string, len(rows[0]))
		for i := range cols {
			cols[i] = fmt.Sprintf("c%d", i)
		}
		fmt.Fprintf(&script, "CREATE TABLE %s (%s);\n", table, strings.Join(cols, ", "))
		file, err := os.Create(filepath.Join(dir, table+".csv"))
		if err != nil {
			return "", err
		}
		w := csv.NewWriter(file)
		if err := w.WriteAll(rows); err != nil {
			file.Close()
			return "", err
		}
		if err := file.Close(); err != nil {
			return "", err
		}
	}
	// One transaction around all the imports, as Replace has.
	script.WriteString("BEGIN;\n")
	for _, table := range order {
		fmt.Fprintf(&script, ".import --csv %s.csv %s\n", table, table)
	}
	script.WriteString("COMMIT;\n")
	return script.String(), nil
}
