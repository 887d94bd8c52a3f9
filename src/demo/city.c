/* A city-sized demo: 10 districts, ~150 streets and parks, 6,300
 * enterprises with a skewed size distribution, and N workers with valid ID
 * numbers and a skill pyramid in which about one skilled worker in three
 * is high-skilled (Ningbo 2023: 723,100 / 2,135,300). Deterministic: the
 * same N gives the same city. */
#include "demo/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "base/valid.h"
#include "db/db.h"
#include "orgs/orgs.h"
#include "workers/workers.h"

#define DISTRICTS 10
#define ENTERPRISES 6300
#define DEMO_FIRMS 64       /* the small demo's enterprises, at most */
#define BATCH 5000

static const struct {
	const char *name;
	const char *region;   /* resident-ID region code */
	int streets;
} districts[DISTRICTS] = {
	{"江北区", "330205", 14}, {"海曙区", "330203", 17}, {"鄞州区", "330212", 22},
	{"镇海区", "330211", 11}, {"北仑区", "330206", 15}, {"奉化区", "330213", 12},
	{"余姚市", "330281", 21}, {"慈溪市", "330282", 20}, {"宁海县", "330226", 9},
	{"象山县", "330225", 9},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
    "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
    "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖",
    "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏",
    "吕", "丁", "任", "沈"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强",
    "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
    "刚", "桂", "英", "华", "建", "国", "文", "辉", "鹏", "波", "斌", "宇", "浩",
    "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "欢", "阳", "佳", "琳",
    "晨", "晶", "婷", "雪", "海", "峰", "亮", "红", "兵", "东", "飞", "志", "永"};
static const char *const trades[] = {"数控车工", "焊工", "电工", "钳工", "铣工",
    "装配钳工", "机修钳工", "注塑工", "模具工", "电子装配工", "化学检验员",
    "叉车司机", "汽车装调工", "纺织挡车工", "食品检验员", "起重工"};
static const char *const trade_codes[] = {"6-18-01-01", "6-18-02-04",
    "6-31-01-03", "6-20-01-01", "6-18-01-02", "6-20-01-01", "6-15-02-01",
    "6-20-02-03", "6-25-04-08", "6-31-03-03", "4-08-05-03", "6-30-05-01",
    "6-22-02-01", "6-04-02-01", "6-26-01-03", "6-30-06-01"};
static const char *const industries[] = {"C", "C", "C", "C", "C", "C", "G",
    "E", "I", "D"};
static const char *const kinds_of_firm[] = {"精密机械", "新材料", "汽车零部件",
    "电子科技", "智能装备", "模具", "纺织服装", "食品", "化工", "物流",
    "建设工程", "光电", "电器", "五金", "塑料制品", "软件信息"};

/* xorshift64*: a fixed seed keeps the city the same from run to run */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717u;
}

static int
skill_level_for(uint64_t r)
{
	/* per 10,000: the pyramid of DOMAIN.md's figures */
	static const int cut[9] = {2000, 2500, 5500, 7700, 9000, 9600, 9900, 9970, 10000};
	int v = (int)(r % 10000);

	for (int i = 0; i < 9; i++)
		if (v < cut[i])
			return i;
	return 0;
}

static int
year_of(const char *date)
{
	int y = 0;

	for (int i = 0; i < 4; i++)
		y = y * 10 + (date[i] - '0');
	return y;
}

/* The district of that name under the root, if the small demo made it. */
static int
existing_district(struct db_conn *c, const char *name, struct org *out)
{
	return orgs_child_named(c, 1, "district", name, out);
}

struct firm {
	int64_t id;
	char path[ORG_PATH_MAX];
	int district;
};

