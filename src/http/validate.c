/* Declared validation of JSON bodies and query strings, run before any
 * handler. Also the fuzzing surface for request input. */
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "http/http.h"

#define JSON_MAX_DEPTH 32

/* Field names echo client input: keep a short, printable-ASCII copy so the
 * error itself is always valid UTF-8 JSON. */
static void
safe_name(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i < n - 1; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[i] = '\0';
}

static int
fail(struct verr *e, int status, const char *field, const char *en,
    const char *zh)
{
	e->status = status;
	e->row = 0;
	e->code = status == 400 ? "bad_request" : "validation_failed";
	safe_name(e->field, sizeof(e->field), field ? field : "");
	e->msg_en = en;
	e->msg_zh = zh;
	e->nmore = 0;
	return status == 400 ? ERR_BADREQ : ERR_INVALID;
}

/* A later field's 422 joins the first one's. */
static void
also(struct verr *first, const struct verr *e)
{
	if (e->row || first->nmore >= VERR_MORE)
		return;
	str_copy(first->more[first->nmore].field, sizeof(first->more[0].field), e->field);
	first->more[first->nmore].msg_en = e->msg_en;
	first->more[first->nmore].msg_zh = e->msg_zh;
	first->nmore++;
}

static int
depth_ok(json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;

	if (depth > JSON_MAX_DEPTH)
		return 0;
	if (json_is_object(v)) {
		json_object_foreach(v, k, c)
			if (!depth_ok(c, depth + 1))
				return 0;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			if (!depth_ok(c, depth + 1))
				return 0;
	}
	return 1;
}

int
body_parse(const struct field *spec, const char *data, size_t len,
    json_t **out, struct verr *err)
{
	json_error_t je;
	json_t *root;
	int rc;

	*out = NULL;
	if (len == 0)
		return fail(err, 400, NULL, "request body is empty",
		    "请求内容为空");
	/* jansson checks UTF-8 itself; NUL bytes inside strings are refused */
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fail(err, 400, NULL, "request body is not valid JSON",
		    "请求内容不是有效的 JSON");
	if (!depth_ok(root, 1)) {
		json_decref(root);
		return fail(err, 400, NULL, "JSON nests too deeply",
		    "JSON 嵌套层级过深");
	}
	rc = body_validate(spec, root, err);
	if (rc) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return 0;
}

static int
check_string(const struct field *f, json_t *v, struct verr *err)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), chars;

	if (memchr(s, '\0', n))
		return fail(err, 422, f->name, "text must not contain NUL",
		    "文本不能包含空字符");
	chars = utf8_chars(s, n);
	if (f->min && chars < (size_t)f->min)
		return fail(err, 422, f->name, "text is too short", "内容过短");
	if (f->max && chars > (size_t)f->max)
		return fail(err, 422, f->name, "text is too long", "内容过长");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* control characters have no place in names and codes; they
		 * are how log and CSV injection start */
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return fail(err, 422, f->name,
			    "text contains control characters", "内容包含控制字符");
	}
	return 0;
}

