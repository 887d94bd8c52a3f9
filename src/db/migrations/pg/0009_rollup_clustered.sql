-- Nothing to do on PostgreSQL: SQLite's 0009 clusters the rollups on their
-- key, which PostgreSQL's heap and primary-key index serve as they are.
-- The version exists so both engines stay in step.
SELECT 1;
