-- Rows leave the trail only once an archive record covers them: `changai
-- audit archive` writes the record, then deletes the rows it names, in one
-- transaction. Updates, and any other delete, are refused as before.
DROP TRIGGER audit_no_change ON audit;
CREATE TRIGGER audit_no_change BEFORE UPDATE ON audit
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE FUNCTION audit_delete_archived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM audit_archive WHERE upto_seq >= OLD.id) THEN
		RAISE EXCEPTION 'audit trail is append-only';
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION audit_delete_archived();
