/* The gate before personal data is shown in full (等保: 个人信息 access).
 * Holding pii is not enough: the person asks for it (unmask=1), says why
 * (purpose, kept in the audit record), has proved itself again within
 * step_up_minutes (POST /api/v1/session/step-up), and stays within
 * unmask_rows_per_day. API tokens never unmask: a script cannot step up. */
#include <string.h>

#include "accounts/accounts.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "http/http.h"
#include "http/server.h"
#include "settings/settings.h"

int
req_unmask_gate(struct req *r, int64_t rows, int need_purpose)
{
	const struct principal *p = req_who(r);
	const char *purpose = req_query(r, "purpose");
	int64_t used = 0, cap = req_setting(r, SET_UNMASK_ROWS_PER_DAY);
	int64_t minutes = req_setting(r, SET_STEP_UP_MINUTES);
	struct db_conn *c;
	char day[11];
	int rc;

	if (!p->session_id)
		return req_error(r, 403, "step_up_required", "unmask",
		    "personal data is shown in full only to a person in a session who "
		    "proved itself again; an API token cannot",
		    "完整个人敏感信息只向登录并再次验证身份的本人显示，API 令牌不能查看");
	if (p->stepped_up + minutes * 60 < clock_real())
		return req_error(r, 403, "step_up_required", "unmask",
		    "prove it is you again first (POST /api/v1/session/step-up)",
		    "查看完整个人敏感信息前，请再次验证身份（输入密码）");
	if (need_purpose && (!purpose || utf8_chars(purpose, strlen(purpose)) < 2))
		return req_error(r, 422, "validation_failed", "purpose",
		    "say why personal data is shown in full (purpose, 2 to 200 characters)",
		    "请说明查看完整个人敏感信息的用途（2 至 200 字）");
	clock_date_of(clock_now(), day);
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = accounts_unmask_used(c, p->user_id, day, &used)))
		return rc;
	if (used + rows > cap)
		return req_error(r, 403, "unmask_limit", "unmask",
		    "today's limit of records shown unmasked is reached "
		    "(unmask_rows_per_day; the security admin sets it)",
		    "今日查看完整个人敏感信息的记录数已达上限（由安全管理员设置）");
	return 0;
}

void
req_unmask_spent(struct req *r, int64_t rows)
{
	const struct principal *p = req_who(r);
	char day[11];
	int rc;

	clock_date_of(clock_now(), day);
	/* the ledger is written on a connection of its own: the request's
	 * is given back first, so the writer is never waited for while held */
	req_db_release(r);
	rc = accounts_unmask_add(req_store(r), p->user_id, day, rows);
	if (rc)
		log_error("unmask ledger of user %lld not updated: %s",
		    (long long)p->user_id, err_name(rc));
}
