package store

import (
	"context"
	"database/sql"
	"fmt"

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
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	defer tx.Rollback()
	l := &loader{ctx: ctx, tx: tx, intern: map[string]string{}, db: db, noLinks: true}
	ds, err := l.load()
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
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
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM links`).Scan(&n); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	pairs := make([][2]int32, 0, n)
	rows, err := tx.QueryContext(ctx, `SELECT from_node, to_node FROM links`)
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	defer rows.Close()
	var f, t int64
	for rows.Next() {
		if err := rows.Scan(&f, &t); err != nil {
			return nil, nil, fmt.Errorf("load: %w", err)
		}
		if f < 0 || t < 0 || f > top || t > top || rec[f] < 0 || rec[t] < 0 {
			return nil, nil, fmt.Errorf("load: link %d → %d names no enterprise or project", f, t)
		}
		pairs = append(pairs, [2]int32{rec[f], rec[t]})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	return ds, pairs, nil
}
