-- 0007_snapshot.sql: the analysis index of one data version, stored.
--
-- Indexing a province for analysis means reading a million links and every
-- record; the index itself (graph.Index.MarshalBinary) reads back in a
-- fraction of that. One row at most: the index of the data version
-- data_version, in the encoding numbered format. It is written after a
-- write has committed (store.DB.PutSnapshot, only while data_version is
-- still the current one) and used only while it is; every write moves the
-- data version, so a stale row is simply ignored until the next one
-- replaces it. It is not part of the data: no revision, no history.
CREATE TABLE snapshot (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    data_version INTEGER NOT NULL,
    format       INTEGER NOT NULL,
    body         BLOB NOT NULL
);
