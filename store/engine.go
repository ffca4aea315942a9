package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// engine holds what differs between the two databases a store runs on
// (SPEC §10): SQLite (sqliteEngine, store.go) and PostgreSQL (pgEngine,
// postgres.go). Every other query is shared SQL written with ? placeholders;
// the sqlDB, dbTx and dbConn wrappers below rebind them for the engine in one
// place and classify the errors that mean "the database is away".
type engine interface {
	// name is "sqlite" or "postgres".
	name() string
	// rebind turns the ? and ?N placeholders of query into the engine's.
	rebind(query string) string
	// wrapErr marks an error that means the database cannot be reached
	// (errors.Is(err, ErrUnavailable)); any other error is returned as it is.
	wrapErr(err error) error
	// readOptions are the options of a read transaction that must see one
	// committed snapshot.
	readOptions() *sql.TxOptions
	// lockWrite is the first statement of every write transaction: on
	// PostgreSQL it takes the state row lock every writer queues on.
	lockWrite(ctx context.Context, tx *dbTx) error
	// notify announces, inside the writing transaction, the data version it
	// commits (PostgreSQL: pg_notify; SQLite: nothing, servers poll).
	notify(ctx context.Context, tx *dbTx, version int64) error
	// constraint reports whether err is a constraint failure, and its text.
	constraint(err error) (string, bool)
}

// ErrUnavailable is matched (errors.Is) by errors that mean the database
// cannot be reached: connection refused or reset, the server shutting down,
// no connection to be had in time. A server answers 503 with it.
var ErrUnavailable = errors.New("store: the database is unavailable")

// unavailable wraps an error that ErrUnavailable matches.
type unavailable struct{ err error }

func (u *unavailable) Error() string        { return u.err.Error() }
func (u *unavailable) Unwrap() error        { return u.err }
func (u *unavailable) Is(target error) bool { return target == ErrUnavailable }

// markUnavailable returns err marked as ErrUnavailable (once).
func markUnavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return &unavailable{err}
}

// Engine names the database the store runs on: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.eng.name() }

// rebindDollar rewrites ? and ?N placeholders as PostgreSQL's $N, numbering
// as SQLite does (a bare ? is one more than the largest number so far).
// Placeholders inside quoted strings, quoted identifiers and comments are
// left alone.
func rebindDollar(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i - 1
			}
			b.WriteString(q[i : i+j+1])
			i += j
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			k := n + 1
			if j > i+1 {
				k, _ = strconv.Atoi(q[i+1 : j])
			}
			n = max(n, k)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sqlDB is a pool of connections speaking the engine's dialect: its queries
// are written with ? placeholders.
type sqlDB struct {
	*sql.DB
	eng engine
}

func (d *sqlDB) QueryContext(ctx context.Context, query string, args ...any) (*dbRows, error) {
	rows, err := d.DB.QueryContext(ctx, d.eng.rebind(query), args...)
	if err != nil {
		return nil, d.eng.wrapErr(err)
	}
	return &dbRows{rows, d.eng}, nil
}

func (d *sqlDB) QueryRowContext(ctx context.Context, query string, args ...any) *dbRow {
	return &dbRow{d.DB.QueryRowContext(ctx, d.eng.rebind(query), args...), d.eng}
}

func (d *sqlDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := d.DB.ExecContext(ctx, d.eng.rebind(query), args...)
	return res, d.eng.wrapErr(err)
}

func (d *sqlDB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	tx, err := d.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, d.eng.wrapErr(err)
	}
	return &dbTx{tx, d.eng}, nil
}

func (d *sqlDB) PingContext(ctx context.Context) error {
	return d.eng.wrapErr(d.DB.PingContext(ctx))
}

func (d *sqlDB) Conn(ctx context.Context) (*dbConn, error) {
	c, err := d.DB.Conn(ctx)
	if err != nil {
		return nil, d.eng.wrapErr(err)
	}
	return &dbConn{c, d.eng}, nil
}

// dbConn is one connection of an sqlDB.
type dbConn struct {
	*sql.Conn
	eng engine
}

func (c *dbConn) QueryRowContext(ctx context.Context, query string, args ...any) *dbRow {
	return &dbRow{c.Conn.QueryRowContext(ctx, c.eng.rebind(query), args...), c.eng}
}

func (c *dbConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := c.Conn.ExecContext(ctx, c.eng.rebind(query), args...)
	return res, c.eng.wrapErr(err)
}

func (c *dbConn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, c.eng.wrapErr(err)
	}
	return &dbTx{tx, c.eng}, nil
}

// dbTx is a transaction of an sqlDB.
type dbTx struct {
	*sql.Tx
	eng engine
}

func (t *dbTx) QueryContext(ctx context.Context, query string, args ...any) (*dbRows, error) {
	rows, err := t.Tx.QueryContext(ctx, t.eng.rebind(query), args...)
	if err != nil {
		return nil, t.eng.wrapErr(err)
	}
	return &dbRows{rows, t.eng}, nil
}

func (t *dbTx) QueryRowContext(ctx context.Context, query string, args ...any) *dbRow {
	return &dbRow{t.Tx.QueryRowContext(ctx, t.eng.rebind(query), args...), t.eng}
}

func (t *dbTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.Tx.ExecContext(ctx, t.eng.rebind(query), args...)
	return res, t.eng.wrapErr(err)
}

func (t *dbTx) PrepareContext(ctx context.Context, query string) (*dbStmt, error) {
	s, err := t.Tx.PrepareContext(ctx, t.eng.rebind(query))
	if err != nil {
		return nil, t.eng.wrapErr(err)
	}
	return &dbStmt{s, t.eng}, nil
}

func (t *dbTx) Commit() error { return t.eng.wrapErr(t.Tx.Commit()) }

// dbStmt is a prepared statement of a dbTx.
type dbStmt struct {
	*sql.Stmt
	eng engine
}

func (s *dbStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	res, err := s.Stmt.ExecContext(ctx, args...)
	return res, s.eng.wrapErr(err)
}

func (s *dbStmt) QueryRowContext(ctx context.Context, args ...any) *dbRow {
	return &dbRow{s.Stmt.QueryRowContext(ctx, args...), s.eng}
}

// dbRow is the result of QueryRowContext.
type dbRow struct {
	row *sql.Row
	eng engine
}

func (r *dbRow) Scan(dest ...any) error { return r.eng.wrapErr(r.row.Scan(dest...)) }

// dbRows is the result of QueryContext.
type dbRows struct {
	*sql.Rows
	eng engine
}

func (r *dbRows) Scan(dest ...any) error { return r.eng.wrapErr(r.Rows.Scan(dest...)) }
func (r *dbRows) Err() error             { return r.eng.wrapErr(r.Rows.Err()) }

// beginWrite starts a write transaction: on PostgreSQL it first takes the
// state row lock, so that writers from every server queue on it.
func (db *DB) beginWrite(ctx context.Context) (*dbTx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := db.eng.lockWrite(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// beginRead starts a read-only transaction that sees one committed
// snapshot throughout.
func (db *DB) beginRead(ctx context.Context) (*dbTx, error) {
	return db.read.BeginTx(ctx, db.eng.readOptions())
}
