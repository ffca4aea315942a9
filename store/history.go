package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"chainscope"
)

// Revision is one committed write (SPEC §8).
type Revision struct {
	Rev     int64     `json:"rev"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Summary string    `json:"summary"`
}

// Meta says who writes a revision and what it is.
type Meta struct {
	By      string // the editor's name, or "cli"
	Summary string // e.g. "edit project P-17"; Commit appends the counts of records written
	// Progress, when not nil, is called now and then with the records
	// written so far and their total, and with done == total once only
	// the commit remains.
	Progress func(done, total int)
}

// atLayout is how revisions.at is stored: UTC with a fixed width, so that
// comparing the text compares the times.
const atLayout = "2006-01-02T15:04:05.000000000Z"

// Shanghai is the time zone of the users (no daylight saving time): a
// revision's at is shown in it and an as_of date ends at its midnight.
var Shanghai = time.FixedZone("CST", 8*60*60)

// ErrStale is returned by Commit when the database no longer holds the data
// version the changes were computed against: another writer came first.
var ErrStale = errors.New("store: the data changed since it was read")

// Commit writes changes, computed against the data stored at data version
// base (see LoadVersion; a negative base skips the check), as one revision
// in one transaction: each changed or removed record's current row moves to
// history, each changed or added record's new version becomes current. Only
// the records named are touched. It returns the revision, or ErrStale (and
// writes nothing) when another write committed after base.
func (db *DB) Commit(ctx context.Context, base int64, changes []chainscope.RecordChange, meta Meta) (Revision, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return Revision{}, fmt.Errorf("commit: %w", err)
	}
	defer tx.Rollback()
	if base >= 0 {
		var v int64
		if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&v); err != nil {
			return Revision{}, fmt.Errorf("commit: %w", err)
		}
		if v != base {
			return Revision{}, ErrStale
		}
	}
	rev, err := db.newRevision(ctx, tx, meta, changeCounts(changes))
	if err != nil {
		return Revision{}, err
	}
	w := &versioner{ctx: ctx, tx: tx, rev: rev.Rev, stmts: map[string]*dbStmt{}, nodes: map[string]int64{}, progress: meta.Progress}
	defer w.close()
	if err := w.apply(changes); err != nil {
		if ctx.Err() != nil {
			return Revision{}, fmt.Errorf("commit: %w", ctx.Err())
		}
		return Revision{}, db.replaceError(err)
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return Revision{}, fmt.Errorf("commit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Revision{}, db.replaceError(err)
	}
	return rev, nil
}

// changeCounts counts changes by kind.
func changeCounts(changes []chainscope.RecordChange) map[string]int {
	n := map[string]int{}
	for i := range changes {
		n[changes[i].Kind]++
	}
	return n
}

// newRevision numbers the next revision (no gaps: numbers are taken inside
// the writing transaction, so a rolled-back write takes none) and records it.
func (db *DB) newRevision(ctx context.Context, tx *dbTx, meta Meta, counts map[string]int) (Revision, error) {
	r := Revision{At: db.Now().UTC(), By: meta.By, Summary: meta.Summary}
	if r.By == "" {
		r.By = "cli"
	}
	if s := chainscope.SummarizeChanges(counts); r.Summary == "" {
		r.Summary = s
	} else {
		r.Summary += ": " + s
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) + 1 FROM revisions`).Scan(&r.Rev); err != nil {
		return r, fmt.Errorf("revision: %w", err)
	}
	// The transaction moves the data version by one (bumpVersion) before
	// it commits: the revision records the version it produces.
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (rev, at, "by", summary, data_version)
		VALUES (?, ?, ?, ?, (SELECT data_version + 1 FROM state WHERE id = 1))`,
		r.Rev, r.At.Format(atLayout), r.By, r.Summary); err != nil {
		return r, fmt.Errorf("revision: %w", err)
	}
	r.At = r.At.In(Shanghai)
	return r, nil
}

// versioner writes the changes of one revision.
type versioner struct {
	ctx      context.Context
	tx       *dbTx
	rev      int64
	stmts    map[string]*dbStmt
	nodes    map[string]int64 // node number by enterprise or project id, as looked up
	region   *string          // the region code after the revision, once read
	progress func(done, total int)
}

func (w *versioner) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// exec runs query, prepared once per revision.
func (w *versioner) exec(query string, args ...any) error {
	s, err := w.stmt(query)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(w.ctx, args...)
	return err
}

func (w *versioner) stmt(query string) (*dbStmt, error) {
	if s, ok := w.stmts[query]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = s
	return s, nil
}

// apply closes the old versions (links first, so nothing a removed node
// needs is gone yet), then writes the new ones (parents first).
func (w *versioner) apply(changes []chainscope.RecordChange) error {
	for _, c := range changes {
		if c.Kind == chainscope.RecordRegion && c.After != nil {
			code := c.After.(*chainscope.Region).Code
			w.region = &code
		}
	}
	// Parents first, and within a kind in the order given (new records
	// are appended in that order); old versions close in the reverse
	// order, children first.
	order := slices.Clone(changes)
	slices.SortStableFunc(order, func(a, b chainscope.RecordChange) int {
		return slices.Index(chainscope.RecordKinds, a.Kind) - slices.Index(chainscope.RecordKinds, b.Kind)
	})
	for i := len(order) - 1; i >= 0; i-- {
		if c := &order[i]; c.Before != nil {
			if err := w.close1(c); err != nil {
				return fmt.Errorf("%s %s: %w", c.Kind, c.Key, err)
			}
		}
	}
	for i := range order {
		if c := &order[i]; c.After != nil {
			if err := w.write1(c); err != nil {
				return fmt.Errorf("%s %s: %w", c.Kind, c.Key, err)
			}
		}
		if err := w.exec(`INSERT INTO revision_records (rev, kind, key, change) VALUES (?, ?, ?, ?)`,
			w.rev, order[i].Kind, order[i].Key, order[i].Change()); err != nil {
			return err
		}
		if w.progress != nil && (i+1)%progressEvery == 0 {
			w.progress(i+1, len(order))
		}
	}
	if w.progress != nil {
		w.progress(len(order), len(order))
	}
	return nil
}

// tableOf is the table holding the current rows of a kind and how a row is
// found by key.
var tableOf = map[string]struct{ table, where string }{
	chainscope.RecordRegion:     {"region", "id = 1 AND CAST(? AS TEXT) IS NOT NULL"},
	chainscope.RecordCounty:     {"counties", "code = ?"},
	chainscope.RecordChain:      {"chains", "id = ?"},
	chainscope.RecordSegment:    {"segments", "id = ?"},
	chainscope.RecordEnterprise: {"enterprises", "id = ?"},
	chainscope.RecordProject:    {"projects", "id = ?"},
	chainscope.RecordLink:       {"links", "from_node = ? AND to_node = ?"},
	chainscope.RecordLead:       {"leads", "id = ?"},
	chainscope.RecordReport:     {"reports", "area = ? AND from_date = ? AND to_date = ?"},
}

// keyArgs are the arguments of a kind's where clause for key.
func (w *versioner) keyArgs(kind, key string) ([]any, error) {
	if kind == chainscope.RecordReport {
		area, from, to := chainscope.SplitReportKey(key)
		return []any{area, from, to}, nil
	}
	if kind != chainscope.RecordLink {
		return []any{key}, nil
	}
	from, to := chainscope.SplitLinkKey(key)
	f, err := w.node(from)
	if err != nil {
		return nil, err
	}
	t, err := w.node(to)
	if err != nil {
		return nil, err
	}
	return []any{f, t}, nil
}

// node returns the node number of an enterprise or project.
func (w *versioner) node(id string) (int64, error) {
	if n, ok := w.nodes[id]; ok {
		return n, nil
	}
	s, err := w.stmt(`SELECT seq FROM enterprises WHERE id = ?1 UNION ALL SELECT seq FROM projects WHERE id = ?1`)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.QueryRowContext(w.ctx, id).Scan(&n); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, chainscope.Localizedf(chainscope.EINVALID,
				"%s 不是企业或项目，未保存任何数据", "%s is neither an enterprise nor a project; nothing was stored", id)
		}
		return 0, err
	}
	w.nodes[id] = n
	return n, nil
}

// close1 moves the current row of a changed or removed record to history,
// and deletes the rows that a new version replaces (its list entries) or
// that a removal ends.
func (w *versioner) close1(c *chainscope.RecordChange) error {
	t := tableOf[c.Kind]
	args, err := w.keyArgs(c.Kind, c.Key)
	if err != nil {
		return err
	}
	seqCol := "seq"
	if c.Kind == chainscope.RecordRegion {
		seqCol = "id"
	}
	s, err := w.stmt(`SELECT ` + seqCol + `, rev FROM ` + t.table + ` WHERE ` + t.where)
	if err != nil {
		return err
	}
	var seq, from int64
	if err := s.QueryRowContext(w.ctx, args...).Scan(&seq, &from); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return chainscope.Localizedf(chainscope.ECONFLICT, "记录不存在", "the record is not stored")
		}
		return err
	}
	doc, err := json.Marshal(c.Before)
	if err != nil {
		return err
	}
	if err := w.exec(`INSERT INTO history (kind, key, seq, rev_from, rev_to, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		c.Kind, c.Key, seq, from, w.rev, string(doc)); err != nil {
		return err
	}
	if c.Kind == chainscope.RecordLink && c.After == nil {
		// A removed link frees its ends: a removed node after it must not
		// find it cached.
		return w.exec(`DELETE FROM links WHERE `+t.where, args...)
	}
	if err := w.clearLists(c.Kind, c.Key); err != nil {
		return err
	}
	if c.After == nil {
		if c.Kind == chainscope.RecordEnterprise || c.Kind == chainscope.RecordProject {
			delete(w.nodes, c.Key)
		}
		return w.exec(`DELETE FROM `+t.table+` WHERE `+t.where, args...)
	}
	return nil
}

