/* Archiving the oldest audit rows to a file an operator keeps elsewhere.
 *
 * The store keeps what the retention setting asks for; older rows move to
 * an archive file, and the store keeps an archive record (the last row's
 * hash under the audit key), so the trail that remains still verifies
 * from its first row and a file can be proved to be the rows that left. */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/internal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"

#define ARCHIVE_FORMAT 1

/* Writes through the file's SHA-256, so the digest is of the bytes on disk. */
struct hashed_file {
	FILE *f;
	crypto_hash_sha256_state sha;
	int failed;
};

static void
hf_write_json(struct hashed_file *hf, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	size_t n;

	if (!text) {
		hf->failed = 1;
		return;
	}
	n = strlen(text);
	if (fwrite(text, 1, n, hf->f) != n || fputc('\n', hf->f) == EOF)
		hf->failed = 1;
	crypto_hash_sha256_update(&hf->sha, (const unsigned char *)text, n);
	crypto_hash_sha256_update(&hf->sha, (const unsigned char *)"\n", 1);
	free(text);
}

/* The first row kept and its predecessor's hash; ERR_NOTFOUND for an
 * empty trail. */
static int
oldest_row(struct db_conn *c, int64_t *id, char prev[AUDIT_HASH_MAX])
{
	int rc = db_prep(c, AUDIT_OLDEST);

	if (rc)
		return rc;
	rc = db_one(c);
	if (!rc) {
		*id = db_col_int(c, 0);
		str_copy(prev, AUDIT_HASH_MAX, audit_col(c, 1));
	}
	db_done(c);
	return rc;
}

/* The last row older than `before`: the row before the first younger one,
 * so a clock that once went back never splits the archive's run. */
static int
last_older_than(struct db_conn *c, int64_t before, int64_t *upto)
{
	int rc = db_prep(c, AUDIT_FIRST_SINCE);
	int none = 1;

	if (rc)
		return rc;
	db_bind_int(c, 1, before);
	rc = db_one(c);
	if (!rc && !db_col_null(c, 0)) {
		*upto = db_col_int(c, 0) - 1;
		none = 0;
	}
	db_done(c);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	/* none younger: everything up to the head */
	return none ? audit_head_seq(c, upto) : 0;
}

static int
write_rows(struct db_conn *c, struct hashed_file *hf, int64_t upto,
    struct audit_archive_info *info)
{
	int rc = db_prep(c, AUDIT_UPTO);

	if (rc)
		return rc;
	db_bind_int(c, 1, upto);
	while ((rc = db_step(c)) == DB_ROW) {
		json_t *row = json_pack("{s:I,s:I,s:I,s:s,s:s,s:I,s:s?,s:s,s:s,s:s,s:s,s:s,s:s}",
		    "id", (json_int_t)db_col_int(c, 0), "at", (json_int_t)db_col_int(c, 1),
		    "actor_id", (json_int_t)db_col_int(c, 2), "actor", audit_col(c, 3),
		    "ip", audit_col(c, 4), "org_id", (json_int_t)db_col_int(c, 5),
		    "org_path", db_col_text(c, 6), "action", audit_col(c, 7),
		    "target", audit_col(c, 8), "result", audit_col(c, 9), "summary", audit_col(c, 10),
		    "prev_hash", audit_col(c, 11), "hash", audit_col(c, 12));

		if (!row) {
			rc = ERR_NOMEM;
			break;
		}
		hf_write_json(hf, row);
		json_decref(row);
		str_copy(info->upto_hash, sizeof(info->upto_hash), audit_col(c, 12));
		info->rows++;
	}
	db_done(c);
	if (rc < 0)
		return rc;
	return hf->failed ? ERR_IO : 0;
}

/* Writes the file; on success it is complete and on disk. */
static int
write_file(struct db_conn *c, const char *path, const char *prev,
    struct audit_archive_info *info, int *created)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct hashed_file hf = {0};
	json_t *head;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ERR_CONFLICT : ERR_IO;
	*created = 1;
	hf.f = fdopen(fd, "w");
	if (!hf.f) {
		close(fd);
		return ERR_IO;
	}
	crypto_hash_sha256_init(&hf.sha);
	/* the header says what the rows must chain to; each row is checked
	 * against its own hash on reading, so the header needs no MAC */
	head = json_pack("{s:i,s:I,s:I,s:s,s:I}", "changai_audit_archive", ARCHIVE_FORMAT,
	    "from_seq", (json_int_t)info->from_seq, "upto_seq", (json_int_t)info->upto_seq,
	    "prev_hash", prev, "made", (json_int_t)clock_real());
	if (!head) {
		rc = ERR_NOMEM;
		goto out;
	}
	hf_write_json(&hf, head);
	json_decref(head);
	rc = write_rows(c, &hf, info->upto_seq, info);
	if (!rc && (fflush(hf.f) || fsync(fileno(hf.f))))
		rc = ERR_IO;
