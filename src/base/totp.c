#include "base/totp.h"

#include <ctype.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/err.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int
totp_code(const unsigned char *key, size_t keylen, int64_t step, char out[7])
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, off;
	uint32_t bin;

	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	/* libsodium has no SHA-1; the apps know nothing else */
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac, &maclen) ||
	    maclen < 20)
		return ERR_INTERNAL;
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	    ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	for (int i = TOTP_DIGITS - 1; i >= 0; i--) {
		out[i] = (char)('0' + bin % 10);
		bin /= 10;
	}
	out[TOTP_DIGITS] = '\0';
	return 0;
}

int
totp_check(const unsigned char *key, size_t keylen, const char *code,
    int64_t now, int64_t last_step, int64_t *step)
{
	int64_t t = now / TOTP_STEP;
	char want[7], got[7];
	size_t n = 0;
	int ok = 0;

	*step = 0;
	/* "123 456" as apps show it */
	for (const char *p = code ? code : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (!isdigit((unsigned char)*p) || n >= TOTP_DIGITS)
			return ERR_AUTH;
		got[n++] = *p;
	}
	if (n != TOTP_DIGITS)
		return ERR_AUTH;
	got[n] = '\0';
	for (int64_t s = t - 1; s <= t + 1; s++) {
		if (s <= last_step || totp_code(key, keylen, s, want))
			continue;
		/* every candidate compared, in constant time each */
		if (!ok && !CRYPTO_memcmp(want, got, TOTP_DIGITS)) {
			ok = 1;
			*step = s;
		}
	}
	return ok ? 0 : ERR_AUTH;
}

int
totp_b32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	uint32_t buf = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			if (o + 1 >= outlen)
				return ERR_NOMEM;
			out[o++] = b32[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) {
		if (o + 1 >= outlen)
			return ERR_NOMEM;
		out[o++] = b32[(buf << (5 - bits)) & 31];
	}
	out[o] = '\0';
	return 0;
}

int
totp_b32_decode(const char *in, unsigned char *out, size_t outlen, size_t *n)
{
	uint32_t buf = 0;
	int bits = 0;
	size_t o = 0;

	for (const char *p = in; *p && *p != '='; p++) {
		const char *at;
		if (*p == ' ' || *p == '-')
			continue;
		at = strchr(b32, toupper((unsigned char)*p));
		if (!at || !*p)
			return ERR_INVALID;
		buf = (buf << 5) | (uint32_t)(at - b32);
		bits += 5;
		if (bits >= 8) {
			if (o >= outlen)
				return ERR_NOMEM;
			out[o++] = (unsigned char)((buf >> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	*n = o;
	return 0;
}
