-- Nothing to do on PostgreSQL: its name index (pg_trgm GIN) is an ordinary
-- index kept by the store. The version exists so both engines stay in step
-- with SQLite's 0006, which batches its FTS5 name index.
SELECT 1;