static int
make_orgs(struct db *db, struct firm *firms)
{
	struct db_conn *c;
	int rc, f = 0;

	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	for (int d = 0; d < DISTRICTS; d++) {
		struct org dist;

		memset(&dist, 0, sizeof(dist));
		rc = existing_district(c, districts[d].name, &dist);
		if (rc == ERR_NOTFOUND) {
			dist.parent_id = 1;
			str_copy(dist.kind, sizeof(dist.kind), "district");
			str_copy(dist.name, sizeof(dist.name), districts[d].name);
			rc = orgs_insert(c, &dist);
		}
		if (rc)
			goto rollback;
		for (int s = 0; s < districts[d].streets; s++) {
			struct org st;
			int firms_here = ENTERPRISES / 150 + (s % 3 == 0 ? 1 : 0);

			memset(&st, 0, sizeof(st));
			st.parent_id = dist.id;
			str_copy(st.kind, sizeof(st.kind), s % 7 == 6 ? "park" : "street");
			snprintf(st.name, sizeof(st.name), s % 7 == 6 ? "%s第%d产业园区" :
			    "%s第%d街道", districts[d].name, s + 1);
			if ((rc = orgs_insert(c, &st)))
				goto rollback;
			for (int e = 0; e < firms_here && f < ENTERPRISES; e++) {
				struct org ent;
				char first[18], uscc[19];

				memset(&ent, 0, sizeof(ent));
				ent.parent_id = st.id;
				str_copy(ent.kind, sizeof(ent.kind), "enterprise");
				snprintf(ent.name, sizeof(ent.name), "宁波%s%s第%d有限公司",
				    districts[d].name, kinds_of_firm[f % 16], f + 1);
				snprintf(first, sizeof(first), "91%sMA%07d", districts[d].region,
				    f + 1);
				valid_uscc_complete(first, uscc);
				str_copy(ent.uscc, sizeof(ent.uscc), uscc);
				str_copy(ent.industry, sizeof(ent.industry), industries[f % 10]);
				str_copy(ent.ownership, sizeof(ent.ownership), "private");
				ent.above_scale = 1;
				ent.has_union = 1;
				if ((rc = orgs_insert(c, &ent)))
					goto rollback;
				firms[f].id = ent.id;
				firms[f].district = d;
				str_copy(firms[f].path, sizeof(firms[f].path), ent.path);
				f++;
			}
		}
	}
	if ((rc = db_commit(c)))
		goto rollback;
	rc = f;
	goto out;
rollback:
	db_rollback(c);
out:
	db_release(c);
	return rc;
}

static void
make_id(const char *region, uint64_t i, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	/* 40 years of birth dates × 1,000 sequence numbers per region: i's
	 * day is a bijection of i mod 14600 and, for one day, its sequence
	 * differs for every i / 14600, so every number is distinct; the
	 * offset from the day spreads sequences (and so gender, its parity)
	 * over the first 14,600 people too */
	uint64_t day = (i * 7919u) % 14600u;
	uint64_t seq = (i / 14600u + (i % 14600u) * 337u) % 1000u;
	int y = 1965 + (int)(day / 365), doy = (int)(day % 365), m = 0, sum = 0;
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	while (doy >= mdays[m]) {
		doy -= mdays[m];
		m++;
	}
	{
		char tmp[40];
		/* the compiler cannot see the bounds above; a wider scratch
		 * buffer keeps -Wformat-truncation quiet */
		snprintf(tmp, sizeof(tmp), "%.6s%04d%02d%02d%03u", region, y % 10000,
		    (m + 1) % 100, (doy + 1) % 100, (unsigned)seq % 1000);
		memcpy(out, tmp, 17);
	}
	for (int k = 0; k < 17; k++)
		sum += (out[k] - '0') * w[k];
	out[17] = check[sum % 11];
	out[18] = '\0';
}

/* The enterprises of the small demo (甬江街道's and the others'), which the
 * city's roster fills first, so the streets the demo's plans and
 * statements are about have people. */
struct firm_list {
	struct firm *firms;
	int n;
};

static int
add_firm(void *ctx, const struct org *o)
{
	struct firm_list *l = ctx;

	if (l->n >= DEMO_FIRMS)
		return 0;
	l->firms[l->n].id = o->id;
	l->firms[l->n].district = 0;    /* an ID's region is where one was born */
	str_copy(l->firms[l->n].path, sizeof(l->firms[l->n].path), o->path);
	l->n++;
	return 0;
}

static int
demo_firms(struct db *db, struct firm *firms)
{
	struct firm_list l = {firms, 0};
	struct db_conn *c;
	char root[ORG_PATH_MAX];
	int rc = db_acquire(db, DB_READ, &c);

	if (rc)
		return rc;
	if (!(rc = orgs_path_of(c, 1, root, sizeof(root))))
		rc = orgs_each_of_kind(c, root, "enterprise", add_firm, &l);
	db_release(c);
	return rc ? rc : l.n;
}

