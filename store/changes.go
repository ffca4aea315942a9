package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"chainscope"
)

// ErrNeedReload is returned by Changes when the writes between two data
// versions cannot be read record by record: a bulk import (revision 1,
// which lists no records), a write that is no revision (boundaries),
// revisions stored before 0006_revision_version.sql, a version the
// database has not reached, or too many records to read one by one. The
// caller loads the whole dataset instead.
var ErrNeedReload = errors.New("store: the changes between these data versions cannot be read one by one; load the whole dataset")

// changesLimit is the most records Changes reads one by one (a few
// queries each); beyond it (an upload that rewrote much of the data) a
// load of everything is quicker, and Changes says ErrNeedReload. A
// variable so that a test can lower it.
var changesLimit = 4096

// Changes returns the records that took the stored data from data version
// from to data version to: for every record the revisions in between
// wrote, its version at from (Before, nil if it did not exist) and at to
// (After, nil if it no longer existed), records written back to what they
// were left out. Applied to the dataset Load returned at from (removals,
// then changes in place, then additions appended, see graph.ApplyChanges)
// they give, record for record and in the same order, the dataset Load
// returned at to.
//
// The changes come kind by kind in chainscope.RecordKinds order, within a
// kind in the order of the records' places in the dataset. A record that
// was removed and added again (a new place at the end) comes as a removal
// followed by an addition. A segment's Before and After may name different
// chains.
//
// It returns ErrNeedReload when the writes in between are not all
// revisions that list their records (see ErrNeedReload), or when they
// wrote more records than are quicker to read one by one than all at once
// (changesLimit).
func (db *DB) Changes(ctx context.Context, from, to int64) ([]chainscope.RecordChange, error) {
	if from == to {
		return nil, nil
	}
	if from > to || from < 0 {
		return nil, ErrNeedReload
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	defer tx.Rollback()
	// The revisions that produced the versions from+1..to: one per version,
	// or something else moved the version.
	var n int64
	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(rev), max(rev) FROM revisions WHERE data_version > ? AND data_version <= ?`,
		from, to).Scan(&n, &lo, &hi); err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	if n != to-from || !lo.Valid || lo.Int64 <= 1 || hi.Int64-lo.Int64+1 != n {
		return nil, ErrNeedReload
	}
	r := &recordReader{ctx: ctx, tx: tx, region: map[int64]string{}}
	before, after := lo.Int64-1, hi.Int64
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT kind, key FROM revision_records WHERE rev >= ? AND rev <= ?`, lo.Int64, hi.Int64)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	type key struct{ kind, key string }
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.kind, &k.key); err != nil {
			rows.Close()
			return nil, fmt.Errorf("changes: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	if len(keys) > changesLimit {
		return nil, ErrNeedReload
	}

	type placed struct {
		chainscope.RecordChange
		seq int64
	}
	var out []placed
	for _, k := range keys {
		b, bseq, err := r.at(k.kind, k.key, before)
		if err != nil {
			return nil, fmt.Errorf("changes: %s %q: %w", k.kind, k.key, err)
		}
		a, aseq, err := r.at(k.kind, k.key, after)
		if err != nil {
			return nil, fmt.Errorf("changes: %s %q: %w", k.kind, k.key, err)
		}
		switch {
		case b == nil && a == nil:
			// added and removed again in between
		case b != nil && a != nil && bseq != aseq:
			// removed and added again: the new version has a new place
			out = append(out, placed{chainscope.RecordChange{Kind: k.kind, Key: k.key, Before: b}, bseq},
				placed{chainscope.RecordChange{Kind: k.kind, Key: k.key, After: a}, aseq})
		case b != nil && a != nil && chainscope.SameRecord(b, a):
			// written back to what it was
		case a != nil:
			out = append(out, placed{chainscope.RecordChange{Kind: k.kind, Key: k.key, Before: b, After: a}, aseq})
		default:
			out = append(out, placed{chainscope.RecordChange{Kind: k.kind, Key: k.key, Before: b}, bseq})
		}
	}
	slices.SortStableFunc(out, func(x, y placed) int {
		return cmp.Or(cmp.Compare(slices.Index(chainscope.RecordKinds, x.Kind), slices.Index(chainscope.RecordKinds, y.Kind)),
			cmp.Compare(x.seq, y.seq))
	})
	changes := make([]chainscope.RecordChange, len(out))
	for i := range out {
		changes[i] = out[i].RecordChange
	}
	return changes, nil
}

// recordReader reads single records as they were at a revision, inside
// one read transaction: the closed version in history that was live then,
// or the current row if it was written by then (see 0003_history.sql).
// Records come shaped as Load returns them (empty lists not nil).
type recordReader struct {
	ctx    context.Context
	tx     *dbTx
	region map[int64]string // the region code at a revision, as read
}

