package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"chainscope/graph"
)

func init() {
	register("whatif", "whatif --db FILE --area CODE --chain ID [--as-of REV|YYYY-MM-DD] [--operate P1,P2] [--remove E1,E2] [--json]   情景推演：项目投产或企业退出后的变化 what-if", cmdWhatIf)
}

// idList splits a comma-separated flag value into ids.
func idList(s string) []string {
	out := []string{}
	for _, id := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' }) {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func cmdWhatIf(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "", "county code, or * for the whole region")
	chain := fs.String("chain", "", "chain id")
	operate := fs.String("operate", "", "project ids that become operating, comma-separated")
	remove := fs.String("remove", "", "enterprise or project ids removed with their links (a failing supplier), comma-separated")
	asJSON := fs.Bool("json", false, "print JSON")
	asOf := asOfFlag(fs)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	for _, r := range []struct{ name, v string }{{"db", *dbPath}, {"area", *area}, {"chain", *chain}} {
		if err := required(r.name, r.v); err != nil {
			return err
		}
	}
	sc := graph.Scenario{Operate: idList(*operate), Remove: idList(*remove)}
	if len(sc.Operate)+len(sc.Remove) == 0 {
		return fmt.Errorf("%w: 需要 --operate 或 --remove give --operate or --remove", errUsage)
	}
	ds, ix, err := loadIndex(ctx, *dbPath, *asOf)
	if err != nil {
		return err
	}
	w, err := ix.WhatIf(*area, *chain, sc)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, w)
	}
	n := names(ds)
	fmt.Fprintf(e.stdout, "%s · %s 产业链  完整度 completeness %.2f%% → %.2f%%\n", n[w.Area], n[w.Chain], w.CompletenessBefore*100, w.CompletenessAfter*100)
	if len(w.Changes) == 0 {
		fmt.Fprintln(e.stdout, "环节状态无变化 no segment changes")
	}
	before := map[string]graph.SegmentResult{}
	for _, s := range w.Before.Segments {
		before[s.ID] = s
	}
	after := map[string]graph.SegmentResult{}
	for _, s := range w.After.Segments {
		after[s.ID] = s
	}
	for _, c := range w.Changes {
		fmt.Fprintf(e.stdout, "  %s: %s → %s\n", c.Name, statusLabel(before[c.ID]), statusLabel(after[c.ID]))
	}
	for _, c := range w.CutNodesAdded {
		fmt.Fprintf(e.stdout, "  新关键节点 new cut node: %s (impact %d)\n", n[c.ID], c.Impact)
	}
	for _, c := range w.CutNodesRemoved {
		fmt.Fprintf(e.stdout, "  不再是关键节点 no longer a cut node: %s\n", n[c.ID])
	}
	return nil
}
