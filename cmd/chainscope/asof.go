package main

import (
	"context"
	"fmt"
	"os"

	"chainscope"
	"chainscope/store"
)

// cliMeta names a revision the command line writes (SPEC §8); the store
// appends the counts of the records written to summary.
func cliMeta(summary string) store.Meta {
	return store.Meta{By: "cli", Summary: summary}
}

// openStore opens the database at path. Tests replace it to give the store
// a clock of their own, so that revisions fall on chosen days.
var openStore = store.Open

// openExisting opens the database at path, which must exist: a command that
// only reads never creates an empty database file by mistake. (A PostgreSQL
// database exists or not on its server: Open says which.)
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if store.IsPostgresURL(path) {
		return openStore(ctx, path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("数据库不存在 no database at %s", path)
	}
	return openStore(ctx, path)
}

// resolveAsOf turns an --as-of value (a revision number or a date
// YYYY-MM-DD, SPEC §8) into a revision. An unknown revision or a date
// before the first is a failure with the store's message (exit 1); a value
// that is neither a number nor a date is a command line not understood
// (exit 2).
func resolveAsOf(ctx context.Context, db *store.DB, asOf string) (int64, error) {
	rev, _, err := db.ResolveAsOf(ctx, asOf)
	if chainscope.ErrorCode(err) == chainscope.EINVALID {
		return 0, fmt.Errorf("%w: %v", errUsage, err)
	}
	return rev, err
}

// loadAsOf returns the stored dataset: the current one when asOf is "",
// else exactly the one stored right after the revision asOf names, and
// that revision (0 for the current data).
func loadAsOf(ctx context.Context, db *store.DB, asOf string) (*chainscope.Dataset, int64, error) {
	if asOf == "" {
		ds, err := db.Load(ctx)
		return ds, 0, err
	}
	rev, err := resolveAsOf(ctx, db, asOf)
	if err != nil {
		return nil, 0, err
	}
	ds, err := db.LoadAsOf(ctx, rev)
	return ds, rev, err
}
