package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"chainscope"
)

// Load returns the whole stored dataset, every record in the order it was
// stored. Absent amounts are nil; every slice (also an enterprise's empty
// LeaderOf, a chain without flows) is non-nil. An empty database loads as a
// Dataset with a zero Region and empty slices. Load reads one committed
// snapshot: a Replace running meanwhile is either wholly visible or not at
// all.
func (db *DB) Load(ctx context.Context) (*chainscope.Dataset, error) {
	ds, _, err := db.load(ctx, 0)
	return ds, err
}

// LoadVersion is Load, also returning the data version the dataset is
// stored at (read in the same snapshot), for Commit's check.
func (db *DB) LoadVersion(ctx context.Context) (*chainscope.Dataset, int64, error) {
	return db.load(ctx, 0)
}

// LoadAsOf returns the dataset exactly as it was right after revision rev
// (SPEC §8): the same records in the same order as Load returned then.
func (db *DB) LoadAsOf(ctx context.Context, rev int64) (*chainscope.Dataset, error) {
	if rev <= 0 {
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "没有修订版本 %d", "no revision %d", rev)
	}
	ds, _, err := db.load(ctx, rev)
	return ds, err
}

func (db *DB) load(ctx context.Context, asOf int64) (*chainscope.Dataset, int64, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("load: %w", err)
	}
	defer tx.Rollback()
	var version int64
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&version); err != nil {
		return nil, 0, fmt.Errorf("load: %w", err)
	}
	if asOf > 0 {
		var latest int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) FROM revisions`).Scan(&latest); err != nil {
			return nil, 0, fmt.Errorf("load: %w", err)
		}
		if asOf > latest {
			return nil, 0, chainscope.Localizedf(chainscope.ENOTFOUND, "没有修订版本 %d", "no revision %d", asOf)
		}
		if asOf == latest {
			asOf = 0 // today's rows, read the fast way
		}
	}
	l := &loader{ctx: ctx, tx: tx, intern: map[string]string{}, asOf: asOf, db: db, version: version}
	ds, err := l.load()
	if err != nil {
		return nil, 0, fmt.Errorf("load: %w", err)
	}
	return ds, version, nil
}

// loader reads one dataset inside one read transaction.
type loader struct {
	ctx context.Context
	tx  *dbTx
	// db and version let the links be read on a second connection too,
	// of the same committed state (see links).
	db      *DB
	version int64
	// intern maps every segment, enterprise and project id to one shared
	// string, so the ids in join tables and links do not each keep their
	// own copy alive.
	intern map[string]string
	// asOf, when not 0, is the revision to read the dataset as of (see
	// 0003_history.sql): current rows it had created, and the history
	// rows live at it.
	asOf int64
	// noLinks leaves the links out (LoadForAnalysis reads them itself).
	noLinks bool
	// The seq of each record read, for merging history rows in order
	// (as_of only; LoadForAnalysis too).
	countySeq, chainSeq, entSeq, projSeq []int64
	leadSeq, reportSeq                   []int64
	segSeq                               map[string][]int64 // by chain id
	orphans                              []seqSegment       // segments whose chain version is in history
}

// seqSegment is a segment record with its seq.
type seqSegment struct {
	seq int64
	rec chainscope.SegmentRecord
}

// current is the filter of current rows: all of them, or those created by
// asOf or earlier. asOf is a number this package computed, never input.
func (l *loader) current() string {
	if l.asOf == 0 {
		return ""
	}
	return " WHERE" + l.currentAnd()[4:]
}

// currentAnd is the same filter to follow another condition: " AND …".
func (l *loader) currentAnd() string {
	if l.asOf == 0 {
		return ""
	}
	return " AND rev <= " + strconv.FormatInt(l.asOf, 10)
}

// id returns the shared copy of s.
func (l *loader) id(s string) string {
	if t, ok := l.intern[s]; ok {
		return t
	}
	return s
}

// size is a capacity hint for table: its highest seq, which is its row
// count after a Replace. O(log n), unlike count(*).
func (l *loader) size(table string) int {
	var n sql.NullInt64
	_ = l.tx.QueryRowContext(l.ctx, "SELECT max(seq) FROM "+table).Scan(&n)
	return int(n.Int64)
}

// each runs query with args and calls fn after scanning every row into
// dest.
func (l *loader) each(query string, dest []any, fn func(), args ...any) error {
	return eachRow(l.ctx, l.tx, query, dest, fn, args...)
}

// eachRow runs query with args in tx and calls fn after scanning every row
// into dest.
func eachRow(ctx context.Context, tx *dbTx, query string, dest []any, fn func(), args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn()
	}
	return rows.Err()
}

// loadFrame reads what every record refers to: the region, the counties
// and the chains with their segments and flows.
func (l *loader) loadFrame(ds *chainscope.Dataset) error {
	r := &ds.Region
	var (
		id, name, kind, owner string
		opt1                  sql.NullString // optional text: NULL is ""
		source, note          sql.NullString
	)

	var seq int64
	err := l.tx.QueryRowContext(l.ctx, `SELECT code, name, source, note FROM region`+l.current()).
		Scan(&r.Code, &r.Name, &source, &note)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := l.historyRegion(r); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		r.Source, r.Note = source.String, note.String
	}
	ds.Counties = make([]chainscope.County, 0, l.size("counties"))
	var chainList []byte
	var listErr error
	err = l.each(`SELECT seq, code, name, kind, parent, chains, source, note FROM counties`+l.current()+` ORDER BY seq`,
		[]any{&seq, &id, &name, &kind, &opt1, &chainList, &source, &note}, func() {
			l.countySeq = append(l.countySeq, seq)
			chains, err := parseList(chainList)
			if err != nil {
				listErr = fmt.Errorf("county %s chains: %w", id, err)
			}
			ds.Counties = append(ds.Counties, chainscope.County{
				Code: id, Name: name, Kind: chainscope.Kind(kind), Parent: opt1.String, Chains: chains,
				Source: source.String, Note: note.String})
		})
	if err != nil {
		return err
	}
	if listErr != nil {
		return listErr
	}

	ds.Chains = make([]chainscope.Chain, 0, l.size("chains"))
	err = l.each(`SELECT seq, id, name, source, note FROM chains`+l.current()+` ORDER BY seq`,
		[]any{&seq, &id, &name, &source, &note}, func() {
			l.chainSeq = append(l.chainSeq, seq)
			ds.Chains = append(ds.Chains, chainscope.Chain{
				ID: id, Name: name, Source: source.String, Note: note.String,
				Segments: []chainscope.Segment{}, Flows: []chainscope.Flow{}})
		})
	if err != nil {
		return err
	}
	chains := newFinder(len(ds.Chains), func(i int) string { return ds.Chains[i].ID })

	l.segSeq = map[string][]int64{}
	err = l.each(`SELECT seq, id, chain_id, name, stage, source, note FROM segments`+l.current()+` ORDER BY seq`,
		[]any{&seq, &id, &owner, &name, &kind, &source, &note}, func() {
			l.intern[id] = id
			seg := chainscope.Segment{ID: id, Name: name, Stage: chainscope.Stage(kind), Source: source.String, Note: note.String}
			if i, ok := chains.find(owner); ok {
				l.segSeq[owner] = append(l.segSeq[owner], seq)
				c := &ds.Chains[i]
				c.Segments = append(c.Segments, seg)
			} else if l.asOf > 0 {
				// Its chain was live at asOf in a version since changed:
				// it comes from history.
				l.orphans = append(l.orphans, seqSegment{seq, chainscope.SegmentRecord{Chain: owner, Segment: seg}})
			}
		})
	if err != nil {
		return err
	}

	var from, to string
	err = l.each(`SELECT chain_id, from_id, to_id FROM flows ORDER BY seq`,
		[]any{&owner, &from, &to}, func() {
			if i, ok := chains.find(owner); ok {
				c := &ds.Chains[i]
				c.Flows = append(c.Flows, chainscope.Flow{From: l.id(from), To: l.id(to)})
			}
		})
	if err != nil {
		return err
	}
	return nil
}

// county turns a record's stored county into its code: NULL is the region
// itself.
func (l *loader) county(ds *chainscope.Dataset) func(sql.NullString) string {
	return func(c sql.NullString) string {
		if !c.Valid {
			return ds.Region.Code
		}
		return c.String
	}
}

func (l *loader) load() (*chainscope.Dataset, error) {
	ds := &chainscope.Dataset{}
	if err := l.loadFrame(ds); err != nil {
		return nil, err
	}
	county := l.county(ds)
	var (
		id, name, owner, kind string
		opt1, opt2            sql.NullString // optional text: NULL is ""
		source, note          sql.NullString
		amount                sql.NullFloat64
		emerging              bool
		seq                   int64
	)

	// nodes maps a node number (the seq of an enterprise or project row) to
	// the node's id, for the links.
	nodes := newNodeIDs(l.size("enterprises") + l.size("projects"))
	ds.Enterprises = make([]chainscope.Enterprise, 0, l.size("enterprises"))
	err := l.each(`SELECT seq, id, name, uscc, county, output_wan, source, note FROM enterprises`+l.current()+` ORDER BY seq`,
		[]any{&seq, &id, &name, &opt1, &opt2, &amount, &source, &note}, func() {
			l.intern[id] = id
			l.entSeq = append(l.entSeq, seq)
			nodes.set(seq, id)
			ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{
				ID: id, Name: name, USCC: opt1.String, County: county(opt2), OutputWan: floatPtr(amount),
				Source: source.String, Note: note.String, Segments: []string{}, LeaderOf: []string{}})
		})
	if err != nil {
		return nil, err
	}
	enterprises := newFinder(len(ds.Enterprises), func(i int) string { return ds.Enterprises[i].ID })

	var item string
	err = l.each(`SELECT enterprise_id, segment_id FROM enterprise_segments ORDER BY seq`,
		[]any{&owner, &item}, func() {
			if i, ok := enterprises.find(owner); ok {
				e := &ds.Enterprises[i]
				e.Segments = append(e.Segments, l.id(item))
			}
		})
	if err != nil {
		return nil, err
	}
	err = l.each(`SELECT enterprise_id, chain_id FROM enterprise_leaders ORDER BY seq`,
		[]any{&owner, &item}, func() {
			if i, ok := enterprises.find(owner); ok {
				e := &ds.Enterprises[i]
				e.LeaderOf = append(e.LeaderOf, item)
			}
		})
	if err != nil {
		return nil, err
	}

	var investor, signed, started sql.NullString
	ds.Projects = make([]chainscope.Project, 0, l.size("projects"))
	err = l.each(`SELECT seq, id, name, investor, county, investment_wan, signed, started, status, emerging, source, note
	              FROM projects`+l.current()+` ORDER BY seq`,
		[]any{&seq, &id, &name, &investor, &opt1, &amount, &signed, &started, &kind, &emerging, &source, &note}, func() {
			l.intern[id] = id
			l.projSeq = append(l.projSeq, seq)
			nodes.set(seq, id)
			ds.Projects = append(ds.Projects, chainscope.Project{
				ID: id, Name: name, Investor: l.id(investor.String), County: county(opt1), InvestmentWan: floatPtr(amount),
				Signed: signed.String, Started: started.String, Status: chainscope.Status(kind), Emerging: emerging,
				Source: source.String, Note: note.String, Segments: []string{}})
		})
	if err != nil {
		return nil, err
	}
	projects := newFinder(len(ds.Projects), func(i int) string { return ds.Projects[i].ID })

	err = l.each(`SELECT project_id, segment_id FROM project_segments ORDER BY seq`,
		[]any{&owner, &item}, func() {
			if i, ok := projects.find(owner); ok {
				p := &ds.Projects[i]
				p.Segments = append(p.Segments, l.id(item))
			}
		})
	if err != nil {
		return nil, err
	}

	if err := l.loadDrive(ds); err != nil {
		return nil, err
	}
	if l.noLinks {
		return ds, nil
	}
	var oldLinks []seqLink
	if l.asOf > 0 {
		if oldLinks, err = l.history(ds, nodes); err != nil {
			return nil, err
		}
	}
	if ds.Links, err = l.links(nodes, oldLinks); err != nil {
		return nil, err
	}
	return ds, nil
}

// nodeIDs maps node numbers to ids: a slice while the numbers come 1, 2,
// 3, … as Replace writes them, a map otherwise.
type nodeIDs struct {
	ids    []string // ids[n] is node n; ids[0] is unused
	sparse map[int64]string
}

func newNodeIDs(n int) *nodeIDs {
	return &nodeIDs{ids: make([]string, 1, n+1)}
}

func (m *nodeIDs) set(n int64, id string) {
	if m.sparse == nil && n == int64(len(m.ids)) {
		m.ids = append(m.ids, id)
		return
	}
	if m.sparse == nil {
		m.sparse = make(map[int64]string, len(m.ids))
		for n, id := range m.ids[1:] {
			m.sparse[int64(n+1)] = id
		}
	}
	m.sparse[n] = id
}

func (m *nodeIDs) get(n int64) string {
	if m.sparse != nil {
		return m.sparse[n]
	}
	if n > 0 && n < int64(len(m.ids)) {
		return m.ids[n]
	}
	return ""
}

// links reads the links, which are stored in key order, and puts them back
// in dataset order: the link numbered seq goes to index seq-1. Replace
// numbers links 1…n; anything else is sorted by seq.
//
// Links of history (as_of, see loader.history) come in old, with their seq.
func (l *loader) links(nodes *nodeIDs, old []seqLink) ([]chainscope.Link, error) {
	var n int
	if err := l.tx.QueryRowContext(l.ctx, `SELECT count(*) FROM links`+l.current()).Scan(&n); err != nil {
		return nil, err
	}
	n += len(old)
	links := make([]chainscope.Link, n)
	spill := old // rows whose seq is not a free slot in 1…n
	// Most of a large dataset is links: a second connection reads the
	// upper half of the key range meanwhile, if it sees the same data.
	var split int64
	var other chan linkHalf
	if n >= parallelLinks {
		if err := l.tx.QueryRowContext(l.ctx, `SELECT coalesce(max(from_node), 0) FROM links`).Scan(&split); err != nil {
			return nil, err
		}
		split = split/2 + 1
		other = make(chan linkHalf, 1)
		go func() { other <- l.linkRange(nodes, links, split, 0) }()
	}
	var mine linkHalf
	if other != nil {
		mine = l.linkRangeTx(l.tx, nodes, links, 0, split)
	} else {
		mine = l.linkRangeTx(l.tx, nodes, links, 0, 0)
	}
	err := mine.err
	placedMine := mine.placed
	spill = append(spill, mine.spill...)
	if other != nil {
		theirs := <-other
		switch {
		case err != nil:
		case theirs.err == errOtherSnapshot:
			// A write came in between: read the upper half here.
			theirs = l.linkRangeTx(l.tx, nodes, links, split, 0)
			err = theirs.err
		default:
			err = theirs.err
		}
		if err == nil {
			for i, p := range theirs.placed {
				if p && placedMine[i] {
					return nil, fmt.Errorf("links: seq %d stored twice", i+1)
				}
				placedMine[i] = placedMine[i] || p
			}
			spill = append(spill, theirs.spill...)
		}
	}
	placed := placedMine
	if err != nil || len(spill) == 0 {
		return links, err
	}
	// Some seq was out of 1…n or repeated: fall back to a stable sort.
	all := spill
	for i := range links {
		if placed[i] {
			all = append(all, seqLink{int64(i) + 1, links[i]})
		}
	}
	slices.SortStableFunc(all, func(a, b seqLink) int { return cmp.Compare(a.seq, b.seq) })
	for i := range all {
		links[i] = all[i].link
	}
	return links, nil
}

// parallelLinks is how many links make Load read them on two connections
// (a variable so that tests can lower it).
var parallelLinks = 200_000

// linkHalf is what one reader of a key range of the links placed.
type linkHalf struct {
	placed []bool    // placed[i]: the link with seq i+1 was read here
	spill  []seqLink // rows whose seq was no free slot
	err    error
}

// errOtherSnapshot says the second connection saw other data than the
// loader's transaction, or there was none free: the loader reads the range
// itself.
var errOtherSnapshot = errors.New("another snapshot")

// linkRange reads the links with from_node in [from, to) (to 0: no upper
// bound) on a connection of its own, if that sees the loader's data
// version; the rows go into links at their seq, as links does.
func (l *loader) linkRange(nodes *nodeIDs, links []chainscope.Link, from, to int64) linkHalf {
	// Only a connection that is free now: several loads at once must not
	// each hold one while waiting for another.
	acquire, cancel := context.WithTimeout(l.ctx, 20*time.Millisecond)
	conn, err := l.db.read.Conn(acquire)
	cancel()
	if err != nil {
		return linkHalf{err: errOtherSnapshot}
	}
	defer conn.Close()
	tx, err := conn.BeginTx(l.ctx, l.db.eng.readOptions())
	if err != nil {
		return linkHalf{err: err}
	}
	defer tx.Rollback()
	var v int64
	if err := tx.QueryRowContext(l.ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&v); err != nil {
		return linkHalf{err: err}
	}
	if v != l.version {
		return linkHalf{err: errOtherSnapshot}
	}
	return l.linkRangeTx(tx, nodes, links, from, to)
}

// linkRangeTx reads the links with from_node in [from, to) in tx (both 0:
// every link), placing each at its seq in links when that slot is free.
func (l *loader) linkRangeTx(tx *dbTx, nodes *nodeIDs, links []chainscope.Link, from, to int64) linkHalf {
	h := linkHalf{placed: make([]bool, len(links))}
	q := `SELECT seq, from_node, to_node, product, source, note FROM links WHERE from_node >= ?`
	args := []any{from}
	if to > 0 {
		q += ` AND from_node < ?`
		args = append(args, to)
	}
	rows, err := tx.QueryContext(l.ctx, q+l.currentAnd(), args...)
	if err != nil {
		return linkHalf{err: err}
	}
	defer rows.Close()
	var (
		seq, f, t             int64
		product, source, note sql.NullString
	)
	n := int64(len(links))
	for rows.Next() {
		if err := rows.Scan(&seq, &f, &t, &product, &source, &note); err != nil {
			return linkHalf{err: err}
		}
		link := chainscope.Link{From: nodes.get(f), To: nodes.get(t),
			Product: product.String, Source: source.String, Note: note.String}
		if i := seq - 1; i >= 0 && i < n && !h.placed[i] {
			links[i], h.placed[i] = link, true
			continue
		}
		h.spill = append(h.spill, seqLink{seq, link})
	}
	h.err = rows.Err()
	return h
}

// seqLink is a link with its stored seq.
type seqLink struct {
	seq  int64
	link chainscope.Link
}

// floatPtr turns NULL into nil and a value into a fresh pointer.
func floatPtr(x sql.NullFloat64) *float64 {
	if !x.Valid {
		return nil
	}
	v := x.Float64
	return &v
}

// finder maps the owner id of a join-table row to the owner's index. Rows
// come in the order their owners were stored, so it first tries the owner
// of the previous row and the one after it, and falls back to a map built
// on first need.
type finder struct {
	n   int
	id  func(i int) string
	cur int
	m   map[string]int
}

func newFinder(n int, id func(i int) string) *finder {
	return &finder{n: n, id: id}
}

// find returns the index of the record with id s.
func (f *finder) find(s string) (int, bool) {
	for _, i := range [2]int{f.cur, f.cur + 1} {
		if i < f.n && f.id(i) == s {
			f.cur = i
			return i, true
		}
	}
	if f.m == nil {
		f.m = make(map[string]int, f.n)
		for i := range f.n {
			f.m[f.id(i)] = i
		}
	}
	i, ok := f.m[s]
	if ok {
		f.cur = i
	}
	return i, ok
}