static int
check_value(const struct field *f, json_t *v, struct verr *err)
{
	json_int_t iv;
	size_t i;
	json_t *it;

	switch (f->type) {
	case FT_STRING:
		if (!json_is_string(v))
			return fail(err, 422, f->name, "must be a string", "应为文本");
		return check_string(f, v, err);
	case FT_ENUM:
		if (!json_is_string(v))
			return fail(err, 422, f->name, "must be a string", "应为文本");
		for (i = 0; f->choices[i]; i++)
			if (!strcmp(f->choices[i], json_string_value(v)))
				return 0;
		return fail(err, 422, f->name, "is not one of the allowed values",
		    "不是允许的取值");
	case FT_DATE:
		if (!json_is_string(v) || date_valid(json_string_value(v)))
			return fail(err, 422, f->name, "must be a date YYYY-MM-DD",
			    "应为日期 YYYY-MM-DD");
		return 0;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return fail(err, 422, f->name, "must be true or false",
			    "应为 true 或 false");
		return 0;
	case FT_INT:
	case FT_ID:
		if (!json_is_integer(v))
			return fail(err, 422, f->name, "must be an integer", "应为整数");
		iv = json_integer_value(v);
		if (f->type == FT_ID && (iv < 1 || iv > (1LL << 53)))
			return fail(err, 422, f->name, "is not a valid id", "编号无效");
		if (f->type == FT_INT && (f->min || f->max) &&
		    (iv < f->min || iv > f->max))
			return fail(err, 422, f->name, "is out of range", "超出允许范围");
		return 0;
	case FT_NUMBER:
		if (!json_is_number(v))
			return fail(err, 422, f->name, "must be a number", "应为数字");
		return 0;
	case FT_ID_ARRAY:
		if (!json_is_array(v))
			return fail(err, 422, f->name, "must be an array of ids",
			    "应为编号数组");
		if (f->max && json_array_size(v) > (size_t)f->max)
			return fail(err, 422, f->name, "has too many entries",
			    "条目过多");
		if (f->min && json_array_size(v) < (size_t)f->min)
			return fail(err, 422, f->name, "needs at least one entry",
			    "至少需要选择一项");
		json_array_foreach(v, i, it) {
			if (!json_is_integer(it) || json_integer_value(it) < 1 ||
			    json_integer_value(it) > (1LL << 53))
				return fail(err, 422, f->name,
				    "must be an array of ids", "应为编号数组");
		}
		return 0;
	case FT_OBJECT:
		if (!json_is_object(v))
			return fail(err, 422, f->name, "must be an object", "应为对象");
		return 0;
	case FT_ARRAY:
		if (!json_is_array(v))
			return fail(err, 422, f->name, "must be a list", "应为列表");
		if (f->max && json_array_size(v) > (size_t)f->max)
			return fail(err, 422, f->name, "has too many entries", "条目过多");
		json_array_foreach(v, i, it) {
			int rc;
			char named[160];

			if (!json_is_object(it)) {
				fail(err, 422, f->name, "each entry must be an object",
				    "每一项应为对象");
				err->row = (long)i + 1;
				return ERR_INVALID;
			}
			if ((rc = body_validate(f->items, it, err))) {
				/* name the list and the entry: "subjects.name", row 3 */
				snprintf(named, sizeof(named), "%s%s%s", f->name,
				    err->field[0] ? "." : "", err->field);
				(void)str_copy(err->field, sizeof(err->field), named);
				err->row = (long)i + 1;
				return rc;
			}
		}
		return 0;
	}
	return fail(err, 422, f->name, "has an unsupported type", "类型不受支持");
}

int
body_validate(const struct field *spec, json_t *root, struct verr *err)
{
	const struct field *f;
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(root))
		return fail(err, 400, NULL, "request body must be a JSON object",
		    "请求内容应为 JSON 对象");
	json_object_foreach(root, key, v) {
		for (f = spec; f && f->name; f++)
			if (!strcmp(f->name, key))
				break;
		if (!f || !f->name) {
			fail(err, 400, key, "unknown field", "未知字段");
			return ERR_BADREQ;
		}
	}
	/* every field is checked: the first failure answers, the later
	 * ones ride along in err->more */
	int first = 0;

	for (f = spec; f && f->name; f++) {
		struct verr one;

		v = json_object_get(root, f->name);
		rc = 0;
		if (!v) {
			if (f->flags & F_REQUIRED)
				rc = fail(&one, 422, f->name, "is required", "必填");
		} else if (json_is_null(v)) {
			if (!(f->flags & F_NULLABLE))
				rc = fail(&one, 422, f->name, "must not be null", "不能为空值");
		} else {
			one.nmore = 0;
			rc = check_value(f, v, &one);
		}
		if (!rc)
			continue;
		if (!first) {
			*err = one;
			first = rc;
			/* an element of a list is named by its row: that alone */
			if (rc != ERR_INVALID || one.row)
				return rc;
			continue;
		}
		also(err, &one);
	}
	return first;
}

