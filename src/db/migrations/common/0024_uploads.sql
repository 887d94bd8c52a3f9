-- Files received in pieces. The server writes an upload's body here, sealed
-- with the personal-data key, a chunk at a time as it arrives, so neither
-- the request nor the job that reads it ever holds the whole file. An upload
-- no job took (the handler refused it, the client went away, the process
-- died mid-way) is deleted after the request or by the periodic sweep; one
-- a job took (job_id) is deleted when that job ends.
CREATE TABLE uploads (
	id {{ID}},
	actor_id {{INT}},
	created {{INT}} NOT NULL,
	bytes {{INT}} NOT NULL DEFAULT 0,
	complete {{BOOL}} NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
	job_id {{INT}} REFERENCES jobs(id)
) {{STRICT}};
CREATE INDEX uploads_job ON uploads(job_id);
CREATE TABLE upload_chunks (
	upload_id {{INT}} NOT NULL REFERENCES uploads(id),
	seq {{INT}} NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (upload_id, seq)
) {{STRICT}};
