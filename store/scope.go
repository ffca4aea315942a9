package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"chainscope"
)

// LoadForAnalysis reads the current dataset for analysis only: the links
// come as pairs of record numbers instead of ids, without product, source
// or note — a record number is an enterprise's index in ds.Enterprises, or
// len(ds.Enterprises) plus a project's index in ds.Projects. ds.Links is
// nil. Reading a million links this way costs a fraction of the database
// work of Load's and no string per end (graph.NewIndexPairs takes the
// pairs as they are).
//
// With chain "" every record is as Load reads it (the analysis of every
// scope). With a chain id, what the analysis of that chain's scopes reads
// and no more: the region, counties and chains whole; every enterprise and
// project (any may be upstream of a chain leader) with only id, name,
// county, output_wan (enterprises), investment_wan and status (projects);
// segment lists holding only the chain's segments and leader lists only
// the chain; the leads and reports whole. Such a dataset is for
// graph.NewIndexPairs and the chain's scopes (Scope.DriveReport), not for
// storing back.
func (db *DB) LoadForAnalysis(ctx context.Context, chain string) (*chainscope.Dataset, [][2]int32, error) {
	ds, pairs, _, err := db.LoadForAnalysisVersion(ctx, chain)
	return ds, pairs, err
}

// LoadForAnalysisVersion is LoadForAnalysis, also returning the data
// version it read (in the same snapshot): what an index of it is stored
// under (PutSnapshot).
func (db *DB) LoadForAnalysisVersion(ctx context.Context, chain string) (ds *chainscope.Dataset, pairs [][2]int32, version int64, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("load: %w", err)
	}
	defer tx.Rollback()
	var split int64
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&version); err != nil {
		return nil, nil, 0, fmt.Errorf("load: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(from_node), 0) FROM links`).Scan(&split); err != nil {
		return nil, nil, 0, fmt.Errorf("load: %w", err)
	}
	split = split/2 + 1
	// The links are read on two connections of their own, each half of the
	// key range, while this one reads the records; a half whose connection
	// is busy or sees other data is read here afterwards.
	l := &loader{ctx: ctx, tx: tx, intern: map[string]string{}, db: db, version: version, noLinks: true}
	load := l.load
	if chain != "" {
		load = func() (*chainscope.Dataset, error) { return l.loadChain(chain) }
	}
	ranges := [2][2]int64{{0, split}, {split, 0}}
	var halves [2]chan seqPairs
	for i, r := range ranges {
		halves[i] = make(chan seqPairs, 1)
		go func() { halves[i] <- l.pairRange(nil, r[0], r[1]) }()
	}
	ds, err = load()
	var raw [2]seqPairs
	for i := range halves {
		raw[i] = <-halves[i]
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("load: %w", err)
	}
	for i, r := range ranges {
		if raw[i].err == errOtherSnapshot {
			raw[i] = l.pairRange(tx, r[0], r[1])
		}
		if raw[i].err != nil {
			return nil, nil, 0, fmt.Errorf("load: %w", raw[i].err)
		}
	}
	// Node number (the row's seq) → record number.
	var top int64
	for _, s := range l.entSeq {
		top = max(top, s)
	}
	for _, s := range l.projSeq {
		top = max(top, s)
	}
	rec := make([]int32, top+1)
	for i := range rec {
		rec[i] = -1
	}
	for i, s := range l.entSeq {
		rec[s] = int32(i)
	}
	ne := len(l.entSeq)
	for j, s := range l.projSeq {
		rec[s] = int32(ne + j)
	}
	pairs = make([][2]int32, 0, len(raw[0].pairs)+len(raw[1].pairs))
	for _, h := range raw {
		for _, p := range h.pairs {
			f, t := p[0], p[1]
			if f < 0 || t < 0 || f > top || t > top || rec[f] < 0 || rec[t] < 0 {
				return nil, nil, 0, fmt.Errorf("load: link %d → %d names no enterprise or project", f, t)
			}
			pairs = append(pairs, [2]int32{rec[f], rec[t]})
		}
	}
	return ds, pairs, version, nil
}

// seqPairs are links as (from_node, to_node) node numbers.
type seqPairs struct {
	pairs [][2]int64
	err   error
}

