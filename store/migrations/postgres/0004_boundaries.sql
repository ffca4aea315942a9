-- 0004_boundaries.sql (PostgreSQL): the county boundaries of the region's
-- map, as in ../sqlite/0004_boundaries.sql. seq is given by the store.
CREATE TABLE boundaries (
    seq      bigint PRIMARY KEY,
    code     text COLLATE "C" NOT NULL UNIQUE,
    name     text COLLATE "C" NOT NULL,
    polygons text COLLATE "C" NOT NULL CHECK (polygons::jsonb IS NOT NULL)
);
