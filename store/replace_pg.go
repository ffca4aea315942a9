package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainscope"
)

// replacePG is the bulk first import on PostgreSQL (see ReplaceWith): the
// same rows, numbers and state the SQLite path writes (replace), sent with
// COPY, one table after the other, in one transaction. Meanwhile the links,
// most of the rows, are obtained, numbered and sorted by another goroutine
// (linkFeed, as on SQLite) and copied last, in key order, so that every
// insert into the links primary key appends. The secondary indexes are
// dropped first and built again once their tables are written, one sort each
// instead of an index insert per row, and so are the foreign keys (see
// dropIndexesPG). Dropping them takes the tables' exclusive locks, so a
// reader of the database waits for the commit; this path only runs on a
// database without revisions (see startReplace), which has nothing to read.
func (db *DB) replacePG(ctx context.Context, ds *chainscope.Dataset, opt ReplaceOptions) error {
	// References are checked in Go first, as on SQLite; the foreign keys
	// added back after the rows (see dropIndexesPG) then find nothing.
	if err := references(ds); err != nil {
		return err
	}
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
	if err := db.eng.lockWrite(ctx, tx); err != nil {
		return err
	}
	w, err := db.startReplace(ctx, tx, ds, opt)
	if err != nil {
		return err
	}
	if w.indexes, err = dropIndexesPG(ctx, tx); err != nil {
		return err
	}
	if err := w.empty(); err != nil {
		return err
	}
	err = conn.Raw(func(dc any) error {
		pc, err := pgxConn(dc)
		if err != nil {
			return err
		}
		return db.eng.wrapErr(w.copyAll(pc, ds))
	})
	if err != nil {
		return err
	}
	// The seq columns were given explicitly: their sequences must move on
	// past the numbers taken, for the rows later writes add.
	if err := db.resetSequences(ctx, tx); err != nil {
		return err
	}
	if err := db.finishReplace(ctx, w, ds, opt.Meta); err != nil {
		return err
	}
	return tx.Commit()
}

