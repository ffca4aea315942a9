package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"chainscope"
)

// notifyChannel is the LISTEN/NOTIFY channel on which every committed write
// announces its data version.
const notifyChannel = "chainscope"

// migrationLock is the advisory lock key (pg_advisory_xact_lock) every
// migration transaction takes first, so that servers starting together on a
// new database apply each step once: "CSCP".
const migrationLock = 0x43534350

// pgEngine is the engine of a PostgreSQL database.
type pgEngine struct {
	pool *pgxpool.Pool
	// config is the parsed connection configuration (password included:
	// never show it); Watch connects with it.
	config *pgx.ConnConfig
	// secrets are the strings no error text may hold (the password).
	secrets []string
	// closed is closed by Close: the listeners of Watch stop.
	closed chan struct{}
}

// isPostgresURL reports whether target names a PostgreSQL database.
func isPostgresURL(target string) bool {
	lower := strings.ToLower(target)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// redactURL returns the URL without its password (in the user part or a
// password query parameter): what Path shows.
func redactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		// Say only which kind of target it was: the text may hold a password.
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// urlPassword is the password written in the URL, if any.
func urlPassword(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			return pw
		}
	}
	return u.Query().Get("password")
}

// redact removes every secret from msg.
func (e *pgEngine) redact(msg string) string {
	for _, s := range e.secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

// openError words an error of opening the PostgreSQL database for users,
// without the password.
func (e *pgEngine) openError(where string, err error) error {
	var ce *chainscope.Error
	if errors.As(err, &ce) {
		return err
	}
	msg := e.redact(err.Error())
	if isUnavailable(err) {
		return markUnavailable(chainscope.Localizedf(chainscope.EINTERNAL,
			"无法连接数据库 %s：%s", "cannot reach the database %s: %s", where, msg))
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000") {
		return chainscope.Localizedf(chainscope.EINVALID,
			"无法登录数据库 %s：用户名或密码错误（%s）", "cannot log in to the database %s: wrong user name or password (%s)", where, msg)
	}
	return fmt.Errorf("open %s: %s", where, msg)
}

// openPG opens the PostgreSQL database at the URL target. The password may
// be in the URL, in PGPASSWORD or in a password file (PGPASSFILE, else
// ~/.pgpass), as libpq takes it; it never appears in Path or in an error.
func openPG(ctx context.Context, target string) (*DB, error) {
	where := redactURL(target)
	e := &pgEngine{secrets: []string{urlPassword(target)}, closed: make(chan struct{})}
	cfg, err := pgxpool.ParseConfig(target)
	if err != nil {
		return nil, chainscope.Localizedf(chainscope.EINVALID,
			"数据库地址 %s 无效：%s", "invalid database URL %s: %s", where, e.redact(err.Error()))
	}
	e.secrets = append(e.secrets, cfg.ConnConfig.Password)
	e.config = cfg.ConnConfig.Copy()
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	if !strings.Contains(target, "pool_max_conns=") {
		// pgxpool's default, max(4, CPUs), is tight for a server: a load
		// reads the links on two more connections, and writers hold one
		// each while they queue on the state row lock.
		cfg.MaxConns = int32(max(10, 2*runtime.GOMAXPROCS(0)))
	}
	e.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, e.openError(where, err)
	}
	db := &DB{path: where, Now: time.Now, eng: e, pg: e}
	sdb := &sqlDB{stdlib.OpenDBFromPool(e.pool), e}
	db.write, db.read = sdb, sdb
	if err := e.pool.Ping(ctx); err != nil {
		db.Close()
		return nil, e.openError(where, err)
	}
	if err := db.migratePG(ctx); err != nil {
		db.Close()
		return nil, e.openError(where, err)
	}
	return db, nil
}

// close closes the pools.
func (e *pgEngine) close(db *DB) error {
	select {
	case <-e.closed:
	default:
		close(e.closed)
	}
	err := db.read.Close()
	e.pool.Close()
	return err
}

func (e *pgEngine) name() string               { return "postgres" }
func (e *pgEngine) rebind(query string) string { return rebindDollar(query) }
func (e *pgEngine) readOptions() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

