-- 0003_history.sql: every state the database has held (SPEC §8).
--
-- The model is SQL:2011 system versioning, laid out as SQL Server's temporal
-- tables are: each entity table holds the current rows, and each row
-- carries `rev`, the revision that created that version; a version that a
-- later revision changed or removed moves to `history`, with the revision
-- that created it (`rev_from`) and the one that ended it (`rev_to`). So
--
--   the rows current at revision R = the current rows with rev <= R
--                                  + the history rows with rev_from <= R < rev_to
--
-- and today's data is a plain scan of the entity tables, as fast as before.
-- A single-record edit moves one row to history and writes one; the first
-- import writes no history at all. The list fields of a record (an
-- enterprise's segments, a chain's flows) live in their join tables beside
-- the current row and inside the history document of a closed version.
--
-- Existing data becomes revision 1 (its rows take the column default).

CREATE TABLE revisions (
    rev     INTEGER PRIMARY KEY,  -- 1, 2, 3, … without gaps (store/history.go)
    at      TEXT NOT NULL,        -- UTC, fixed width: 2006-01-02T15:04:05.000000000Z, so text order is time order
    by      TEXT NOT NULL,        -- the editor, or "cli"
    summary TEXT NOT NULL
);
-- "the last revision committed on or before a day" (as_of by date)
CREATE INDEX revisions_at ON revisions (at);

ALTER TABLE region      ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE counties    ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chains      ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE segments    ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE enterprises ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE projects    ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE links       ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;

-- Closed versions of every kind of record. kind is a chainscope record
-- kind (region, county, chain, segment, enterprise, project, link); key is
-- its key (a link's is "from<US>to", US = U+001F); seq is the row's seq at the
-- time (its place in dataset order; for enterprises and projects the node
-- number); doc is the record as JSON (SPEC §2 fields; a segment's also
-- names its chain, a chain's holds its flows but not its segments).
CREATE TABLE history (
    kind     TEXT NOT NULL,
    key      TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    rev_from INTEGER NOT NULL,
    rev_to   INTEGER NOT NULL CHECK (rev_to > rev_from),
    doc      TEXT NOT NULL CHECK (json_valid(doc)),
    PRIMARY KEY (kind, key, rev_from)
) WITHOUT ROWID;
-- The rows an as_of read adds, and what a revision ended.
CREATE INDEX history_rev_to ON history (rev_to);

-- Which records each revision wrote (not kept for the bulk first import,
-- whose revision wrote everything): the audit view and a record's history
-- read it.
CREATE TABLE revision_records (
    rev    INTEGER NOT NULL REFERENCES revisions (rev),
    kind   TEXT NOT NULL,
    key    TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
    PRIMARY KEY (rev, kind, key)
) WITHOUT ROWID;

-- Node numbers and link seqs are never reused: new ones come from here.
ALTER TABLE state ADD COLUMN next_node INTEGER NOT NULL DEFAULT 1;
ALTER TABLE state ADD COLUMN next_link INTEGER NOT NULL DEFAULT 1;
UPDATE state SET
    next_node = 1 + max(coalesce((SELECT max(seq) FROM enterprises), 0), coalesce((SELECT max(seq) FROM projects), 0)),
    next_link = 1 + coalesce((SELECT max(seq) FROM links), 0);

INSERT INTO revisions (rev, at, by, summary)
    SELECT 1, strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now'), 'migration', 'data stored before history was kept'
    WHERE EXISTS (SELECT 1 FROM region);

-- The audit log was a second record of changes; the history is now the
-- record, and the audit log a view of it (store/history.go). The old log
-- is kept, read-only, for databases that had one.
ALTER TABLE audit RENAME TO audit_before_history;
