/* Reform plans (实施方案) and the reconciliation statement (对账单).
 *
 * A plan belongs to an org (city, district, street, park, enterprise) and a
 * year: a tree of aspects (方面) → items (大项) → sub-items (分项). A sub-item
 * has owners (one lead, any co-owners: departments or lower orgs), a
 * deadline inside the plan year, a target (a number with a unit, or a
 * milestone), a weight and either manual reports or a metric computed live
 * from the worker registry. Reports state the cumulative actual as of a
 * date; a returned report does not count.
 *
 * Numbers are exact: values, targets and weights are int64 ten-thousandths
 * ("e4": 12.5 is 125000), so statements add up the same on both stores.
 *
 * This header has three parts: the pure rules (status, completion,
 * rollups: no store, unit-tested), the store functions (plans, nodes,
 * owners, reports; all run in the caller's transaction), and the
 * statement model (statement.c) that the tree, the statement, sealed
 * snapshots and the .xlsx are written from. Nothing here sees HTTP. */
#ifndef CHANGAI_PLANS_H
#define CHANGAI_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"

struct db_conn;
struct jw;
struct skill_stats;

/* The roles that report progress on an owned task; the route table (and
 * so openapi.json) and the owner check use this one set. */
#define PLAN_REPORTERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_DEPARTMENT)
#define PLAN_TITLE_MAX 200              /* characters */
#define PLAN_TITLE_BYTES (PLAN_TITLE_MAX * 4 + 1)
#define PLAN_UNIT_MAX 16
#define PLAN_UNIT_BYTES (PLAN_UNIT_MAX * 4 + 1)
#define PLAN_NOTE_MAX 1000
#define PLAN_NOTE_BYTES (PLAN_NOTE_MAX * 4 + 1)
#define PLAN_REASON_MAX 500
#define PLAN_REASON_BYTES (PLAN_REASON_MAX * 4 + 1)
#define PLAN_ORG_NAME_BYTES (100 * 4 + 1)
#define PLAN_MAX_OWNERS 16
/* values up to 10^11 (ten-thousandths fit an int64 with room to add) */
#define PLAN_VALUE_MAX_E4 (100000000000LL * 10000)
#define PLAN_WEIGHT_MAX_E4 (1000LL * 10000)
#define PLAN_EVIDENCE_MAX (10u << 20)

enum plan_kind { PK_ASPECT = 1, PK_ITEM = 2, PK_SUBITEM = 3 };
enum plan_status { PS_GREY = 0, PS_GREEN = 1, PS_YELLOW = 2, PS_RED = 3 };
/* How a task ended up in the counts "完成 x, 进行中 y, 逾期 z". */
enum plan_outcome { PO_DONE = 0, PO_PROGRESS = 1, PO_OVERDUE = 2 };
enum plan_metric {
	PM_MANUAL = 0, PM_WORKERS, PM_UNION_MEMBERS, PM_UNION_RATE,
	PM_HIGH_SKILLED, PM_HIGH_SKILL_RATIO, PM__MAX
};
/* What the caller may do with a plan, from weakest to strongest. */
enum plan_level { PA_NONE = 0, PA_OWNER = 1, PA_READ = 2, PA_MANAGE = 3 };

/* ---- pure rules (rules.c) ---- */

int plan_kind_parse(const char *s);              /* 0 when unknown */
const char *plan_kind_name(int kind);
/* 1 if a node of `kind` may hang under a node of parent_kind (0: at the
 * root). Only aspect → item → sub-item is allowed, so no cycle can form. */
int plan_parent_ok(int kind, int parent_kind);
int plan_metric_parse(const char *s);            /* -1 when unknown */
const char *plan_metric_name(int metric);
const char *plan_metric_zh(int metric);
const char *plan_status_name(int status);        /* green yellow red grey */
const char *plan_status_zh(int status);

/* 1 if deadline is a valid date inside year. */
int plan_deadline_in_year(const char *deadline, int year);

/* A JSON number as e4: finite, >= 0, at most max_e4; rounds to the nearest
 * ten-thousandth. 0 or ERR_INVALID. */
int plan_value_e4(double v, int64_t max_e4, int64_t *out);
/* The exact decimal text of an e4 value ("12.5", "3", "0.0001"). */
void plan_e4_text(int64_t v, char out[32]);
void plan_jw_e4(struct jw *w, int64_t v);

/* Completion of one task in 0..1: numbers actual/target capped at 1 (a
 * target of 0 counts as met); milestones 0 or 1. have_actual 0: nothing
 * reported (0). */
double plan_completion(int milestone, int64_t target_e4, int have_actual,
    int64_t actual_e4, int done);
