package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"chainscope/store"
)

func init() {
	register("history", "history --db FILE [--limit N] [--json]   修订历史，最新在前 the revisions, newest first (SPEC §8)", cmdHistory)
}

// revisionPage is what `history --json` prints: the object of GET
// /api/v1/revisions (SPEC §8).
type revisionPage struct {
	Revisions []store.Revision `json:"revisions"`
	Total     int              `json:"total"`
}

// timeLayout is how a revision's time reads in tables (Asia/Shanghai).
const timeLayout = "2006-01-02 15:04:05"

func cmdHistory(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	limit := fs.Int("limit", 0, "show the newest N revisions only (0: all)")
	asJSON := fs.Bool("json", false, `print {"revisions": [...], "total": N} as GET /api/v1/revisions does`)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if *limit < 0 {
		return fmt.Errorf("%w: --limit 应为非负整数 must be ≥ 0", errUsage)
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	revs, total, err := db.Revisions(ctx, *limit, 0)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, revisionPage{Revisions: revs, Total: total})
	}
	return writeHistoryTable(e.stdout, revs, total)
}

// writeJSON writes v as indented JSON, leaving <, > and & as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeHistoryTable(w io.Writer, revs []store.Revision, total int) error {
	if total == 0 {
		_, err := fmt.Fprintln(w, "没有修订 no revisions")
		return err
	}
	var tw table
	tw.add("修订 rev", "时间 at (Asia/Shanghai)", "操作人 by", "摘要 summary")
	for _, r := range revs {
		tw.add(strconv.FormatInt(r.Rev, 10), r.At.In(store.Shanghai).Format(timeLayout), r.By, r.Summary)
	}
	if err := tw.write(w); err != nil {
		return err
	}
	if len(revs) < total {
		_, err := fmt.Fprintf(w, "\n显示最新 %d 个，共 %d 个修订 the newest %d of %d revisions\n", len(revs), total, len(revs), total)
		return err
	}
	return nil
}