func (e *pgEngine) wrapErr(err error) error {
	if err == nil || !isUnavailable(err) {
		return err
	}
	return markUnavailable(err)
}

// isUnavailable reports whether err means PostgreSQL cannot be reached.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01-57P03: admin or crash shutdown,
		// cannot connect now; 53300: too many connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" ||
			pe.Code == "57P03" || pe.Code == "53300"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, net.ErrClosed), pgconn.Timeout(err) && !errors.Is(err, context.Canceled):
		return true
	}
	return false
}

// lockWrite takes the state row lock: writers from every server queue here,
// and a writer that holds it reads the latest committed data version.
func (e *pgEngine) lockWrite(ctx context.Context, tx *dbTx) error {
	var v int64
	return tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1 FOR UPDATE`).Scan(&v)
}

// notify announces the data version the transaction commits; PostgreSQL
// delivers it at commit, and only then.
func (e *pgEngine) notify(ctx context.Context, tx *dbTx, version int64) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, notifyChannel, strconv.FormatInt(version, 10))
	return err
}

// constraint recognises PostgreSQL's constraint failures (class 23) and
// values a column refuses (class 22: a document that is not JSON).
func (e *pgEngine) constraint(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "22021" && strings.Contains(pe.Message, "0x00") {
		return "a text holds a zero byte (U+0000), which PostgreSQL cannot store", true
	}
	if !errors.As(err, &pe) {
		return "", false
	}
	// Worded as SQLite words them ("constraint failed: UNIQUE constraint
	// failed: …"), naming the constraint and, for a key, the values.
	var kind string
	switch pe.Code {
	case "23505":
		kind = "UNIQUE"
	case "23514":
		kind = "CHECK"
	case "23503":
		kind = "FOREIGN KEY"
	case "23502":
		return fmt.Sprintf("constraint failed: NOT NULL constraint failed: %s.%s", pe.TableName, pe.ColumnName), true
	default:
		if strings.HasPrefix(pe.Code, "23") || strings.HasPrefix(pe.Code, "22") {
			return pe.Message, true
		}
		return "", false
	}
	msg := fmt.Sprintf("constraint failed: %s constraint failed: %s", kind, pe.ConstraintName)
	if pe.Code != "23514" && pe.Detail != "" {
		msg += " (" + pe.Detail + ")"
	}
	return msg, true
}

// migratePG refuses a database it cannot understand and applies the
// missing migrations, each in its own transaction, which first takes an
// advisory lock and reads the version again, so that two servers opening a
// new database at once do not both apply a step. The version lives in the
// table chainscope_schema, which is also the mark of a chainscope database:
// a database with other tables and no such mark belongs to another program.
func (db *DB) migratePG(ctx context.Context) error {
	ms, err := migrationsIn(postgresMigrations)
	if err != nil {
		return err
	}
	if _, err := db.pgSchemaVersion(ctx, db.write, len(ms)); err != nil {
		return err
	}
	return db.applyMigrations(ctx, ms)
}

// pgSchemaTable creates the table holding the schema version, at 0.
const pgSchemaTable = `CREATE TABLE chainscope_schema (
	id      bigint PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL
);
INSERT INTO chainscope_schema (id, version) VALUES (1, 0)`

// pgSchemaVersion returns the schema version of the database (0: new),
// refusing a database of another program and a version newer than latest.
func (db *DB) pgSchemaVersion(ctx context.Context, q querier, latest int) (int, error) {
	var marked bool
	var tables int
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('chainscope_schema') IS NOT NULL,
		(SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f'))`).Scan(&marked, &tables); err != nil {
		return 0, err
	}
	if !marked {
		if tables > 0 {
			return 0, chainscope.Localizedf(chainscope.EINVALID,
				"%s 是其他程序的 PostgreSQL 数据库，不是 chainscope 数据库", "%s is a PostgreSQL database of another program, not a chainscope database",
				db.path)
		}
		return 0, nil
	}
	var version int
	if err := q.QueryRowContext(ctx, `SELECT version FROM chainscope_schema WHERE id = 1`).Scan(&version); err != nil {
		return 0, err
	}
	if version > latest {
		return 0, newerSchema(version, latest)
	}
	return version, nil
}

