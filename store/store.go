package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"chainscope"
)

// busyTimeout is how long a connection waits for a lock another process
// holds before it gives up with SQLITE_BUSY. Within this process writers
// queue in database/sql (see Open), so this only matters when a second
// process — `chainscope import` while `chainscope serve` runs — writes the
// same file; a province-scale import takes seconds, so wait for it.
const busyTimeout = 30 * time.Second

// importCacheKiB is the page cache of the writing connection while Replace
// runs; SQLite's default is 2 MiB. A province-scale import dirties about a
// hundred MiB of pages. With the default cache the open transaction keeps
// spilling them to the WAL, writing the pages at the growing edge of each
// B-tree again and again, and the index builds sort in small runs merged
// through temporary files. The cache is allocated as used and given back
// when Replace ends.
const importCacheKiB = 256 << 10

// DB is an open chainscope database. It is safe for concurrent use: any
// number of goroutines may read while one writes.
type DB struct {
	path string

	// eng is what differs between SQLite and PostgreSQL (see engine).
	eng engine
	// pg is the PostgreSQL engine, nil on SQLite.
	pg *pgEngine

	// write holds the single connection every write goes through.
	// SQLite allows one writer at a time anyway; one pooled connection
	// makes writers of this process queue in database/sql instead of
	// spinning on SQLITE_BUSY, and its transactions BEGIN IMMEDIATE, so
	// a write takes the file's write lock up front and never fails halfway
	// when upgrading a read lock.
	write *sqlDB

	// read is a pool of query-only connections. In WAL mode readers do not
	// block the writer nor each other, and each read transaction sees one
	// committed snapshot, so a Load during a Replace returns the old
	// dataset or the new one, never a mix.
	read *sqlDB

	// backup is a reader without query_only, for VACUUM INTO, which SQLite
	// counts as a write although it only reads this database. It holds no
	// idle connection.
	backup *sqlDB

	// importCacheKiB is the page cache of the writer during Replace (see
	// the constant); a test lowers it to make an import spill to the WAL.
	importCacheKiB int

	// Now returns the current time; the audit log stamps entries with it.
	// Tests replace it to control time.
	Now func() time.Time
}

// sqliteMagic is the first 16 bytes of every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// applicationID marks a file as a chainscope database ("CSCP"); migration
// 0001 sets it.
const applicationID = 0x43534350

// Open opens the database target names (SPEC §10): a PostgreSQL URL
// (postgres://… or postgresql://…, see openPG), or else the path of an SQLite
// file, created if it does not exist. It brings the schema up to date and
// refuses, with a message users can act on, a file that is not an SQLite
// database, a database of another program, and a database written by a
// newer chainscope.
func Open(ctx context.Context, target string) (*DB, error) {
	if isPostgresURL(target) {
		return openPG(ctx, target)
	}
	return openSQLite(ctx, target)
}

// sqliteEngine is the engine of an SQLite file.
type sqliteEngine struct{}

func (sqliteEngine) name() string                                        { return "sqlite" }
func (sqliteEngine) rebind(query string) string                          { return query }
func (sqliteEngine) wrapErr(err error) error                             { return err }
func (sqliteEngine) readOptions() *sql.TxOptions                         { return &sql.TxOptions{ReadOnly: true} }
func (sqliteEngine) lockWrite(ctx context.Context, tx *dbTx) error       { return nil } // BEGIN IMMEDIATE did
func (sqliteEngine) notify(ctx context.Context, tx *dbTx, v int64) error { return nil }

// constraint recognises SQLite's constraint failures.
func (sqliteEngine) constraint(err error) (string, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return se.Error(), true
	}
	return "", false
}

// openSQLite opens the SQLite file at path.
func openSQLite(ctx context.Context, path string) (*DB, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{path: abs, Now: time.Now, importCacheKiB: importCacheKiB, eng: sqliteEngine{}}

	db.write, err = db.open(dsn(abs, connWrite))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if err := db.write.PingContext(ctx); err != nil {
		db.write.Close()
		return nil, openError(path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, openError(path, err)
	}

	db.read, err = db.open(dsn(abs, connRead))
	if err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}

	db.backup, err = db.open(dsn(abs, connBackup))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.backup.SetMaxOpenConns(1)
	db.backup.SetMaxIdleConns(0)
	return db, nil
}

// open opens a pool of SQLite connections.
func (db *DB) open(dsn string) (*sqlDB, error) {
	d, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	return &sqlDB{d, db.eng}, nil
}

// connKind says what a pool of connections is for.
type connKind int

const (
	connWrite  connKind = iota // the single writer
	connRead                   // query-only readers
	connBackup                 // VACUUM INTO
)

