/* The identifier and policy rules of DOMAIN.md, as pure functions. */
#ifndef CHANGAI_VALID_H
#define CHANGAI_VALID_H

#include <stddef.h>

/* Unified social credit code (GB 32100-2015). Returns 0 when well formed
 * with a correct check char, ERR_INVALID otherwise. *checksum_only is set
 * to 1 when the only fault is the check char (an early pilot code an admin
 * may accept with a reason). */
int valid_uscc(const char *code, int *checksum_only);
/* Completes 17 characters of a credit code with its check char (demo and
 * test data). out holds 19 bytes. */
int valid_uscc_complete(const char *first17, char out[19]);
/* Resident ID (GB 11643-1999). `today` is "YYYY-MM-DD" (birth must not be
 * after it). Lower-case x is accepted; norm receives the upper-cased form
 * (19 bytes). */
int valid_resident_id(const char *id, const char *today, char norm[19]);
/* The same, saying which rule failed, for messages that name it. */
enum id_fault { ID_OK, ID_FORM, ID_CHECK, ID_BIRTH, ID_FUTURE };
int valid_resident_id_why(const char *id, const char *today, char norm[19],
    enum id_fault *why);
/* Mainland mobile: 11 digits, 1[3-9]xxxxxxxxx. */
int valid_mobile(const char *phone);
/* Password policy: at least min_len characters (never under
 * PASSWORD_FLOOR), three of four classes (upper, lower, digit, other), not
 * containing the username forwards or backwards, not common
 * (password_is_common). On failure *why gets a static English reason. */
#define PASSWORD_FLOOR 10
int valid_password(const char *pw, const char *username, int min_len,
    const char **why);
/* The Chinese of a reason valid_password gave. */
const char *valid_password_why_zh(const char *why);
/* 1 when the password is on the shipped list of common passwords or is
 * one dressed up (capitals, digits and symbols at the ends, leet), a
 * keyboard or alphabet run, or a short unit repeated. */
int password_is_common(const char *pw);
/* Login names: 3..32 of [a-z0-9_.-], starting with a letter. */
int valid_username(const char *name);

#endif
