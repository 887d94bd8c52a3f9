#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"
#include "db/db.h"
#include "orgs/orgs.h"
#include "settings/settings.h"

struct demo_org {
	const char *key;      /* for later references */
	const char *parent;   /* key of the parent; NULL = the root */
	const char *kind;
	const char *name;
	const char *industry;
	int employees;
	int above_scale;
};

/* Jiangbei is the detailed district; the others give the city its width. */
static const struct demo_org tree[] = {
	{"jb", NULL, "district", "江北区", NULL, 0, 0},
	{"hs", NULL, "district", "海曙区", NULL, 0, 0},
	{"yz", NULL, "district", "鄞州区", NULL, 0, 0},
	{"yj", "jb", "street", "甬江街道", NULL, 0, 0},
	{"zq", "jb", "street", "庄桥街道", NULL, 0, 0},
	{"ht", "jb", "street", "洪塘街道", NULL, 0, 0},
	{"gx", "jb", "park", "江北高新技术产业园区", NULL, 0, 0},
	{"nm", "hs", "street", "南门街道", NULL, 0, 0},
	{"gl", "hs", "street", "鼓楼街道", NULL, 0, 0},
	{"sn", "yz", "street", "首南街道", NULL, 0, 0},
	{"zh", "yz", "street", "中河街道", NULL, 0, 0},
	{"e1", "yj", "enterprise", "宁波甬江精密机械有限公司", "C", 860, 1},
	{"e2", "yj", "enterprise", "宁波江北新材料科技有限公司", "C", 420, 1},
	{"e3", "yj", "enterprise", "宁波港城物流有限公司", "G", 230, 1},
	{"e4", "zq", "enterprise", "宁波庄桥汽车零部件有限公司", "C", 1250, 1},
	{"e5", "zq", "enterprise", "宁波北岸智能装备有限公司", "C", 310, 1},
	{"e6", "ht", "enterprise", "宁波洪塘电子科技有限公司", "C", 540, 1},
	{"e7", "gx", "enterprise", "宁波高新光电有限公司", "C", 680, 1},
	{"e8", "gx", "enterprise", "宁波慈城软件信息有限公司", "I", 150, 0},
	{"e9", "nm", "enterprise", "宁波南门纺织服装有限公司", "C", 390, 1},
	{"e10", "gl", "enterprise", "宁波鼓楼食品有限公司", "C", 210, 1},
	{"e11", "sn", "enterprise", "宁波首南模具有限公司", "C", 470, 1},
	{"e12", "zh", "enterprise", "宁波中河建设工程有限公司", "E", 920, 1},
	{"d1", "jb", "department", "江北区人力资源和社会保障局", NULL, 0, 0},
	{"d2", "jb", "department", "江北区教育局", NULL, 0, 0},
	{"d3", "jb", "department", "江北区卫生健康局", NULL, 0, 0},
	{"d4", "jb", "department", "江北区委组织部", NULL, 0, 0},
	{"d5", "jb", "department", "江北区经济和信息化局", NULL, 0, 0},
	{"d6", "jb", "department", "江北区科学技术局", NULL, 0, 0},
	{"d7", "jb", "department", "江北区财政局", NULL, 0, 0},
	{"d8", "jb", "department", "江北区住房和城乡建设局", NULL, 0, 0},
	{"c1", NULL, "department", "市人力资源和社会保障局", NULL, 0, 0},
};

struct demo_user {
	const char *username;
	const char *name;
	const char *org;      /* key; NULL = root */
	const char *role;
	int pii;              /* may read unmasked ID numbers and phones */
};

static const struct demo_user users[] = {
	{"admin", "市总工会管理员", NULL, "admin", 1},
	{"secadmin", "安全管理员", NULL, "security_admin", 0},
	{"auditor", "审计管理员", NULL, "auditor", 0},
	{"jiangbei", "江北区总工会", "jb", "admin", 1},
	{"yongjiang", "甬江街道工会", "yj", "operator", 1},
	{"zhuangqiao", "庄桥街道工会", "zq", "operator", 0},
	{"viewer", "江北区观察员", "jb", "viewer", 0},
	{"renshe", "江北区人社局", "d1", "department", 0},
	{"expert", "评审专家", NULL, "expert", 0},
};

static int64_t
find(const int64_t *ids, const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(tree); i++)
		if (!strcmp(tree[i].key, key))
			return ids[i];
	return 0;
}

int
demo_create(struct db *db, FILE *creds)
{
	int64_t ids[ARRAY_LEN(tree)], root = 1, uid;
	struct db_conn *c;
	char otp[16], uscc[19], first[18], pw[16];
	int rc;

	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	/* a demo is tried with its printed passwords: the second factor is
	 * optional in it (every account may enrol one); a store made with
	 * `changai init` requires it for admin, security admin and auditor */
	rc = settings_put(c, SET_SECOND_FACTOR_REQUIRED, 0, 0);
	if (rc) {
		db_release(c);
		return rc;
	}
	rc = db_begin(c);
	if (rc)
		goto out;
	for (size_t i = 0; i < ARRAY_LEN(tree); i++) {
		struct org o;

		memset(&o, 0, sizeof(o));
		o.parent_id = tree[i].parent ? find(ids, tree[i].parent) : root;
		str_copy(o.kind, sizeof(o.kind), tree[i].kind);
		str_copy(o.name, sizeof(o.name), tree[i].name);
		if (!strcmp(tree[i].kind, "enterprise")) {
			/* 91 + Jiangbei's region code + a 9-char organisation code */
			snprintf(first, sizeof(first), "91330205MA2%06zu", 100 + i * 7);
			valid_uscc_complete(first, uscc);
			str_copy(o.uscc, sizeof(o.uscc), uscc);
			str_copy(o.industry, sizeof(o.industry), tree[i].industry);
			str_copy(o.ownership, sizeof(o.ownership), "private");
			o.employees = tree[i].employees;
			o.above_scale = tree[i].above_scale;
			o.has_union = 1;
		}
		rc = orgs_insert(c, &o);
		if (rc)
			goto rollback;
		ids[i] = o.id;
	}
	rc = db_commit(c);
	if (rc)
		goto rollback;
	db_release(c);
	c = NULL;
	for (size_t i = 0; i < ARRAY_LEN(users); i++) {
		int64_t org = users[i].org ? find(ids, users[i].org) : root;

		/* the first admin exists already (changai init) */
		if (strcmp(users[i].username, "admin")) {
			rc = accounts_cli_add(db, users[i].username, users[i].name,
			    org, users[i].role, otp, &uid);
			if (rc)
				goto out;
		}
		/* demo accounts are ready to use: a known password, no forced
		 * change (the real first admin of `init` must change it) */
		crypto_random_password(pw, sizeof(pw));
		rc = accounts_cli_set_password(db, users[i].username, pw, 0);
		if (!rc && users[i].pii)
			rc = accounts_cli_set_pii(db, users[i].username, 1);
		if (rc)
			goto out;
		if (creds)
			fprintf(creds, "%-15s %-12s %s\n", users[i].role,
			    users[i].username, pw);
	}
	goto out;
rollback:
	db_rollback(c);
out:
	if (c)
		db_release(c);
	return rc;
}