// identityTables are the tables whose seq is an identity column (see
// migrations/postgres/0001_init.sql).
var identityTables = []string{
	"counties", "chains", "segments", "flows", "enterprise_segments", "enterprise_leaders",
	"project_segments", "leads", "reports",
}

// resetSequences moves the identity sequence of every table whose rows may
// have been written with an explicit seq (a COPY, a copy between databases)
// past the highest seq, so that the next insert that leaves seq out does
// not collide. PostgreSQL only; a no-op on SQLite, whose INTEGER PRIMARY
// KEY takes max(seq)+1 anyway.
func (db *DB) resetSequences(ctx context.Context, tx *dbTx) error {
	if db.pg == nil {
		return nil
	}
	for _, t := range identityTables {
		// Table names come from our own list, never from input.
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'seq'),
			coalesce((SELECT max(seq) FROM `+t+`), 0) + 1, false)`); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// check finds what PostgreSQL's constraints cannot have let through unless
// they were bypassed (a bulk load with triggers off): references that
// dangle, read from the catalog's foreign keys. The problems read as
// SQLite's foreign-key check words them.
func (e *pgEngine) check(ctx context.Context, db *DB) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname
		FROM pg_catalog.pg_constraint c
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		JOIN pg_catalog.pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
		WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	type fk struct{ table, col, parent, pcol string }
	var fks []fk
	for rows.Next() {
		var f fk
		if err := rows.Scan(&f.table, &f.col, &f.parent, &f.pcol); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var problems []string
	for _, f := range fks {
		key := "seq"
		if f.table == "revision_records" {
			key = "rev"
		}
		q := `SELECT t.` + quoteIdent(key) + ` FROM ` + quoteIdent(f.table) + ` t WHERE t.` + quoteIdent(f.col) + ` IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM ` + quoteIdent(f.parent) + ` p WHERE p.` + quoteIdent(f.pcol) + ` = t.` + quoteIdent(f.col) + `)
			ORDER BY 1 LIMIT 100`
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			problems = append(problems, fmt.Sprintf("%s row %d: dangling reference to %s", f.table, n, f.parent))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return problems, nil
}

// Watch returns the data versions that writes commit to the database, as
// they are announced: on PostgreSQL by LISTEN on the channel chainscope,
// from a connection of its own that reconnects with backoff while the
// database is away and then sends the latest data version again (a write
// may have been missed meanwhile). Versions this process commits come too.
// The channel is closed when ctx is done or the DB is closed. On SQLite Watch returns nil: a
// server polls DataVersion.
func (db *DB) Watch(ctx context.Context) <-chan int64 {
	if db.pg == nil {
		return nil
	}
	out := make(chan int64, 16)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-db.pg.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	go func() {
		defer cancel()
		db.pg.watch(ctx, out)
	}()
	return out
}

// watch listens until ctx is done.
func (e *pgEngine) watch(ctx context.Context, out chan<- int64) {
	defer close(out)
	send := func(v int64) bool {
		select {
		case out <- v:
			return true
		case <-ctx.Done():
			return false
		}
	}
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, e.config)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+notifyChannel)
		}
		if err == nil && !first {
			// Whatever committed while we were away: the latest version.
			var v int64
			if err = conn.QueryRow(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&v); err == nil && !send(v) {
				conn.Close(context.WithoutCancel(ctx))
				return
			}
		}
		if err == nil {
			first, backoff = false, 100*time.Millisecond
			for {
				var n *pgconn.Notification
				n, err = conn.WaitForNotification(ctx)
				if err != nil {
					break
				}
				if v, perr := strconv.ParseInt(n.Payload, 10, 64); perr == nil && !send(v) {
					break
				}
			}
		}
		if conn != nil {
			conn.Close(context.WithoutCancel(ctx))
		}
		first = false
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// IsPostgresURL reports whether an --db target names a PostgreSQL database
// (postgres://… or postgresql://…) rather than an SQLite file.
func IsPostgresURL(target string) bool { return isPostgresURL(target) }

// SafeTarget is target as it may be shown or logged: a file path as it is,
// a PostgreSQL URL without its password.
func SafeTarget(target string) string {
	if isPostgresURL(target) {
		return redactURL(target)
	}
	return target
}
