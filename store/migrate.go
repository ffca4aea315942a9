package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"chainscope"
)

// migrationFS holds the schema migrations of each engine:
// migrations/ENGINE/NNNN_name.sql, numbered from 0001 without gaps, the
// same numbers on both engines, each PostgreSQL step mirroring the SQLite
// one (same tables, same columns). Migration N brings the schema from
// version N-1 to N; SQLite keeps the version in PRAGMA user_version,
// PostgreSQL in the table chainscope_schema (see migratePG).
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// The migration directories of the two engines.
const (
	sqliteMigrations   = "migrations/sqlite"
	postgresMigrations = "migrations/postgres"
)

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order, checking that they
// are numbered 1, 2, 3, … without gaps.
func migrations() ([]migration, error) { return migrationsIn(sqliteMigrations) }

// migrationsIn returns the embedded migrations of one engine's directory in
// order, checking that they are numbered 1, 2, 3, … without gaps.
func migrationsIn(dir string) ([]migration, error) {
	names, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", base)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this build of chainscope writes: the
// number of its embedded migrations (the same on both engines; a test
// checks it).
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // the embedded files are part of the binary; a test checks them
	}
	return len(ms)
}

// migrate refuses a database it cannot understand and applies the missing
// migrations, each in its own IMMEDIATE transaction. The version is read
// again inside each transaction, so two processes opening a new file at the
// same time do not both apply a migration.
//
// Before anything is written it checks, read-only, that the file is a
// chainscope database (or a new one) of a version it knows, and only then
// switches the file to WAL mode: readers keep reading the last committed
// snapshot while a writer works, and a crash mid-transaction leaves only
// uncommitted frames at the end of the WAL, which recovery ignores. The
// mode is stored in the file, so it holds for every later connection.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := db.checkSchema(ctx, db.write, len(ms)); err != nil {
		return err
	}
	var mode string
	if err := db.write.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("cannot switch to WAL mode (journal_mode is %s)", mode)
	}
	return db.applyMigrations(ctx, ms)
}

// applyMigrations applies the missing migrations of ms, each in its own
// transaction.
func (db *DB) applyMigrations(ctx context.Context, ms []migration) error {
	for {
		done, err := db.migrateStep(ctx, ms)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration, or reports done when the schema
// is current. The version is read again inside the step's transaction,
// which holds the database's write lock (SQLite: the IMMEDIATE transaction;
// PostgreSQL: an advisory lock), so two processes opening a new database at
// once do not both apply a step.
func (db *DB) migrateStep(ctx context.Context, ms []migration) (done bool, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if db.pg != nil {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(migrationLock)); err != nil {
			return false, err
		}
	}
	version, err := db.schemaVersion(ctx, tx, len(ms))
	if err != nil || version == len(ms) {
		return true, err
	}
	m := ms[version]
	if err := db.writeMigration(ctx, tx, m); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if migrationWritten != nil {
		migrationWritten(m.version)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	return false, nil
}

// migrationWritten, when set (by a crash test), is called with a
// migration's version once it is written, before its commit.
var migrationWritten func(version int)

// querier is what checkSchema reads through: the pool or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *dbRow
}

// schemaVersion returns the schema version of the database (0: new),
// refusing a database of another program and a version newer than latest.
func (db *DB) schemaVersion(ctx context.Context, q querier, latest int) (int, error) {
	if db.pg != nil {
		return db.pgSchemaVersion(ctx, q, latest)
	}
	return db.checkSchema(ctx, q, latest)
}

// writeMigration runs m in tx and records its version: SQLite in PRAGMA
// user_version; PostgreSQL in chainscope_schema, created by the first step.
func (db *DB) writeMigration(ctx context.Context, tx *dbTx, m migration) error {
	if db.pg == nil {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		// PRAGMA takes no parameters; m.version is an int we produced.
		_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version))
		return err
	}
	if m.version == 1 {
		if _, err := tx.ExecContext(ctx, pgSchemaTable); err != nil {
			return err
		}
	}
	// Several statements in one Exec: the simple protocol, no parameters.
	if _, err := tx.Tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE chainscope_schema SET version = ? WHERE id = 1`, int64(m.version))
	return err
}

// checkSchema returns the schema version of an SQLite database, refusing a
// file of another program and a version newer than latest.
func (db *DB) checkSchema(ctx context.Context, q querier, latest int) (int, error) {
	var version, appID, objects int
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&objects); err != nil {
		return 0, err
	}
	switch {
	case appID != 0 && appID != applicationID, version == 0 && objects > 0:
		return 0, chainscope.Localizedf(chainscope.EINVALID,
			"%s 是其他程序的 SQLite 数据库，不是 chainscope 数据库", "%s is an SQLite database of another program, not a chainscope database",
			db.path)
	case version > latest:
		return 0, newerSchema(version, latest)
	}
	return version, nil
}

// newerSchema refuses a database written by a newer chainscope.
func newerSchema(version, latest int) error {
	return chainscope.Localizedf(chainscope.EINVALID,
		"数据库结构版本 %d 高于本程序支持的 %d，请升级 chainscope", "database schema version %d is newer than this chainscope supports (%d); please upgrade chainscope",
		version, latest)
}