/* Completion as the integer ten-thousandths that JSON shows. */
int64_t plan_completion_e4(double c);
/* The share of the time from January 1 of `year` to the deadline that has
 * passed by as_of, in 0..1 (1 when the deadline is January 1). */
double plan_expected(int year, const char *deadline, const char *as_of);
/* The light of one task as of a date (DOMAIN.md):
 *   done (completion 1)                 green
 *   past the deadline, not done         red
 *   due within due_soon_days and behind yellow  (behind: completion below
 *                                               the share of time passed)
 *   nothing reported yet (not started)  grey
 *   otherwise (on track)                green */
int plan_task_status(int year, const char *deadline, const char *as_of,
    int due_soon_days, double completion, int started);
int plan_outcome(int status, double completion);

/* Rolling children up into a parent: completion is the weighted mean of
 * the children's; the light is red if any child is red, else yellow if any
 * is yellow, else grey if all are grey (or there are none), else green. */
struct plan_roll {
	double wsum, wc;
	int n, red, yellow, grey;
	int outcome[3];          /* children by plan_outcome */
};
void plan_roll_init(struct plan_roll *r);
void plan_roll_add(struct plan_roll *r, double weight, double completion,
    int status);
double plan_roll_completion(const struct plan_roll *r);
int plan_roll_status(const struct plan_roll *r);

/* A computed metric's actual (e4) from registry statistics; rates are
 * fractions (0.8123), or percentages when percent is set (unit "%" or "％"). */
int64_t plan_metric_e4(int metric, const struct skill_stats *s, int percent);
/* "%", or the full-width "％" officials type as often: both make a
 * sub-item's figures percentages. */
int plan_unit_is_percent(const char *unit);

/* Chinese numerals for aspect numbers: 1 → "一", 12 → "十二". */
void plan_cn_number(int n, char *out, size_t n_out);

/* ---- the store (plans.c) ---- */

struct plan {
	int64_t id, org_id, parent_plan_id, created_by, created, updated, children;
	int year, due_soon_days;             /* 0: the setting */
	char title[PLAN_TITLE_BYTES];
	char org_name[PLAN_ORG_NAME_BYTES];
	char org_path[ORG_PATH_MAX];
	char org_kind[16];
};

struct plan_access {
	int level;                 /* enum plan_level */
	uint32_t owner_grants;     /* PA_OWNER: grants (bits) holding an owner */
};

/* Reads a plan with the caller's access to it: managers (admin/operator of
 * the plan's org subtree), readers (viewers there), owners (any business
 * grant whose subtree holds an owner of one of its sub-items). All checks
 * run in SQL over path ranges; ERR_NOTFOUND when the caller has none. */
int plans_get_access(struct db_conn *c, const struct principal *p, int64_t id,
    struct plan *pl, struct plan_access *a);
int plans_get(struct db_conn *c, int64_t id, struct plan *pl);
/* The completion (0..1) of the org's own plan of year as of a day, every
 * sub-item counted: *have 0 when the org has no plan that year. */
int plans_unit_completion(struct db_conn *c, int64_t org_id, int year, const char *as_of,
    double *completion, int *have, int64_t *plan_id);
/* Inside a write transaction, before re-reading the row an edit starts
 * from: PLAN_LOCK for a plan, PLAN_NODE_LOCK for a node (a row lock on
 * PostgreSQL; SQLite's one writer already orders edits). */
int plans_lock(struct db_conn *c, enum db_stmt_id stmt, int64_t id);
void plans_json(struct jw *w, const struct plan *pl, const struct plan_access *a);
/* The members of plans_json, for callers adding their own. */
void plans_json_fields(struct jw *w, const struct plan *pl,
    const struct plan_access *a);
/* Ids of every plan the caller sees (sorted, unique; free() them). year and
 * org filter when non-zero (org: the plan org's subtree, by its path). */
int plans_visible_ids(struct db_conn *c, const struct principal *p, int year,
    const char *org_path, int64_t **ids, size_t *n);
int plans_insert(struct db_conn *c, struct plan *pl);
/* ERR_INVALID (why) when a deadline would fall outside the new year. */
int plans_update(struct db_conn *c, const struct plan *pl, struct why *why);
/* ERR_CONFLICT (why) when the plan has reports, sealed statements or copies. */
int plans_delete(struct db_conn *c, int64_t id, struct why *why);
int plans_count_nodes(struct db_conn *c, int64_t id, int64_t counts[4]);
/* The due-soon window of a plan: its own, else the setting. */
int plans_due_soon(const struct plan *pl, int64_t setting);

