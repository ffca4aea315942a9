package store

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chainscope"
)

// ReplaceOptions tunes ReplaceWith.
type ReplaceOptions struct {
	// Progress, when not nil, is called every few thousand rows with the
	// rows written so far and the total, and once more with done == total
	// when everything is written and only the commit remains. It runs on
	// the importing goroutine, inside the transaction: keep it quick.
	Progress func(done, total int)

	// Meta names the revision the write makes (SPEC §8).
	Meta Meta

	// Links, when not nil, gives the links to write in place of ds.Links.
	// It is called once, on another goroutine, as the writing starts, so
	// that the caller can still be checking them while the other records
	// are written (dataset.Staged). An error from it rolls everything back
	// and is returned, wrapped.
	Links func() ([]chainscope.Link, error)
	// LinkCount is how many links Links will give, for Progress's total
	// until they come; the total is corrected then.
	LinkCount int

	// Stored, when not nil, is the stored dataset as the caller read it at
	// data version StoredVersion (LoadVersion; a merge import has it
	// already): a write over stored data compares with it instead of
	// reading it again, unless another write came in between.
	Stored        *chainscope.Dataset
	StoredVersion int64
}

// progressEvery is how many rows pass between two Progress calls.
const progressEvery = 5000

// batchRows is how many rows one INSERT statement carries. One multi-row
// statement per batch instead of one statement per row divides the cost of
// crossing database/sql and the driver by this much; beyond a few hundred
// rows the gain is gone (see BenchmarkReplace).
const batchRows = 128

// dataTables lists the tables that hold the dataset, children before
// parents: the order Replace empties them in.
var dataTables = []string{
	"leads", "reports", "links", "project_segments", "projects", "enterprise_leaders", "enterprise_segments",
	"enterprises", "flows", "segments", "chains", "counties", "region",
}

// Replace stores ds in place of the whole stored dataset, in one
// transaction: afterwards the database holds exactly ds, or, on any error,
// exactly what it held before. It bumps the data version. The caller has
// validated ds with dataset.Build; the database still refuses dangling
// references (an internal error, chainscope.EINTERNAL: Build lets none
// through) and duplicate keys (chainscope.EINVALID).
func (db *DB) Replace(ctx context.Context, ds *chainscope.Dataset) error {
	return db.ReplaceWith(ctx, ds, ReplaceOptions{})
}

// ReplaceWith is Replace with options.
//
// How it is fast: one transaction; rows go batchRows at a time through
// statements prepared once per table and bound at the driver level (see
// bulk); references are checked in Go up front (see references) and
// SQLite's per-row foreign-key probes are off; the secondary indexes are
// dropped first and rebuilt once the other tables are written, one sort
// each instead of a B-tree insert per row, while the links, most of the
// rows, are obtained (see ReplaceOptions.Links), numbered, sorted and laid
// out by another goroutine, to be appended to their table last, in key
// order; the page cache is enlarged for the duration. Readers meanwhile
// keep seeing the previous dataset.
//
// That is the first write into a database. Once it holds history, a
// Replace writes only the records that differ from the stored ones (see
// replaceByDiff), as one more revision.
func (db *DB) ReplaceWith(ctx context.Context, ds *chainscope.Dataset, opt ReplaceOptions) error {
	if ds == nil {
		return errors.New("replace: nil dataset")
	}
	var err error
	if db.pg != nil {
		err = db.replacePG(ctx, ds, opt)
	} else {
		err = db.replace(ctx, ds, opt)
	}
	if errors.Is(err, errHasHistory) {
		err = db.replaceByDiff(ctx, ds, opt)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("replace: %w", ctx.Err())
		}
		return db.replaceError(err)
	}
	return nil
}

// errHasHistory tells ReplaceWith that the bulk path does not apply: the
// database has revisions already.
var errHasHistory = errors.New("store: the database has history")

