#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "audit/internal.h"


const char audit_genesis[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The audit key, set once at start before any thread: rows from `since`
 * on are HMAC-SHA-256 under it ("k:" + hex), so rewriting the trail takes
 * the key as well as the store. */
static struct {
	int set;
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	int64_t since;
} ak;

#define KEYED_PREFIX "k:"

static void
put_field(struct buf *b, const char *s)
{
	if (!s)
		s = "";
	/* length-prefixed, so no choice of field contents can make two
	 * different rows serialise to the same bytes */
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
	buf_putc(b, '|');
}

void
audit_row_hash(const char *prev_hash, int64_t id, int64_t at, int64_t actor_id,
    const char *actor, const char *ip, int64_t org_id, const char *org_path,
    const char *action, const char *target, const char *result,
    const char *summary, char out[65])
{
	struct buf b;

	buf_init(&b, 1u << 22);
	buf_printf(&b, "changai-audit-v1|%s|%lld|%lld|%lld|%lld|", prev_hash,
	    (long long)id, (long long)at, (long long)actor_id, (long long)org_id);
	put_field(&b, actor);
	put_field(&b, ip);
	put_field(&b, org_path);
	put_field(&b, action);
	put_field(&b, target);
	put_field(&b, result);
	put_field(&b, summary);
	crypto_sha256_hex(b.data ? b.data : "", b.len, out);
	buf_free(&b);
}

/* The keyed form: the same fields under HMAC-SHA-256, "k:" + 64 hex. */
static void
row_mac(const char *prev_hash, int64_t id, int64_t at, int64_t actor_id,
    const char *actor, const char *ip, int64_t org_id, const char *org_path,
    const char *action, const char *target, const char *result,
    const char *summary, char out[AUDIT_HASH_MAX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	struct buf b;

	buf_init(&b, 1u << 22);
	buf_printf(&b, "changai-audit-v2|%s|%lld|%lld|%lld|%lld|", prev_hash,
	    (long long)id, (long long)at, (long long)actor_id, (long long)org_id);
	put_field(&b, actor);
	put_field(&b, ip);
	put_field(&b, org_path);
	put_field(&b, action);
	put_field(&b, target);
	put_field(&b, result);
	put_field(&b, summary);
	crypto_auth_hmacsha256(mac, (const unsigned char *)(b.data ? b.data : ""),
	    b.len, ak.key);
	memcpy(out, KEYED_PREFIX, 2);
	sodium_bin2hex(out + 2, AUDIT_HASH_MAX - 2, mac, sizeof(mac));
	buf_free(&b);
}

void
audit_key_use(const unsigned char key[32], int64_t since)
{
	memcpy(ak.key, key, sizeof(ak.key));
	ak.since = since < 1 ? 1 : since;
	ak.set = 1;
}

int
audit_key_set(void)
{
	return ak.set;
}

/* The key file: "changai-audit-key 1\nkey HEX\nsince N\n", mode 0600. */
int
audit_key_load(const char *path, int64_t create_since, int create)
{
	char text[256], hex[65];
	unsigned char key[32];
	long long since = 0;
	struct stat st;
	ssize_t n;
	size_t len;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(key, sizeof(key));
		sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
		n = snprintf(text, sizeof(text), "changai-audit-key 1\nkey %s\nsince %lld\n",
		    hex, (long long)create_since);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			rc = errno == EEXIST ? audit_key_load(path, 0, 0) : ERR_IO;
		else {
			if (write(fd, text, (size_t)n) != n || fsync(fd))
				rc = ERR_IO;
			close(fd);
			if (!rc)
				audit_key_use(key, create_since);
		}
		goto out;
	}
	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	if (fstat(fd, &st) || (st.st_mode & 077)) {
		close(fd);
		return ERR_INVALID;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return ERR_INVALID;
	text[n] = '\0';
	if (sscanf(text, "changai-audit-key 1\nkey %64s\nsince %lld", hex, &since) != 2 ||
	    sodium_hex2bin(key, sizeof(key), hex, 64, NULL, &len, NULL) || len != 32 ||
	    since < 1)
		rc = ERR_INVALID;
	else
		audit_key_use(key, since);
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(text, sizeof(text));
	return rc;
}

static char anchors_at[1024];

void
audit_anchors_path_set(const char *path)
{
	str_copy(anchors_at, sizeof(anchors_at), path ? path : "");
}

const char *
audit_anchors_path(void)
{
	return anchors_at[0] ? anchors_at : NULL;
}

int
audit_head_seq(struct db_conn *c, int64_t *seq)
{
	int rc = db_prep(c, AUDIT_HEAD_GET);

	*seq = 0;
	if (rc)
		return rc;
	rc = db_one(c);
	if (!rc)
		*seq = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
audit_keyed_rows(struct db_conn *c, int *any)
{
	int rc = db_prep(c, AUDIT_ANY_KEYED);

	*any = 0;
	if (rc)
		return rc;
	rc = db_one(c);
	if (!rc)
		*any = 1;
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int
audit_append(struct db_conn *c, const struct audit_entry *e)
{
	char prev[AUDIT_HASH_MAX], hash[AUDIT_HASH_MAX];
	int64_t seq, at = clock_real();
	int rc;

	rc = db_prep(c, AUDIT_HEAD_BUMP);
	if (rc)
		return rc;
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc == ERR_NOTFOUND ? ERR_DB : rc;
	}
	seq = db_col_int(c, 0);
	str_copy(prev, sizeof(prev), db_col_text(c, 1) ? db_col_text(c, 1) : "");
	db_done(c);
	/* hash exactly what is stored, defaults included */
	if (ak.set && seq >= ak.since)
		row_mac(prev, seq, at, e->actor_id, e->actor ? e->actor : "-",
		    e->ip ? e->ip : "-", e->org_id, e->org_path, e->action,
		    e->target ? e->target : "", e->result ? e->result : "ok",
		    e->summary ? e->summary : "{}", hash);
	else
		audit_row_hash(prev, seq, at, e->actor_id, e->actor ? e->actor : "-",
		    e->ip ? e->ip : "-", e->org_id, e->org_path, e->action,
		    e->target ? e->target : "", e->result ? e->result : "ok",
		    e->summary ? e->summary : "{}", hash);
	rc = db_prep(c, AUDIT_INSERT);
	if (rc)
		return rc;
	db_bind_int(c, 1, seq);
	db_bind_int(c, 2, at);
	if (e->actor_id)
		db_bind_int(c, 3, e->actor_id);
	else
		db_bind_null(c, 3);
	db_bind_text(c, 4, e->actor ? e->actor : "-");
	db_bind_text(c, 5, e->ip ? e->ip : "-");
	if (e->org_id)
		db_bind_int(c, 6, e->org_id);
	else
		db_bind_null(c, 6);
	db_bind_text(c, 7, e->org_path && *e->org_path ? e->org_path : NULL);
	db_bind_text(c, 8, e->action);
	db_bind_text(c, 9, e->target ? e->target : "");
	db_bind_text(c, 10, e->result ? e->result : "ok");
	db_bind_text(c, 11, e->summary ? e->summary : "{}");
	db_bind_text(c, 12, prev);
	db_bind_text(c, 13, hash);
	rc = db_run(c);
	if (rc)
		return rc;
	rc = db_prep(c, AUDIT_HEAD_SET);
	if (rc)
		return rc;
	db_bind_text(c, 1, hash);
	return db_run(c);
}

int
audit_append_tx(struct db *db, const struct audit_entry *e)
{
	struct db_conn *c;
	int rc;

	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = db_begin(c);
	if (rc)
		goto out;
	rc = audit_append(c, e);
	if (!rc)
		rc = db_commit(c);
	if (rc)
		db_rollback(c);
out:
	db_release(c);
	return rc;
}

const char *
audit_col(struct db_conn *c, int i)
{
	const char *s = db_col_text(c, i);
	return s ? s : "";
}

/* The anchor line's MAC, over its time, sequence number and row hash. */
static void
anchor_mac(int64_t at, int64_t seq, const char *hash, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "changai-anchor|%lld|%lld|%s",
	    (long long)at, (long long)seq, hash);

	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (size_t)n, ak.key);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

int
audit_anchor_write(struct db_conn *c, const char *path, int64_t *seq)
{
	char hash[AUDIT_HASH_MAX], mac[65], line[256];
	int64_t at = clock_real();
	int fd, rc, n;

	*seq = 0;
	if (!ak.set)
		return ERR_INVALID;
	rc = db_prep(c, AUDIT_HEAD_GET);
	if (rc)
		return rc;
	rc = db_one(c);
	if (!rc) {
		*seq = db_col_int(c, 0);
		str_copy(hash, sizeof(hash), audit_col(c, 1));
	}
	db_done(c);
	if (rc)
		return rc;
	anchor_mac(at, *seq, hash, mac);
	n = snprintf(line, sizeof(line), "changai-anchor 1 %lld %lld %s %s\n",
	    (long long)at, (long long)*seq, hash, mac);
	/* appended, never rewritten: an operator ships the file elsewhere */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return ERR_IO;
	rc = write(fd, line, (size_t)n) == n && !fsync(fd) ? 0 : ERR_IO;
	close(fd);
	return rc;
}

int
audit_anchors_read(const char *path, struct audit_anchor **out, size_t *n,
    size_t *bad_line)
{
	char line[512], mac[65], want[65];
	struct audit_anchor *v = NULL, *nv;
	size_t cap = 0, lineno = 0;
	FILE *f;
	int rc = 0;

	*out = NULL;
	*n = 0;
	*bad_line = 0;
	if (!ak.set)
		return ERR_INVALID;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	while (fgets(line, sizeof(line), f)) {
		struct audit_anchor a;
		long long at, seq;

		lineno++;
		memset(&a, 0, sizeof(a));
		if (sscanf(line, "changai-anchor 1 %lld %lld %66s %64s", &at, &seq,
		    a.hash, mac) != 4) {
			rc = ERR_INVALID;
			break;
		}
		a.at = at;
		a.seq = seq;
		anchor_mac(a.at, a.seq, a.hash, want);
		if (sodium_memcmp(want, mac, 64)) {
			rc = ERR_INVALID;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = ERR_NOMEM;
				break;
			}
			v = nv;
		}
		v[(*n)++] = a;
	}
	fclose(f);
	if (rc) {
		*bad_line = lineno;
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

void
audit_archive_mac(int64_t upto, const char *hash, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "changai-archive|%lld|%s", (long long)upto, hash);

	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (size_t)n, ak.key);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

int
audit_row_check(const struct audit_row *r, const char *prev, struct buf *why)
{
	char hash[AUDIT_HASH_MAX];
	int keyed = !strncmp(r->hash, KEYED_PREFIX, 2);

	if (keyed && !ak.set) {
		buf_printf(why, "row %lld is keyed: give the audit key "
		    "(--audit-key or CHANGAI_AUDIT_KEY_FILE)", (long long)r->id);
		return ERR_INVALID;
	}
	if (!keyed && ak.set && r->id >= ak.since) {
		buf_printf(why, "row %lld should carry the audit key's MAC (the key "
		    "applies from row %lld): rewritten without the key",
		    (long long)r->id, (long long)ak.since);
		return ERR_INVALID;
	}
	if (keyed)
		row_mac(prev, r->id, r->at, r->actor_id, r->actor, r->ip, r->org_id,
		    r->org_path, r->action, r->target, r->result, r->summary, hash);
	else
		audit_row_hash(prev, r->id, r->at, r->actor_id, r->actor, r->ip,
		    r->org_id, r->org_path, r->action, r->target, r->result,
		    r->summary, hash);
	if (strcmp(hash, r->hash)) {
		buf_printf(why, "row %lld was changed (content does not match "
		    "its %s)", (long long)r->id, keyed ? "MAC" : "hash");
		return ERR_INVALID;
	}
	return 0;
}

/* The archive record that explains a chain starting after row 1: rows up
 * to upto_seq went to an archive file, the last with upto_hash, under the
 * key. */
static int
archived_upto(struct db_conn *c, int64_t upto, const char *hash, int *ok)
{
	char want[65];
	int rc;

	*ok = 0;
	rc = db_prep(c, AUDIT_ARCHIVE_GET);
	if (rc)
		return rc;
	db_bind_int(c, 1, upto);
	rc = db_one(c);
	if (!rc && ak.set && !strcmp(audit_col(c, 0), hash)) {
		audit_archive_mac(upto, hash, want);
		*ok = strlen(audit_col(c, 1)) == 64 && !sodium_memcmp(want, audit_col(c, 1), 64);
	}
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

static int
cmp_anchor(const void *a, const void *b)
{
	int64_t x = ((const struct audit_anchor *)a)->seq;
	int64_t y = ((const struct audit_anchor *)b)->seq;

	return x < y ? -1 : x > y;
}

int
audit_verify(struct db_conn *c, struct audit_anchor *an, size_t nan,
    int64_t *rows, int64_t *broken_id, struct buf *why)
{
	char expect_prev[AUDIT_HASH_MAX];
	char first_prev[AUDIT_HASH_MAX] = "";
	struct audit_row row;
	int64_t last_id = 0, n = 0, head_seq, first_id = 0;
	size_t ai = 0;
	int rc, first = 1;

	*rows = 0;
	*broken_id = 0;
	if (nan)
		qsort(an, nan, sizeof(*an), cmp_anchor);
	str_copy(expect_prev, sizeof(expect_prev), audit_genesis);
	rc = db_prep(c, AUDIT_ALL);
	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0);
		const char *stored = audit_col(c, 12);

		/* a chain that starts later must say why: an archive record */
		if (first && id != 1) {
			str_copy(expect_prev, sizeof(expect_prev), audit_col(c, 11));
			str_copy(first_prev, sizeof(first_prev), audit_col(c, 11));
			first_id = id;
		}
		if (!first && id != last_id + 1) {
			*broken_id = last_id + 1;
			buf_printf(why, "row %lld is missing", (long long)(last_id + 1));
			break;
		}
		if (strcmp(audit_col(c, 11), expect_prev)) {
			*broken_id = id;
			buf_printf(why, "row %lld does not follow row %lld "
			    "(previous hash differs)", (long long)id, (long long)last_id);
			break;
		}
		row.id = id;
		row.at = db_col_int(c, 1);
		row.actor_id = db_col_int(c, 2);
		row.actor = audit_col(c, 3);
		row.ip = audit_col(c, 4);
		row.org_id = db_col_int(c, 5);
		row.org_path = audit_col(c, 6);
		row.action = audit_col(c, 7);
		row.target = audit_col(c, 8);
		row.result = audit_col(c, 9);
		row.summary = audit_col(c, 10);
		row.hash = stored;
		if (audit_row_check(&row, expect_prev, why)) {
			*broken_id = id;
			break;
		}
		/* anchors before the first row kept are for archived rows */
		while (ai < nan && an[ai].seq < id)
			ai++;
		while (ai < nan && an[ai].seq == id) {
			if (strcmp(an[ai].hash, stored)) {
				*broken_id = id;
				buf_printf(why, "row %lld differs from the anchor of %lld",
				    (long long)id, (long long)an[ai].at);
				break;
			}
			ai++;
		}
		if (*broken_id)
			break;
		str_copy(expect_prev, sizeof(expect_prev), stored);
		last_id = id;
		first = 0;
		n++;
	}
	db_done(c);
	if (rc < 0)
		return rc;
	if (*broken_id)
		return ERR_INVALID;
	if (first_id > 1) {
		int ok = 0;

		if ((rc = archived_upto(c, first_id - 1, first_prev, &ok)))
			return rc;
		if (!ok) {
			*broken_id = first_id - 1;
			buf_printf(why, "rows before %lld are missing and no archive record "
			    "accounts for them", (long long)first_id);
			return ERR_INVALID;
		}
	}
	rc = db_prep(c, AUDIT_HEAD_GET);
	if (rc)
		return rc;
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc;
	}
	head_seq = db_col_int(c, 0);
	if (head_seq != last_id || strcmp(audit_col(c, 1), n ? expect_prev : audit_genesis)) {
		*broken_id = last_id + 1;
		buf_printf(why, "rows after %lld are missing (the head records %lld)",
		    (long long)last_id, (long long)head_seq);
		db_done(c);
		return ERR_INVALID;
	}
	db_done(c);
	/* an anchor past the end: rows were cut off, the head moved back */
	if (nan && an[nan - 1].seq > last_id) {
		*broken_id = last_id + 1;
		buf_printf(why, "rows after %lld are missing: an anchor of %lld records "
		    "row %lld", (long long)last_id, (long long)an[nan - 1].at,
		    (long long)an[nan - 1].seq);
		return ERR_INVALID;
	}
	*rows = n;
	return 0;
}

int
audit_summary_text(struct db_conn *c, const char *action, const char *target,
    const char *key, char *out, size_t n, int *found)
{
	json_error_t je;
	json_t *j;
	int rc = db_prep(c, AUDIT_BY_TARGET);

	*found = 0;
	out[0] = '\0';
	if (rc)
		return rc;
	db_bind_text(c, 1, action);
	db_bind_text(c, 2, target);
	rc = db_one(c);
	if (!rc && (j = json_loads(audit_col(c, 0), 0, &je))) {
		const char *v = json_string_value(json_object_get(j, key));
		if (v) {
			str_copy(out, n, v);
			*found = 1;
		}
		json_decref(j);
	}
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}