struct plan_owner_ref {
	int64_t org_id;
	int lead;
	char name[PLAN_ORG_NAME_BYTES];
};

struct plan_node {
	int64_t id, plan_id, parent_id, seq, target_e4, weight_e4, lead_org_id;
	int64_t source_node_id, created, updated;
	int kind, milestone, has_target, metric;
	char title[PLAN_TITLE_BYTES];
	char deadline[11];
	char unit[PLAN_UNIT_BYTES];
	int nowners;
	struct plan_owner_ref owners[PLAN_MAX_OWNERS];   /* [0] is the lead */
};

/* A rule a node or row breaks is told with a struct why (base/err.h). */

int plans_node_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_node *n);
/* 0 if the caller sees the node: every aspect and item (the outline), and
 * a sub-item when the access is above PA_OWNER or one of its owners lies
 * in a grant of a->owner_grants. ERR_NOTFOUND otherwise. */
int plans_node_visible(struct db_conn *c, const struct principal *p,
    const struct plan_access *a, const struct plan_node *n);
/* The owner org the caller reports for: an owner inside one of its grants
 * with role admin, operator or department (the lead first); a department
 * owner only through a grant at that department itself. ERR_PERM when it
 * owns none of the node's owners. */
int plans_node_reporter_org(struct db_conn *c, const struct principal *p,
    int64_t node_id, int64_t *org_id);
/* Checks a node against its plan: parent kind, deadline in the year,
 * owners allowed (the plan org's subtree, or departments of an org above
 * it), target and metric rules. Fills owner names. ERR_INVALID with e set. */
int plans_node_check(struct db_conn *c, const struct plan *pl,
    struct plan_node *n, struct why *e);
/* Inserts n (seq < 1: after its last sibling) with its owners. */
int plans_node_insert(struct db_conn *c, struct plan_node *n);
int plans_node_update(struct db_conn *c, const struct plan_node *n);
/* Deletes a node with its descendants; ERR_CONFLICT (why) when any has
 * reports or was handed down to a child plan. */
int plans_node_delete(struct db_conn *c, int64_t id, struct why *why);
void plans_node_json(struct jw *w, const struct plan_node *n);

struct plan_report {
	int64_t id, plan_id, node_id, org_id, value_e4, reviewed_by, reviewed_at;
	int64_t created_by, created;
	int has_value, has_done, done;
	char note[PLAN_NOTE_BYTES];
	char as_of[11];
	char state[12];
	char reason[PLAN_REASON_BYTES];
	char reviewer[64];
	char reporter[64];
	char org_name[PLAN_ORG_NAME_BYTES];
	/* display names (the account's, "" once it is gone) */
	char reporter_name[PLAN_ORG_NAME_BYTES];
	char reviewer_name[PLAN_ORG_NAME_BYTES];
	int superseded;
};
int plans_report_insert(struct db_conn *c, struct plan_report *r);
int plans_report_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_report *r);
void plans_report_read_row(struct db_conn *c, struct plan_report *r);
/* Recomputes every sub-item's progress row from the reports (`changai
 * check`); appends differences to report, returns how many. */
int plans_check_progress(struct db_conn *c, struct buf *report);
/* Every sealed statement against its hash and the hash its sealing's
 * audit record holds: the differences (named in report), *count checked. */
int plans_check_seals(struct db_conn *c, struct buf *report, int64_t *count);
/* Accepts or returns a submitted report; ERR_CONFLICT (why) when it was
 * already reviewed. A return leaves an inbox entry for the reporter and
 * its org. */
int plans_report_review(struct db_conn *c, const struct plan_report *r,
    const char *state, const char *reason, int64_t user_id,
    const char *username, const char *node_title, struct why *why);

/* Accepts every one of ids (n of them) or none: the first that is not a
 * submitted report of the plan is named by its 1-based place in why.row. */
#define PLAN_BATCH_MAX 200
int plans_reports_accept(struct db_conn *c, int64_t plan_id, const int64_t *ids,
    size_t n, int64_t user_id, const char *username, struct why *why);

/* A progress report as its reporter gives it. */
struct plan_report_input {
	int has_value, has_done, done;
	double value;
	const char *as_of;          /* NULL: today */
	const char *note;           /* may be NULL */
};
/* The rules of reporting, then the insert (in the caller's transaction):
 * only on a manual sub-item, by one of its owners (ERR_PERM), a value for
 * a numeric target and done for a milestone, dated within the plan's year
 * and not after today (ERR_INVALID). rp receives the report as stored. */
int plans_report_submit(struct db_conn *c, const struct principal *p,
    const struct plan *pl, const struct plan_node *n,
    const struct plan_report_input *in, struct plan_report *rp, struct why *why);

