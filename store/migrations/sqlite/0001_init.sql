-- 0001_init.sql: the first chainscope schema, one table per entity of
-- SPEC §1, join tables for the list-valued fields, and the audit log.
--
-- Conventions, and why:
--
-- * Every dataset table but links has `seq INTEGER PRIMARY KEY`, an alias of
--   SQLite's rowid. Rows are inserted in dataset order, so seq is the order
--   the user gave and Load reads each table as one forward scan of its
--   B-tree, with no sort; a bulk insert only ever appends at the right edge
--   of that B-tree, the cheapest insert SQLite has. The user's key (code, id)
--   is declared NOT NULL UNIQUE: in a rowid table a non-integer PRIMARY KEY
--   is stored as exactly that, a unique index beside the table, so this is
--   the same storage with the order made explicit and stable (VACUUM may
--   renumber a rowid that has no declared alias).
--
-- * Foreign keys wherever a reference has a single target table (county,
--   chain, segment, investor, the record a list entry belongs to), so the
--   database itself refuses a dangling reference even if a caller skipped
--   validation. They are DEFERRABLE INITIALLY DEFERRED: checked at COMMIT,
--   so a transaction may insert in any order (a zone before the county it
--   lies in) and still cannot commit a broken reference.
--
-- * Keys that are foreign-key targets stay inline (UNIQUE), because every
--   checked insert looks them up. Every other index is a separate CREATE
--   INDEX: Replace drops those during a bulk load and builds each once, from
--   sorted data, at the end of the same transaction (see store/replace.go),
--   several times cheaper than maintaining them row by row. A unique index
--   that is rebuilt (flows_key) still refuses duplicates: the CREATE UNIQUE
--   INDEX fails and takes the whole transaction with it.
--
-- * Optional dataset text is NULL when absent, never '': indexes skip absent
--   values, `IS NULL` means "not given", and an import binds no empty
--   strings. Load turns NULL back into "".
--
-- * A record's county is NULL when it is the region's own code (市本级, SPEC
--   §1): such a record belongs to no county, and the region is not a row of
--   counties, so the foreign key could not accept its code.

-- "CSCP": marks the file as a chainscope database, so Open can tell it from
-- an unrelated SQLite file.
PRAGMA application_id = 1129530192;

-- Singleton row holding the data version: bumped by every write, so an HTTP
-- layer can use it as a cache validator (ETag) without reading the data.
CREATE TABLE state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    data_version INTEGER NOT NULL
);
INSERT INTO state (id, data_version) VALUES (1, 0);

-- One dataset = one region (SPEC §1): at most one row.
CREATE TABLE region (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    source TEXT,
    note   TEXT
);

CREATE TABLE counties (
    seq    INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('district', 'county', 'city', 'zone')),
    -- zones only: the county the zone lies in
    parent TEXT REFERENCES counties (code) DEFERRABLE INITIALLY DEFERRED,
    source TEXT,
    note   TEXT
);
-- A county's area includes its zones (SPEC §5): zones by parent.
CREATE INDEX counties_parent ON counties (parent);

CREATE TABLE chains (
    seq    INTEGER PRIMARY KEY,
    id     TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    source TEXT,
    note   TEXT
);

-- Segment ids are unique across the dataset (SPEC §1), hence UNIQUE on id
-- alone, not on (chain_id, id).
CREATE TABLE segments (
    seq      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    chain_id TEXT NOT NULL REFERENCES chains (id) DEFERRABLE INITIALLY DEFERRED,
    name     TEXT NOT NULL,
    stage    TEXT NOT NULL CHECK (stage IN ('upstream', 'midstream', 'downstream', 'support')),
    source   TEXT,
    note     TEXT
);
-- The segments of one chain (every analysis starts here).
CREATE INDEX segments_chain ON segments (chain_id);

-- Upstream → downstream between two segments; chain_id is the chain that
-- lists the flow.
CREATE TABLE flows (
    seq      INTEGER PRIMARY KEY,
    chain_id TEXT NOT NULL REFERENCES chains (id) DEFERRABLE INITIALLY DEFERRED,
    from_id  TEXT NOT NULL REFERENCES segments (id) DEFERRABLE INITIALLY DEFERRED,
    to_id    TEXT NOT NULL REFERENCES segments (id) DEFERRABLE INITIALLY DEFERRED
);
-- The key (from, to); also serves "downstream of a segment".
CREATE UNIQUE INDEX flows_key ON flows (from_id, to_id);
-- "Upstream of a segment" (ancestors, for 断链).
CREATE INDEX flows_to ON flows (to_id);
CREATE INDEX flows_chain ON flows (chain_id);