// pairRange reads the links with from_node in [from, to) (to 0: no upper
// bound) as node-number pairs: in tx, or (tx nil) on a connection of its
// own if one is free now and sees the loader's data version (else
// errOtherSnapshot).
func (l *loader) pairRange(tx *dbTx, from, to int64) seqPairs {
	if tx == nil {
		acquire, cancel := context.WithTimeout(l.ctx, 20*time.Millisecond)
		conn, err := l.db.read.Conn(acquire)
		cancel()
		if err != nil {
			return seqPairs{err: errOtherSnapshot}
		}
		defer conn.Close()
		if tx, err = conn.BeginTx(l.ctx, l.db.eng.readOptions()); err != nil {
			return seqPairs{err: err}
		}
		defer tx.Rollback()
		var v int64
		if err := tx.QueryRowContext(l.ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&v); err != nil {
			return seqPairs{err: err}
		}
		if v != l.version {
			return seqPairs{err: errOtherSnapshot}
		}
	}
	// One row per supplier with its customers in one text: a million rows
	// cost the driver far more than parsing the numbers does.
	q, args := `SELECT from_node, string_agg(CAST(to_node AS TEXT), ',') FROM links WHERE from_node >= ?`, []any{from}
	if to > 0 {
		q += ` AND from_node < ?`
		args = append(args, to)
	}
	rows, err := tx.QueryContext(l.ctx, q+` GROUP BY from_node`, args...)
	if err != nil {
		return seqPairs{err: err}
	}
	defer rows.Close()
	var out seqPairs
	var f int64
	var ts sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&f, &ts); err != nil {
			return seqPairs{err: err}
		}
		if out.pairs, err = appendPairs(out.pairs, f, ts); err != nil {
			return seqPairs{err: err}
		}
	}
	out.err = rows.Err()
	return out
}

// appendPairs appends (from, t) for every number t of the comma-separated
// list ts.
func appendPairs(pairs [][2]int64, from int64, ts []byte) ([][2]int64, error) {
	var t int64
	digits := 0
	for i, c := range ts {
		switch {
		case c >= '0' && c <= '9' && digits < 18:
			t = t*10 + int64(c-'0')
			digits++
		case c == ',' && digits > 0:
			pairs = append(pairs, [2]int64{from, t})
			t, digits = 0, 0
		default:
			return pairs, fmt.Errorf("links of node %d: %q at %d is no node number list", from, ts, i)
		}
	}
	if digits == 0 {
		return pairs, fmt.Errorf("links of node %d: %q is no node number list", from, ts)
	}
	return append(pairs, [2]int64{from, t}), nil
}

// loadChain reads the records for the analysis of one chain (see
// LoadForAnalysis).
func (l *loader) loadChain(chain string) (*chainscope.Dataset, error) {
	ds := &chainscope.Dataset{}
	if err := l.loadFrame(ds); err != nil {
		return nil, err
	}
	county := l.county(ds)
	var (
		seq          int64
		id, name, st string
		cty          sql.NullString
		amount       sql.NullFloat64
	)
	ds.Enterprises = make([]chainscope.Enterprise, 0, l.size("enterprises"))
	err := l.each(`SELECT seq, id, name, county, output_wan FROM enterprises ORDER BY seq`,
		[]any{&seq, &id, &name, &cty, &amount}, func() {
			l.entSeq = append(l.entSeq, seq)
			ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{
				ID: id, Name: name, County: county(cty), OutputWan: floatPtr(amount), Segments: []string{}, LeaderOf: []string{}})
		})
	if err != nil {
		return nil, err
	}
	ds.Projects = make([]chainscope.Project, 0, l.size("projects"))
	err = l.each(`SELECT seq, id, name, county, investment_wan, status FROM projects ORDER BY seq`,
		[]any{&seq, &id, &name, &cty, &amount, &st}, func() {
			l.projSeq = append(l.projSeq, seq)
			ds.Projects = append(ds.Projects, chainscope.Project{
				ID: id, Name: name, County: county(cty), InvestmentWan: floatPtr(amount), Status: chainscope.Status(st),
				Segments: []string{}})
		})
	if err != nil {
		return nil, err
	}
	enterprises := newFinder(len(ds.Enterprises), func(i int) string { return ds.Enterprises[i].ID })
	projects := newFinder(len(ds.Projects), func(i int) string { return ds.Projects[i].ID })
	var owner, item string
	err = l.each(`SELECT enterprise_id, segment_id FROM enterprise_segments
	              WHERE segment_id IN (SELECT id FROM segments WHERE chain_id = ?) ORDER BY seq`,
		[]any{&owner, &item}, func() {
			if i, ok := enterprises.find(owner); ok {
				e := &ds.Enterprises[i]
				e.Segments = append(e.Segments, item)
			}
		}, chain)
	if err != nil {
		return nil, err
	}
	err = l.each(`SELECT enterprise_id FROM enterprise_leaders WHERE chain_id = ? ORDER BY seq`,
		[]any{&owner}, func() {
			if i, ok := enterprises.find(owner); ok {
				e := &ds.Enterprises[i]
				e.LeaderOf = append(e.LeaderOf, chain)
			}
		}, chain)
	if err != nil {
		return nil, err
	}
	err = l.each(`SELECT project_id, segment_id FROM project_segments
	              WHERE segment_id IN (SELECT id FROM segments WHERE chain_id = ?) ORDER BY seq`,
		[]any{&owner, &item}, func() {
			if i, ok := projects.find(owner); ok {
				p := &ds.Projects[i]
				p.Segments = append(p.Segments, item)
			}
		}, chain)
	if err != nil {
		return nil, err
	}
	// The drive (leads, reports): what the report adds over the analysis.
	if err := l.loadDrive(ds); err != nil {
		return nil, err
	}
	return ds, nil
}
