/* Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1,
 * 6 digits, 30-second steps — what every authenticator app computes — and
 * the base32 secrets (RFC 4648) the apps read from an otpauth:// QR code. */
#ifndef CHANGAI_TOTP_H
#define CHANGAI_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20     /* 160 bits, as RFC 4226 recommends */
#define TOTP_B32_LEN 33          /* 20 bytes in base32 (32) + NUL */
#define TOTP_STEP 30
#define TOTP_DIGITS 6

/* The 6-digit code of a step (unix time / 30) into out (7 bytes). */
int totp_code(const unsigned char *key, size_t keylen, int64_t step, char out[7]);
/* Checks a typed code against the steps around now (one either side, for
 * clocks a little apart). A step at or before last_step was used already
 * and is refused (RFC 6238 5.2). *step gets the matching step. 0 or
 * ERR_AUTH. */
int totp_check(const unsigned char *key, size_t keylen, const char *code,
    int64_t now, int64_t last_step, int64_t *step);
/* Base32 without padding, upper case. out holds 8*ceil(n/5)/5+1 bytes. */
int totp_b32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);
/* Decodes base32 (case and spaces ignored); *n gets the bytes written. */
int totp_b32_decode(const char *in, unsigned char *out, size_t outlen, size_t *n);

#endif
