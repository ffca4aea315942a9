package store

import (
	"context"
	"errors"
)

// TEMPORARY (pgserve): the names of the store contract (helpers/STORE-ENGINES.md)
// that pgstore provides; this file goes when its store lands on main.

// ErrUnavailable: the database cannot be reached.
var ErrUnavailable = errors.New("store: the database cannot be reached")

// Watch returns nil on SQLite: the server polls DataVersion.
func (db *DB) Watch(ctx context.Context) <-chan int64 { return nil }
