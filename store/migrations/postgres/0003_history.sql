-- 0003_history.sql (PostgreSQL): every state the database has held
-- (SPEC §8), as in ../sqlite/0003_history.sql, whose comments explain the
-- model. "by" is quoted: it is a reserved word in PostgreSQL.

CREATE TABLE revisions (
    rev     bigint PRIMARY KEY,
    at      text COLLATE "C" NOT NULL,
    "by"    text COLLATE "C" NOT NULL,
    summary text COLLATE "C" NOT NULL
);
CREATE INDEX revisions_at ON revisions (at);

ALTER TABLE region      ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE counties    ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE chains      ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE segments    ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE enterprises ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE projects    ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE links       ADD COLUMN rev bigint NOT NULL DEFAULT 1;

CREATE TABLE history (
    kind     text COLLATE "C" NOT NULL,
    key      text COLLATE "C" NOT NULL,
    seq      bigint NOT NULL,
    rev_from bigint NOT NULL,
    rev_to   bigint NOT NULL CHECK (rev_to > rev_from),
    doc      text COLLATE "C" NOT NULL CHECK (doc::jsonb IS NOT NULL),
    PRIMARY KEY (kind, key, rev_from)
);
CREATE INDEX history_rev_to ON history (rev_to);

CREATE TABLE revision_records (
    rev    bigint NOT NULL REFERENCES revisions (rev),
    kind   text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,
    change text COLLATE "C" NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
    PRIMARY KEY (rev, kind, key)
);

ALTER TABLE state ADD COLUMN next_node bigint NOT NULL DEFAULT 1;
ALTER TABLE state ADD COLUMN next_link bigint NOT NULL DEFAULT 1;
UPDATE state SET
    next_node = 1 + greatest(coalesce((SELECT max(seq) FROM enterprises), 0), coalesce((SELECT max(seq) FROM projects), 0)),
    next_link = 1 + coalesce((SELECT max(seq) FROM links), 0);

INSERT INTO revisions (rev, at, "by", summary)
    SELECT 1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000000000Z"'), 'migration', 'data stored before history was kept'
    WHERE EXISTS (SELECT 1 FROM region);

ALTER TABLE audit RENAME TO audit_before_history;
