package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"chainscope"
)

// AuditEntry is one line of the audit log: who did what to which record,
// with the record as JSON before and after (nil for a creation or a
// deletion, or for an action on the whole dataset such as an import).
type AuditEntry struct {
	ID     int64           `json:"id"`     // assigned by AppendAudit, increasing
	At     time.Time       `json:"at"`     // AppendAudit fills in DB.Now() when zero
	Actor  string          `json:"actor"`  // who: a user name, "cli", a token label
	Action string          `json:"action"` // what: "import", "create", "update", "delete", …
	Entity string          `json:"entity"` // the kind of record: "enterprise", "project", …
	Key    string          `json:"key"`    // the record's key, "" for the whole dataset
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// AppendAudit adds e to the audit log and returns its id. Like every write
// it bumps the data version. To log a Replace atomically with it, pass the
// entry in ReplaceOptions.Audit instead.
func (db *DB) AppendAudit(ctx context.Context, e AuditEntry) (int64, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	defer tx.Rollback()
	id, err := db.appendAudit(ctx, tx, e)
	if err != nil {
		return 0, err
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	return id, nil
}

// appendAudit inserts e in tx and returns its id.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, e AuditEntry) (int64, error) {
	if e.Action == "" {
		return 0, chainscope.Errorf(chainscope.EINVALID, "审计记录缺少操作 / audit entry without an action")
	}
	for _, doc := range []json.RawMessage{e.Before, e.After} {
		if doc != nil && !json.Valid(doc) {
			return 0, chainscope.Errorf(chainscope.EINVALID, "审计记录的 JSON 无效 / audit entry with invalid JSON")
		}
	}
	at := e.At
	if at.IsZero() {
		at = db.Now()
	}
	res, err := tx.ExecContext(ctx,
		`INSERT INTO audit (at, actor, action, entity, key, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		at.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Entity, e.Key, rawJSON(e.Before), rawJSON(e.After))
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	return res.LastInsertId()
}

// rawJSON stores an absent document as NULL and a present one as text.
func rawJSON(doc json.RawMessage) any {
	if doc == nil {
		return nil
	}
	return string(doc)
}

// Audit returns up to limit entries of the audit log, newest first, after
// skipping offset of them. A limit ≤ 0 means no limit.
func (db *DB) Audit(ctx context.Context, limit, offset int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.read.QueryContext(ctx,
		`SELECT id, at, actor, action, entity, key, before, after FROM audit ORDER BY id DESC LIMIT ? OFFSET ?`,
		limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	entries := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.Key, &before, &after); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("audit %d: %w", e.ID, err)
		}
		if before.Valid {
			e.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			e.After = json.RawMessage(after.String)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return entries, nil
}