static int
qcheck(const struct qfield *f, const char *val, struct verr *err)
{
	int64_t iv;
	size_t i, n = strlen(val);

	if (!utf8_valid(val, n))
		return fail(err, 400, f->name, "is not valid UTF-8", "不是有效的 UTF-8");
	switch (f->type) {
	case QT_INT:
		if (parse_int64(val, f->min, f->max, &iv))
			return fail(err, 400, f->name, "must be an integer in range",
			    "应为范围内的整数");
		return 0;
	case QT_ID:
		if (parse_int64(val, 1, 1LL << 53, &iv))
			return fail(err, 400, f->name, "is not a valid id", "编号无效");
		return 0;
	case QT_BOOL:
		if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "true") &&
		    strcmp(val, "false"))
			return fail(err, 400, f->name, "must be 0, 1, true or false",
			    "应为 0、1、true 或 false");
		return 0;
	case QT_ENUM:
		for (i = 0; f->choices[i]; i++)
			if (!strcmp(f->choices[i], val))
				return 0;
		return fail(err, 400, f->name, "is not one of the allowed values",
		    "不是允许的取值");
	case QT_CURSOR:
		if (cursor_decode(val, &iv))
			return fail(err, 400, f->name, "is not a valid cursor",
			    "分页游标无效");
		return 0;
	case QT_DATE:
		if (date_valid(val))
			return fail(err, 400, f->name, "must be a date YYYY-MM-DD",
			    "应为日期 YYYY-MM-DD");
		return 0;
	case QT_STRING:
		if ((f->max && utf8_chars(val, n) > (size_t)f->max) ||
		    (f->min && utf8_chars(val, n) < (size_t)f->min))
			return fail(err, 400, f->name, "has a wrong length",
			    "长度不符合要求");
		for (i = 0; i < n; i++)
			if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
				return fail(err, 400, f->name,
				    "contains control characters", "包含控制字符");
		return 0;
	}
	return fail(err, 400, f->name, "unsupported parameter", "不支持的参数");
}

int
query_validate(const struct qfield *spec, const struct qargs *q,
    struct verr *err)
{
	const struct qfield *f;
	int i, j;

	for (i = 0; i < q->n; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(q->key[i], q->key[j]))
				return fail(err, 400, q->key[i],
				    "parameter given twice", "参数重复");
		for (f = spec; f && f->name; f++)
			if (!strcmp(f->name, q->key[i]))
				break;
		if (!f || !f->name)
			return fail(err, 400, q->key[i], "unknown query parameter",
			    "未知的查询参数");
		if (!q->val[i])
			return fail(err, 400, f->name, "has no value", "缺少取值");
		if (qcheck(f, q->val[i], err))
			return ERR_BADREQ;
	}
	return 0;
}

void
cursor_encode(int64_t id, char out[40])
{
	char raw[28];
	int n = snprintf(raw, sizeof(raw), "c1:%lld", (long long)id);

	b64url_encode((const unsigned char *)raw, (size_t)n, out);
}

int
cursor_decode(const char *s, int64_t *id)
{
	unsigned char raw[32];
	char txt[33];
	size_t n = strlen(s);
	long len;

	if (n == 0 || n > 40)
		return ERR_INVALID;
	len = b64url_decode(s, n, raw, sizeof(raw));
	if (len < 4 || memcmp(raw, "c1:", 3))
		return ERR_INVALID;
	/* one spelling per value: digits only, no leading zeros */
	for (long i = 3; i < len; i++)
		if (raw[i] < '0' || raw[i] > '9')
			return ERR_INVALID;
	if (raw[3] == '0' && len > 4)
		return ERR_INVALID;
	memcpy(txt, raw + 3, (size_t)len - 3);
	txt[len - 3] = '\0';
	return parse_int64(txt, 0, 1LL << 53, id);
}