out:
	if (fclose(hf.f) && !rc)
		rc = ERR_IO;
	crypto_hash_sha256_final(&hf.sha, digest);
	sodium_bin2hex(info->file_sha256, sizeof(info->file_sha256), digest, sizeof(digest));
	return rc;
}

static int
record_and_delete(struct db_conn *c, const struct audit_archive_info *info,
    const struct audit_entry *who)
{
	struct audit_entry e = *who;
	char mac[65], summary[256];
	int rc;

	audit_archive_mac(info->upto_seq, info->upto_hash, mac);
	if ((rc = db_prep(c, AUDIT_ARCHIVE_INSERT)))
		return rc;
	db_bind_int(c, 1, info->upto_seq);
	db_bind_text(c, 2, info->upto_hash);
	db_bind_int(c, 3, info->rows);
	db_bind_text(c, 4, info->file_sha256);
	db_bind_int(c, 5, clock_real());
	db_bind_text(c, 6, mac);
	if ((rc = db_run(c)))
		return rc;
	/* the record goes first: the store's trigger lets a row go only once
	 * an archive record covers it */
	if ((rc = db_prep(c, AUDIT_DELETE_UPTO)))
		return rc;
	db_bind_int(c, 1, info->upto_seq);
	if ((rc = db_run(c)))
		return rc;
	snprintf(summary, sizeof(summary), "{\"from_seq\":%lld,\"upto_seq\":%lld,"
	    "\"rows\":%lld,\"file_sha256\":\"%s\"}", (long long)info->from_seq,
	    (long long)info->upto_seq, (long long)info->rows, info->file_sha256);
	e.action = "audit.archive";
	e.target = "";
	e.result = "ok";
	e.summary = summary;
	return audit_append(c, &e);
}

int
audit_archive(struct db *db, int64_t retention_days, int64_t before,
    const char *path, const struct audit_entry *who,
    struct audit_archive_info *info, struct buf *why)
{
	int64_t keep_from = clock_real() - retention_days * 86400;
	char prev[AUDIT_HASH_MAX];
	struct db_conn *c;
	int64_t rows = 0, broken = 0;
	int rc, wrote = 0;

	memset(info, 0, sizeof(*info));
	if (before > keep_from) {
		buf_printf(why, "the store keeps %lld days of the trail "
		    "(audit_retention_days); the date asked for is within them",
		    (long long)retention_days);
		return ERR_INVALID;
	}
	if (!before)
		before = keep_from;
	if (!audit_key_set()) {
		buf_puts(why, "archiving needs the audit key (the archive record is MAC'd with it)");
		return ERR_INVALID;
	}
	/* told before anything else; O_EXCL still holds against a race */
	if (!access(path, F_OK))
		return ERR_CONFLICT;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	/* never archive a trail that does not verify: the file would carry
	 * the tampering away with the proof of it */
	if ((rc = audit_verify(c, NULL, 0, &rows, &broken, why))) {
		if (rc == ERR_INVALID)
			buf_printf(why, " (broken at row %lld: nothing archived)", (long long)broken);
		goto out;
	}
	if ((rc = oldest_row(c, &info->from_seq, prev)))
		goto out;
	if ((rc = last_older_than(c, before, &info->upto_seq)))
		goto out;
	if (info->upto_seq < info->from_seq) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	rc = write_file(c, path, prev, info, &wrote);
	if (!rc)
		rc = record_and_delete(c, info, who);
	if (!rc)
		rc = db_commit(c);
out:
	if (rc) {
		db_rollback(c);
		if (wrote)
			unlink(path);
	}
	db_release(c);
	return rc;
}

/* The int member `key` of j, or ERR_INVALID. */
static int
get_int(json_t *j, const char *key, int64_t *v)
{
	json_t *x = json_object_get(j, key);

	if (!json_is_integer(x))
		return ERR_INVALID;
	*v = json_integer_value(x);
	return 0;
}

static const char *
get_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

static int
check_line(json_t *j, int64_t want_id, const char *prev, struct audit_row *r,
    struct buf *why)
{
	const char *stored_prev = get_str(j, "prev_hash");
	json_t *path = json_object_get(j, "org_path");

	memset(r, 0, sizeof(*r));
	if (get_int(j, "id", &r->id) || get_int(j, "at", &r->at) ||
	    get_int(j, "actor_id", &r->actor_id) || get_int(j, "org_id", &r->org_id) ||
	    !(r->actor = get_str(j, "actor")) || !(r->ip = get_str(j, "ip")) ||
	    !(r->action = get_str(j, "action")) || !(r->target = get_str(j, "target")) ||
	    !(r->result = get_str(j, "result")) || !(r->summary = get_str(j, "summary")) ||
	    !(r->hash = get_str(j, "hash")) || !stored_prev ||
	    (!json_is_null(path) && !json_is_string(path))) {
		buf_printf(why, "the row after %lld is not an archived audit row",
		    (long long)(want_id - 1));
		return ERR_INVALID;
	}
	r->org_path = json_is_string(path) ? json_string_value(path) : "";
	if (r->id != want_id) {
		buf_printf(why, "row %lld is missing", (long long)want_id);
		return ERR_INVALID;
	}
	if (strcmp(stored_prev, prev)) {
		buf_printf(why, "row %lld does not follow row %lld (previous hash differs)",
		    (long long)r->id, (long long)(r->id - 1));
		return ERR_INVALID;
	}
	return audit_row_check(r, prev, why);
}

