/* SQL owned by the jobs module: long work kept in the store. */
#ifndef CHANGAI_JOBS_SQL_H
#define CHANGAI_JOBS_SQL_H

#define JOBS_SQL(X) \
	X(JOB_INSERT, SQL("INSERT INTO jobs (kind, state, org_id, org_path, actor_id, actor, " \
		"params, created, total) VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, $8) " \
		"RETURNING id")) \
	X(JOB_CHUNK_INSERT, SQL("INSERT INTO job_chunks (job_id, seq, data) VALUES ($1, $2, $3)")) \
	X(JOB_CHUNKS, SQL("SELECT seq, data FROM job_chunks WHERE job_id = $1 ORDER BY seq")) \
	X(JOB_CHUNKS_DELETE, SQL("DELETE FROM job_chunks WHERE job_id = $1")) \
	X(JOB_FILES_EXPIRE, SQL("DELETE FROM job_chunks WHERE job_id IN (SELECT id FROM jobs " \
		"WHERE kind = 'export_workers' AND state IN ('done', 'failed') AND finished < $1)")) \
	X(JOB_GET, SQL("SELECT id, kind, state, org_id, org_path, actor_id, actor, params, " \
		"created, started, finished, heartbeat, total, done, inserted, updated, rejected, " \
		"error FROM jobs WHERE id = $1")) \
	X(JOB_CLAIM, SQL("UPDATE jobs SET state = 'running', heartbeat = $1, " \
		"started = CASE WHEN started = 0 THEN $1 ELSE started END WHERE id = $2 " \
		"AND (state = 'queued' OR (state = 'running' AND heartbeat < $3))")) \
	X(JOB_NEXT, SQL("SELECT id FROM jobs WHERE state = 'queued' OR " \
		"(state = 'running' AND heartbeat < $1) ORDER BY id LIMIT 1")) \
	X(JOB_PROGRESS, SQL("UPDATE jobs SET done = $1, inserted = $2, updated = $3, " \
		"rejected = $4, heartbeat = $5, total = $6 WHERE id = $7")) \
	X(JOB_FINISH, SQL("UPDATE jobs SET state = $1, error = $2, finished = $3, " \
		"heartbeat = $3 WHERE id = $4")) \
	X(JOB_ERROR_INSERT, SQL("INSERT INTO job_errors (job_id, row_no, col, reason, " \
		"reason_zh, value_enc) VALUES ($1, $2, $3, $4, $5, $6)")) \
	X(JOB_ERRORS, SQL("SELECT row_no, col, reason, reason_zh, value_enc FROM job_errors " \
		"WHERE job_id = $1 ORDER BY row_no, id")) \
	X(JOB_ERRORS_FROM, SQL("DELETE FROM job_errors WHERE job_id = $1 AND row_no >= $2")) \
	X(UPLOAD_INSERT, SQL("INSERT INTO uploads (actor_id, created) VALUES ($1, $2) RETURNING id")) \
	X(UPLOAD_CHUNK_INSERT, SQL("INSERT INTO upload_chunks (upload_id, seq, data) " \
		"VALUES ($1, $2, $3)")) \
	X(UPLOAD_COMPLETE, SQL("UPDATE uploads SET complete = 1, bytes = $1 WHERE id = $2")) \
	X(UPLOAD_GET, SQL("SELECT bytes, complete, (SELECT count(*) FROM upload_chunks " \
		"WHERE upload_id = $1) FROM uploads WHERE id = $1")) \
	X(UPLOAD_CHUNK, SQL("SELECT data FROM upload_chunks WHERE upload_id = $1 AND seq = $2")) \
	X(UPLOAD_ADOPT, SQL("UPDATE uploads SET job_id = $1 WHERE id = $2 AND complete = 1 " \
		"AND job_id IS NULL")) \
	X(UPLOAD_CHUNKS_DELETE, SQL("DELETE FROM upload_chunks WHERE upload_id = $1")) \
	X(UPLOAD_DELETE, SQL("DELETE FROM uploads WHERE id = $1")) \
	X(UPLOAD_UNCLAIMED_CHUNKS_DELETE, SQL("DELETE FROM upload_chunks WHERE upload_id = $1 " \
		"AND EXISTS (SELECT 1 FROM uploads WHERE id = $1 AND job_id IS NULL)")) \
	X(UPLOAD_UNCLAIMED_DELETE, SQL("DELETE FROM uploads WHERE id = $1 AND job_id IS NULL")) \
	X(UPLOAD_OF_JOB, SQL("SELECT id FROM uploads WHERE job_id = $1")) \
	X(UPLOAD_STALE, SQL("SELECT u.id FROM uploads u LEFT JOIN jobs j ON j.id = u.job_id " \
		"WHERE (u.job_id IS NULL AND u.created < $1) OR j.state IN ('done', 'failed') " \
		"ORDER BY u.id LIMIT 100"))

#endif
