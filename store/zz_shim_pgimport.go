package store

// TEMPORARY: stand-ins for what pgstore's skeleton provides, removed at the merge.

import (
	"context"
	"database/sql"
	"errors"
)

const enginePostgres = "postgres"

func (db *DB) Engine() string { return "sqlite" }

func (db *DB) rebind(q string) string { return q }

func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	return db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx, *sql.Conn) error) error {
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
	if err := fn(tx, conn); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) announce(ctx context.Context, tx *sql.Tx) error { return nil }

func resetSequences(ctx context.Context, tx *sql.Tx) error { return errors.New("no") }

func pgEmerging(b bool) any { return b }
