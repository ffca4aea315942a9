-- 0007_snapshot.sql (PostgreSQL): the analysis index of one data version,
-- as ../sqlite/0007_snapshot.sql (whose comments explain it).

CREATE TABLE snapshot (
    id           integer PRIMARY KEY CHECK (id = 1),
    data_version bigint NOT NULL,
    format       integer NOT NULL,
    body         bytea NOT NULL
);
