-- 0006_revision_version.sql: the data version each revision produced.
--
-- A server keeps the dataset of one data version (state.data_version) in
-- memory; when the version moves it loads just the changes of the
-- revisions in between (store/changes.go) instead of everything. Data
-- versions and revision numbers do not coincide (a write of boundaries
-- moves the version and makes no revision; a database migrated from before
-- 0003 started its revisions at a later version), so each revision records
-- the version its transaction committed. Revisions written before this
-- migration have none: a server that needs their changes loads everything.

ALTER TABLE revisions ADD COLUMN data_version INTEGER;
CREATE UNIQUE INDEX revisions_data_version ON revisions (data_version);
