-- 0005_drive.sql: the records of the drive over time (SPEC §1, §9).
--
-- A county's portfolio (chains) is a JSON array of chain ids, NULL when the
-- county names none. Leads and reports are few (hundreds, not millions) and
-- read whole: each row holds its record as a JSON document (SPEC §2
-- fields), beside its key. seq is the record's place in dataset order; rev
-- the revision that wrote the current version, as in 0003_history.sql
-- (history keeps their closed versions with kind 'lead' and 'report'; a
-- report's key there is area<US>from<US>to).

ALTER TABLE counties ADD COLUMN chains TEXT CHECK (chains IS NULL OR json_valid(chains));

CREATE TABLE leads (
    seq INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL CHECK (json_valid(doc)),
    rev INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE reports (
    seq       INTEGER PRIMARY KEY,
    area      TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    doc       TEXT NOT NULL CHECK (json_valid(doc)),
    rev       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (area, from_date, to_date)
);