// clearLists deletes the list entries of a record: a chain's flows, an
// enterprise's segments and chains led, a project's segments.
func (w *versioner) clearLists(kind, key string) error {
	var tables []string
	switch kind {
	case chainscope.RecordChain:
		tables = []string{"flows WHERE chain_id = ?"}
	case chainscope.RecordEnterprise:
		tables = []string{"enterprise_segments WHERE enterprise_id = ?", "enterprise_leaders WHERE enterprise_id = ?"}
	case chainscope.RecordProject:
		tables = []string{"project_segments WHERE project_id = ?"}
	}
	for _, t := range tables {
		if err := w.exec(`DELETE FROM `+t, key); err != nil {
			return err
		}
	}
	return nil
}

// regionCode is the region's code once the revision is written: records in
// it are stored with no county (see 0001_init.sql).
func (w *versioner) regionCode() (string, error) {
	if w.region == nil {
		var code string
		err := w.tx.QueryRowContext(w.ctx, `SELECT code FROM region WHERE id = 1`).Scan(&code)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
		w.region = &code
	}
	return *w.region, nil
}

func (w *versioner) county(code string) (any, error) {
	region, err := w.regionCode()
	if err != nil || code == region {
		return nil, err
	}
	return code, nil
}

// write1 writes the new version of a changed or added record: a changed
// row is updated in place (it keeps its seq, so its place in dataset order
// and its node number), an added one is appended.
func (w *versioner) write1(c *chainscope.RecordChange) error {
	update := c.Before != nil
	rev := w.rev
	switch r := c.After.(type) {
	case *chainscope.Region:
		return w.upsert(update, "region", "id = 1", []string{"id", "code", "name", "source", "note", "rev"},
			[]any{int64(1), r.Code, r.Name, nullString(r.Source), nullString(r.Note), rev}, nil)
	case *chainscope.County:
		return w.upsert(update, "counties", "code = ?", []string{"code", "name", "kind", "parent", "chains", "source", "note", "rev"},
			[]any{r.Code, r.Name, string(r.Kind), nullString(r.Parent), jsonList(r.Chains), nullString(r.Source), nullString(r.Note), rev}, []any{r.Code})
	case *chainscope.Lead:
		doc, err := leadDoc(r)
		if err != nil {
			return err
		}
		return w.upsert(update, "leads", "id = ?", []string{"id", "doc", "rev"}, []any{r.ID, doc, rev}, []any{r.ID})
	case *chainscope.Report:
		doc, err := reportDoc(r)
		if err != nil {
			return err
		}
		return w.upsert(update, "reports", "area = ? AND from_date = ? AND to_date = ?",
			[]string{"area", "from_date", "to_date", "doc", "rev"}, []any{r.Area, r.From, r.To, doc, rev}, []any{r.Area, r.From, r.To})
	case *chainscope.ChainRecord:
		if err := w.upsert(update, "chains", "id = ?", []string{"id", "name", "source", "note", "rev"},
			[]any{r.ID, r.Name, nullString(r.Source), nullString(r.Note), rev}, []any{r.ID}); err != nil {
			return err
		}
		for _, f := range r.Flows {
			if err := w.exec(`INSERT INTO flows (chain_id, from_id, to_id) VALUES (?, ?, ?)`, r.ID, f.From, f.To); err != nil {
				return err
			}
		}
		return nil
	case *chainscope.SegmentRecord:
		return w.upsert(update, "segments", "id = ?", []string{"id", "chain_id", "name", "stage", "source", "note", "rev"},
			[]any{r.ID, r.Chain, r.Name, string(r.Stage), nullString(r.Source), nullString(r.Note), rev}, []any{r.ID})
	case *chainscope.Enterprise:
		county, err := w.county(r.County)
		if err != nil {
			return err
		}
		cols := []string{"id", "name", "uscc", "county", "output_wan", "source", "note", "rev"}
		vals := []any{r.ID, r.Name, nullString(r.USCC), county, nullFloat(r.OutputWan), nullString(r.Source), nullString(r.Note), rev}
		if !update {
			n, err := w.newNode(r.ID)
			if err != nil {
				return err
			}
			cols, vals = append(cols, "seq"), append(vals, n)
		}
		if err := w.upsert(update, "enterprises", "id = ?", cols, vals, []any{r.ID}); err != nil {
			return err
		}
		for _, s := range r.Segments {
			if err := w.exec(`INSERT INTO enterprise_segments (enterprise_id, segment_id) VALUES (?, ?)`, r.ID, s); err != nil {
				return err
			}
		}
		for _, ch := range r.LeaderOf {
			if err := w.exec(`INSERT INTO enterprise_leaders (enterprise_id, chain_id) VALUES (?, ?)`, r.ID, ch); err != nil {
				return err
			}
		}
		return nil
	case *chainscope.Project:
		county, err := w.county(r.County)
		if err != nil {
			return err
		}
		cols := []string{"id", "name", "investor", "county", "investment_wan", "signed", "started", "status", "emerging", "source", "note", "rev"}
		vals := []any{r.ID, r.Name, nullString(r.Investor), county, nullFloat(r.InvestmentWan), nullString(r.Signed),
			nullString(r.Started), string(r.Status), boolInt(r.Emerging), nullString(r.Source), nullString(r.Note), rev}
		if !update {
			n, err := w.newNode(r.ID)
			if err != nil {
				return err
			}
			cols, vals = append(cols, "seq"), append(vals, n)
		}
		if err := w.upsert(update, "projects", "id = ?", cols, vals, []any{r.ID}); err != nil {
			return err
		}
		for _, s := range r.Segments {
			if err := w.exec(`INSERT INTO project_segments (project_id, segment_id) VALUES (?, ?)`, r.ID, s); err != nil {
				return err
			}
		}
		return nil
	case *chainscope.Link:
		from, err := w.node(r.From)
		if err != nil {
			return err
		}
		to, err := w.node(r.To)
		if err != nil {
			return err
		}
		if update {
			return w.exec(`UPDATE links SET product = ?, source = ?, note = ?, rev = ? WHERE from_node = ? AND to_node = ?`,
				nullString(r.Product), nullString(r.Source), nullString(r.Note), rev, from, to)
		}
		var seq int64
		if err := w.tx.QueryRowContext(w.ctx, `UPDATE state SET next_link = next_link + 1 WHERE id = 1 RETURNING next_link - 1`).Scan(&seq); err != nil {
			return err
		}
		return w.exec(`INSERT INTO links (from_node, to_node, seq, product, source, note, rev) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			from, to, seq, nullString(r.Product), nullString(r.Source), nullString(r.Note), rev)
	}
	return fmt.Errorf("not a record: %T", c.After)
}

// newNode takes the next node number for a new enterprise or project.
func (w *versioner) newNode(id string) (int64, error) {
	var n int64
	if err := w.tx.QueryRowContext(w.ctx, `UPDATE state SET next_node = next_node + 1 WHERE id = 1 RETURNING next_node - 1`).Scan(&n); err != nil {
		return 0, err
	}
	w.nodes[id] = n
	return n, nil
}

// upsert updates the row found by where (args) with cols = vals, or inserts
// it.
func (w *versioner) upsert(update bool, table, where string, cols []string, vals, args []any) error {
	if !update {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
		return w.exec(`INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+marks+`)`, vals...)
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + " = ?"
	}
	return w.exec(`UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+where, append(slices.Clone(vals), args...)...)
}

// noLimit is a LIMIT that takes every row (SQLite reads -1 so, PostgreSQL
// refuses a negative LIMIT).
const noLimit = 1 << 62

// LatestRevision returns the newest revision, 0 when none is stored.
func (db *DB) LatestRevision(ctx context.Context) (int64, error) {
	var rev int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) FROM revisions`).Scan(&rev); err != nil {
		return 0, fmt.Errorf("revisions: %w", err)
	}
	return rev, nil
}

