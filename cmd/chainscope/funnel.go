package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"chainscope"
	"chainscope/graph"
)

func init() {
	register("funnel", "funnel --db FILE [--area CODE|*] [--chain ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as-of REV|YYYY-MM-DD] [--json]   招商漏斗 the leads pipeline (SPEC §9)", cmdFunnel)
}

func cmdFunnel(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("funnel", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "*", "county or zone code (its zones included), * for the whole region")
	chain := fs.String("chain", "", "only leads with a segment of this chain (default: every chain)")
	from := fs.String("from", "", "first day of the period, YYYY-MM-DD (inclusive)")
	to := fs.String("to", "", "last day of the period, YYYY-MM-DD (inclusive)")
	asJSON := fs.Bool("json", false, "print the JSON of GET /api/v1/funnel")
	asOf := asOfFlag(fs)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if *area == "" {
		*area = "*"
	}
	p := graph.Period{From: *from, To: *to}
	if err := graph.CheckPeriod(p); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
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
	f, err := graph.NewFunnel(ds, *area, *chain, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, f)
	}
	return writeFunnelTable(e.stdout, ds, f)
}

// writeFunnelTable prints the funnel: a heading with the scope and period,
// then one row per stage with its count, conversion rate and a bar scaled
// to the first stage, and the dropped count.
func writeFunnelTable(w io.Writer, ds *chainscope.Dataset, f *graph.Funnel) error {
	n := names(ds)
	scope := n[f.Area]
	if f.Chain != "" {
		scope += " · " + n[f.Chain] + " 产业链"
	} else {
		scope += " · 全部产业链 all chains"
	}
	period := "全部 all dates"
	if f.From != "" || f.To != "" {
		period = f.From + " – " + f.To
	}
	fmt.Fprintf(w, "招商漏斗 leads funnel · %s · %s\n\n", scope, period)
	var tw table
	tw.add("阶段 stage", "线索 leads", "转化率 rate", "")
	top := f.Stages[0].Count
	for _, s := range f.Stages {
		rate := "—"
		if s.Rate != nil {
			rate = strconv.FormatFloat(*s.Rate*100, 'f', 2, 64) + "%"
		}
		bar := 0.0
		if top > 0 {
			bar = float64(s.Count) / float64(top)
		}
		tw.add(s.Stage.Label()+" "+string(s.Stage), chainscope.FormatCount(s.Count), rate, densityBar(bar))
	}
	tw.add(chainscope.LeadDropped.Label()+" dropped", chainscope.FormatCount(f.Dropped), "", "")
	return tw.write(w)
}
