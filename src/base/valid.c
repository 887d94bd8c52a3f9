#include "base/valid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int
valid_uscc(const char *code, int *checksum_only)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
	    8, 24, 10, 30, 28};
	int sum = 0, i, c;

	if (checksum_only)
		*checksum_only = 0;
	if (!code || strlen(code) != 18)
		return ERR_INVALID;
	for (i = 0; i < 18; i++) {
		if (!code[i] || !strchr(uscc_alphabet, code[i]))
			return ERR_INVALID;
	}
	for (i = 0; i < 17; i++)
		sum += (int)(strchr(uscc_alphabet, code[i]) - uscc_alphabet) * w[i];
	c = 31 - sum % 31;
	if (c == 31)
		c = 0;
	if (code[17] != uscc_alphabet[c]) {
		if (checksum_only)
			*checksum_only = 1;
		return ERR_INVALID;
	}
	return 0;
}

int
valid_uscc_complete(const char *first17, char out[19])
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
	    8, 24, 10, 30, 28};
	int sum = 0, i, c;

	if (!first17 || strlen(first17) != 17)
		return ERR_INVALID;
	for (i = 0; i < 17; i++) {
		const char *p = strchr(uscc_alphabet, first17[i]);
		if (!first17[i] || !p)
			return ERR_INVALID;
		sum += (int)(p - uscc_alphabet) * w[i];
		out[i] = first17[i];
	}
	c = 31 - sum % 31;
	out[17] = uscc_alphabet[c == 31 ? 0 : c];
	out[18] = '\0';
	return 0;
}

int
valid_resident_id_why(const char *id, const char *today, char norm[19],
    enum id_fault *why)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
	    8, 4, 2};
	static const char check[] = "10X98765432";
	char birth[11];
	int sum = 0, i;

	*why = ID_FORM;
	if (!id || strlen(id) != 18)
		return ERR_INVALID;
	for (i = 0; i < 17; i++) {
		if (id[i] < '0' || id[i] > '9')
			return ERR_INVALID;
		sum += (id[i] - '0') * w[i];
	}
	if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x'))
		return ERR_INVALID;
	*why = ID_CHECK;
	if (toupper((unsigned char)id[17]) != check[sum % 11])
		return ERR_INVALID;
	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	*why = ID_BIRTH;
	if (date_valid(birth))
		return ERR_INVALID;
	*why = ID_FUTURE;
	if (today && strcmp(birth, today) > 0)
		return ERR_INVALID;
	*why = ID_OK;
	if (norm) {
		memcpy(norm, id, 17);
		norm[17] = (char)toupper((unsigned char)id[17]);
		norm[18] = '\0';
	}
	return 0;
}

int
valid_resident_id(const char *id, const char *today, char norm[19])
{
	enum id_fault why;

	return valid_resident_id_why(id, today, norm, &why);
}

int
valid_mobile(const char *p)
{
	int i;

	if (!p || strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
		return ERR_INVALID;
	for (i = 2; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return ERR_INVALID;
	return 0;
}

int
valid_password(const char *pw, const char *username, int min_len,
    const char **why)
{
	int up = 0, lo = 0, dg = 0, ot = 0;
	size_t n, i;

	*why = NULL;
	if (!pw) {
		*why = "password is required";
		return ERR_INVALID;
	}
	n = strlen(pw);
	if (!utf8_valid(pw, n)) {
		*why = "password is not valid UTF-8";
		return ERR_INVALID;
	}
	if (utf8_chars(pw, n) < (size_t)(min_len < PASSWORD_FLOOR ?
	    PASSWORD_FLOOR : min_len)) {
		*why = "password is too short";
		return ERR_INVALID;
	}
	if (n > 128) {
		*why = "password is longer than 128 bytes";
		return ERR_INVALID;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];

		if (c >= 'A' && c <= 'Z') up = 1;
		else if (c >= 'a' && c <= 'z') lo = 1;
		else if (c >= '0' && c <= '9') dg = 1;
		else ot = 1;
	}
	if (up + lo + dg + ot < 3) {
		*why = "password needs three of: upper case, lower case, digits, symbols";
		return ERR_INVALID;
	}
	if (username && *username) {
		char rev[33];
		size_t un = strlen(username);

		if (strcasestr(pw, username)) {
			*why = "password must not contain the username";
			return ERR_INVALID;
		}
		if (un < sizeof(rev)) {
			for (i = 0; i < un; i++)
				rev[i] = username[un - 1 - i];
			rev[un] = '\0';
			if (strcasestr(pw, rev)) {
				*why = "password must not contain the username";
				return ERR_INVALID;
			}
		}
	}
	if (password_is_common(pw)) {
		*why = "password is too common or too easy to guess";
		return ERR_INVALID;
	}
	return 0;
}

const char *
valid_password_why_zh(const char *why)
{
	static const struct { const char *en, *zh; } t[] = {
		{"password is required", "请填写密码"},
		{"password is not valid UTF-8", "密码含无效字符"},
		{"password is too short", "密码长度不足"},
		{"password is longer than 128 bytes", "密码过长（最多128字节）"},
		{"password needs three of: upper case, lower case, digits, symbols",
		    "密码须包含大写字母、小写字母、数字、符号中的至少三类"},
		{"password must not contain the username", "密码不能包含用户名（正序或倒序）"},
		{"password is too common or too easy to guess",
		    "密码过于常见或容易猜到（如常用词、键盘序列、重复字符）"},
	};

	for (size_t i = 0; why && i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(why, t[i].en))
			return t[i].zh;
	return "密码不符合要求";
}

int
valid_username(const char *s)
{
	size_t n, i;

	if (!s)
		return ERR_INVALID;
	n = strlen(s);
	if (n < 3 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return ERR_INVALID;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.' || c == '-'))
			return ERR_INVALID;
	}
	return 0;
}