// dsn is the modernc.org/sqlite data source name for the file at abs. The
// pragmas run on every new connection (busy_timeout first):
//
//   - synchronous=NORMAL: in WAL mode a commit is then not fsynced, only
//     checkpoints are; a power cut may lose the last transactions but never
//     corrupts the file, and a killed process loses nothing committed. It
//     saves an fsync per write.
//   - foreign_keys=ON: SQLite does not enforce REFERENCES without it (a
//     per-connection setting, off by default for compatibility).
//   - journal_size_limit: after a big import has been checkpointed, cut the
//     WAL file back to 64 MiB instead of keeping it at its high-water mark.
//   - busy_timeout: see busyTimeout.
//
// The path is sent as a file: URI, escaped, so that a name containing '?',
// '#' or '%' is taken literally.
func dsn(abs string, kind connKind) string {
	p := filepath.ToSlash(abs)
	if p[0] != '/' {
		p = "/" + p // a Windows drive letter
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	switch kind {
	case connWrite:
		// journal_mode=WAL is not here: it rewrites the file header, and
		// Open must first make sure the file is ours (see migrate).
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Set("_txlock", "immediate")
	case connRead:
		// Readers must never write; a bug that tries gets an error.
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + q.Encode()
}

// checkHeader refuses an existing, non-empty file that does not start with
// the SQLite header, before SQLite touches it (it would otherwise create
// -wal and -shm files beside someone's spreadsheet).
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		return chainscope.Localizedf(chainscope.EINVALID, "%s 是目录，不是数据库文件", "%s is a directory, not a database file", path)
	}
	if st.Size() == 0 {
		return nil // SQLite treats an empty file as a new database
	}
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return notDatabase(path)
	}
	return nil
}

func notDatabase(path string) error {
	return chainscope.Localizedf(chainscope.EINVALID,
		"%s 不是 SQLite 数据库文件", "%s is not an SQLite database file", path)
}

// openError turns SQLite's "file is not a database" and "malformed" into the
// clear message of notDatabase, and wraps anything else with the path.
func openError(path string, err error) error {
	var ce *chainscope.Error
	if errors.As(err, &ce) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return notDatabase(path)
		case sqlite3.SQLITE_CORRUPT:
			return chainscope.Localizedf(chainscope.EINVALID,
				"%s 数据库文件已损坏（%v）", "%s: the database file is corrupt (%v)", path, err)
		}
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// Path returns the absolute path of the database file, or the PostgreSQL
// URL without its password: safe to show and log.
func (db *DB) Path() string { return db.path }

// Close closes the database. Committed data is safe whether or not Close
// is called; Close lets SQLite checkpoint and remove the WAL file.
func (db *DB) Close() error {
	if db.pg != nil {
		return db.pg.close(db)
	}
	var errs []error
	if db.backup != nil {
		errs = append(errs, db.backup.Close())
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// DataVersion returns a number that changes on every write (Replace,
// AppendAudit), also writes by another process on the same file. It suits an
// HTTP ETag: equal versions of the same file mean equal data.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// Empty reports whether no dataset has been stored yet (no region).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM region`).Scan(&n); err != nil {
		return false, fmt.Errorf("empty: %w", err)
	}
	return n == 0, nil
}

// Ping checks that the database answers (for GET /healthz).
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&n); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Check verifies the file: SQLite's integrity check (B-trees, indexes,
// constraints) and a foreign-key check. It returns nil when both pass.
func (db *DB) Check(ctx context.Context) error {
	var problems []string
	var err error
	if db.pg != nil {
		problems, err = db.pg.check(ctx, db)
	} else {
		problems, err = db.checkSQLite(ctx)
	}
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	// The invariants of node numbers that no constraint can state (see
	// 0001_init.sql).
	for _, c := range []struct{ query, problem string }{
		{`SELECT count(*) FROM enterprises e JOIN projects p ON p.seq = e.seq`, "enterprises and projects share node numbers"},
		{`SELECT count(*) FROM enterprises e JOIN projects p ON p.id = e.id`, "ids that are both an enterprise and a project"},
		{`SELECT count(*) FROM links WHERE from_node NOT IN (SELECT seq FROM nodes) OR to_node NOT IN (SELECT seq FROM nodes)`,
			"links with an end that is no node"},
	} {
		var n int
		if err := db.read.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%d %s", n, c.problem))
		}
	}
	if len(problems) > 0 {
		return chainscope.Localizedf(chainscope.EINTERNAL, "数据库检查未通过：%s", "database check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkSQLite runs SQLite's integrity check (B-trees, indexes, constraints)
// and its foreign-key check, returning the problems they find.
func (db *DB) checkSQLite(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := db.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("%s row %d: dangling reference to %s", table, rowid.Int64, parent))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return problems, nil
}
