package store

import (
	"context"
	"database/sql/driver"
	"errors"

	"chainscope"
)

// replacePG is the bulk first write of a dataset into PostgreSQL (Replace
// when the database holds no revision yet; errHasHistory otherwise, and
// ReplaceWith writes by difference). It runs in one transaction that first
// takes the state row lock, writes every row with multi-row INSERTs through
// the same writer the SQLite import uses (insertAll), and ends as every bulk
// write does (finishReplace).
//
// Contract for the COPY version (helper pgimport owns this file): same
// signature; all or nothing in one transaction begun with db.beginWrite (or
// lockWrite on the transaction); startReplace first (errHasHistory), the
// references check, rows with explicit seq then db.resetSequences(ctx, tx),
// finishReplace last (revision 1, numbering, data version and pg_notify).
func (db *DB) replacePG(ctx context.Context, ds *chainscope.Dataset, opt ReplaceOptions) error {
	if err := references(ds); err != nil {
		return err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.eng.lockWrite(ctx, tx); err != nil {
		return err
	}
	w, err := db.startReplace(ctx, tx, ds, opt)
	if err != nil {
		return err
	}
	if err := w.empty(); err != nil {
		return err
	}
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("driver connection cannot prepare statements")
		}
		w.conn = c
		return db.eng.wrapErr(w.insertAll(ds))
	})
	if err != nil {
		return err
	}
	if err := db.resetSequences(ctx, tx); err != nil {
		return err
	}
	if err := db.finishReplace(ctx, w, ds, opt.Meta); err != nil {
		return err
	}
	return tx.Commit()
}
