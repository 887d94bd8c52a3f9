/* Thin wrappers over libsodium for what the server needs: password hashes,
 * random tokens, token digests, SHA-256. crypto_init() must run once
 * before any other call. */
#ifndef CHANGAI_CRYPTO_H
#define CHANGAI_CRYPTO_H

#include <stddef.h>

#define CRYPTO_PWHASH_LEN 128      /* crypto_pwhash_STRBYTES */
#define CRYPTO_TOKEN_LEN 47        /* "ca_" + 43 chars of base64url(32 bytes) + NUL */
#define CRYPTO_DIGEST_HEX 65       /* 32 bytes as hex + NUL */

/* fast != 0 selects libsodium's minimum cost; only tests ask for it
 * (CHANGAI_PWHASH_FAST=1), so test suites can log in hundreds of times. */
int crypto_init(int fast);
/* Hashes with argon2id; at most `limit` run at once (64 MiB each). */
int crypto_pw_hash(const char *password, char out[CRYPTO_PWHASH_LEN]);
/* 0 if the password matches, ERR_AUTH if not. */
int crypto_pw_verify(const char *stored, const char *password);
/* A fresh random secret "ca_…" (256 bits). */
void crypto_token(char out[CRYPTO_TOKEN_LEN]);
/* Hex BLAKE2b-256 of a token: what the store keeps instead of the token. */
void crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_HEX]);
/* Hex digest of the token under a domain label (e.g. the CSRF token). */
void crypto_token_derive(const char *token, const char *label,
    char out[CRYPTO_DIGEST_HEX]);
void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_DIGEST_HEX]);
/* A random password that meets the policy (for one-time passwords). */
void crypto_random_password(char *out, size_t outlen);
/* 16 random bytes as 22 characters of base64url: an id nobody can guess
 * (public links). */
#define CRYPTO_PUBLIC_ID_LEN 23
void crypto_public_id(char out[CRYPTO_PUBLIC_ID_LEN]);
/* Constant-time comparison of two NUL-terminated strings. */
int crypto_str_equal(const char *a, const char *b);

#endif
