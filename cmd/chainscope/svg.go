package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"chainscope/graph"
	"chainscope/render"
	"chainscope/server"
)

func init() {
	register("svg", "svg --db FILE --area CODE --chain ID [--as-of REV|YYYY-MM-DD] [--lang zh|en] [--aspect 16:9|4:3|a4] -o FILE   产业链全景 SVG（汇报用）the briefing diagram", cmdSVG)
}

func cmdSVG(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("svg", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "", "county code, or * for the whole region")
	chain := fs.String("chain", "", "chain id")
	lang := fs.String("lang", "zh", "zh | en")
	out := fs.String("o", "", "output file; - for standard output")
	asOf := asOfFlag(fs)
	aspectFlag := fs.String("aspect", render.DefaultAspect, "page shape: 16:9 (a slide), 4:3, a4 (A4 portrait, 210:297) or W:H")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	for _, r := range []struct{ name, v string }{{"db", *dbPath}, {"area", *area}, {"chain", *chain}, {"o", *out}} {
		if err := required(r.name, r.v); err != nil {
			return err
		}
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	aspect, err := render.ParseAspect(*aspectFlag)
	if err != nil {
		return fmt.Errorf("%w: --aspect: %v", errUsage, err)
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, _, err := loadAsOf(ctx, db, *asOf)
	if err != nil {
		return err
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		return err
	}
	a, err := ix.Analyze(*area, *chain)
	if err != nil {
		return err
	}
	o, err := server.BriefingOptions(ctx, db, *lang, aspect, *asOf)
	if err != nil {
		return err
	}
	body, err := render.SVG(ds, a, o)
	if err != nil {
		return err
	}
	return writeOutput(*out, e.stdout, func(w io.Writer) error { _, err := w.Write(body); return err })
}
