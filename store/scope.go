package store

import (
	"context"
	"fmt"
	"time"

	"chainscope"
)

// LoadForAnalysis reads the current dataset for analysis only: every
// record as Load reads it except the links, which come as pairs of record
// numbers instead of ids, without product, source or note — a record
// number is an enterprise's index in ds.Enterprises, or len(ds.Enterprises)
// plus a project's index in ds.Projects. ds.Links is nil. Reading a million
// links this way costs half the database work of Load's and no string per
// end (graph.NewIndexPairs takes the pairs as they are).
func (db *DB) LoadForAnalysis(ctx context.Context) (*chainscope.Dataset, [][2]int32, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	defer tx.Rollback()
	var version, split int64
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&version); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(from_node), 0) FROM links`).Scan(&split); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	split = split/2 + 1
	// The links are read on two connections of their own, each half of the
	// key range, while this one reads the records; a half whose connection
	// is busy or sees other data is read here afterwards.
	l := &loader{ctx: ctx, tx: tx, intern: map[string]string{}, db: db, version: version, noLinks: true}
	ranges := [2][2]int64{{0, split}, {split, 0}}
	var halves [2]chan seqPairs
	for i, r := range ranges {
		halves[i] = make(chan seqPairs, 1)
		go func() { halves[i] <- l.pairRange(nil, r[0], r[1]) }()
	}
	ds, err := l.load()
	var raw [2]seqPairs
	for i := range halves {
		raw[i] = <-halves[i]
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	for i, r := range ranges {
		if raw[i].err == errOtherSnapshot {
			raw[i] = l.pairRange(tx, r[0], r[1])
		}
		if raw[i].err != nil {
			return nil, nil, fmt.Errorf("load: %w", raw[i].err)
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
	pairs := make([][2]int32, 0, len(raw[0].pairs)+len(raw[1].pairs))
	for _, h := range raw {
		for _, p := range h.pairs {
			f, t := p[0], p[1]
			if f < 0 || t < 0 || f > top || t > top || rec[f] < 0 || rec[t] < 0 {
				return nil, nil, fmt.Errorf("load: link %d → %d names no enterprise or project", f, t)
			}
			pairs = append(pairs, [2]int32{rec[f], rec[t]})
		}
	}
	return ds, pairs, nil
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
	q, args := `SELECT from_node, to_node FROM links WHERE from_node >= ?`, []any{from}
	if to > 0 {
		q += ` AND from_node < ?`
		args = append(args, to)
	}
	rows, err := tx.QueryContext(l.ctx, q, args...)
	if err != nil {
		return seqPairs{err: err}
	}
	defer rows.Close()
	var out seqPairs
	var f, t int64
	for rows.Next() {
		if err := rows.Scan(&f, &t); err != nil {
			return seqPairs{err: err}
		}
		out.pairs = append(out.pairs, [2]int64{f, t})
	}
	out.err = rows.Err()
	return out
}
