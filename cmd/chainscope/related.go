package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
)

func init() {
	register("related", "related --db FILE --area CODE [--chain ID] [--limit N] [--as-of REV|YYYY-MM-DD] [--json]   延链建议：县区下一步可发展的环节 which segments a county could grow next (SPEC §11)", cmdRelated)
}

// defaultRelated is how many suggestions related prints without --limit,
// as GET /api/v1/relatedness answers.
const defaultRelated = 20

func cmdRelated(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("related", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "", "county code (a district, county or city; not a zone, not *)")
	chain := fs.String("chain", "", "only segments of this chain (default: every chain)")
	limit := fs.Int("limit", defaultRelated, "at most this many suggestions")
	asJSON := fs.Bool("json", false, "print the SPEC §11 JSON")
	asOf := asOfFlag(fs)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if err := required("area", *area); err != nil {
		return err
	}
	if *limit < 1 {
		return fmt.Errorf("%w: --limit 应为正整数 must be a positive integer: %d", errUsage, *limit)
	}
	ds, ix, err := loadIndex(ctx, *dbPath, *asOf)
	if err != nil {
		return err
	}
	rel, err := ix.Related(*area, *chain, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, rel)
	}
	return writeRelatedTable(e.stdout, ds, rel)
}

// segmentNames maps segment ids to their names.
func segmentNames(ds *chainscope.Dataset) map[string]string {
	m := map[string]string{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			m[s.ID] = s.Name
		}
	}
	return m
}

// densityBar draws a density in [0, 1] as ten cells, filled by tenths.
// Every bar has ten cells, so the column lines up however a terminal
// draws the block characters.
func densityBar(d float64) string {
	n := min(max(int(math.Round(d*10)), 0), 10)
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// writeRelatedTable prints the suggestions of rel as a table: segment
// (name and id), chain, density as a number and a bar, and the held
// segments the suggestion rests on, by name with their proximity.
func writeRelatedTable(w io.Writer, ds *chainscope.Dataset, rel *graph.Relatedness) error {
	n := names(ds)
	seg := segmentNames(ds)
	scope := "全部产业链 all chains"
	if rel.Chain != "" {
		scope = n[rel.Chain] + " 产业链"
	}
	fmt.Fprintf(w, "%s · 延链建议 which segment next · %s\n", n[rel.Area], scope)
	fmt.Fprintln(w, "密度 density: 常与该环节同在一个县区的环节中，本县区已有的比重（按接近度加权，0–1）；描述本地区数据中的同地分布，不是预测 — co-location in this region's data, not a forecast")
	fmt.Fprintln(w)
	if len(rel.Suggestions) == 0 {
		_, err := fmt.Fprintln(w, "没有建议：本县区已有这些环节 no suggestions: the county holds every segment")
		return err
	}
	var tw table
	tw.add("环节 segment", "产业链 chain", "密度 density", "依据 because（接近度 proximity）")
	for _, s := range rel.Suggestions {
		because := make([]string, len(s.Because))
		for i, b := range s.Because {
			because[i] = seg[b.Segment] + "（" + strconv.FormatFloat(b.Proximity, 'f', -1, 64) + "）"
		}
		tw.add(seg[s.Segment]+" "+s.Segment, n[s.Chain], fmt.Sprintf("%.4f %s", s.Density, densityBar(s.Density)),
			strings.Join(because, "、"))
	}
	return tw.write(w)
}