// replaceByDiff stores ds as one revision that writes only the records in
// which ds differs from the stored dataset. The comparison is made against
// a dataset read at a known data version and written only if no other write
// came in between (else it is made again).
func (db *DB) replaceByDiff(ctx context.Context, ds *chainscope.Dataset, opt ReplaceOptions) error {
	// The stored dataset is read while the caller's links are still being
	// read and checked (ReplaceOptions.Links).
	type stored struct {
		ds      *chainscope.Dataset
		version int64
		err     error
	}
	first := make(chan stored, 1)
	if opt.Stored != nil {
		first <- stored{opt.Stored, opt.StoredVersion, nil}
	} else {
		go func() {
			ds, v, err := db.LoadVersion(ctx)
			first <- stored{ds, v, err}
		}()
	}
	next := ds
	if opt.Links != nil {
		links, err := opt.Links()
		if err != nil {
			<-first
			return err
		}
		copied := *ds
		copied.Links = links
		next = &copied
	}
	if err := references(next); err != nil {
		<-first
		return err
	}
	for attempt := range 5 {
		var cur *chainscope.Dataset
		var version int64
		var err error
		if attempt == 0 {
			s := <-first
			cur, version, err = s.ds, s.version, s.err
		} else {
			cur, version, err = db.LoadVersion(ctx)
		}
		if err != nil {
			return err
		}
		changes, err := chainscope.DiffDatasets(cur, next)
		if err != nil {
			return err
		}
		meta := opt.Meta
		meta.Progress = opt.Progress
		_, err = db.Commit(ctx, version, changes, meta)
		if !errors.Is(err, ErrStale) {
			return err
		}
	}
	return chainscope.Localizedf(chainscope.ECONFLICT, "数据正在被频繁写入，请稍后重试", "the data keeps changing; try again shortly")
}

func (db *DB) replace(ctx context.Context, ds *chainscope.Dataset, opt ReplaceOptions) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	var cacheSize int
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = "+strconv.Itoa(-db.importCacheKiB)); err != nil {
		return err
	}
	// Give the memory back even when ctx is done.
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = "+strconv.Itoa(cacheSize))

	// Foreign keys are checked in Go instead (see references), before a
	// row is written; the pragma is per connection and cannot change inside
	// a transaction, so it is switched around it.
	if err := references(ds); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); err != nil {
			// A connection that cannot be put back as it was must not
			// serve another write: database/sql discards it.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w, err := db.startReplace(ctx, tx, ds, opt)
	if err != nil {
		return err
	}
	if w.indexes, err = w.dropIndexes(); err != nil {
		return err
	}
	if err := w.empty(); err != nil {
		return err
	}
	// All inserts go straight to the driver connection (see bulk), which
	// database/sql lends only inside Raw.
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("driver connection cannot prepare statements")
		}
		w.conn = c
		return w.insertAll(ds)
	})
	if err != nil {
		return err
	}
	if err := db.finishReplace(ctx, w, ds, opt.Meta); err != nil {
		return err
	}
	return tx.Commit()
}

// startReplace begins the bulk first write of a dataset in tx: it refuses
// with errHasHistory when the database has revisions already (Replace
// then writes by difference), and returns the writer that counts the rows
// and carries the links to come.
func (db *DB) startReplace(ctx context.Context, tx *dbTx, ds *chainscope.Dataset, opt ReplaceOptions) (*writer, error) {
	var revisions int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revisions`).Scan(&revisions); err != nil {
		return nil, err
	}
	if revisions > 0 {
		return nil, errHasHistory
	}
	links, expected := opt.Links, max(opt.LinkCount, 0)
	if links == nil {
		links, expected = func() ([]chainscope.Link, error) { return ds.Links, nil }, len(ds.Links)
	}
	return &writer{ctx: ctx, tx: tx, progress: opt.Progress, links: links,
		total: countRows(ds) - len(ds.Links) + expected, expectedLinks: expected}, nil
}

// empty deletes every row of the data tables.
func (w *writer) empty() error {
	for _, t := range dataTables {
		// Table names come from our own list, never from input.
		if _, err := w.tx.ExecContext(w.ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}
	return nil
}

// finishReplace ends a bulk first write whose rows are all in: it records
// revision 1, moves the node and link numbering past what was written and
// bumps the data version; the caller commits.
func (db *DB) finishReplace(ctx context.Context, w *writer, ds *chainscope.Dataset, meta Meta) error {
	// Every row took rev 1, the column default: this is revision 1.
	if _, err := db.newRevision(ctx, w.tx, meta, recordCounts(ds, w.linksWritten)); err != nil {
		return err
	}
	// Nodes are numbered 1…E+P and links 1…L (see insertAll); later
	// writes number on from there.
	nodes := len(ds.Enterprises) + len(ds.Projects)
	if _, err := w.tx.ExecContext(ctx, `UPDATE state SET next_node = ?, next_link = ?`, int64(nodes+1), int64(w.linksWritten+1)); err != nil {
		return err
	}
	if err := bumpVersion(ctx, w.tx); err != nil {
		return err
	}
	if w.progress != nil {
		w.progress(w.total, w.total)
	}
	return nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// replaceError gives a constraint failure (a dangling reference, a duplicate
// key, a value out of range) a user-facing message and code.
func (db *DB) replaceError(err error) error {
	var ce *chainscope.Error
	if errors.As(err, &ce) {
		return err // ours, already worded for users
	}
	if msg, ok := db.eng.constraint(err); ok {
		return chainscope.Localizedf(chainscope.EINVALID,
			"数据集有悬空引用、重复键或无效值，未保存任何数据（%s）", "the dataset has a dangling reference, a duplicate key or an invalid value; nothing was stored (%s)",
			msg)
	}
	return fmt.Errorf("replace: %w", err)
}

// bumpVersion changes the data version and announces the new one (see
// engine.notify); every write transaction calls it.
func bumpVersion(ctx context.Context, tx *dbTx) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE state SET data_version = data_version + 1 WHERE id = 1 RETURNING data_version`).Scan(&v); err != nil {
		return err
	}
	return tx.eng.notify(ctx, tx, v)
}

