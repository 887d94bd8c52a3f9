-- pii unmasks only through a grant that reads the roster (admin, operator,
-- viewer): a flag left on another role's grant is cleared.
UPDATE grants SET pii = 0 WHERE role NOT IN ('admin', 'operator', 'viewer') AND pii <> 0;
