package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"chainscope"
	"chainscope/graph"
	"chainscope/report"
)

func init() {
	register("report", "report --db FILE --period YYYY-MM [--area CODE|*] -o FILE.html|FILE.xlsx [--lang zh|en] [--annual-target-yi N]   月度通报 the monthly progress report", cmdReport)
}

func cmdReport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "*", "county code, or * (or the region's code) for the region")
	period := fs.String("period", "", "the month YYYY-MM")
	out := fs.String("o", "", "output file: .html (print-ready A4 page) or .xlsx (workbook)")
	lang := fs.String("lang", "zh", "language: zh or en")
	targetYi := fs.Float64("annual-target-yi", 0, "annual investment target in 亿元 (default: the latest report record's target, as the server has it)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	for _, r := range [][2]string{{"db", *dbPath}, {"period", *period}, {"o", *out}} {
		if err := required(r[0], r[1]); err != nil {
			return err
		}
	}
	if _, _, err := graph.PeriodBounds(graph.PeriodMonth, *period); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *targetYi < 0 || math.IsInf(*targetYi, 0) || math.IsNaN(*targetYi) {
		return fmt.Errorf("%w: --annual-target-yi 应为正数 must be a positive number", errUsage)
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".html" && ext != ".htm" && ext != ".xlsx" {
		return fmt.Errorf("%w: -o 应以 .html 或 .xlsx 结尾 must end in .html or .xlsx: %s", errUsage, *out)
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, version, err := db.LoadVersion(ctx)
	if err != nil {
		return err
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		return err
	}
	h, err := report.LoadHistory(ctx, db, *period)
	if err != nil {
		return err
	}
	target := chainscope.AnnualTargetWan(ds, *targetYi*chainscope.WanPerYi) // as `chainscope serve` has it
	c, err := report.Build(report.Input{DS: ds, Ix: ix, Area: *area, Period: *period, TargetWan: target,
		History: h, DataVersion: version, Lang: *lang})
	if err != nil {
		return err
	}
	return writeFileAtomic(*out, func(w io.Writer) error {
		if ext == ".xlsx" {
			return c.XLSX(w)
		}
		return c.HTML(w)
	})
}
