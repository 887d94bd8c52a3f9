-- The head of the audit chain only moves forward and is never deleted. This
-- stops casual edits; the audit key and the anchors stop the rest.
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head is kept'); END;
CREATE TRIGGER audit_archive_kept BEFORE DELETE ON audit_archive
BEGIN SELECT RAISE(ABORT, 'archive records are kept'); END;
