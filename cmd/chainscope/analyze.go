package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

func init() {
	register("analyze", "analyze --db FILE (--area CODE --chain ID | --all) [--as-of REV|YYYY-MM-DD] [--json [--full]]   薄弱环节分析 weak-link analysis (SPEC §5–6)", cmdAnalyze)
}

// loadIndex opens an existing database and indexes its dataset: the
// current one, or the one stored right after the revision asOf names ("":
// now).
func loadIndex(ctx context.Context, path, asOf string) (*chainscope.Dataset, *graph.Index, error) {
	db, err := openExisting(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	ds, _, err := loadAsOf(ctx, db, asOf)
	if err != nil {
		return nil, nil, err
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		return nil, nil, err
	}
	return ds, ix, nil
}

// loadAnalysisIndex is loadIndex for the analysis alone. The current data
// comes from the stored index when it is of the current data version
// (snapshotIndex: the dataset is then the drive's, without enterprises,
// projects or links, and the index answers for every chain); otherwise it
// is read without link details and indexed from record numbers
// (store.DB.LoadForAnalysis, graph.NewIndexPairs): the dataset has no
// links, and with chainOf not "" only what the scopes of that chain read
// is loaded (see LoadForAnalysis) and the index answers for that chain
// alone. As of a revision it is loadIndex.
func loadAnalysisIndex(ctx context.Context, e *env, path, asOf, chainOf string) (*chainscope.Dataset, *graph.Index, error) {
	if asOf != "" {
		return loadIndex(ctx, path, asOf)
	}
	db, err := openExisting(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if ds, ix := snapshotIndex(ctx, e, db); ix != nil {
		return ds, ix, nil
	}
	return loadRecordsIndex(ctx, db, chainOf)
}

// loadRecordsIndex reads the current data of db for analysis and indexes
// it (see loadAnalysisIndex), without the stored index.
func loadRecordsIndex(ctx context.Context, db *store.DB, chainOf string) (*chainscope.Dataset, *graph.Index, error) {
	ds, pairs, err := db.LoadForAnalysis(ctx, chainOf)
	if err != nil {
		return nil, nil, err
	}
	ix, err := graph.NewIndexPairs(ds, pairs)
	if err != nil {
		return nil, nil, err
	}
	return ds, ix, nil
}

func cmdAnalyze(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	area := fs.String("area", "", "county code, or * for the whole region")
	chain := fs.String("chain", "", "chain id")
	all := fs.Bool("all", false, "every (area, chain) scope: * and each county")
	asJSON := fs.Bool("json", false, "print SPEC §6 JSON (JSON lines with --all)")
	asOf := asOfFlag(fs)
	full := fs.Bool("full", false, "with --json: add every chain leader's whole supplier list (leader_suppliers)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if !*all {
		if err := required("area", *area); err != nil {
			return err
		}
		if err := required("chain", *chain); err != nil {
			return err
		}
	}
	only := *chain
	if *all {
		only = ""
	}
	ds, ix, err := loadAnalysisIndex(ctx, e, *dbPath, *asOf, only)
	if err != nil {
		return err
	}
	if *all {
		res, err := ix.AnalyzeAll()
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSONLines(e.stdout, res)
		}
		return writeSummaryTable(e.stdout, ds, res)
	}
	sc, err := ix.Scope(*area, *chain)
	if err != nil {
		return err
	}
	rep := sc.DriveReport(ds)
	if *asJSON && *full {
		out := fullReport{Report: rep, LeaderSuppliers: map[string][]graph.Supplier{}}
		for _, l := range rep.LeaderDependency {
			p, err := sc.LeaderSuppliers(l.ID, 0, 0)
			if err != nil {
				return err
			}
			out.LeaderSuppliers[l.ID] = p.Items
		}
		return writeJSON(e.stdout, out)
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	return writeAnalysisTable(e.stdout, ds, ix, rep)
}

// fullReport is `analyze --json --full`: the report with every chain
// leader's whole supplier list, by leader id, in supplier order (what
// GET /api/v1/leaders/{id}/suppliers pages through).
type fullReport struct {
	*graph.Report
	LeaderSuppliers map[string][]graph.Supplier `json:"leader_suppliers"`
}

func writeJSONLines[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// names maps ids of counties, chains and nodes to names for readable output.
func names(ds *chainscope.Dataset) map[string]string {
	m := map[string]string{graph.AllAreas: ds.Region.Name + "（全市域）"}
	for _, c := range ds.Counties {
		m[c.Code] = c.Name
	}
	for _, c := range ds.Chains {
		m[c.ID] = c.Name
	}
	for _, e := range ds.Enterprises {
		m[e.ID] = e.Name
	}
	for _, p := range ds.Projects {
		m[p.ID] = p.Name
	}
	return m
}

// statusLabel renders a segment's status in Chinese.
func statusLabel(s graph.SegmentResult) string {
	switch s.Status {
	case graph.Missing:
		l := "缺链 missing"
		if s.Broken {
			l += " · 断链 broken"
		}
		if s.SuppliedExternally {
			l += " · 外部供给 supplied externally"
		}
		return l
	case graph.Weak:
		var rs []string
		for _, r := range s.Reasons {
			switch r {
			case graph.ReasonSingle:
				rs = append(rs, "单一 single")
			case graph.ReasonPlannedOnly:
				rs = append(rs, "仅规划 planned only")
			}
		}
		return "薄弱 weak (" + strings.Join(rs, ", ") + ")"
	}
	return "正常 ok"
}

func writeAnalysisTable(w io.Writer, ds *chainscope.Dataset, ix *graph.Index, rep *graph.Report) error {
	n := names(ds)
	node := func(id string) string { name, _ := ix.NodeName(id); return name }
	a := rep.Analysis
	fmt.Fprintf(w, "%s · %s 产业链  完整度 completeness %.2f%%\n", n[a.Area], n[a.Chain], a.Completeness*100)
	fmt.Fprintf(w, "企业 %d · 项目 %d · 供需关系 %d · 项目投资 %.2f 亿元\n\n", a.Totals.Enterprises, a.Totals.Projects, a.Totals.Links, a.Totals.InvestmentWan/10000)
	var tw table
	tw.add("环节 segment", "位置 stage", "状态 status", "节点 nodes")
	for _, s := range a.Segments {
		var nodes []string
		for _, id := range s.Nodes {
			nodes = append(nodes, node(id))
		}
		tw.add(s.Name, s.Stage.Label(), statusLabel(s), strings.Join(nodes, "、"))
	}
	if err := tw.write(w); err != nil {
		return err
	}
	if len(a.CutNodes) > 0 {
		fmt.Fprintln(w, "\n关键节点 cut nodes (impact):")
		for _, c := range a.CutNodes {
			fmt.Fprintf(w, "  %s %s  %d\n", c.ID, node(c.ID), c.Impact)
		}
	}
	if len(a.Bridges) > 0 {
		fmt.Fprintln(w, "\n关键链接 bridges (impact):")
		for _, b := range a.Bridges {
			fmt.Fprintf(w, "  %s — %s  %d\n", node(b.A), node(b.B), b.Impact)
		}
	}
	if len(rep.GapTargets) > 0 {
		fmt.Fprintln(w, "\n招商推荐 gap-filling targets:")
		for _, g := range rep.GapTargets {
			var cs []string
			for i, c := range g.Candidates {
				if i == 3 {
					break
				}
				cs = append(cs, c.Name)
			}
			if len(cs) > 0 {
				fmt.Fprintf(w, "  %s: %s\n", g.Name, strings.Join(cs, "、"))
			}
		}
	}
	return nil
}

func writeSummaryTable(w io.Writer, ds *chainscope.Dataset, res []*graph.Analysis) error {
	n := names(ds)
	var tw table
	tw.add("县区 area", "产业链 chain", "完整度", "缺链", "断链", "薄弱", "节点")
	for _, a := range res {
		var missing, broken, weak int
		for _, s := range a.Segments {
			switch s.Status {
			case graph.Missing:
				missing++
				if s.Broken {
					broken++
				}
			case graph.Weak:
				weak++
			}
		}
		tw.add(n[a.Area], n[a.Chain], fmt.Sprintf("%.2f%%", a.Completeness*100), strconv.Itoa(missing), strconv.Itoa(broken),
			strconv.Itoa(weak), strconv.Itoa(a.Totals.Enterprises+a.Totals.Projects))
	}
	return tw.write(w)
}
