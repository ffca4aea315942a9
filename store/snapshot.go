package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chainscope"
)

// The stored analysis index (0007_snapshot.sql): one row, the encoded
// index of one data version, opaque to the store (graph encodes and
// decodes it; the store only keeps it beside the version it was made of).

// PutSnapshot stores body, an encoded index of the data at data version
// version in the encoding numbered format, in place of the stored one — if
// version is still the current data version, checked in the writing
// transaction under the write lock. It reports whether it wrote. It is no
// write of data: the data version does not move and no revision is made,
// so servers and caches are not disturbed. Two processes storing the index
// of one version store the same thing; the second write is harmless.
func (db *DB) PutSnapshot(ctx context.Context, version int64, format int, body []byte) (bool, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return false, fmt.Errorf("put snapshot: %w", err)
	}
	defer tx.Rollback()
	var cur int64
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&cur); err != nil {
		return false, fmt.Errorf("put snapshot: %w", err)
	}
	if cur != version {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot (id, data_version, format, body) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data_version = excluded.data_version, format = excluded.format, body = excluded.body`,
		version, format, body); err != nil {
		return false, fmt.Errorf("put snapshot: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("put snapshot: %w", err)
	}
	return true, nil
}

// Snapshot is what LoadSnapshot reads in one committed state.
type Snapshot struct {
	// DataVersion is the current data version.
	DataVersion int64
	// SnapshotVersion is the data version of the stored index, 0 when
	// there is none (it may be older than DataVersion: then Body is nil).
	SnapshotVersion int64
	// Body is the stored index when it is of the current data version and
	// of the format asked for, else nil.
	Body []byte
	// Drive is, when Body is not nil, what the analysis report reads
	// beside the index (graph.Scope.DriveReport): the region, the counties,
	// the chains with their segments and flows, the leads and the reports.
	// It has no enterprises, projects or links.
	Drive *chainscope.Dataset
}

// LoadSnapshot reads, in one read transaction, the current data version
// and, if the stored index is of that version and in the encoding numbered
// format, the index and the drive dataset (see Snapshot).
func (db *DB) LoadSnapshot(ctx context.Context, format int) (*Snapshot, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	defer tx.Rollback()
	s := &Snapshot{}
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM state WHERE id = 1`).Scan(&s.DataVersion); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	var stored, storedFormat int64
	err = tx.QueryRowContext(ctx, `SELECT data_version, format FROM snapshot WHERE id = 1`).Scan(&stored, &storedFormat)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	s.SnapshotVersion = stored
	if stored != s.DataVersion || storedFormat != int64(format) {
		return s, nil
	}
	body, err := db.snapshotBody(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	ds := &chainscope.Dataset{}
	l := &loader{ctx: ctx, tx: tx, intern: map[string]string{}, db: db, version: s.DataVersion}
	if err := l.loadFrame(ds); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if err := l.loadDrive(ds); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	s.Body, s.Drive = body, ds
	return s, nil
}

// SnapshotVersion returns the data version and the format of the stored
// index, 0 and 0 when there is none, without reading it.
func (db *DB) SnapshotVersion(ctx context.Context) (version int64, format int, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT data_version, format FROM snapshot WHERE id = 1`).Scan(&version, &format)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("snapshot version: %w", err)
	}
	return version, format, nil
}

// snapshotBody reads the stored index. A []byte that database/sql scans
// is a copy of the driver's; on SQLite the driver's value is itself a copy
// of SQLite's, made for this row alone (modernc.org/sqlite's columnBlob
// allocates it, and nothing writes to it afterwards), so it is kept as it
// is (sql.RawBytes): a province's index is tens of MB, and the second copy
// would cost its time again (TestSnapshotBodyIsOwn fails should a driver
// update start reusing the buffer). PostgreSQL's driver may reuse its
// buffers: the copy stays.
func (db *DB) snapshotBody(ctx context.Context, tx *dbTx) ([]byte, error) {
	const q = `SELECT body FROM snapshot WHERE id = 1`
	if db.pg != nil {
		var body []byte
		err := tx.QueryRowContext(ctx, q).Scan(&body)
		return body, err
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, cmp.Or(rows.Err(), sql.ErrNoRows)
	}
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return nil, err
	}
	return raw, rows.Close()
}