/* The store's side: the record of this file, and the one before it. */
static int
check_record(struct db_conn *c, const struct audit_archive_info *info,
    const char *first_prev, struct buf *why)
{
	char mac[65];
	int rc = db_prep(c, AUDIT_ARCHIVE_RECORD);

	if (rc)
		return rc;
	db_bind_int(c, 1, info->upto_seq);
	rc = db_one(c);
	if (rc == ERR_NOTFOUND) {
		db_done(c);
		buf_printf(why, "the store has no archive record of rows up to %lld",
		    (long long)info->upto_seq);
		return ERR_INVALID;
	}
	if (!rc) {
		audit_archive_mac(info->upto_seq, info->upto_hash, mac);
		if (strcmp(audit_col(c, 0), info->upto_hash) || strlen(audit_col(c, 1)) != 64 ||
		    sodium_memcmp(audit_col(c, 1), mac, 64)) {
			buf_printf(why, "row %lld differs from the store's archive record",
			    (long long)info->upto_seq);
			rc = ERR_INVALID;
		} else if (db_col_int(c, 2) != info->rows || strcmp(audit_col(c, 3), info->file_sha256)) {
			buf_puts(why, "the file is not the one the archive record names "
			    "(rows or SHA-256 differ)");
			rc = ERR_INVALID;
		}
	}
	db_done(c);
	if (rc || info->from_seq == 1)
		return rc;
	/* a later archive starts where an earlier one ended */
	if ((rc = db_prep(c, AUDIT_ARCHIVE_RECORD)))
		return rc;
	db_bind_int(c, 1, info->from_seq - 1);
	rc = db_one(c);
	if (rc == ERR_NOTFOUND || (!rc && strcmp(audit_col(c, 0), first_prev))) {
		buf_printf(why, "no earlier archive record ends at row %lld with this "
		    "file's first predecessor", (long long)(info->from_seq - 1));
		rc = ERR_INVALID;
	}
	db_done(c);
	return rc;
}

int
audit_archive_check(struct db_conn *c, const char *path,
    struct audit_archive_info *info, struct buf *why)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state sha;
	char prev[AUDIT_HASH_MAX], first_prev[AUDIT_HASH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int64_t format = 0, want = 0;
	int rc = 0, lineno = 0;
	FILE *f;

	memset(info, 0, sizeof(*info));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	crypto_hash_sha256_init(&sha);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *j;
		struct audit_row r;

		crypto_hash_sha256_update(&sha, (const unsigned char *)line, (size_t)len);
		lineno++;
		j = json_loadb(line, (size_t)len, 0, &je);
		if (!j) {
			buf_printf(why, "line %d is not JSON", lineno);
			rc = ERR_INVALID;
			break;
		}
		if (lineno == 1) {
			const char *p = get_str(j, "prev_hash");

			if (get_int(j, "changai_audit_archive", &format) || format != ARCHIVE_FORMAT ||
			    get_int(j, "from_seq", &info->from_seq) || info->from_seq < 1 ||
			    get_int(j, "upto_seq", &info->upto_seq) ||
			    info->upto_seq < info->from_seq || !p ||
			    (info->from_seq == 1 && strcmp(p, audit_genesis))) {
				buf_puts(why, "line 1 is not the header of a changai audit archive");
				rc = ERR_INVALID;
			} else {
				str_copy(prev, sizeof(prev), p);
				str_copy(first_prev, sizeof(first_prev), p);
				want = info->from_seq;
			}
		} else if (!(rc = check_line(j, want, prev, &r, why))) {
			str_copy(prev, sizeof(prev), r.hash);
			str_copy(info->upto_hash, sizeof(info->upto_hash), r.hash);
			info->rows++;
			want++;
		}
		json_decref(j);
		if (rc)
			break;
	}
	free(line);
	if (!rc && ferror(f))
		rc = ERR_IO;
	fclose(f);
	crypto_hash_sha256_final(&sha, digest);
	sodium_bin2hex(info->file_sha256, sizeof(info->file_sha256), digest, sizeof(digest));
	if (!rc && lineno == 0) {
		buf_puts(why, "the file is empty");
		rc = ERR_INVALID;
	}
	/* an archive is made only of rows that left the store; a file of no
	 * rows proves nothing and would let a record of nothing pass */
	if (!rc && info->rows == 0) {
		buf_puts(why, "the file holds no audit rows");
		rc = ERR_INVALID;
	}
	if (!rc && want - 1 != info->upto_seq) {
		buf_printf(why, "the rows end at %lld, the header says %lld",
		    (long long)(want - 1), (long long)info->upto_seq);
		rc = ERR_INVALID;
	}
	if (!rc && c)
		rc = check_record(c, info, first_prev, why);
	return rc;
}