/* Evidence (evidence.c). The type is read from the bytes, never trusted
 * from the name: PDF, JPEG, PNG, and the Office zip formats (.xlsx, .docx)
 * told apart by their part names. The name's extension must agree. */
const char *plan_evidence_type(const void *data, size_t len, const char *filename);
int plans_evidence_put(struct db_conn *c, const struct plan_report *r,
    const char *filename, const char *mime, const void *data, size_t len,
    int64_t user_id, int64_t *id);
struct plan_evidence {
	int64_t id, report_id, plan_id, node_id, size, created;
	char filename[256 * 4 + 1];
	char mime[96];
	char sha256[65];
};
int plans_evidence_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_evidence *e);
int plans_evidence_data(struct db_conn *c, int64_t id, struct buf *out);
void plans_evidence_json(struct jw *w, const struct plan_evidence *e);
/* Every evidence row of a plan, ordered by report (free() the array). */
int plans_evidence_of_plan(struct db_conn *c, int64_t plan_id,
    struct plan_evidence **out, size_t *n);

/* ---- the statement model (statement.c) ---- */

/* Which sub-items a reader sees: all, or those with an owner inside one of
 * the ranges (an owner-only reader); then only those with an owner inside
 * the owner filter (?owner=), when set. */
struct plan_view {
	int all;
	int nranges;
	char lo[PRINCIPAL_MAX_GRANTS][ORG_PATH_MAX];
	char hi[PRINCIPAL_MAX_GRANTS][ORG_PATH_MAX];
	int64_t owner_org;
	char owner_lo[ORG_PATH_MAX], owner_hi[ORG_PATH_MAX];
	char owner_name[PLAN_ORG_NAME_BYTES];
};
void plan_view_init(struct plan_view *v, const struct principal *p,
    const struct plan_access *a);

struct plan_mreport {
	int present;
	int64_t id, value_e4;
	int has_value, done;
	char as_of[11];
	char state[12];
	size_t note, reporter;     /* offsets in the pool */
};

struct plan_mnode {
	int64_t id, parent_id, source_node_id, lead_org_id, seq, target_e4, weight_e4;
	int kind, metric, milestone, has_target;
	int visible;
	char deadline[11];
	char no[24];
	size_t title, unit;        /* offsets in the pool */
	int parent;                /* index in nodes, -1 for aspects */
	int first_owner, nowners;  /* range in owners */
	/* progress */
	int reports, started, have_actual, done;
	int64_t actual_e4;
	char actual_as_of[11];
	/* what the actual rests on: a report "accepted" or still "submitted"
	 * (待审核), or the "registry" (a metric computed from the roster) */
	char actual_state[12];
	struct plan_mreport last;  /* the latest report, any state */
	double completion;
	int status;
	/* aspects and items: the visible sub-items under them */
	struct plan_roll roll;     /* over direct children */
	int subitems, items, outcome[3], grey;
};

struct plan_mowner {
	int64_t node_id, org_id;
	int lead, department;
	size_t name;
};

struct plan_model {
	struct plan plan;
	char as_of[11];
	int due_soon_days;
	int restricted;            /* not every sub-item is shown */
	struct plan_mnode *n;      /* tree order: aspect, its items, their sub-items */
	size_t nn;
	struct plan_mowner *o;
	size_t no;
	struct buf pool;           /* NUL-terminated strings */
	/* the plan as a whole */
	double completion;
	int status;
	struct plan_roll roll;
	int count[4], done[4], progress[4], overdue[4], grey[4];   /* by kind */
};

void plan_model_init(struct plan_model *m);
void plan_model_free(struct plan_model *m);
const char *plan_model_str(const struct plan_model *m, size_t off);
/* Adds a string to the pool; returns its offset (0 is ""). */
int plan_model_intern(struct plan_model *m, const char *s, size_t *off);
/* Loads nodes, owners, reports (as of m->as_of, which must be set) and
 * computed metrics, then computes. */
int plan_model_load(struct db_conn *c, const struct plan *pl, const char *as_of,
    int due_soon_days, const struct plan_view *v, struct plan_model *m);
/* Loads the nodes alone, numbered and in tree order: enough to name a
 * sub-item ("3.2" and its title) in a list. */
int plan_model_load_tree(struct db_conn *c, const struct plan *pl, struct plan_model *m);
/* The node with this id, or NULL. */
const struct plan_mnode *plan_model_find(const struct plan_model *m, int64_t id);
/* Pure: orders nothing, reads the per-node progress already set and fills
 * completion, status and the rollups. m->n must be in tree order. */
