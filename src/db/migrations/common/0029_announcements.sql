-- 通知公告: a unit (the city, a district, a street) tells every account of
-- the units below it; each reader's first reading is kept, so the sender
-- sees who has read it (回执). A notice is never edited once sent: it is
-- withdrawn (and so hidden from its readers) or left as it is.
CREATE TABLE announcements (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_by {{INT}} NOT NULL,
	author TEXT NOT NULL,
	created {{INT}} NOT NULL,
	withdrawn {{INT}} NOT NULL DEFAULT 0
) {{STRICT}};
CREATE INDEX announcements_path ON announcements (org_path, id);

CREATE TABLE announcement_reads (
	announcement_id {{INT}} NOT NULL REFERENCES announcements(id),
	user_id {{INT}} NOT NULL,
	read_at {{INT}} NOT NULL,
	PRIMARY KEY (announcement_id, user_id)
) {{STRICT}};
