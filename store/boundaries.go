package store

import (
	"context"
	"encoding/json"
	"fmt"

	"chainscope"
)

// SetBoundaries replaces the stored county boundaries with bs (nil or
// empty removes them), in one transaction that also moves the data
// version, so a server serving the file redraws its map. The caller has
// checked bs against the dataset (dataset.ReadBoundaries); the store keeps
// them in the given order.
func (db *DB) SetBoundaries(ctx context.Context, bs []chainscope.Boundary) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("set boundaries: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM boundaries`); err != nil {
		return fmt.Errorf("set boundaries: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO boundaries (seq, code, name, polygons) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("set boundaries: %w", err)
	}
	defer stmt.Close()
	for i, b := range bs {
		polys, err := json.Marshal(b.Polygons)
		if err != nil {
			return fmt.Errorf("set boundaries: %s: %w", b.Code, err)
		}
		if _, err := stmt.ExecContext(ctx, int64(i+1), b.Code, b.Name, string(polys)); err != nil {
			return db.replaceError(err)
		}
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return fmt.Errorf("set boundaries: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set boundaries: %w", err)
	}
	return nil
}

// Boundaries returns the stored county boundaries in the order they were
// stored, nil when there are none.
func (db *DB) Boundaries(ctx context.Context) ([]chainscope.Boundary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, name, polygons FROM boundaries ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	defer rows.Close()
	var bs []chainscope.Boundary
	for rows.Next() {
		var b chainscope.Boundary
		var polys []byte
		if err := rows.Scan(&b.Code, &b.Name, &polys); err != nil {
			return nil, fmt.Errorf("boundaries: %w", err)
		}
		if err := json.Unmarshal(polys, &b.Polygons); err != nil {
			return nil, fmt.Errorf("boundaries: %s: %w", b.Code, err)
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	return bs, nil
}
