#include "base/crypto.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

/* Set once by crypto_init before threads start, read-only afterwards. */
static unsigned long long pw_ops;
static size_t pw_mem;
static sem_t pw_slots;
static int pw_ready;

int
crypto_init(int fast)
{
	if (sodium_init() < 0)
		return ERR_INTERNAL;
	if (fast) {
		pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	if (!pw_ready) {
		/* four concurrent argon2id runs cap login bursts at 256 MiB */
		if (sem_init(&pw_slots, 0, 4))
			return ERR_INTERNAL;
		pw_ready = 1;
	}
	return 0;
}

int
crypto_pw_hash(const char *password, char out[CRYPTO_PWHASH_LEN])
{
	int rc;

	sem_wait(&pw_slots);
	rc = crypto_pwhash_str(out, password, strlen(password), pw_ops, pw_mem);
	sem_post(&pw_slots);
	return rc ? ERR_NOMEM : 0;
}

int
crypto_pw_verify(const char *stored, const char *password)
{
	int rc;

	sem_wait(&pw_slots);
	rc = crypto_pwhash_str_verify(stored, password, strlen(password));
	sem_post(&pw_slots);
	return rc ? ERR_AUTH : 0;
}

void
crypto_token(char out[CRYPTO_TOKEN_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	memcpy(out, "ca_", 3);
	b64url_encode(raw, sizeof(raw), out + 3);
	sodium_memzero(raw, sizeof(raw));
}

void
crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	hex_encode(h, sizeof(h), out);
}

void
crypto_token_derive(const char *token, const char *label,
    char out[CRYPTO_DIGEST_HEX])
{
	unsigned char key[32], h[32];

	/* key = H(label) keeps derived values unrelated to the stored digest */
	crypto_generichash(key, sizeof(key), (const unsigned char *)label,
	    strlen(label), NULL, 0);
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), key, sizeof(key));
	hex_encode(h, sizeof(h), out);
}

void
crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_DIGEST_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, n);
	hex_encode(h, sizeof(h), out);
}

void
crypto_random_password(char *out, size_t outlen)
{
	/* no look-alikes (0/O, 1/l/I) since people type these from paper */
	static const char upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char lower[] = "abcdefghijkmnpqrstuvwxyz";
	static const char digit[] = "23456789";
	static const char sym[] = "#%+=@";
	size_t n = outlen - 1, i;

	if (outlen < 13) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	n = 12;
	for (i = 0; i < n; i++) {
		const char *set;
		size_t len;

		switch (i % 4) {
		case 0: set = upper; len = sizeof(upper) - 1; break;
		case 1: set = lower; len = sizeof(lower) - 1; break;
		case 2: set = digit; len = sizeof(digit) - 1; break;
		default: set = i == 3 ? sym : lower;
			len = i == 3 ? sizeof(sym) - 1 : sizeof(lower) - 1;
		}
		out[i] = set[randombytes_uniform((uint32_t)len)];
	}
	out[n] = '\0';
}

int
crypto_str_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

void
crypto_public_id(char out[CRYPTO_PUBLIC_ID_LEN])
{
	unsigned char raw[16];

	randombytes_buf(raw, sizeof(raw));
	b64url_encode(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}
