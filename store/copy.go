package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"chainscope"
)

// CopyOptions tunes Copy.
type CopyOptions struct {
	// Force lets Copy replace what the target holds; without it a target
	// that holds data is refused (chainscope.ECONFLICT).
	Force bool
	// Progress, when not nil, is called every few thousand rows with the
	// rows copied so far and the total, and once more with done == total
	// when only the commit remains.
	Progress func(done, total int)
}

// CopyStats says what Copy moved.
type CopyStats struct {
	Rows      int   // rows copied, every table
	Revisions int64 // the revisions among them
}

// copyTable is one table Copy moves: its name and the columns it is read
// in order of (its key), which is also the order rows are written in.
type copyTable struct {
	name, order string
}

// copyTables lists every table of the schema that holds data, parents
// before children: the order Copy writes them in (it empties them in the
// reverse order). state is not among them: its one row is updated (see
// Copy). A test checks that the list names every table of both engines'
// schemas, so a migration that adds a table must add it here.
var copyTables = []copyTable{
	{"revisions", "rev"},
	{"region", "id"},
	{"counties", "seq"},
	{"chains", "seq"},
	{"segments", "seq"},
	{"flows", "seq"},
	{"enterprises", "seq"},
	{"enterprise_segments", "seq"},
	{"enterprise_leaders", "seq"},
	{"projects", "seq"},
	{"project_segments", "seq"},
	{"links", "from_node, to_node"},
	{"leads", "seq"},
	{"reports", "seq"},
	{"history", "kind, key, rev_from"},
	{"revision_records", "rev, kind, key"},
	{"boundaries", "seq"},
	{"audit_before_history", "id"},
}

// notCopied are the tables of the schema Copy does not copy. The stored
// analysis index (snapshot) belongs to a data version, and the copy's
// moves past the source's: it would be stale. Copy empties it in dst.
var notCopied = []string{"snapshot"}