-- Enterprises and projects are the nodes of the supply graph, and links name
-- their ends by node number: the seq of the enterprise or project row. The two
-- tables draw seq from one sequence (Replace numbers enterprises 1…E, then
-- projects E+1…E+P), so a number names one node; Check verifies it, as it
-- verifies that no id is both an enterprise and a project (SPEC §4). The view
-- nodes resolves a number or an id either way.
CREATE TABLE enterprises (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    uscc       TEXT,
    county     TEXT REFERENCES counties (code) DEFERRABLE INITIALLY DEFERRED,
    output_wan REAL, -- 万元; NULL when unknown, never 0 in its place
    source     TEXT,
    note       TEXT
);
-- Records of an area (SPEC §5 nodes).
CREATE INDEX enterprises_county ON enterprises (county);
-- Tabular imports name an enterprise by USCC or exact name (SPEC §3); the
-- API searches by both.
CREATE INDEX enterprises_uscc ON enterprises (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX enterprises_name ON enterprises (name);

-- Enterprise.Segments, in list order (seq).
CREATE TABLE enterprise_segments (
    seq           INTEGER PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) DEFERRABLE INITIALLY DEFERRED,
    segment_id    TEXT NOT NULL REFERENCES segments (id) DEFERRABLE INITIALLY DEFERRED
);
-- L(s): the enterprises on a segment (SPEC §5); covering, so the lookup
-- never touches the table.
CREATE INDEX enterprise_segments_segment ON enterprise_segments (segment_id, enterprise_id);
-- The segments of one enterprise; also spares deleting an enterprise a scan
-- of this table for its foreign key.
CREATE INDEX enterprise_segments_enterprise ON enterprise_segments (enterprise_id);

-- Enterprise.LeaderOf (链主), in list order.
CREATE TABLE enterprise_leaders (
    seq           INTEGER PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) DEFERRABLE INITIALLY DEFERRED,
    chain_id      TEXT NOT NULL REFERENCES chains (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX enterprise_leaders_chain ON enterprise_leaders (chain_id, enterprise_id);
CREATE INDEX enterprise_leaders_enterprise ON enterprise_leaders (enterprise_id);

CREATE TABLE projects (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    investor       TEXT REFERENCES enterprises (id) DEFERRABLE INITIALLY DEFERRED,
    county         TEXT REFERENCES counties (code) DEFERRABLE INITIALLY DEFERRED,
    investment_wan REAL CHECK (investment_wan >= 0), -- 万元; NULL when unknown
    -- YYYY-MM-DD, so that text order is date order for the indexes below
    signed         TEXT CHECK (signed GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    started        TEXT CHECK (started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status         TEXT NOT NULL CHECK (status IN ('signed', 'started', 'operating', 'stalled', 'cancelled')),
    emerging       INTEGER NOT NULL CHECK (emerging IN (0, 1)),
    source         TEXT,
    note           TEXT
);
CREATE INDEX projects_county ON projects (county);
-- Reports list projects by status (签约/开工/投产) and by signing period.
CREATE INDEX projects_status ON projects (status, signed);
CREATE INDEX projects_signed ON projects (signed);
-- An enterprise's projects; also spares deleting an enterprise a scan of
-- projects for the investor foreign key.
CREATE INDEX projects_investor ON projects (investor) WHERE investor IS NOT NULL;

-- Project.Segments, in list order.
CREATE TABLE project_segments (
    seq        INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    segment_id TEXT NOT NULL REFERENCES segments (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX project_segments_segment ON project_segments (segment_id, project_id);
CREATE INDEX project_segments_project ON project_segments (project_id);

-- Supply relations, supplier (from) → customer (to). An end is an
-- enterprise or a project, named by node number (see above). Links are most
-- of a dataset (a million in a province): integer ends make a row a few bytes
-- instead of two ids, and sort several times faster when the index is built.
-- No foreign key on the ends (a foreign key names one table, an end is in one
-- of two): Replace refuses an end that is neither, and Check looks for one.
--
-- WITHOUT ROWID: the table is a B-tree on its key (from_node, to_node) that
-- holds the whole row, so the key needs no index beside the table and
-- "customers of a node" is a range of the table itself. Replace inserts the
-- links in key order, so every insert appends; seq keeps the dataset order,
-- which Load restores.
CREATE TABLE links (
    from_node INTEGER NOT NULL,
    to_node   INTEGER NOT NULL CHECK (to_node <> from_node), -- a self-link is an error (SPEC §4)
    seq       INTEGER NOT NULL,
    product   TEXT,
    source    TEXT,
    note      TEXT,
    PRIMARY KEY (from_node, to_node)
) WITHOUT ROWID;
-- "Suppliers of a node". Its entries carry the key, so the lookup is covered.
CREATE INDEX links_to ON links (to_node);

-- Every node with its id and kind, by number: for reading links in SQL.
CREATE VIEW nodes (seq, id, kind) AS
    SELECT seq, id, 'enterprise' FROM enterprises
    UNION ALL
    SELECT seq, id, 'project' FROM projects;

-- Who changed what, newest last. before/after are JSON documents of the
-- record (NULL for a creation or a deletion); entity and key name it
-- ("enterprise", "E-zhenghong"). at is UTC RFC 3339 with nanoseconds.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    key    TEXT NOT NULL,
    before TEXT CHECK (before IS NULL OR json_valid(before)),
    after  TEXT CHECK (after IS NULL OR json_valid(after))
);
-- The log of one record.
CREATE INDEX audit_entity ON audit (entity, key);