int
demo_city(struct db *db, const struct pii_key *key, int64_t workers)
{
	struct firm *firms;
	double *cum;
	struct db_conn *c = NULL;
	struct rollup_delta d;
	uint64_t seed = 0x5eed2023c0ffeeu;
	int64_t i;
	int nf, nd, rc;
	char today[11];

	clock_today(today);
	firms = calloc(DEMO_FIRMS + ENTERPRISES, sizeof(*firms));
	cum = calloc(DEMO_FIRMS + ENTERPRISES, sizeof(*cum));
	rollup_init(&d);
	if (!firms || !cum) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((nd = demo_firms(db, firms)) < 0) {
		rc = nd;
		goto out;
	}
	nf = make_orgs(db, firms + nd);
	if (nf <= 0) {
		rc = nf ? nf : ERR_INTERNAL;
		goto out;
	}
	nf += nd;
	/* Zipf-like sizes: a few large plants, a long tail of small firms */
	for (int f = 0; f < nf; f++)
		cum[f] = (f ? cum[f - 1] : 0) + 1.0 / pow((double)f + 3.0, 0.85);
	for (i = 0; i < workers; i++) {
		struct worker_rec rec;
		struct event_source src = {"system", 0, 0, NULL};
		uint64_t r = next_rand(&seed);
		double u = (double)(r >> 11) / 9007199254740992.0 * cum[nf - 1];
		int lo = 0, hi = nf - 1, level;
		int64_t id;

		if (!c) {
			if ((rc = db_acquire(db, DB_WRITE, &c)) || (rc = db_begin(c)))
				goto out;
		}
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (cum[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the person's attributes from bits of their own: r chose the
		 * enterprise, and the same bits would tie status, membership
		 * or schooling to it */
		r = next_rand(&seed);
		memset(&rec, 0, sizeof(rec));
		make_id(districts[firms[lo].district].region, (uint64_t)i, rec.id_no);
		snprintf(rec.birth_date, sizeof(rec.birth_date), "%.4s-%.2s-%.2s",
		    rec.id_no + 6, rec.id_no + 10, rec.id_no + 12);
		rec.gender[0] = (rec.id_no[16] - '0') % 2 ? 'M' : 'F';
		snprintf(rec.name, sizeof(rec.name), "%s%s%s",
		    surnames[r % ARRAY_LEN(surnames)], given[(r >> 8) % ARRAY_LEN(given)],
		    (r >> 16) % 3 ? given[(r >> 24) % ARRAY_LEN(given)] : "");
		if ((r >> 32) % 10 < 7)
			snprintf(rec.phone, sizeof(rec.phone), "1%d%09llu",
			    3 + (int)((r >> 36) % 7), (unsigned long long)((r >> 20) % 1000000000u));
		level = skill_level_for(next_rand(&seed));
		rec.skill_level = level;
		str_copy(rec.occupation, sizeof(rec.occupation), trades[(r >> 40) % 16]);
		str_copy(rec.occupation_code, sizeof(rec.occupation_code),
		    trade_codes[(r >> 40) % 16]);
		{
			char tmp[32];
			snprintf(tmp, sizeof(tmp), "%04d-%02d-01",
			    (year_of(rec.birth_date) + 18 + (int)((r >> 44) % 15)) % 10000,
			    1 + (int)((r >> 48) % 12));
			str_copy(rec.hired, sizeof(rec.hired), tmp);
		}
		rec.union_member = (r >> 52) % 100 < 85;
		if (rec.union_member)
			snprintf(rec.union_joined, sizeof(rec.union_joined), "%.4s-%.2s-15",
			    rec.hired, rec.hired + 5);
		str_copy(rec.political_status, sizeof(rec.political_status),
		    (r >> 56) % 10 < 1 ? "01" : (r >> 56) % 10 < 3 ? "03" : "13");
		str_copy(rec.education, sizeof(rec.education),
		    (r >> 58) % 4 == 0 ? "20" : (r >> 58) % 4 == 1 ? "30" : "40");
		str_copy(rec.status, sizeof(rec.status), (r >> 60) % 20 ? "active" : "left");
		/* dates that would lie after the business clock's today are
		 * pulled back into last year */
		if (strcmp(rec.hired, today) > 0) {
			char tmp[32];
			snprintf(tmp, sizeof(tmp), "%04d-06-01", (year_of(today) - 1) % 10000);
			str_copy(rec.hired, sizeof(rec.hired), tmp);
		}
		if (rec.union_member && strcmp(rec.union_joined, today) > 0) {
			char tmp[32];
			snprintf(tmp, sizeof(tmp), "%04d-07-15", (year_of(today) - 1) % 10000);
			str_copy(rec.union_joined, sizeof(rec.union_joined), tmp);
		}
		if (rec.union_member && strcmp(rec.union_joined, rec.hired) < 0)
			str_copy(rec.union_joined, sizeof(rec.union_joined), rec.hired);
		rc = workers_insert(c, key, &rec, firms[lo].id, firms[lo].path, &src, &d, &id);
		if (rc)
			goto out;
		if ((i + 1) % BATCH == 0 || i + 1 == workers) {
			if ((rc = rollup_apply(c, &d)) || (rc = db_commit(c)))
				goto out;
			db_release(c);
			c = NULL;
			if ((i + 1) % 500000 == 0)
				log_info("demo: %lld workers", (long long)(i + 1));
		}
	}
	rc = 0;
out:
	if (c) {
		db_rollback(c);
		db_release(c);
	}
	rollup_free(&d);
	free(firms);
	free(cum);
	return rc;
}