// ResolveAsOf turns an as_of value (SPEC §8) into a revision: a revision
// number, or a date YYYY-MM-DD meaning the last revision committed on or
// before the end of that day in Asia/Shanghai time. It also returns the
// latest revision, so that a caller can tell today's data from the past.
// Anything else is EINVALID; an unknown revision or a date before the
// first is ENOTFOUND.
func (db *DB) ResolveAsOf(ctx context.Context, asOf string) (rev, latest int64, err error) {
	if latest, err = db.LatestRevision(ctx); err != nil {
		return 0, 0, err
	}
	if rev, err := strconv.ParseInt(asOf, 10, 64); err == nil {
		if latest == 0 {
			return 0, 0, chainscope.Localizedf(chainscope.ENOTFOUND, "数据库还没有任何修订", "the database has no revision yet")
		}
		if rev < 1 || rev > latest {
			return 0, 0, chainscope.Localizedf(chainscope.ENOTFOUND,
				"没有修订版本 %s（现有 1–%d）", "no revision %s (there are 1–%d)", asOf, latest)
		}
		return rev, latest, nil
	}
	day, err := time.ParseInLocation("2006-01-02", asOf, Shanghai)
	if err != nil {
		return 0, 0, chainscope.Localizedf(chainscope.EINVALID,
			"as_of 应为修订号或日期 YYYY-MM-DD：%q", "as_of must be a revision number or a date YYYY-MM-DD: %q", asOf)
	}
	end := day.AddDate(0, 0, 1).UTC().Format(atLayout)
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) FROM revisions WHERE at < ?`, end).Scan(&rev); err != nil {
		return 0, 0, fmt.Errorf("as of: %w", err)
	}
	if rev == 0 {
		return 0, 0, chainscope.Localizedf(chainscope.ENOTFOUND,
			"%s 之前没有任何修订", "there is no revision on or before %s", asOf)
	}
	return rev, latest, nil
}

// Revisions returns up to limit revisions older than before (0: from the
// newest), newest first, and how many revisions there are in all (the
// latest number: they have no gaps).
func (db *DB) Revisions(ctx context.Context, limit int, before int64) ([]Revision, int, error) {
	if limit <= 0 {
		limit = noLimit
	}
	if before <= 0 {
		before = 1 << 62
	}
	total, err := db.LatestRevision(ctx)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.revisions(ctx, `WHERE rev < ? ORDER BY rev DESC LIMIT ?`, before, limit)
	return out, int(total), err
}

// Revision returns one revision.
func (db *DB) Revision(ctx context.Context, rev int64) (Revision, error) {
	out, err := db.revisions(ctx, `WHERE rev = ?`, rev)
	if err != nil {
		return Revision{}, err
	}
	if len(out) == 0 {
		return Revision{}, chainscope.Localizedf(chainscope.ENOTFOUND, "没有修订版本 %d", "no revision %d", rev)
	}
	return out[0], nil
}

// revisions reads the revisions that the clause selects.
func (db *DB) revisions(ctx context.Context, clause string, args ...any) ([]Revision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT rev, at, "by", summary FROM revisions `+clause, args...)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	out := []Revision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// scanRevision reads a row that starts with rev, at, by, summary; extra
// receives the columns after them.
func scanRevision(rows *dbRows, extra ...any) (Revision, error) {
	var r Revision
	var at string
	if err := rows.Scan(append([]any{&r.Rev, &at, &r.By, &r.Summary}, extra...)...); err != nil {
		return r, fmt.Errorf("revisions: %w", err)
	}
	t, err := time.Parse(atLayout, at)
	if err != nil {
		return r, fmt.Errorf("revision %d: %w", r.Rev, err)
	}
	r.At = t.In(Shanghai)
	return r, nil
}

