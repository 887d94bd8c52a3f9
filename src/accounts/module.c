/* accounts: users, grants, sessions and tokens, two-person approvals and
 * the second factor. */
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"

extern const struct route accounts_routes[], approval_routes[], factor_routes[];

static const struct route *const routes[] = {
	accounts_routes, approval_routes, factor_routes, NULL,
};

static const struct audit_label audit_labels[] = {
	{"approval.approve", "批准待审事项", "Approve a pending change"},
	{"approval.decide", "审批决定", "Decide a pending change"},
	{"approval.password_half", "领取一次性密码（前半）", "Collect a one-time password half"},
	{"approval.propose", "提出待审事项", "Propose a change for approval"},
	{"approval.reject", "驳回待审事项", "Reject a pending change"},
	{"approval.withdraw", "撤回待审事项", "Withdraw a pending change"},
	{"grant.add", "授予权限", "Grant a role"},
	{"grant.pii_off", "取消个人信息权限", "Take personal-data access away"},
	{"grant.pii_on", "授予个人信息权限", "Give personal-data access"},
	{"grant.remove", "收回权限", "Remove a grant"},
	{"session.end", "结束会话", "End a session"},
	{"session.login", "登录", "Log in"},
	{"session.logout", "退出登录", "Log out"},
	{"session.step_up", "二次验证", "Step up"},
	{"token.create", "创建接口令牌", "Create an API token"},
	{"token.revoke", "吊销接口令牌", "Revoke an API token"},
	{"user.create", "创建账号", "Create an account"},
	{"user.lock", "停用账号", "Disable an account"},
	{"user.password_change", "修改密码", "Change the password"},
	{"user.password_reset", "重置密码", "Reset a password"},
	{"user.password_set", "设置密码", "Set a password"},
	{"user.second_factor_begin", "开始绑定动态口令", "Begin second-factor enrolment"},
	{"user.second_factor_enrol", "绑定动态口令", "Enrol a second factor"},
	{"user.second_factor_remove", "解除动态口令", "Remove a second factor"},
	{"user.unlock", "解锁账号", "Unlock an account"},
	{"user.update", "修改账号", "Update an account"},
	{NULL, NULL, NULL},
};

const struct module accounts_module = {
	.name = "accounts",
	.routes = routes,
	.audit_labels = audit_labels,
};