// Copy copies the database src into dst with all its history: every
// revision, every closed version, the audit trail, the boundaries, the
// node and link numbering and the current data, row for row (not the
// stored analysis index, see notCopied), so that
// every read of dst — Load, LoadAsOf of each revision, Revisions,
// RecordHistory — answers as the same read of src. The two may be of
// either engine. It reads src in one snapshot and writes dst in one
// transaction: afterwards dst holds exactly src's data, or, on any error,
// what it held before. A dst that holds data already is refused unless
// opt.Force. dst's data version moves on past both databases' versions, so
// a cached answer of either never passes for the copy's; on PostgreSQL the
// commit announces it (pg_notify), and servers on dst load the copy.
// Copying into PostgreSQL locks dst's data tables until the commit:
// readers of dst wait meanwhile (servers answer from their snapshots).
func Copy(ctx context.Context, dst, src *DB, opt CopyOptions) (CopyStats, error) {
	var stats CopyStats
	if dst.Engine() == src.Engine() && dst.Path() == src.Path() {
		return stats, chainscope.Localizedf(chainscope.EINVALID, "源数据库和目标数据库相同：%s", "the source and the target are the same database: %s", src.Path())
	}
	in, err := src.beginRead(ctx)
	if err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	defer in.Rollback()
	var srcVersion, nextNode, nextLink int64
	if err := in.QueryRowContext(ctx, `SELECT data_version, next_node, next_link FROM state WHERE id = 1`).
		Scan(&srcVersion, &nextNode, &nextLink); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	total := 0
	for _, t := range copyTables {
		var n int
		if err := in.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&n); err != nil {
			return stats, fmt.Errorf("copy: %s: %w", t.name, err)
		}
		total += n
	}

	err = dst.copyInto(ctx, in, total, opt, func(out *dbTx, done int) error {
		var dstVersion int64
		if err := out.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&dstVersion); err != nil {
			return err
		}
		// bumpVersion moves it one further and announces it.
		if _, err := out.ExecContext(ctx, `UPDATE state SET data_version = ?, next_node = ?, next_link = ? WHERE id = 1`,
			max(srcVersion, dstVersion), nextNode, nextLink); err != nil {
			return err
		}
		if err := bumpVersion(ctx, out); err != nil {
			return err
		}
		if err := out.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) FROM revisions`).Scan(&stats.Revisions); err != nil {
			return err
		}
		stats.Rows = done
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return CopyStats{}, fmt.Errorf("copy: %w", ctx.Err())
		}
		var ce *chainscope.Error
		if errors.As(err, &ce) {
			return CopyStats{}, err
		}
		return CopyStats{}, fmt.Errorf("copy: %w", err)
	}
	return stats, nil
}

// copyInto writes every table that in reads into db, in one write
// transaction, and calls finish in it before the commit with the rows
// written.
func (db *DB) copyInto(ctx context.Context, in *dbTx, total int, opt CopyOptions, finish func(out *dbTx, done int) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	out, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer out.Rollback()
	if err := db.eng.lockWrite(ctx, out); err != nil {
		return err
	}
	var held int
	if err := out.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM revisions) + (SELECT count(*) FROM region) + (SELECT count(*) FROM boundaries)`).Scan(&held); err != nil {
		return err
	}
	if held > 0 && !opt.Force {
		return chainscope.Localizedf(chainscope.ECONFLICT,
			"目标数据库 %s 已有数据；确要用源数据库替换它，请加 --force", "the target database %s holds data; add --force to replace it with the source",
			db.Path())
	}
	// On PostgreSQL the foreign keys and secondary indexes of the data
	// tables are made again after the rows, as in a bulk import (see
	// dropIndexesPG); they are dropped before the deletes, which then
	// leave no foreign-key check pending.
	var rebuild []string
	if db.pg != nil {
		// Dropping keys takes each table's exclusive lock, which waits for
		// every open transaction that read the table: a long one, or the
		// source itself under another spelling of its URL. Give up
		// rather than wait for ever.
		if _, err := out.ExecContext(ctx, `SET LOCAL lock_timeout = '60s'`); err != nil {
			return err
		}
		if rebuild, err = dropIndexesPG(ctx, out); err != nil {
			return err
		}
	}
	for _, name := range notCopied {
		if _, err := out.ExecContext(ctx, `DELETE FROM `+name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for i := len(copyTables) - 1; i >= 0; i-- {
		// Table names come from our own list.
		if _, err := out.ExecContext(ctx, `DELETE FROM `+copyTables[i].name); err != nil {
			return fmt.Errorf("%s: %w", copyTables[i].name, err)
		}
	}
	// One writer counts the rows for Progress on either engine (see
	// writer.advance).
	w := &writer{ctx: ctx, tx: out, progress: opt.Progress, total: total}
	for _, t := range copyTables {
		if err := db.copyRows(ctx, in, out, conn, t, w); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	for _, stmt := range rebuild {
		if _, err := out.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	// Rows came with their seq: the sequences must move past them.
	if err := db.resetSequences(ctx, out); err != nil {
		return err
	}
	if err := finish(out, w.done); err != nil {
		return err
	}
	if opt.Progress != nil {
		opt.Progress(total, total)
	}
	return out.Commit()
}

// columnKind is what a column holds, as far as a value read from the other
// engine must be converted for it.
type columnKind int

const (
	kindOther columnKind = iota
	kindInt
	kindFloat
	kindBool
	kindText
)

// columnKinds returns the columns of table in db and what each holds, by
// name.
func (db *DB) columnKinds(ctx context.Context, tx *dbTx, table string) (map[string]columnKind, error) {
	kinds := map[string]columnKind{}
	var q string
	if db.pg != nil {
		q = `SELECT column_name, data_type FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name = ?`
	} else {
		q = `SELECT name, type FROM pragma_table_info(?)`
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		switch t := strings.ToLower(typ); {
		case strings.Contains(t, "int"):
			kinds[name] = kindInt
		case t == "real" || t == "double precision" || t == "numeric":
			kinds[name] = kindFloat
		case t == "boolean":
			kinds[name] = kindBool
		case t == "text" || strings.Contains(t, "char"):
			kinds[name] = kindText
		default:
			kinds[name] = kindOther
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return nil, fmt.Errorf("no table %s", table)
	}
	return kinds, nil
}

// convert turns a value read from one engine into the value the column
// kind k takes in the other: SQLite keeps booleans as 0 and 1 and has no
// separate text and blob types for drivers to tell apart.
func convert(v any, k columnKind) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		if k == kindText || k == kindOther {
			return string(x)
		}
		return x
	case bool:
		if k == kindInt {
			if x {
				return int64(1)
			}
			return int64(0)
		}
	case int64:
		switch k {
		case kindBool:
			return x != 0
		case kindFloat:
			return float64(x)
		}
	case float64:
		if k == kindInt && x == float64(int64(x)) {
			return int64(x)
		}
	}
	return v
}

// copyRows copies one table from in (src's snapshot) into out (dst's
// write transaction on conn, w's), counting the rows in w.
func (db *DB) copyRows(ctx context.Context, in, out *dbTx, conn *dbConn, t copyTable, w *writer) error {
	rows, err := in.QueryContext(ctx, `SELECT * FROM `+t.name+` ORDER BY `+t.order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	kinds, err := db.columnKinds(ctx, out, t.name)
	if err != nil {
		return err
	}
	if len(kinds) != len(cols) {
		return fmt.Errorf("the source has columns %s, the target %d columns", strings.Join(cols, ", "), len(kinds))
	}
	colKinds := make([]columnKind, len(cols))
	for i, c := range cols {
		k, ok := kinds[c]
		if !ok {
			return fmt.Errorf("the target has no column %s", c)
		}
		colKinds[i] = k
	}
	src := &rowSource{rows: rows, kinds: colKinds, vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for i := range src.vals {
		src.ptrs[i] = &src.vals[i]
	}
	if db.pg != nil {
		return conn.Raw(func(dc any) error {
			pc, err := pgxConn(dc)
			if err != nil {
				return err
			}
			_, err = pc.CopyFrom(ctx, pgx.Identifier{t.name}, cols, &countingSource{src, w})
			if src.err != nil {
				return src.err // the server has only its text
			}
			return db.eng.wrapErr(err)
		})
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("driver connection cannot prepare statements")
		}
		w.conn = c
		b := w.bulk(t.name, strings.Join(cols, ", ")) // counts the rows it writes
		for src.Next() {
			vals, err := src.Values()
			if err != nil {
				return err
			}
			if err := b.add(vals...); err != nil {
				return err
			}
		}
		if err := src.Err(); err != nil {
			return err
		}
		return b.close()
	})
}

// rowSource reads the rows of a query as the values of the target's
// columns: a pgx.CopyFromSource, and what the SQLite bulk insert takes.
type rowSource struct {
	rows  *dbRows
	kinds []columnKind
	vals  []any
	ptrs  []any
	err   error
}

func (s *rowSource) Next() bool {
	if s.err != nil {
		return false
	}
	if s.rows.Next() {
		return true
	}
	s.err = s.rows.Err()
	return false
}

func (s *rowSource) Values() ([]any, error) {
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.err = err
		return nil, err
	}
	for i, v := range s.vals {
		s.vals[i] = convert(v, s.kinds[i])
	}
	return s.vals, nil
}

func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// countingSource counts the rows a CopyFrom takes.
type countingSource struct {
	*rowSource
	w *writer
}

func (s *countingSource) Values() ([]any, error) {
	s.w.advance(1)
	return s.rowSource.Values()
}
