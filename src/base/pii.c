#include "base/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

void
pii_key_default_path(const char *db, char *out, size_t n)
{
	if (!strncmp(db, "postgres://", 11) || !strncmp(db, "postgresql://", 13))
		snprintf(out, n, "./data/changai.key");
	else
		snprintf(out, n, "%s.key", db);
}

static int
create_key(const char *path, struct pii_key *k)
{
	unsigned char raw[64];
	char hex[129];
	int fd, rc = 0;
	ssize_t w;

	randombytes_buf(raw, sizeof(raw));
	hex_encode(raw, sizeof(raw), hex);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ERR_CONFLICT : ERR_IO;
	w = write(fd, hex, 128);
	if (w != 128 || write(fd, "\n", 1) != 1 || fsync(fd))
		rc = ERR_IO;
	close(fd);
	if (rc)
		unlink(path);
	else {
		memcpy(k->enc, raw, 32);
		memcpy(k->mac, raw + 32, 32);
	}
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int
pii_key_load(const char *path, int create, struct pii_key *k)
{
	char hex[130];
	unsigned char raw[64];
	struct stat st;
	size_t len;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT && create) {
			rc = create_key(path, k);
			/* another process may have created it first */
			return rc == ERR_CONFLICT ? pii_key_load(path, 0, k) : rc;
		}
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	if (fstat(fd, &st) || (st.st_mode & 077)) {
		close(fd);
		return ERR_INVALID;       /* readable by group or others */
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 128)
		return ERR_INVALID;
	hex[n] = '\0';
	if (sodium_hex2bin(raw, sizeof(raw), hex, 128, NULL, &len, NULL) ||
	    len != 64)
		rc = ERR_INVALID;
	else {
		memcpy(k->enc, raw, 32);
		memcpy(k->mac, raw + 32, 32);
	}
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int
pii_encrypt(const struct pii_key *k, const char *plain, char *out, size_t outlen)
{
	unsigned char buf[24 + 16 + 256];
	size_t n = strlen(plain);
	unsigned long long clen;

	if (n > 256 || outlen < PII_ENC_LEN(n))
		return ERR_TOOBIG;
	randombytes_buf(buf, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + 24, &clen,
	    (const unsigned char *)plain, n, NULL, 0, NULL, buf, k->enc);
	b64url_encode(buf, 24 + (size_t)clen, out);
	return 0;
}

int
pii_decrypt(const struct pii_key *k, const char *enc, char *out, size_t outlen)
{
	unsigned char buf[24 + 16 + 256];
	unsigned long long plen;
	long n;

	n = b64url_decode(enc, strlen(enc), buf, sizeof(buf));
	if (n < 24 + 16)
		return ERR_INVALID;
	if ((size_t)n - 24 - 16 + 1 > outlen)
		return ERR_TOOBIG;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out,
	    &plen, NULL, buf + 24, (unsigned long long)n - 24, NULL, 0, buf,
	    k->enc))
		return ERR_INVALID;
	out[plen] = '\0';
	return 0;
}

void
pii_hash(const struct pii_key *k, const char *label, const char *value,
    size_t n, char out[PII_HASH_HEX])
{
	crypto_generichash_state st;
	unsigned char h[16];

	/* the label separates the hash spaces: an ID prefix never equals a
	 * phone hash */
	crypto_generichash_init(&st, k->mac, sizeof(k->mac), sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value, n);
	crypto_generichash_final(&st, h, sizeof(h));
	hex_encode(h, sizeof(h), out);
}

int
pii_seal(const struct pii_key *k, const void *data, size_t n, struct buf *out)
{
	unsigned char *raw;
	unsigned long long clen;
	size_t rawlen = 24 + 16 + n, enclen = (rawlen + 2) / 3 * 4;
	int rc;

	raw = malloc(rawlen);
	if (!raw)
		return ERR_NOMEM;
	randombytes_buf(raw, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(raw + 24, &clen, data, n,
	    NULL, 0, NULL, raw, k->enc);
	rc = buf_reserve(out, enclen + 1);
	if (!rc) {
		out->len += b64url_encode(raw, rawlen, out->data + out->len);
		out->data[out->len] = '\0';
	}
	free(raw);
	return rc;
}

int
pii_open(const struct pii_key *k, const char *sealed, size_t n, struct buf *out)
{
	unsigned char *raw;
	unsigned long long plen;
	long len;
	int rc;

	raw = malloc(n / 4 * 3 + 3);
	if (!raw)
		return ERR_NOMEM;
	len = b64url_decode(sealed, n, raw, n / 4 * 3 + 3);
	if (len < 24 + 16) {
		free(raw);
		return ERR_INVALID;
	}
	rc = buf_reserve(out, (size_t)len);
	if (!rc && crypto_aead_xchacha20poly1305_ietf_decrypt(
	    (unsigned char *)out->data + out->len, &plen, NULL, raw + 24,
	    (unsigned long long)len - 24, NULL, 0, raw, k->enc))
		rc = ERR_INVALID;
	if (!rc) {
		out->len += (size_t)plen;
		out->data[out->len] = '\0';
	}
	free(raw);
	return rc;
}