// RecordVersion is one closed version of a record: what it held from
// revision From until revision To changed or removed it.
type RecordVersion struct {
	From int64           `json:"from"`
	To   int64           `json:"to"`
	Doc  json.RawMessage `json:"record"`
}

// RecordEvent is one revision that wrote a record.
type RecordEvent struct {
	Revision
	Change string `json:"change"` // added, changed or removed
}

// RecordHistory returns the revisions that wrote the record of kind with
// key, oldest first, and its closed versions, oldest first. The bulk first
// import is not listed per record; a record it wrote shows as added by
// revision 1 when its first version started there.
func (db *DB) RecordHistory(ctx context.Context, kind, key string) ([]RecordEvent, []RecordVersion, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	defer tx.Rollback()
	var versions []RecordVersion
	rows, err := tx.QueryContext(ctx, `SELECT rev_from, rev_to, doc FROM history WHERE kind = ? AND key = ? ORDER BY rev_from`, kind, key)
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	for rows.Next() {
		var v RecordVersion
		var doc string
		if err := rows.Scan(&v.From, &v.To, &doc); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("history: %w", err)
		}
		v.Doc = json.RawMessage(doc)
		versions = append(versions, v)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT v.rev, v.at, v."by", v.summary, r.change FROM revision_records r
		JOIN revisions v ON v.rev = r.rev WHERE r.kind = ? AND r.key = ? ORDER BY r.rev`, kind, key)
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	events := []RecordEvent{}
	for rows.Next() {
		var e RecordEvent
		var err error
		if e.Revision, err = scanRevision(rows, &e.Change); err != nil {
			return nil, nil, err
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// A version that began before any listed event began with a bulk
	// import (revision 1, or the revision a migration made of old data).
	first := int64(0)
	if len(versions) > 0 {
		first = versions[0].From
	}
	if first > 0 && (len(events) == 0 || events[0].Rev > first) {
		r, err := db.Revision(ctx, first)
		if err == nil {
			events = append([]RecordEvent{{Revision: r, Change: "added"}}, events...)
		}
	}
	return events, versions, nil
}

// AuditEntry is one record written by one revision: the audit log is a
// view of the history, not a second record of it.
type AuditEntry struct {
	Revision
	Kind   string `json:"kind"`
	Key    string `json:"key"`
	Change string `json:"change"`
}

// Audit returns up to limit audit entries, newest first, after skipping
// offset of them; a revision without per-record entries (a bulk first
// import) is one entry with no kind.
func (db *DB) Audit(ctx context.Context, limit, offset int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT v.rev, v.at, v."by", v.summary, coalesce(r.kind, ''), coalesce(r.key, ''), coalesce(r.change, '')
		FROM revisions v LEFT JOIN revision_records r ON r.rev = v.rev
		ORDER BY v.rev DESC, r.kind, r.key LIMIT ? OFFSET ?`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var err error
		if e.Revision, err = scanRevision(rows, &e.Kind, &e.Key, &e.Change); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
