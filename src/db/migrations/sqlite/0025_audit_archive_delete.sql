-- Rows leave the trail only once an archive record covers them: `changai
-- audit archive` writes the record, then deletes the rows it names, in one
-- transaction. Any other delete is refused as before.
DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN NOT EXISTS (SELECT 1 FROM audit_archive WHERE upto_seq >= OLD.id)
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
