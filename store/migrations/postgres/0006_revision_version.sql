-- 0006_revision_version.sql (PostgreSQL): the data version each revision
-- produced, as ../sqlite/0006_revision_version.sql (whose comments explain
-- it).

ALTER TABLE revisions ADD COLUMN data_version bigint;
CREATE UNIQUE INDEX revisions_data_version ON revisions (data_version);