// dropIndexesPG drops the foreign keys of the data tables, the indexes
// that back no constraint and the primary key of links, and returns the
// statements that make them again, in the order to run them: the
// indexes, the foreign keys, then the links key (its table is written
// last). The other primary and UNIQUE keys stay: the foreign keys need them.
//
// A foreign key checks each row written with a trigger that looks up and
// locks its parent row: half a million lookups at province scale, most of
// the server's work in an import. Added again once the rows are in, it
// checks them all with one join. (The references were checked in Go before
// any row was written, see references; this is the database's own check.)
// The links key built once, from rows that come in key order, costs less
// than the million inserts into it (4.3 s against 5.9 s for a million
// links, measured on a loaded machine); a duplicate link then fails the
// build, as a unique violation, as it would have failed the COPY.
func dropIndexesPG(ctx context.Context, tx *dbTx) ([]string, error) {
	tables := strings.Join(dataTables, ",")
	rows, err := tx.QueryContext(ctx, `
		SELECT 2, 'ALTER TABLE ' || quote_ident(t.relname) || ' DROP CONSTRAINT ' || quote_ident(c.conname),
		       'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)
		FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid
		WHERE t.relnamespace = current_schema()::regnamespace
		  AND (c.contype = 'f' AND t.relname = ANY (string_to_array(?, ','))
		       OR c.contype = 'p' AND t.relname = 'links')
		UNION ALL
		SELECT 1, 'DROP INDEX ' || quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)
		FROM pg_index i
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_class t ON t.oid = i.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace
		  AND t.relname = ANY (string_to_array(?, ','))
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY 1, 2`, tables, tables)
	if err != nil {
		return nil, err
	}
	var drop, create, links []string
	for rows.Next() {
		var order int
		var d, c string
		if err := rows.Scan(&order, &d, &c); err != nil {
			rows.Close()
			return nil, err
		}
		drop = append(drop, d)
		if strings.HasPrefix(d, "ALTER TABLE links ") {
			links = append(links, c)
		} else {
			create = append(create, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range drop {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return nil, err
		}
	}
	return append(create, links...), nil
}

// rowsFunc is a pgx.CopyFromSource of n rows that fill lays out: fill(i,
// row) sets row's values for the i-th row. It counts the rows for Progress.
type rowsFunc struct {
	w    *writer
	n, i int
	row  []any
	fill func(i int, row []any) error
	err  error
}

func (c *rowsFunc) Next() bool {
	if c.i >= c.n || c.err != nil {
		return false
	}
	if err := c.w.ctx.Err(); err != nil {
		c.err = err
		return false
	}
	c.i++
	return true
}

func (c *rowsFunc) Values() ([]any, error) {
	if err := c.fill(c.i-1, c.row); err != nil {
		c.err = err
		return nil, err
	}
	c.w.advance(1)
	return c.row, nil
}

func (c *rowsFunc) Err() error { return c.err }

// copyInto copies n rows into table; cols lists the columns fill sets.
func (w *writer) copyInto(pc *pgx.Conn, table string, cols []string, n int, fill func(i int, row []any) error) error {
	if n == 0 {
		return nil
	}
	src := &rowsFunc{w: w, n: n, row: make([]any, len(cols)), fill: fill}
	_, err := pc.CopyFrom(w.ctx, pgx.Identifier{table}, cols, src)
	if src.err != nil {
		return src.err // see copyAll
	}
	return err
}

// pairs flattens a list of lists: the i-th pair is (list, index in it).
func pairs(n int, length func(i int) int) [][2]int32 {
	var total int
	for i := range n {
		total += length(i)
	}
	out := make([][2]int32, 0, total)
	for i := range n {
		for j := range length(i) {
			out = append(out, [2]int32{int32(i), int32(j)})
		}
	}
	return out
}

// copyAll writes every record of ds with COPY, parents before children,
// each table in dataset order with seq 1, 2, 3, … as replace's inserts
// number them on SQLite.
func (w *writer) copyAll(pc *pgx.Conn, ds *chainscope.Dataset) error {
	r := &ds.Region
	err := w.copyInto(pc, "region", []string{"id", "code", "name", "source", "note"}, 1, func(_ int, row []any) error {
		row[0], row[1], row[2], row[3], row[4] = int64(1), r.Code, r.Name, nullString(r.Source), nullString(r.Note)
		return nil
	})
	if err != nil {
		return err
	}
	county := func(code string) any {
		if code == r.Code {
			return nil
		}
		return code
	}
	seq := func(i int) int64 { return int64(i) + 1 }

	err = w.copyInto(pc, "counties", []string{"seq", "code", "name", "kind", "parent", "chains", "source", "note"}, len(ds.Counties),
		func(i int, row []any) error {
			c := &ds.Counties[i]
			row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = seq(i), c.Code, c.Name, string(c.Kind), nullString(c.Parent),
				jsonList(c.Chains), nullString(c.Source), nullString(c.Note)
			return nil
		})
	if err != nil {
		return err
	}
	err = w.copyInto(pc, "chains", []string{"seq", "id", "name", "source", "note"}, len(ds.Chains), func(i int, row []any) error {
		c := &ds.Chains[i]
		row[0], row[1], row[2], row[3], row[4] = seq(i), c.ID, c.Name, nullString(c.Source), nullString(c.Note)
		return nil
	})
	if err != nil {
		return err
	}
	segs := pairs(len(ds.Chains), func(i int) int { return len(ds.Chains[i].Segments) })
	err = w.copyInto(pc, "segments", []string{"seq", "id", "chain_id", "name", "stage", "source", "note"}, len(segs), func(i int, row []any) error {
		c := &ds.Chains[segs[i][0]]
		s := &c.Segments[segs[i][1]]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = seq(i), s.ID, c.ID, s.Name, string(s.Stage), nullString(s.Source), nullString(s.Note)
		return nil
	})
	if err != nil {
		return err
	}
	flows := pairs(len(ds.Chains), func(i int) int { return len(ds.Chains[i].Flows) })
	err = w.copyInto(pc, "flows", []string{"seq", "chain_id", "from_id", "to_id"}, len(flows), func(i int, row []any) error {
		c := &ds.Chains[flows[i][0]]
		f := &c.Flows[flows[i][1]]
		row[0], row[1], row[2], row[3] = seq(i), c.ID, f.From, f.To
		return nil
	})
	if err != nil {
		return err
	}

	// Node numbers: enterprises 1…E, then projects E+1…E+P, as on SQLite.
	nodeValue := make([]any, len(ds.Enterprises)+len(ds.Projects)+1)
	for i := range nodeValue {
		nodeValue[i] = int64(i)
	}
	feed := startLinkFeed(ds, w.links, nodeValue)
	defer feed.stop()

	err = w.copyInto(pc, "enterprises", []string{"seq", "id", "name", "uscc", "county", "output_wan", "source", "note"}, len(ds.Enterprises),
		func(i int, row []any) error {
			e := &ds.Enterprises[i]
			row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = nodeValue[1+i], e.ID, e.Name, nullString(e.USCC), county(e.County),
				nullFloat(e.OutputWan), nullString(e.Source), nullString(e.Note)
			return nil
		})
	if err != nil {
		return err
	}
	es := pairs(len(ds.Enterprises), func(i int) int { return len(ds.Enterprises[i].Segments) })
	err = w.copyInto(pc, "enterprise_segments", []string{"seq", "enterprise_id", "segment_id"}, len(es), func(i int, row []any) error {
		e := &ds.Enterprises[es[i][0]]
		row[0], row[1], row[2] = seq(i), e.ID, e.Segments[es[i][1]]
		return nil
	})
	if err != nil {
		return err
	}
	el := pairs(len(ds.Enterprises), func(i int) int { return len(ds.Enterprises[i].LeaderOf) })
	err = w.copyInto(pc, "enterprise_leaders", []string{"seq", "enterprise_id", "chain_id"}, len(el), func(i int, row []any) error {
		e := &ds.Enterprises[el[i][0]]
		row[0], row[1], row[2] = seq(i), e.ID, e.LeaderOf[el[i][1]]
		return nil
	})
	if err != nil {
		return err
	}
	err = w.copyInto(pc, "projects", []string{"seq", "id", "name", "investor", "county", "investment_wan", "signed", "started", "status",
		"emerging", "source", "note"}, len(ds.Projects), func(i int, row []any) error {
		p := &ds.Projects[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = nodeValue[1+len(ds.Enterprises)+i], p.ID, p.Name, nullString(p.Investor),
			county(p.County), nullFloat(p.InvestmentWan)
		row[6], row[7], row[8], row[9], row[10], row[11] = nullString(p.Signed), nullString(p.Started), string(p.Status),
			boolInt(p.Emerging), nullString(p.Source), nullString(p.Note)
		return nil
	})
	if err != nil {
		return err
	}
	ps := pairs(len(ds.Projects), func(i int) int { return len(ds.Projects[i].Segments) })
	err = w.copyInto(pc, "project_segments", []string{"seq", "project_id", "segment_id"}, len(ps), func(i int, row []any) error {
		p := &ds.Projects[ps[i][0]]
		row[0], row[1], row[2] = seq(i), p.ID, p.Segments[ps[i][1]]
		return nil
	})
	if err != nil {
		return err
	}
	err = w.copyInto(pc, "leads", []string{"seq", "id", "doc"}, len(ds.Leads), func(i int, row []any) error {
		doc, err := leadDoc(&ds.Leads[i])
		row[0], row[1], row[2] = seq(i), ds.Leads[i].ID, doc
		return err
	})
	if err != nil {
		return err
	}
	err = w.copyInto(pc, "reports", []string{"seq", "area", "from_date", "to_date", "doc"}, len(ds.Reports), func(i int, row []any) error {
		r := &ds.Reports[i]
		doc, err := reportDoc(r)
		row[0], row[1], row[2], row[3], row[4] = seq(i), r.Area, r.From, r.To, doc
		return err
	})
	if err != nil {
		return err
	}

	// The dropped indexes and foreign keys of the tables written so far
	// are made again while the link feed may still be waiting for its
	// links; the links' own after their rows.
	rebuild := func(links bool) error {
		for _, ix := range w.indexes {
			if strings.HasPrefix(ix, "ALTER TABLE links ") != links {
				continue
			}
			if _, err := pc.Exec(w.ctx, ix); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rebuild(false); err != nil {
		return err
	}

	src := &linkRows{w: w, feed: feed, row: make([]any, strings.Count(linkColumns, ",")+1)}
	_, err = pc.CopyFrom(w.ctx, pgx.Identifier{"links"}, strings.Split(linkColumns, ", "), src)
	if src.err != nil {
		// The server reports it as "COPY from stdin failed: …", a
		// text; the caller wants the error itself (InvalidError).
		return src.err
	}
	if err != nil {
		return err
	}
	return rebuild(true)
}

// linkRows is a pgx.CopyFromSource of the rows the link feed lays out.
type linkRows struct {
	w     *writer
	feed  *linkFeed
	batch linkBatch
	at    int // the next row of batch
	row   []any
	err   error
}

func (l *linkRows) Next() bool {
	if l.err != nil {
		return false
	}
	width := len(l.row)
	for l.batch.args == nil || l.at*width >= len(l.batch.args) {
		if l.batch.args != nil {
			l.feed.free <- l.batch.args[:cap(l.batch.args)]
			l.batch.args = nil
		}
		b, ok := <-l.feed.batches
		if !ok {
			return false
		}
		if b.err != nil {
			l.err = b.err
			return false
		}
		if b.links >= 0 {
			l.w.total += b.links - l.w.expectedLinks
			l.w.linksWritten = b.links
		}
		if err := l.w.ctx.Err(); err != nil {
			l.err = err
			return false
		}
		l.batch, l.at = b, 0
	}
	for j := range l.row {
		l.row[j] = l.batch.args[l.at*width+j].Value
	}
	l.at++
	l.w.advance(1)
	return true
}

func (l *linkRows) Values() ([]any, error) { return l.row, nil }

func (l *linkRows) Err() error { return l.err }

// pgxConn is the pgx connection under a database/sql driver connection
// (inside sql.Conn.Raw).
func pgxConn(dc any) (*pgx.Conn, error) {
	c, ok := dc.(*stdlib.Conn)
	if !ok {
		return nil, fmt.Errorf("not a PostgreSQL connection: %T", dc)
	}
	return c.Conn(), nil
}