// recordCounts counts the records of ds by kind, with links links, for
// the summary of the revision that writes them all.
func recordCounts(ds *chainscope.Dataset, links int) map[string]int {
	n := map[string]int{chainscope.RecordRegion: 1, chainscope.RecordCounty: len(ds.Counties),
		chainscope.RecordChain: len(ds.Chains), chainscope.RecordEnterprise: len(ds.Enterprises),
		chainscope.RecordProject: len(ds.Projects), chainscope.RecordLink: links,
		chainscope.RecordLead: len(ds.Leads), chainscope.RecordReport: len(ds.Reports)}
	for i := range ds.Chains {
		n[chainscope.RecordSegment] += len(ds.Chains[i].Segments)
	}
	return n
}

// countRows is the number of rows Replace writes for ds: the records and
// the join-table rows of their lists.
func countRows(ds *chainscope.Dataset) int {
	n := 1 + len(ds.Counties) + len(ds.Chains) + len(ds.Enterprises) + len(ds.Projects) + len(ds.Links) +
		len(ds.Leads) + len(ds.Reports)
	for i := range ds.Chains {
		n += len(ds.Chains[i].Segments) + len(ds.Chains[i].Flows)
	}
	for i := range ds.Enterprises {
		n += len(ds.Enterprises[i].Segments) + len(ds.Enterprises[i].LeaderOf)
	}
	for i := range ds.Projects {
		n += len(ds.Projects[i].Segments)
	}
	return n
}

// writer carries one Replace transaction.
type writer struct {
	ctx      context.Context
	tx       *dbTx
	conn     driver.ConnPrepareContext // SQLite's driver connection under tx, in insertAll (PostgreSQL writes with COPY)
	progress func(done, total int)
	total    int
	done     int
	reported int
	links    func() ([]chainscope.Link, error) // the links to write
	indexes  []string                          // CREATE INDEX statements to run once the rows are in
	// expectedLinks is how many links total counts until they come.
	expectedLinks int
	linksWritten  int // how many links came
}

// dropIndexes drops every index declared with CREATE INDEX on a data table
// and returns the statements that rebuild them. Inline UNIQUE keys
// (sql IS NULL) stay: foreign-key checks look them up on every insert.
// Reading the statements from the schema keeps this right whatever later
// migrations add.
func (w *writer) dropIndexes() ([]string, error) {
	q := `SELECT name, sql FROM sqlite_schema
	      WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('` +
		strings.Join(dataTables, "', '") + `') ORDER BY rowid`
	rows, err := w.tx.QueryContext(w.ctx, q)
	if err != nil {
		return nil, err
	}
	var names, create []string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, name)
		create = append(create, sql)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := w.tx.ExecContext(w.ctx, `DROP INDEX `+quoteIdent(name)); err != nil {
			return nil, err
		}
	}
	return create, nil
}

// advance counts n written rows and reports progress now and then.
func (w *writer) advance(n int) {
	w.done += n
	if w.progress != nil && w.done-w.reported >= progressEvery {
		w.reported = w.done
		w.progress(w.done, w.total)
	}
}

