-- 0002_drop_links_to.sql (PostgreSQL): links keep only their primary key
-- (from_node, to_node), as in ../sqlite/0002_drop_links_to.sql.
DROP INDEX links_to;