// at returns the record of kind with key as it was right after revision
// rev, with its seq (its place in dataset order), or nil when it did not
// exist then.
func (r *recordReader) at(kind, key string, rev int64) (any, int64, error) {
	var seq int64
	var doc []byte
	err := r.tx.QueryRowContext(r.ctx, `SELECT seq, doc FROM history WHERE kind = ? AND key = ? AND rev_from <= ? AND rev_to > ?`,
		kind, key, rev, rev).Scan(&seq, &doc)
	switch {
	case err == nil:
		rec, err := decodeRecord(kind, doc)
		return rec, seq, err
	case !errors.Is(err, sql.ErrNoRows):
		return nil, 0, err
	}
	rec, seq, err := r.current(kind, key, rev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	return rec, seq, err
}

// decodeRecord reads a history document of kind.
func decodeRecord(kind string, doc []byte) (any, error) {
	var rec any
	switch kind {
	case chainscope.RecordRegion:
		rec = &chainscope.Region{}
	case chainscope.RecordCounty:
		rec = &chainscope.County{}
	case chainscope.RecordChain:
		rec = &chainscope.ChainRecord{}
	case chainscope.RecordSegment:
		rec = &chainscope.SegmentRecord{}
	case chainscope.RecordEnterprise:
		rec = &chainscope.Enterprise{}
	case chainscope.RecordProject:
		rec = &chainscope.Project{}
	case chainscope.RecordLink:
		rec = &chainscope.Link{}
	case chainscope.RecordLead:
		rec = &chainscope.Lead{}
	case chainscope.RecordReport:
		rec = &chainscope.Report{}
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	if err := json.Unmarshal(doc, rec); err != nil {
		return nil, err
	}
	switch x := rec.(type) {
	case *chainscope.ChainRecord:
		if x.Flows == nil {
			x.Flows = []chainscope.Flow{}
		}
	case *chainscope.Enterprise:
		x.Segments, x.LeaderOf = nonNil(x.Segments), nonNil(x.LeaderOf)
	case *chainscope.Project:
		x.Segments = nonNil(x.Segments)
	}
	return rec, nil
}

// regionCode is the region's code right after rev: a record stored with no
// county lies in it (see 0001_init.sql).
func (r *recordReader) regionCode(rev int64) (string, error) {
	if code, ok := r.region[rev]; ok {
		return code, nil
	}
	rec, _, err := r.at(chainscope.RecordRegion, chainscope.RegionKey, rev)
	if err != nil {
		return "", err
	}
	code := ""
	if rec != nil {
		code = rec.(*chainscope.Region).Code
	}
	r.region[rev] = code
	return code, nil
}

// current reads the current row of kind with key if revision rev or an
// earlier one wrote it; sql.ErrNoRows if there is none.
func (r *recordReader) current(kind, key string, rev int64) (any, int64, error) {
	ctx, tx := r.ctx, r.tx
	var (
		seq               int64
		id, name, kindCol string
		owner             string
		opt1, opt2, opt3  sql.NullString
		source, note      sql.NullString
		amount            sql.NullFloat64
		emerging          bool
		list              []byte
		doc               []byte
		err               error
		regionAware       = func(c sql.NullString) (string, error) {
			if c.Valid {
				return c.String, nil
			}
			return r.regionCode(rev)
		}
	)
	switch kind {
	case chainscope.RecordRegion:
		var g chainscope.Region
		err = tx.QueryRowContext(ctx, `SELECT code, name, source, note FROM region WHERE id = 1 AND rev <= ?`, rev).
			Scan(&g.Code, &g.Name, &source, &note)
		g.Source, g.Note = source.String, note.String
		return &g, 1, err
	case chainscope.RecordCounty:
		if err = tx.QueryRowContext(ctx, `SELECT seq, code, name, kind, parent, chains, source, note FROM counties WHERE code = ? AND rev <= ?`,
			key, rev).Scan(&seq, &id, &name, &kindCol, &opt1, &list, &source, &note); err != nil {
			return nil, 0, err
		}
		chains, err := parseList(list)
		if err != nil {
			return nil, 0, err
		}
		return &chainscope.County{Code: id, Name: name, Kind: chainscope.Kind(kindCol), Parent: opt1.String, Chains: chains,
			Source: source.String, Note: note.String}, seq, nil
	case chainscope.RecordChain:
		if err = tx.QueryRowContext(ctx, `SELECT seq, id, name, source, note FROM chains WHERE id = ? AND rev <= ?`, key, rev).
			Scan(&seq, &id, &name, &source, &note); err != nil {
			return nil, 0, err
		}
		c := &chainscope.ChainRecord{ID: id, Name: name, Source: source.String, Note: note.String, Flows: []chainscope.Flow{}}
		err = r.each(`SELECT from_id, to_id FROM flows WHERE chain_id = ? ORDER BY seq`, []any{key}, []any{&opt1, &opt2}, func() {
			c.Flows = append(c.Flows, chainscope.Flow{From: opt1.String, To: opt2.String})
		})
		return c, seq, err
	case chainscope.RecordSegment:
		if err = tx.QueryRowContext(ctx, `SELECT seq, id, chain_id, name, stage, source, note FROM segments WHERE id = ? AND rev <= ?`, key, rev).
			Scan(&seq, &id, &owner, &name, &kindCol, &source, &note); err != nil {
			return nil, 0, err
		}
		return &chainscope.SegmentRecord{Chain: owner, Segment: chainscope.Segment{ID: id, Name: name, Stage: chainscope.Stage(kindCol),
			Source: source.String, Note: note.String}}, seq, nil
	case chainscope.RecordEnterprise:
		if err = tx.QueryRowContext(ctx, `SELECT seq, id, name, uscc, county, output_wan, source, note FROM enterprises WHERE id = ? AND rev <= ?`,
			key, rev).Scan(&seq, &id, &name, &opt1, &opt2, &amount, &source, &note); err != nil {
			return nil, 0, err
		}
		c, err := regionAware(opt2)
		if err != nil {
			return nil, 0, err
		}
		e := &chainscope.Enterprise{ID: id, Name: name, USCC: opt1.String, County: c, OutputWan: floatPtr(amount),
			Source: source.String, Note: note.String, Segments: []string{}, LeaderOf: []string{}}
		if err := r.each(`SELECT segment_id FROM enterprise_segments WHERE enterprise_id = ? ORDER BY seq`, []any{key}, []any{&opt3}, func() {
			e.Segments = append(e.Segments, opt3.String)
		}); err != nil {
			return nil, 0, err
		}
		err = r.each(`SELECT chain_id FROM enterprise_leaders WHERE enterprise_id = ? ORDER BY seq`, []any{key}, []any{&opt3}, func() {
			e.LeaderOf = append(e.LeaderOf, opt3.String)
		})
		return e, seq, err
	case chainscope.RecordProject:
		var investor, signed, started sql.NullString
		if err = tx.QueryRowContext(ctx, `SELECT seq, id, name, investor, county, investment_wan, signed, started, status, emerging, source, note
			FROM projects WHERE id = ? AND rev <= ?`, key, rev).
			Scan(&seq, &id, &name, &investor, &opt1, &amount, &signed, &started, &kindCol, &emerging, &source, &note); err != nil {
			return nil, 0, err
		}
		c, err := regionAware(opt1)
		if err != nil {
			return nil, 0, err
		}
		p := &chainscope.Project{ID: id, Name: name, Investor: investor.String, County: c, InvestmentWan: floatPtr(amount),
			Signed: signed.String, Started: started.String, Status: chainscope.Status(kindCol), Emerging: emerging,
			Source: source.String, Note: note.String, Segments: []string{}}
		err = r.each(`SELECT segment_id FROM project_segments WHERE project_id = ? ORDER BY seq`, []any{key}, []any{&opt3}, func() {
			p.Segments = append(p.Segments, opt3.String)
		})
		return p, seq, err
	case chainscope.RecordLink:
		from, to := chainscope.SplitLinkKey(key)
		var product sql.NullString
		if err = tx.QueryRowContext(ctx, `SELECT seq, product, source, note FROM links
			WHERE from_node = (SELECT seq FROM enterprises WHERE id = ? UNION ALL SELECT seq FROM projects WHERE id = ?)
			AND to_node = (SELECT seq FROM enterprises WHERE id = ? UNION ALL SELECT seq FROM projects WHERE id = ?)
			AND rev <= ?`, from, from, to, to, rev).Scan(&seq, &product, &source, &note); err != nil {
			return nil, 0, err
		}
		return &chainscope.Link{From: from, To: to, Product: product.String, Source: source.String, Note: note.String}, seq, nil
	case chainscope.RecordLead:
		if err = tx.QueryRowContext(ctx, `SELECT seq, doc FROM leads WHERE id = ? AND rev <= ?`, key, rev).Scan(&seq, &doc); err != nil {
			return nil, 0, err
		}
		rec, err := decodeRecord(kind, doc)
		return rec, seq, err
	case chainscope.RecordReport:
		area, fromDate, toDate := chainscope.SplitReportKey(key)
		if err = tx.QueryRowContext(ctx, `SELECT seq, doc FROM reports WHERE area = ? AND from_date = ? AND to_date = ? AND rev <= ?`,
			area, fromDate, toDate, rev).Scan(&seq, &doc); err != nil {
			return nil, 0, err
		}
		rec, err := decodeRecord(kind, doc)
		return rec, seq, err
	}
	return nil, 0, fmt.Errorf("unknown kind %q", kind)
}

// each runs query with args and calls fn after scanning every row into
// dest.
func (r *recordReader) each(query string, args, dest []any, fn func()) error {
	return eachRow(r.ctx, r.tx, query, dest, fn, args...)
}