// insertAll writes every record of ds, parents before children, each table
// in dataset order (seq follows the insertion order).
func (w *writer) insertAll(ds *chainscope.Dataset) error {
	r := &ds.Region
	b := w.bulk("region", "id, code, name, source, note")
	if err := b.add(int64(1), r.Code, r.Name, nullString(r.Source), nullString(r.Note)); err != nil {
		return err
	}
	if err := b.close(); err != nil {
		return err
	}

	// A record in the region's own code belongs to no county: NULL.
	county := func(code string) any {
		if code == r.Code {
			return nil
		}
		return code
	}

	b = w.bulk("counties", "code, name, kind, parent, chains, source, note")
	for i := range ds.Counties {
		c := &ds.Counties[i]
		if err := b.add(c.Code, c.Name, string(c.Kind), nullString(c.Parent), jsonList(c.Chains), nullString(c.Source), nullString(c.Note)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("chains", "id, name, source, note")
	for i := range ds.Chains {
		c := &ds.Chains[i]
		if err := b.add(c.ID, c.Name, nullString(c.Source), nullString(c.Note)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("segments", "id, chain_id, name, stage, source, note")
	for i := range ds.Chains {
		c := &ds.Chains[i]
		for j := range c.Segments {
			s := &c.Segments[j]
			if err := b.add(s.ID, c.ID, s.Name, string(s.Stage), nullString(s.Source), nullString(s.Note)); err != nil {
				return err
			}
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("flows", "chain_id, from_id, to_id")
	for i := range ds.Chains {
		c := &ds.Chains[i]
		for _, f := range c.Flows {
			if err := b.add(c.ID, f.From, f.To); err != nil {
				return err
			}
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	// Node numbers: enterprises 1…E, then projects E+1…E+P (the seq of
	// their rows, see 0001_init.sql); nodeValue holds each number boxed once.
	nodeValue := make([]any, len(ds.Enterprises)+len(ds.Projects)+1)
	for i := range nodeValue {
		nodeValue[i] = int64(i)
	}
	// Meanwhile another goroutine gets the links, sorts them and lays out
	// their rows.
	feed := startLinkFeed(ds, w.links, nodeValue)
	defer feed.stop() // ds is the caller's again once Replace returns

	b = w.bulk("enterprises", "seq, id, name, uscc, county, output_wan, source, note")
	for i := range ds.Enterprises {
		e := &ds.Enterprises[i]
		if err := b.add(nodeValue[1+i], e.ID, e.Name, nullString(e.USCC), county(e.County), nullFloat(e.OutputWan),
			nullString(e.Source), nullString(e.Note)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("enterprise_segments", "enterprise_id, segment_id")
	for i := range ds.Enterprises {
		e := &ds.Enterprises[i]
		for _, s := range e.Segments {
			if err := b.add(e.ID, s); err != nil {
				return err
			}
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("enterprise_leaders", "enterprise_id, chain_id")
	for i := range ds.Enterprises {
		e := &ds.Enterprises[i]
		for _, c := range e.LeaderOf {
			if err := b.add(e.ID, c); err != nil {
				return err
			}
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("projects", "seq, id, name, investor, county, investment_wan, signed, started, status, emerging, source, note")
	for i := range ds.Projects {
		p := &ds.Projects[i]
		if err := b.add(nodeValue[1+len(ds.Enterprises)+i], p.ID, p.Name, nullString(p.Investor), county(p.County), nullFloat(p.InvestmentWan),
			nullString(p.Signed), nullString(p.Started), string(p.Status), boolInt(p.Emerging),
			nullString(p.Source), nullString(p.Note)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	b = w.bulk("project_segments", "project_id, segment_id")
	for i := range ds.Projects {
		p := &ds.Projects[i]
		for _, s := range p.Segments {
			if err := b.add(p.ID, s); err != nil {
				return err
			}
		}
	}
	if err := b.close(); err != nil {
		return err
	}

	if err := w.insertDrive(ds); err != nil {
		return err
	}

	// Every secondary index is on the tables written so far: build them
	// now, while the link feed may still be waiting for its links.
	ex, ok := w.conn.(driver.ExecerContext)
	if !ok {
		return errors.New("driver connection cannot execute statements")
	}
	for _, ix := range w.indexes {
		if _, err := ex.ExecContext(w.ctx, ix, nil); err != nil {
			return err
		}
	}

	b = w.bulk("links", linkColumns)
	for batch := range feed.batches {
		if batch.err != nil {
			return batch.err
		}
		if batch.links >= 0 {
			w.total += batch.links - w.expectedLinks
			w.linksWritten = batch.links
		}
		if err := b.exec(batch.args, len(batch.args)/b.width); err != nil {
			return err
		}
		feed.free <- batch.args
	}
	return b.close()
}

// linkColumns are the columns of a links row as the link feed lays them out.
const linkColumns = "from_node, to_node, seq, product, source, note"

// linkFeed produces the rows of the links, in key order, as argument
// batches for the links insert: from another goroutine, so that the
// numbering, the sorting and the boxing of a million values are done while
// SQLite works on the other tables and on the previous batch. Batches
// circulate through free, so a few of them serve the whole import.
type linkFeed struct {
	batches chan linkBatch           // filled batches, closed at the end
	free    chan []driver.NamedValue // emptied batches, back to the feed
	done    chan struct{}            // closed by stop: the consumer is gone
	wg      sync.WaitGroup
}

// linkBatch is up to batchRows rows of links arguments, or why there are
// none.
type linkBatch struct {
	args  []driver.NamedValue
	err   error
	links int // in the first batch, how many links there are; else -1
}

// startLinkFeed starts feeding the links that links gives, between the
// nodes of ds; node numbers are boxed in nodeValue.
func startLinkFeed(ds *chainscope.Dataset, links func() ([]chainscope.Link, error), nodeValue []any) *linkFeed {
	const buffers = 4
	width := strings.Count(linkColumns, ",") + 1
	f := &linkFeed{
		batches: make(chan linkBatch, buffers),
		free:    make(chan []driver.NamedValue, buffers),
		done:    make(chan struct{}),
	}
	for range buffers {
		args := make([]driver.NamedValue, batchRows*width)
		for i := range args {
			args[i].Ordinal = i + 1
		}
		f.free <- args
	}
	f.wg.Go(func() {
		defer close(f.batches)
		ls, err := links()
		if err != nil {
			f.send(linkBatch{err: err})
			return
		}
		keys, err := sortLinks(ds, ls)
		if err != nil {
			f.send(linkBatch{err: err})
			return
		}
		count := len(keys)
		for len(keys) > 0 {
			var args []driver.NamedValue
			select {
			case args = <-f.free:
			case <-f.done:
				return
			}
			n := min(len(keys), batchRows)
			args = args[:n*width] // all the buffers have batchRows rows
			for j, k := range keys[:n] {
				l := &ls[k.i]
				row := args[j*width : (j+1)*width]
				row[0].Value = nodeValue[k.key>>32]
				row[1].Value = nodeValue[k.key&0xffffffff]
				row[2].Value = int64(k.i) + 1
				row[3].Value = nullString(l.Product)
				row[4].Value = nullString(l.Source)
				row[5].Value = nullString(l.Note)
			}
			if !f.send(linkBatch{args: args, links: count}) {
				return
			}
			count = -1
			keys = keys[n:]
		}
	})
	return f
}

// send hands a batch to the consumer, or reports false if it is gone.
func (f *linkFeed) send(b linkBatch) bool {
	select {
	case f.batches <- b:
		return true
	case <-f.done:
		return false
	}
}

// stop tells the feed that nobody takes batches any more and waits for its
// goroutine to end.
func (f *linkFeed) stop() {
	close(f.done)
	f.wg.Wait()
}

// sortLinks numbers the ends of every link as Replace numbers the nodes
// and sorts the links by key, so that they append to the links B-tree in
// this order (see 0001_init.sql). It refuses an end that is neither an
// enterprise nor a project.
func sortLinks(ds *chainscope.Dataset, links []chainscope.Link) ([]linkKey, error) {
	node := make(map[string]int32, len(ds.Enterprises)+len(ds.Projects))
	for i := range ds.Enterprises {
		node[ds.Enterprises[i].ID] = int32(1 + i)
	}
	for i := range ds.Projects {
		id := ds.Projects[i].ID
		if _, ok := node[id]; ok {
			// A duplicate among enterprises or among projects is the
			// UNIQUE constraint's to report; this one no constraint sees.
			return nil, chainscope.Errorf(chainscope.EINTERNAL,
				"store: id %s is both an enterprise and a project (not checked by dataset.Build?); nothing was stored", id)
		}
		node[id] = int32(1 + len(ds.Enterprises) + i)
	}
	keys := make([]linkKey, len(links))
	for i := range links {
		l := &links[i]
		from, to := node[l.From], node[l.To]
		if from == 0 || to == 0 {
			end := l.From
			if from != 0 {
				end = l.To
			}
			return nil, chainscope.Errorf(chainscope.EINTERNAL,
				"store: link %s → %s: %s is neither an enterprise nor a project (not checked by dataset.Build?); nothing was stored",
				l.From, l.To, end)
		}
		keys[i] = linkKey{key: uint64(from)<<32 | uint64(to), i: int32(i)}
	}
	if !slices.IsSortedFunc(keys, linkKey.compare) {
		slices.SortFunc(keys, linkKey.compare)
	}
	return keys, nil
}

// linkKey is a link's key (from node << 32 | to node) and its index in
// the dataset.
type linkKey struct {
	key uint64
	i   int32
}

func (a linkKey) compare(b linkKey) int { return cmp.Compare(a.key, b.key) }

// nullString stores an absent optional value as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// boolInt stores a flag as 0 or 1 (an INTEGER column on both engines).
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// nullFloat stores an unknown amount as NULL.
func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// bulk inserts rows into one table batchRows at a time. It talks to the
// driver connection directly: database/sql would convert and copy every
// batch's arguments into a fresh slice, which at a million rows is most of
// the garbage an import makes. The values given to add must therefore be
// driver values already: nil, int64, float64, bool or string.
type bulk struct {
	w     *writer
	head  string // INSERT INTO table (cols) VALUES
	width int    // columns per row
	full  driver.Stmt
	args  []driver.NamedValue // batchRows rows of arguments, reused
	n     int                 // arguments queued
}

// bulk starts inserting into table; cols lists the columns every add gives.
func (w *writer) bulk(table, cols string) *bulk {
	width := strings.Count(cols, ",") + 1
	args := make([]driver.NamedValue, batchRows*width)
	for i := range args {
		args[i].Ordinal = i + 1
	}
	return &bulk{
		w:     w,
		head:  "INSERT INTO " + table + " (" + cols + ") VALUES ",
		width: width,
		args:  args,
	}
}

// add queues one row; vals are in the order of the columns.
func (b *bulk) add(vals ...any) error {
	for _, v := range vals {
		b.args[b.n].Value = v
		b.n++
	}
	if b.n < len(b.args) {
		return nil
	}
	return b.flush()
}

// flush writes the queued rows.
func (b *bulk) flush() error {
	rows := b.n / b.width
	if rows == 0 {
		return nil
	}
	if err := b.exec(b.args[:b.n], rows); err != nil {
		return err
	}
	for i := range b.n {
		b.args[i].Value = nil // let the values be collected
	}
	b.n = 0
	return nil
}

// exec inserts rows rows whose arguments are args.
func (b *bulk) exec(args []driver.NamedValue, rows int) error {
	ctx := b.w.ctx
	if err := ctx.Err(); err != nil {
		return err
	}
	stmt := b.full
	if rows < batchRows || stmt == nil {
		var err error
		if stmt, err = b.w.conn.PrepareContext(ctx, b.statement(rows)); err != nil {
			return err
		}
		if rows == batchRows {
			b.full = stmt // kept for the next batches
		} else {
			defer stmt.Close()
		}
	}
	exec, ok := stmt.(driver.StmtExecContext)
	if !ok {
		return errors.New("driver statement cannot execute with a context")
	}
	if _, err := exec.ExecContext(ctx, args); err != nil {
		return err
	}
	b.w.advance(rows)
	return nil
}

// close writes the remaining rows and releases the statement.
func (b *bulk) close() error {
	err := b.flush()
	if b.full != nil {
		if cerr := b.full.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// statement is the INSERT for n rows: "… VALUES (?, ?), (?, ?)".
func (b *bulk) statement(n int) string {
	var s strings.Builder
	s.Grow(len(b.head) + n*(3*b.width+2))
	s.WriteString(b.head)
	for i := range n {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteByte('(')
		for j := range b.width {
			if j > 0 {
				s.WriteString(", ")
			}
			s.WriteByte('?')
		}
		s.WriteByte(')')
	}
	return s.String()
}
