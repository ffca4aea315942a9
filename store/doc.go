// Package store keeps a chainscope dataset in an SQLite file and is the only
// package that speaks SQL. It replaces the whole dataset in one transaction,
// loads it back exactly as stored (order, nil amounts and all), and offers a
// data version for caching, online backups and an audit log.
//
// The schema lives in numbered migrations embedded in the binary
// (migrations/*.sql), applied on Open, one transaction each. The file runs in
// WAL mode: many readers and one writer at a time, readers always seeing a
// whole committed dataset.
package store
