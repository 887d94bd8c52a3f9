-- A trail that starts after row 1 is intact only with the record of where
-- the older rows went: the last archived row and its hash, MAC'd with the
-- audit key ("changai-archive|SEQ|HASH"), so deleting the oldest rows is
-- found by verify.
CREATE TABLE audit_archive (
	upto_seq {{INT}} PRIMARY KEY,
	upto_hash TEXT NOT NULL,
	rows_archived {{INT}} NOT NULL,
	file_sha256 TEXT NOT NULL,
	at {{INT}} NOT NULL,
	mac TEXT NOT NULL
) {{STRICT}};