void plan_model_compute(struct plan_model *m);
/* Numbers every node ("一", "3", "3.2") from the tree order. */
void plan_model_number(struct plan_model *m);

/* Totals per owner: the lead answers for a sub-item (subitems, outcome,
 * roll); co_owned counts where it helps. In order of first appearance.
 * free() the array. */
struct plan_owner_total {
	int64_t org_id;
	size_t name;
	int subitems, co_owned, grey, outcome[3];
	struct plan_roll roll;
};
int plan_owner_totals(const struct plan_model *m, struct plan_owner_total **out,
    size_t *n);

/* Handed-down copies of a plan with their own progress. */
struct plan_child {
	struct plan plan;
	struct plan_model m;
};
int plan_children_load(struct db_conn *c, const struct plan_model *parent,
    struct plan_child **out, size_t *n);
void plan_children_free(struct plan_child *k, size_t n);

/* The tree: the plan with nested nodes, each with completion and light. */
void plan_tree_json(struct jw *w, const struct plan_model *m);
/* The statement. seal may be NULL; when set the document is the sealed
 * snapshot (its canonical form: fixed key order, no spaces, exact
 * decimals, so the same content always gives the same bytes). */
struct plan_seal {
	const char *title;
	const char *sealed_by;
	int64_t sealed_at;
};
void plan_statement_json(struct jw *w, const struct plan_model *m,
    const struct plan_child *kids, size_t nkids, int per_row_children,
    const struct plan_seal *seal);
/* Seals the statement of pl as of as_of (today or earlier: the caller
 * checks) inside the caller's transaction: the whole plan's model read
 * and its canonical JSON stored with its SHA-256 in one snapshot.
 * due_setting is the store's due-soon default. Fills *out (hash as hex). */
struct plan_sealed {
	int64_t id;
	int64_t sealed_at;
	int rows;
	size_t bytes;
	char hash[65];
};
int plans_seal(struct db_conn *c, const struct plan *pl, const char *as_of,
    const char *title, int64_t due_setting, int64_t user_id, const char *username,
    struct plan_sealed *out);
/* What moved between two sealed statements (their JSON texts). */
int plan_compare_json(struct jw *w, const char *from, const char *to);
/* The statement as .xlsx at path (statement_xlsx.c). */
int plan_statement_xlsx(const struct plan_model *m, const char *path,
    const char *exported_by);

/* Reminders and the inbox (inbox.c). A task as reminders see it. */
struct plan_task {
	int64_t node_id, plan_id, plan_org_id, lead_org_id, owner_org_id, target_e4;
	int milestone, metric, year, due_soon_days, lead_is_department, percent;
	char deadline[11];
	char title[PLAN_TITLE_BYTES];
	char plan_title[PLAN_TITLE_BYTES];
	char owner_name[PLAN_ORG_NAME_BYTES];
	/* computed */
	double completion;
	int started, status;
};
/* Completion and light of one task as of a date (its latest counting
 * report, or its metric from the registry). */
int plans_task_eval(struct db_conn *c, struct plan_task *t, const char *as_of);
/* The tasks owned inside [lo, hi) due by `until`, evaluated as of today
 * (sorted by deadline, each task once; free() them). */
int plans_owned_tasks(struct db_conn *c, const char *lo, const char *hi,
    const char *today, const char *until, int64_t due_setting,
    struct plan_task **out, size_t *n);
/* Tasks past their deadline and not done, once per owner that has no red
 * inbox entry for it yet (free() them). */
int plans_red_candidates(struct db_conn *c, const char *today,
    struct plan_task **out, size_t *n);
/* Leaves one inbox entry per task and owner (idempotent). */
int plans_red_record(struct db_conn *c, const struct plan_task *t, size_t n);
/* The sweep: every task red as of today gets its owners' inbox entries,
 * once (the inbox's dedupe key), so reading the inbox never writes. Run by
 * every server process at start and then periodically, and by `changai
 * sweep`; *recorded counts the entries written. */
int plans_red_sweep(struct db *db, const char *today, size_t *recorded);


/* The demo step (plans/demo.c): 江北区's implementation plan (4 aspects,
 * 17 items, 53 sub-items across its 8 departments) and 甬江街道's
 * reconciliation statement (4 areas, 17 items, 52 sub-items), each with a
 * year of progress reports. Needs the demo's orgs and accounts. */
struct demo_opts;
int plans_demo(struct db *db, const struct demo_opts *o);

/* The fact plans.report_accepted (base/fact.h): the scan of its source. */
struct fact;
struct fact_scan;
int plans_report_facts(struct db_conn *c, const struct fact_scan *s, struct fact *out,
    int *n, int64_t *settled);

#endif
