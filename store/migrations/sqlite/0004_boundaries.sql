-- 0004_boundaries.sql: the county boundaries of the region's map.
--
-- Boundaries are not part of the SPEC dataset: a region may have them or
-- not, they are imported on their own (`chainscope import-boundaries`, PUT
-- /api/v1/boundaries) and replaced as a whole, and they are not versioned
-- by revisions. One row per county-level division, in the dataset's county
-- order (seq); polygons is the county's shape as the coordinates of a
-- GeoJSON MultiPolygon ([lon, lat] rings, the first ring of each polygon
-- its outer edge, further rings holes). code is the county's code at the
-- time of the import; no foreign key, since the counties may change after
-- it (the map checks the two against each other when it draws).
CREATE TABLE boundaries (
    seq      INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    polygons TEXT NOT NULL CHECK (json_valid(polygons))
);
