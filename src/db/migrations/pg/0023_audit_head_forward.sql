-- The head of the audit chain only moves forward and is never deleted. This
-- stops casual edits; the audit key and the anchors stop the rest.
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'the audit head is kept';
	END IF;
	IF NEW.seq < OLD.seq THEN
		RAISE EXCEPTION 'the audit head only moves forward';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_archive_kept BEFORE UPDATE OR DELETE ON audit_archive
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
