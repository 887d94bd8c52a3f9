-- Names of new workers enter the trigram index once per batch, written by
-- the code that inserts them (rollup_apply), not by a per-row trigger: the
-- trigger cost an FTS5 savepoint per row and was the largest single share
-- of an import. Renames and deletions keep their triggers (rare, one row).
DROP TRIGGER workers_fts_ins;
