/* Field encryption for personal data (ID numbers, phones) and the keyed
 * hashes that make encrypted fields unique and searchable.
 *
 * The key file holds 64 random bytes as hex: 32 for XChaCha20-Poly1305,
 * 32 for keyed BLAKE2b. It lives outside the store (default: beside a
 * SQLite file as FILE.key, or ./data/changai.key), mode 0600, and is never
 * written to the store, logs or backups: keep a copy with the backups. */
#ifndef CHANGAI_PII_H
#define CHANGAI_PII_H

#include <stddef.h>

struct pii_key {
	unsigned char enc[32];
	unsigned char mac[32];
};

#define PII_HASH_HEX 33          /* 16-byte keyed hash as hex + NUL */
/* base64url(nonce 24 + tag 16 + n bytes) + NUL */
#define PII_ENC_LEN(n) ((((24 + 16 + (n)) + 2) / 3) * 4 + 1)

/* Loads the key; with create != 0 a missing file is created (0600).
 * ERR_NOTFOUND when missing and not created; ERR_INVALID when malformed or
 * readable by others. */
int pii_key_load(const char *path, int create, struct pii_key *k);
/* Default key path for a store: "<file>.key" for SQLite, else
 * "./data/changai.key". */
void pii_key_default_path(const char *db, char *out, size_t n);

/* Encrypts plain (NUL-terminated, ≤ 256 bytes) into out (base64url). */
int pii_encrypt(const struct pii_key *k, const char *plain, char *out,
    size_t outlen);
/* Decrypts; ERR_INVALID when the value was tampered with. */
int pii_decrypt(const struct pii_key *k, const char *enc, char *out,
    size_t outlen);
/* Seals a blob of any size (files kept while a job runs): appends
 * base64url(nonce || ciphertext) to out. */
struct buf;
int pii_seal(const struct pii_key *k, const void *data, size_t n, struct buf *out);
/* Opens a sealed blob, appending the plain bytes to out. */
int pii_open(const struct pii_key *k, const char *sealed, size_t n, struct buf *out);
/* Keyed hash of value under a label ("id", "id6", "phone", …). */
void pii_hash(const struct pii_key *k, const char *label, const char *value,
    size_t n, char out[PII_HASH_HEX]);

#endif
