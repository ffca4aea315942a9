// Package store keeps a chainscope dataset in a database and is the only
// package that speaks SQL. It replaces the whole dataset in one transaction,
// commits record changes as revisions with their history, loads the data
// back exactly as stored (order, nil amounts and all), now or as of any
// revision, and offers a data version for caching.
//
// Two engines sit behind the one type DB (SPEC §10): an SQLite file
// (modernc.org/sqlite, WAL mode: many readers and one writer at a time,
// readers always seeing a whole committed dataset) and a PostgreSQL
// database (pgx v5; several servers may share it: writers queue on the
// state row lock, each commit is announced with NOTIFY, see Watch). Open
// picks the engine from its target. What differs lives in the engine value
// (engine.go); every other query is shared SQL written with ? placeholders.
//
// The schema lives in numbered migrations embedded in the binary, one set
// per engine with the same numbers, tables and columns
// (migrations/sqlite/*.sql, migrations/postgres/*.sql), applied on Open,
// one transaction each.
package store
