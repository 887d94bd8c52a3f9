/* The changai command line: serve, init, demo, user, backup, check, audit,
 * version. Each subcommand has --help. The store is --db or CHANGAI_DB: a
 * file path (SQLite, default ./data/changai.db) or a postgres:// URL. */
#include <errno.h>
#include <sodium.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "base/fact.h"
#include "base/metric.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/pii.h"
#include "base/util.h"
#include "db/db.h"
#include "demo/demo.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "modules.h"
#include "notices/notices.h"
#include "orgs/orgs.h"
#include "plans/plans.h"
#include "settings/settings.h"
#include "workers/import.h"
#include "workers/workers.h"
#include "xlsx/xlsx.h"

#define CHANGAI_VERSION "0.1.0"
#define DEFAULT_DB "./data/changai.db"

struct opts {
	const char *db;
	const char *listen;
	const char *web;
	const char *city;
	const char *name;
	const char *role;
	const char *credentials;
	const char *key;
	const char *audit_key;
	const char *anchors;
	const char *out;
	const char *before;
	const char *archive;
	int64_t workers;
	int64_t org;
	int64_t threads;
	int64_t sweep;          /* seconds between red-task sweeps; -1 unset */
	int help;
	int nargs;
	const char *args[8];
};

static const char usage_main[] =
	"usage: changai COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  serve          serve the API and the console\n"
	"  init           create or migrate the store; create the first admin\n"
	"  demo           init plus a small demo city with one account per role\n"
	"  user add|passwd|lock|unlock USERNAME   manage an account\n"
	"  import workers FILE --org ID   import a roster CSV (UTF-8 or GBK)\n"
	"  sweep          record inbox entries for tasks that turned red\n"
	"  xlsx FILE      print the first sheet of an .xlsx as imports read it\n"
	"  clock          print the business date and time business rules use\n"
	"  backup FILE    online, consistent copy of the store\n"
	"  check          integrity: schema, foreign keys, org paths, audit chain\n"
	"  audit verify   prove the audit trail's hash chain intact\n"
	"  version        print the version\n"
	"\n"
	"every command takes --db PATH|URL (or CHANGAI_DB; default " DEFAULT_DB "),\n"
	"--key FILE (or CHANGAI_KEY_FILE; the personal-data key, default beside a\n"
	"SQLite store as FILE.key, else ./data/changai.key) and --help.\n";

static const char usage_serve[] =
	"usage: changai serve [--db PATH|URL] [--listen HOST:PORT] [--web DIR] [--threads N]\n"
	"                     [--sweep-interval SECONDS]\n"
	"  --listen   address to listen on (CHANGAI_LISTEN; default 127.0.0.1:8080)\n"
	"  --web      the built console (default web/dist)\n"
	"  --threads  request threads (default 2)\n"
	"  --sweep-interval  seconds between sweeps that leave an inbox entry for\n"
	"             each task turned red and close 公示 notices whose window\n"
	"             ended (CHANGAI_SWEEP_SECONDS; default 300; one sweep also\n"
	"             runs at start; 0 turns sweeping off on this node)\n";
static const char usage_xlsx[] =
	"usage: changai xlsx FILE\n"
	"  Prints the first worksheet of an .xlsx file as imports read it, one\n"
	"  cell a line: REF, type (string number percent bool error) and text,\n"
	"  separated by tabs (tabs, line breaks and backslashes in text escaped as\n"
	"  \\t \\n \\\\). A percent is a number shown as a percentage: 0.3 shows 30%.\n";
static const char usage_clock[] =
	"usage: changai clock\n"
	"  Prints the business date and time every rule reads (China Standard\n"
	"  Time), and whether a test clock set them: 'today: YYYY-MM-DD',\n"
	"  'now: YYYY-MM-DDTHH:MM:SSZ', 'set: no' (or 'set: yes, N s from real\n"
	"  time' under CHANGAI_TEST_CLOCK=1 with CHANGAI_TODAY or CHANGAI_NOW).\n";
static const char usage_sweep[] =
	"usage: changai sweep [--db PATH|URL]\n"
	"  Once, what the server does periodically: every task past its deadline\n"
	"  and not done gets one inbox entry per owner (never twice), and every\n"
	"  公示 notice whose window ended before today and whose objections are\n"
	"  all answered closes, and export files older than export_file_hours\n"
	"  are deleted. Prints the entries recorded and notices closed.\n";
static const char usage_init[] =
	"usage: changai init [--db PATH|URL] [--city NAME]\n"
	"  Creates or migrates the store. On a new store, creates the root\n"
	"  organisation (--city, default 市总工会) and the first admin, and prints\n"
	"  'username: …' and 'password: …' (a one-time password to change at first\n"
	"  login). Create the security admin and auditor with `changai user add`.\n";
static const char usage_demo[] =
	"usage: changai demo [--db PATH|URL] [--credentials FILE] [--workers N]\n"
	"  Initialises a new store with a demo city and one account per role;\n"
	"  writes their passwords to FILE (mode 0600) and stdout. --workers N adds\n"
	"  the city at scale (10 districts, ~150 streets and parks, 6,300\n"
	"  enterprises) and N workers (up to 3,500,000; deterministic).\n";
static const char usage_user[] =
	"usage: changai user add USERNAME --name NAME --org ID [--role ROLE]\n"
	"       changai user passwd USERNAME     reset to a one-time password\n"
	"       changai user lock USERNAME       disable and end all sessions\n"
	"       changai user unlock USERNAME     re-enable and clear a lockout\n"
	"  roles: admin operator viewer department expert security_admin auditor\n";
static const char usage_import[] =
	"usage: changai import workers FILE --org ID [--db PATH|URL]\n"
	"  Imports a roster CSV as Excel or WPS saves it (UTF-8 with or without BOM,\n"
	"  or GBK) into the subtree of org ID, as the server's import does; prints\n"
	"  the counts. Re-running the same file changes nothing.\n";
static const char usage_backup[] =
	"usage: changai backup FILE [--db PATH|URL]\n"
	"  SQLite: an online, consistent copy (the backup API) while the server runs.\n"
	"  PostgreSQL: runs pg_dump -Fc (or prints the command when it is missing).\n";
static const char usage_check[] =
	"usage: changai check [--db PATH|URL]\n"
	"  Checks the schema version, the engine (integrity, foreign keys), every\n"
	"  organisation path against its parent, the worker rollups against the\n"
	"  rows, plan progress against the reports, and the audit chain. Exit 1 on\n"
	"  any difference.\n";
static const char usage_audit[] =
	"usage: changai audit verify [--db PATH|URL] [--audit-key FILE] [--anchors FILE]\n"
	"       changai audit anchor [--db PATH|URL] [--audit-key FILE] [--anchors FILE]\n"
	"       changai audit archive --out FILE [--before YYYY-MM-DD] [--db PATH|URL]\n"
	"                     [--audit-key FILE]\n"
	"       changai audit verify --archive FILE [--db PATH|URL] [--audit-key FILE]\n"
	"  verify prints 'intact, N rows' or names the first broken row (exit 1):\n"
	"  every row's MAC under the audit key, the head, an archive record for a\n"
	"  trail that starts after row 1, and each anchor of the anchors file.\n"
	"  anchor appends the head's anchor line to the anchors file (the server\n"
	"  does so every minute while the trail grows); ship the file elsewhere.\n"
	"  archive moves the rows older than the retention setting\n"
	"  (audit_retention_days, at least 180), or than --before if that is older\n"
	"  still, to a new file FILE, and keeps an archive record in the store; the\n"
	"  trail must verify first. verify --archive proves a file is the rows the\n"
	"  store's record names (every hash and MAC recomputed). Keep the files.\n"
	"  --audit-key  the audit key (CHANGAI_AUDIT_KEY_FILE; default beside the\n"
	"               personal-data key as NAME.audit.key: keep it elsewhere)\n"
	"  --anchors    the anchors file (CHANGAI_AUDIT_ANCHORS; default\n"
	"               NAME.audit-anchors beside the audit key)\n";

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->db = getenv("CHANGAI_DB");
	o->listen = getenv("CHANGAI_LISTEN");
	o->key = getenv("CHANGAI_KEY_FILE");
	o->audit_key = getenv("CHANGAI_AUDIT_KEY_FILE");
	o->anchors = getenv("CHANGAI_AUDIT_ANCHORS");
	o->sweep = -1;
	if (getenv("CHANGAI_SWEEP_SECONDS") &&
	    parse_int64(getenv("CHANGAI_SWEEP_SECONDS"), 0, 1LL << 31, &o->sweep)) {
		fprintf(stderr, "changai: CHANGAI_SWEEP_SECONDS needs a number of seconds\n");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		int64_t *num = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = 1;
			continue;
		}
		if (!strcmp(a, "--db")) dst = &o->db;
		else if (!strcmp(a, "--listen")) dst = &o->listen;
		else if (!strcmp(a, "--web")) dst = &o->web;
		else if (!strcmp(a, "--city")) dst = &o->city;
		else if (!strcmp(a, "--name")) dst = &o->name;
		else if (!strcmp(a, "--role")) dst = &o->role;
		else if (!strcmp(a, "--credentials")) dst = &o->credentials;
		else if (!strcmp(a, "--key")) dst = &o->key;
		else if (!strcmp(a, "--audit-key")) dst = &o->audit_key;
		else if (!strcmp(a, "--anchors")) dst = &o->anchors;
		else if (!strcmp(a, "--out")) dst = &o->out;
		else if (!strcmp(a, "--before")) dst = &o->before;
		else if (!strcmp(a, "--archive")) dst = &o->archive;
		else if (!strcmp(a, "--workers")) num = &o->workers;
		else if (!strcmp(a, "--org")) num = &o->org;
		else if (!strcmp(a, "--threads")) num = &o->threads;
		else if (!strcmp(a, "--sweep-interval")) num = &o->sweep;
		else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "changai: unknown option %s\n", a);
			return -1;
		} else {
			if (o->nargs >= (int)ARRAY_LEN(o->args))
				return -1;
			o->args[o->nargs++] = a;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "changai: %s needs a value\n", a);
			return -1;
		}
		if (dst) {
			*dst = argv[++i];
		} else if (num == &o->sweep) {
			/* 0 is meaningful here: no sweeping on this node */
			if (parse_int64(argv[++i], 0, 1LL << 31, num)) {
				fprintf(stderr, "changai: %s needs a number of seconds\n", a);
				return -1;
			}
		} else if (parse_int64(argv[++i], 1, 1LL << 53, num)) {
			fprintf(stderr, "changai: %s needs a positive number\n", a);
			return -1;
		}
	}
	if (!o->db || !*o->db)
		o->db = DEFAULT_DB;
	return 0;
}

static int
is_pg(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

/* Creates the folder of a SQLite file if it is missing (./data). */
static void
ensure_parent_dir(const char *path)
{
	char dir[1024];
	char *slash;

	if (is_pg(path) || str_copy(dir, sizeof(dir), path))
		return;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		fprintf(stderr, "changai: cannot create %s: %s\n", dir, strerror(errno));
}

/* Where the audit key and the anchors are: the options, else beside the
 * personal-data key (NAME.key → NAME.audit.key, NAME.audit-anchors). */
static void
audit_paths(const struct opts *o, char *key, size_t kn, char *anchors, size_t an)
{
	char base[1024];
	size_t n;

	if (o->key)
		str_copy(base, sizeof(base), o->key);
	else
		pii_key_default_path(o->db, base, sizeof(base));
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".key"))
		base[n - 4] = '\0';
	if (o->audit_key)
		str_copy(key, kn, o->audit_key);
	else
		snprintf(key, kn, "%s.audit.key", base);
	if (o->anchors)
		str_copy(anchors, an, o->anchors);
	else
		snprintf(anchors, an, "%s.audit-anchors", base);
}

/* The audit key: read, or made for a trail that has no keyed row yet (a
 * new store, or one from before the key), keyed from the next row. A
 * trail with keyed rows and no key is an error to fix from the backups. */
static int
load_audit_key(const struct opts *o, struct db *db)
{
	char path[1024], anchors[1024];
	struct db_conn *c;
	int64_t head = 0;
	int rc, any = 0;

	audit_paths(o, path, sizeof(path), anchors, sizeof(anchors));
	rc = audit_key_load(path, 0, 0);
	if (rc == ERR_NOTFOUND) {
		if ((rc = db_acquire(db, DB_READ, &c)))
			return rc;
		rc = audit_keyed_rows(c, &any);
		if (!rc)
			rc = audit_head_seq(c, &head);
		db_release(c);
		if (rc)
			return rc;
		if (any) {
			fprintf(stderr, "changai: the audit key %s is missing; the trail is "
			    "keyed: restore the key from your backups (or name it with "
			    "--audit-key)\n", path);
			return ERR_NOTFOUND;
		}
		rc = audit_key_load(path, head + 1, 1);
		if (!rc)
			log_info("audit: created the audit key %s (rows from %lld on are "
			    "keyed); keep it outside the store's backups", path,
			    (long long)(head + 1));
	}
	if (rc == ERR_INVALID)
		fprintf(stderr, "changai: the audit key file %s is malformed or readable "
		    "by others (chmod 600)\n", path);
	else if (rc)
		fprintf(stderr, "changai: cannot read or create the audit key %s\n", path);
	return rc;
}

static int
open_store(const struct opts *o, int readers, struct db **db)
{
	int from = 0, to = 0, rc;

	ensure_parent_dir(o->db);
	rc = db_open(o->db, readers, db);
	if (rc) {
		fprintf(stderr, "changai: cannot open the store %s\n",
		    is_pg(o->db) ? "(postgres URL)" : o->db);
		return rc;
	}
	rc = db_migrate(*db, &from, &to);
	if (rc) {
		fprintf(stderr, "changai: migrating the store failed\n");
		db_close(*db);
		*db = NULL;
		return rc;
	}
	if (from != to)
		log_info("store migrated from schema %d to %d", from, to);
	rc = load_audit_key(o, *db);
	if (rc) {
		db_close(*db);
		*db = NULL;
		return rc;
	}
	return 0;
}

/* The personal-data key. Only commands that create a store create it: a
 * missing key for an existing store means encrypted data would become
 * unreadable, so it is an error to be fixed from the backups. */
static int
load_key(const struct opts *o, int create, struct pii_key *k)
{
	char path[1024];
	int rc;

	if (o->key)
		str_copy(path, sizeof(path), o->key);
	else
		pii_key_default_path(o->db, path, sizeof(path));
	rc = pii_key_load(path, create, k);
	if (rc == ERR_NOTFOUND)
		fprintf(stderr, "changai: the personal-data key %s is missing; restore it "
		    "from your backups (a new store gets one from changai init)\n", path);
	else if (rc == ERR_INVALID)
		fprintf(stderr, "changai: the key file %s is malformed or readable by "
		    "others (chmod 600)\n", path);
	else if (rc)
		fprintf(stderr, "changai: cannot read or create the key file %s\n", path);
	return rc;
}

/* The server's RF_SPOOL bodies go to the store's uploads. */
struct spool_ctx {
	struct db *db;
	const struct pii_key *key;
};

static int
spool_begin(void *ctx, int64_t actor_id, void **writer)
{
	struct spool_ctx *s = ctx;
	struct upload_writer *w = NULL;
	int rc = upload_begin(s->db, s->key, actor_id, &w);

	*writer = w;
	return rc;
}

static int
spool_write(void *writer, const char *data, size_t len)
{
	return upload_write(writer, data, len);
}

static int
spool_end(void *writer, int64_t *id, int64_t *bytes)
{
	return upload_end(writer, id, bytes);
}

static void
spool_abort(void *writer)
{
	upload_abort(writer);
}

static void
spool_release(void *ctx, int64_t id)
{
	struct spool_ctx *s = ctx;

	if (upload_release(s->db, id))
		log_warn("upload %lld: left for the sweep", (long long)id);
}

static int
user_count(struct db *db, int64_t *n)
{
	struct db_conn *c;
	int rc;

	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		return rc;
	rc = accounts_user_count(c, n);
	db_release(c);
	return rc;
}

/* The root org and the first admin, on a store with no users. */
static int
first_admin(struct db *db, const char *city, char otp[16])
{
	struct db_conn *c;
	struct org root;
	int64_t uid;
	int rc;

	memset(&root, 0, sizeof(root));
	str_copy(root.kind, sizeof(root.kind), "city");
	str_copy(root.name, sizeof(root.name), city ? city : "市总工会");
	root.has_union = 1;
	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = db_begin(c);
	if (!rc) {
		rc = orgs_insert(c, &root);
		if (!rc)
			rc = db_commit(c);
		else
			db_rollback(c);
	}
	db_release(c);
	if (rc)
		return rc;
	return accounts_cli_add(db, "admin", "系统管理员", root.id, "admin", otp, &uid);
}

static int
cmd_init(struct opts *o)
{
	struct db *db;
	char otp[16];
	int64_t n = 0;
	int rc;

	if (o->help) {
		fputs(usage_init, stdout);
		return 0;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	{
		struct pii_key k;
		if (load_key(o, 1, &k)) {
			db_close(db);
			return 1;
		}
		sodium_memzero(&k, sizeof(k));
	}
	rc = user_count(db, &n);
	if (!rc && n == 0) {
		rc = first_admin(db, o->city, otp);
		if (!rc) {
			printf("store initialised at schema %d\n", db_latest_version(db));
			printf("username: admin\npassword: %s\n", otp);
			printf("this password works once: change it at first login\n");
		}
	} else if (!rc) {
		printf("store already initialised (schema %d, %lld users)\n",
		    db_latest_version(db), (long long)n);
	}
	if (rc)
		fprintf(stderr, "changai init: %s\n", err_name(rc));
	db_close(db);
	return rc ? 1 : 0;
}

static int
cmd_demo(struct opts *o)
{
	struct db *db;
	FILE *creds = NULL;
	char otp[16];
	int64_t n = 0;
	int rc;

	if (o->help) {
		fputs(usage_demo, stdout);
		return 0;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	rc = user_count(db, &n);
	if (!rc && n > 0) {
		fprintf(stderr, "changai demo: the store already has accounts; "
		    "use a new store\n");
		db_close(db);
		return 1;
	}
	struct pii_key key;
	if (load_key(o, 1, &key)) {
		db_close(db);
		return 1;
	}
	if (!rc && o->credentials) {
		mode_t old = umask(077);
		creds = fopen(o->credentials, "w");
		umask(old);
		if (!creds) {
			fprintf(stderr, "changai demo: cannot write %s\n", o->credentials);
			rc = ERR_IO;
		}
	}
	if (!rc)
		rc = first_admin(db, o->city ? o->city : "宁波市", otp);
	if (!rc)
		rc = demo_create(db, creds ? creds : stdout);
	/* the city's roster first: a module's demo step (the evaluation
	 * index's scores) reads the workers */
	struct demo_opts dopts = {&key, o->workers};
	if (!rc && o->workers)
		rc = demo_city(db, &key, o->workers);
	if (!rc)
		rc = modules_demo(db, &dopts);
	sodium_memzero(&key, sizeof(key));
	if (creds && fclose(creds) && !rc)
		rc = ERR_IO;
	if (rc)
		fprintf(stderr, "changai demo: %s\n", err_name(rc));
	else
		printf("demo city created\n");
	db_close(db);
	return rc ? 1 : 0;
}

/* What the registry gives the server and the runner; they outlive both. */
struct registry {
	const struct route **routes;
	struct job_kind *kinds;
	struct job_tick *ticks;
	int nticks;
};

static int
serve(struct opts *o, const struct registry *reg)
{
	struct server_config cfg;
	struct server srv;
	struct job_runner runner;
	struct spool_ctx spool_ctx;
	const struct body_spool spool = {&spool_ctx, spool_begin, spool_write,
	    spool_end, spool_abort, spool_release};
	struct pii_key key;
	struct db *db;
	sigset_t set;
	int sig, rc;

	if (o->help) {
		fputs(usage_serve, stdout);
		return 0;
	}
	server_config_defaults(&cfg);
	if (o->listen)
		cfg.listen = o->listen;
	if (o->web)
		cfg.web_dir = o->web;
	if (o->threads)
		cfg.threads = (unsigned)o->threads;
	/* the store pool: a connection per request thread plus spares for
	 * the writer hand-offs inside a request */
	if ((rc = open_store(o, (int)cfg.threads + 2, &db)))
		return 1;
	if (load_key(o, 0, &key)) {
		db_close(db);
		return 1;
	}
	{
		/* the anchors leave with the operator's log shipping; a key
		 * beside the store travels with every copy of it */
		char kp[1024], ap[1024], sd[1024];
		const char *slash;

		audit_paths(o, kp, sizeof(kp), ap, sizeof(ap));
		audit_anchors_path_set(ap);
		str_copy(sd, sizeof(sd), o->db);
		slash = strrchr(sd, '/');
		if (!is_pg(o->db) && !o->audit_key &&
		    (!slash || !strncmp(kp, sd, (size_t)(slash - sd + 1))))
			log_warn("audit: the audit key %s sits beside the store: keep it "
			    "elsewhere (--audit-key, CHANGAI_AUDIT_KEY_FILE)", kp);
	}
	cfg.pii = &key;
	cfg.jobs = &runner;
	spool_ctx.db = db;
	spool_ctx.key = &key;
	cfg.spool = &spool;
	{
		const char *sc = getenv("CHANGAI_SECURE_COOKIE");

		if (sc && *sc)
			cfg.secure_cookie = *sc == '1';
	}
	{
		int64_t v;
		const char *e = getenv("CHANGAI_MAX_PER_ADDRESS");

		if (e && *e && !parse_int64(e, 1, 100000, &v))
			cfg.max_per_address = (unsigned)v;
		e = getenv("CHANGAI_HEADER_SECONDS");
		if (e && *e && !parse_int64(e, 1, 3600, &v))
			cfg.header_seconds = v;
	}
	cfg.metrics_token = getenv("CHANGAI_METRICS_TOKEN");
	if (cfg.metrics_token && strlen(cfg.metrics_token) < 16) {
		fprintf(stderr, "changai serve: CHANGAI_METRICS_TOKEN needs at least 16 characters\n");
		db_close(db);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	cfg.routes = reg->routes;
	rc = job_runner_start(&runner, db, &key, reg->kinds, reg->ticks, reg->nticks);
	if (rc) {
		db_close(db);
		return 1;
	}
	rc = server_start(&srv, db, &cfg);
	if (rc) {
		job_runner_stop(&runner);
		db_close(db);
		return 1;
	}
	if (clock_is_set()) {
		char today[11];

		clock_today(today);
		log_info("test clock: business date %s (%+lld s from real time); "
		    "CHANGAI_TEST_CLOCK is for tests only", today,
		    (long long)clock_offset());
	}
	log_info("changai %s listening on http://%s (port %u)", CHANGAI_VERSION,
	    cfg.listen, (unsigned)srv.port);
	fflush(stderr);
	sigwait(&set, &sig);
	log_info("stopping on signal %d", sig);
	server_stop(&srv);
	job_runner_stop(&runner);
	db_close(db);
	sodium_memzero(&key, sizeof(key));
	return 0;
}

static int
cmd_serve(struct opts *o)
{
	struct registry reg = {0};
	int rc = 1;

	if (o->help) {
		fputs(usage_serve, stdout);
		return 0;
	}
	if (modules_route_tables(&reg.routes) || modules_job_kinds(&reg.kinds) ||
	    modules_ticks(o->sweep >= 0 ? o->sweep : 300, &reg.ticks, &reg.nticks))
		fprintf(stderr, "changai serve: out of memory\n");
	else
		rc = serve(o, &reg);
	free(reg.routes);
	free(reg.kinds);
	free(reg.ticks);
	return rc;
}

static int
cmd_user(struct opts *o)
{
	struct db *db;
	const char *verb = o->nargs > 0 ? o->args[0] : NULL;
	const char *name = o->nargs > 1 ? o->args[1] : NULL;
	char otp[16];
	int64_t uid;
	int rc;

	if (o->help || !verb || !name) {
		fputs(usage_user, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	if (!strcmp(verb, "add") && (!o->name || !o->org)) {
		fputs(usage_user, stderr);
		return 2;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	if (!strcmp(verb, "add")) {
		rc = accounts_cli_add(db, name, o->name, o->org, o->role, otp, &uid);
		if (!rc)
			printf("username: %s\npassword: %s\n", name, otp);
	} else if (!strcmp(verb, "passwd")) {
		rc = accounts_cli_passwd(db, name, otp);
		if (!rc)
			printf("username: %s\npassword: %s\n", name, otp);
	} else if (!strcmp(verb, "lock") || !strcmp(verb, "unlock")) {
		rc = accounts_cli_lock(db, name, !strcmp(verb, "lock"));
		if (!rc)
			printf("%s %sed\n", name, verb);
	} else {
		fputs(usage_user, stderr);
		db_close(db);
		return 2;
	}
	if (rc == ERR_NOTFOUND)
		fprintf(stderr, "changai user: no such user or organisation\n");
	else if (rc == ERR_CONFLICT)
		fprintf(stderr, "changai user: the username is taken\n");
	else if (rc == ERR_INVALID)
		fprintf(stderr, "changai user: invalid username or role\n");
	else if (rc)
		fprintf(stderr, "changai user: %s\n", err_name(rc));
	db_close(db);
	return rc ? 1 : 0;
}

static int
cmd_import(struct opts *o)
{
	struct db *db;
	struct db_conn *c;
	struct pii_key key;
	struct job j;
	struct upload_writer *w;
	char params[64];
	int64_t id = 0, upload = 0, bytes = 0;
	FILE *f;
	int rc;

	if (o->help || o->nargs != 2 || strcmp(o->args[0], "workers") || !o->org) {
		fputs(usage_import, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	f = fopen(o->args[1], "rb");
	if (!f) {
		fprintf(stderr, "changai import: cannot open %s\n", o->args[1]);
		return 1;
	}
	if ((rc = open_store(o, 1, &db))) {
		fclose(f);
		return 1;
	}
	if (load_key(o, 0, &key)) {
		db_close(db);
		fclose(f);
		return 1;
	}
	/* the file goes to the store as it is read, as an upload does */
	if (!(rc = upload_begin(db, &key, 0, &w))) {
		char chunk[65536];
		size_t n;

		while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			rc = upload_write(w, chunk, n);
		sodium_memzero(chunk, sizeof(chunk));
		if (!rc && ferror(f))
			rc = ERR_IO;
		if (rc)
			upload_abort(w);
		else
			rc = upload_end(w, &upload, &bytes);
	}
	fclose(f);
	snprintf(params, sizeof(params), "{\"bytes\":%lld}", (long long)bytes);
	if (!rc)
		rc = db_acquire(db, DB_WRITE, &c);
	if (!rc) {
		char path[ORG_PATH_MAX];

		rc = orgs_path_of(c, o->org, path, sizeof(path));
		if (!rc && !(rc = db_begin(c))) {
			if ((rc = jobs_create(c, "import_workers", o->org, path, 0, "cli",
			    params, 0, &id)) ||
			    (rc = upload_adopt(c, upload, id)) || (rc = db_commit(c)))
				db_rollback(c);
		}
		db_release(c);
	}
	if (upload && upload_release(db, upload))
		log_warn("import: upload %lld left for the sweep", (long long)upload);
	if (rc == ERR_NOTFOUND)
		fprintf(stderr, "changai import: no organisation %lld\n", (long long)o->org);
	if (!rc) {
		struct job_kind *kinds = NULL;

		if (!(rc = modules_job_kinds(&kinds)))
			rc = job_run_now(db, &key, kinds, id);
		free(kinds);
	}
	if (!db_acquire(db, DB_READ, &c)) {
		if (!jobs_get(c, id, &j)) {
			printf("job %lld: %s, %lld rows: %lld inserted, %lld updated, "
			    "%lld rejected\n", (long long)j.id, j.state, (long long)j.total,
			    (long long)j.inserted, (long long)j.updated,
			    (long long)j.rejected);
			if (j.error[0])
				printf("error: %s\n", j.error);
			if (strcmp(j.state, "done"))
				rc = rc ? rc : ERR_INVALID;
		}
		db_release(c);
	}
	sodium_memzero(&key, sizeof(key));
	db_close(db);
	return rc ? 1 : 0;
}

static int
cmd_backup(struct opts *o)
{
	struct db *db;
	struct buf msg;
	int rc;

	if (o->help || o->nargs != 1) {
		fputs(usage_backup, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	buf_init(&msg, 4096);
	rc = db_backup(db, o->args[0], &msg);
	if (msg.len)
		fprintf(rc ? stderr : stdout, "%s\n", msg.data);
	if (!rc)
		printf("backup written to %s\n", o->args[0]);
	else
		fprintf(stderr, "changai backup: %s\n", err_name(rc));
	buf_free(&msg);
	db_close(db);
	return rc ? 1 : 0;
}

static int
cmd_sweep(struct opts *o)
{
	struct db *db;
	int rc;

	if (o->help) {
		fputs(usage_sweep, stdout);
		return 0;
	}
	if (open_store(o, 1, &db))
		return 1;
	rc = modules_sweep(db, stdout);
	db_close(db);
	if (rc) {
		fprintf(stderr, "changai sweep: %s\n", err_name(rc));
		return 1;
	}
	return 0;
}

static int
cmd_clock(struct opts *o)
{
	char today[11], now[21];

	if (o->help) {
		fputs(usage_clock, stdout);
		return 0;
	}
	clock_today(today);
	time_iso(clock_now(), now, sizeof(now));
	printf("today: %s\nnow: %s\n", today, now);
	if (clock_is_set())
		printf("set: yes, %+lld s from real time\n", (long long)clock_offset());
	else
		printf("set: no\n");
	return 0;
}

/* Prints the first sheet of an .xlsx as the import reads it, one cell a
 * line: "B7<TAB>number<TAB>12.5"; tabs and line breaks in text escaped. */
static int
cmd_xlsx(struct opts *o)
{
	static const char *const types[] = {"string", "number", "bool", "error"};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;
	struct buf file;
	FILE *f;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (o->help || o->nargs != 1) {
		fputs(usage_xlsx, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	f = fopen(o->args[0], "rb");
	if (!f) {
		fprintf(stderr, "changai xlsx: cannot open %s\n", o->args[0]);
		return 1;
	}
	buf_init(&file, 64u << 20);
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(&file, chunk, n);
	if (!rc && ferror(f))
		rc = ERR_IO;
	fclose(f);
	if (!rc && (rc = xlsx_read(file.data ? file.data : "", file.len, NULL, &s, &e)))
		fprintf(stderr, "changai xlsx: %s\n", e.en ? e.en : err_name(rc));
	else if (rc)
		fprintf(stderr, "changai xlsx: %s\n", err_name(rc));
	buf_free(&file);
	if (rc)
		return 1;
	printf("sheet\t%s\n", s->name);
	for (long i = 0; i < s->nrows; i++) {
		for (int k = 0; k < s->rows[i].ncells; k++) {
			const struct xlsx_cell *c = &s->rows[i].cells[k];
			char col[4];

			xlsx_col_name(c->col, col);
			printf("%s%ld\t%s\t", col, s->rows[i].number,
			    c->type == XT_NUMBER && c->percent ? "percent" : types[c->type]);
			for (const char *p = c->text; *p; p++) {
				if (*p == '\t')
					fputs("\\t", stdout);
				else if (*p == '\n')
					fputs("\\n", stdout);
				else if (*p == '\r')
					fputs("\\r", stdout);
				else if (*p == '\\')
					fputs("\\\\", stdout);
				else
					putchar(*p);
			}
			putchar('\n');
		}
	}
	xlsx_free(s);
	return 0;
}

static int
cmd_check(struct opts *o)
{
	struct db *db;
	struct db_conn *c = NULL;
	struct buf report, why;
	int64_t rows = 0, broken = 0;
	int rc, problems = 0, version = 0, n;

	if (o->help) {
		fputs(usage_check, stdout);
		return 0;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	buf_init(&report, 1u << 20);
	buf_init(&why, 4096);
	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		goto out;
	rc = db_schema_version(c, &version);
	if (rc)
		goto out;
	if (version != db_latest_version(db)) {
		printf("schema: version %d, expected %d\n", version, db_latest_version(db));
		problems++;
	} else {
		printf("schema: version %d ok\n", version);
	}
	n = db_engine_check(c, &report);
	if (n < 0) {
		rc = n;
		goto out;
	}
	printf("engine: %s\n", n ? "problems found" : "integrity and foreign keys ok");
	problems += n;
	n = modules_check(c, &report, stdout);
	if (n < 0) {
		rc = n;
		goto out;
	}
	problems += n;
	rc = audit_verify(c, NULL, 0, &rows, &broken, &why);
	if (rc == ERR_INVALID) {
		printf("audit: broken at row %lld: %s\n", (long long)broken, why.data);
		problems++;
		rc = 0;
	} else if (!rc) {
		printf("audit: intact, %lld rows\n", (long long)rows);
	}
	if (report.len)
		fputs(report.data, stdout);
	printf("%s\n", problems ? "check: differences found" : "check: ok");
out:
	if (c)
		db_release(c);
	if (rc)
		fprintf(stderr, "changai check: %s\n", err_name(rc));
	buf_free(&report);
	buf_free(&why);
	db_close(db);
	return rc || problems ? 1 : 0;
}

/* The retention setting, and --before as an epoch second (0 if not given);
 * the audit module judges them. */
static int
archive_limits(const struct opts *o, struct db *db, int64_t *days, int64_t *before)
{
	int64_t values[SET__MAX], d;
	struct db_conn *c;
	int rc;

	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	rc = settings_load(c, values);
	db_release(c);
	if (rc)
		return rc;
	*days = values[SET_AUDIT_RETENTION_DAYS];
	*before = 0;
	if (!o->before)
		return 0;
	if ((d = date_days(o->before)) == INT64_MIN) {
		fprintf(stderr, "changai audit archive: --before needs a date YYYY-MM-DD\n");
		return ERR_INVALID;
	}
	/* midnight of that day in China */
	*before = d * 86400 - CLOCK_ZONE_SECONDS;
	return 0;
}

static int
audit_archive_cmd(const struct opts *o, struct db *db)
{
	struct audit_entry who = {.actor = "cli", .ip = "-"};
	struct audit_archive_info info;
	struct buf why;
	int64_t days, before;
	int rc;

	if (archive_limits(o, db, &days, &before))
		return 1;
	buf_init(&why, 4096);
	rc = audit_archive(db, days, before, o->out, &who, &info, &why);
	if (!rc)
		printf("archived rows %lld to %lld (%lld rows) to %s, sha256 %s\n",
		    (long long)info.from_seq, (long long)info.upto_seq, (long long)info.rows,
		    o->out, info.file_sha256);
	else if (rc == ERR_NOTFOUND)
		printf("nothing to archive: no row is older than the retention\n");
	else if (rc == ERR_CONFLICT)
		fprintf(stderr, "changai audit archive: %s exists; archives are never "
		    "overwritten\n", o->out);
	else
		fprintf(stderr, "changai audit archive: %s%s%s\n", err_name(rc),
		    why.len ? ": " : "", why.len ? why.data : "");
	buf_free(&why);
	return rc && rc != ERR_NOTFOUND ? 1 : 0;
}

static int
audit_archive_verify_cmd(const struct opts *o, struct db *db)
{
	struct audit_archive_info info;
	struct db_conn *c;
	struct buf why;
	int rc;

	buf_init(&why, 4096);
	rc = db_acquire(db, DB_READ, &c);
	if (!rc) {
		rc = audit_archive_check(c, o->archive, &info, &why);
		db_release(c);
	}
	if (!rc)
		printf("archive intact: rows %lld to %lld (%lld rows), as the store's "
		    "record names\n", (long long)info.from_seq, (long long)info.upto_seq,
		    (long long)info.rows);
	else if (rc == ERR_INVALID)
		printf("archive broken: %s\n", why.data);
	else
		fprintf(stderr, "changai audit verify: cannot read %s (%s)\n", o->archive,
		    err_name(rc));
	buf_free(&why);
	return rc ? 1 : 0;
}

static int
cmd_audit(struct opts *o)
{
	struct db *db;
	struct db_conn *c;
	struct buf why;
	int64_t rows = 0, broken = 0;
	int rc;

	char keypath[1024], anchors[1024];
	struct audit_anchor *an = NULL;
	size_t nan = 0, bad = 0;

	if (o->help || o->nargs != 1 || (strcmp(o->args[0], "verify") &&
	    strcmp(o->args[0], "anchor") && strcmp(o->args[0], "archive")) ||
	    (!strcmp(o->args[0], "archive") && !o->out)) {
		fputs(usage_audit, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	if ((rc = open_store(o, 1, &db)))
		return 1;
	if (!strcmp(o->args[0], "archive")) {
		rc = audit_archive_cmd(o, db);
		db_close(db);
		return rc;
	}
	if (o->archive) {
		rc = audit_archive_verify_cmd(o, db);
		db_close(db);
		return rc;
	}
	audit_paths(o, keypath, sizeof(keypath), anchors, sizeof(anchors));
	if (!strcmp(o->args[0], "anchor")) {
		int64_t seq = 0;

		rc = db_acquire(db, DB_READ, &c);
		if (!rc) {
			rc = audit_anchor_write(c, anchors, &seq);
			db_release(c);
		}
		if (!rc)
			printf("anchor: row %lld written to %s\n", (long long)seq, anchors);
		else
			fprintf(stderr, "changai audit anchor: %s (%s)\n", err_name(rc), anchors);
		db_close(db);
		return rc ? 1 : 0;
	}
	buf_init(&why, 4096);
	rc = audit_anchors_read(anchors, &an, &nan, &bad);
	if (rc == ERR_NOTFOUND && !o->anchors) {
		rc = 0;        /* no anchors written yet where the default says */
	} else if (rc == ERR_INVALID) {
		printf("broken: line %zu of the anchors file %s is not an anchor made with "
		    "this audit key\n", bad, anchors);
		buf_free(&why);
		db_close(db);
		return 1;
	} else if (rc) {
		fprintf(stderr, "changai audit: cannot read the anchors file %s\n", anchors);
		buf_free(&why);
		db_close(db);
		return 1;
	}
	rc = db_acquire(db, DB_READ, &c);
	if (!rc) {
		rc = audit_verify(c, an, nan, &rows, &broken, &why);
		db_release(c);
	}
	free(an);
	if (!rc && nan)
		printf("anchors: %zu checked\n", nan);
	if (!rc)
		printf("intact, %lld rows\n", (long long)rows);
	else if (rc == ERR_INVALID)
		printf("broken at row %lld: %s\n", (long long)broken, why.data);
	else
		fprintf(stderr, "changai audit: %s\n", err_name(rc));
	buf_free(&why);
	db_close(db);
	return rc ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const char *fast = getenv("CHANGAI_PWHASH_FAST");

	if (!cmd || !strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		fputs(usage_main, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("changai %s\n", CHANGAI_VERSION);
		return 0;
	}
	if (parse_opts(argc - 2, argv + 2, &o))
		return 2;
	if (clock_init())
		return 2;
	if (crypto_init(fast && *fast == '1')) {
		fprintf(stderr, "changai: libsodium failed to initialise\n");
		return 1;
	}
	/* kept to the end: every lookup reads it */
	static const struct metric **metrics;
	if (modules_metrics(&metrics)) {
		fprintf(stderr, "changai: out of memory\n");
		return 1;
	}
	metrics_use(metrics);
	static const struct fact_source **facts;
	if (modules_facts(&facts)) {
		fprintf(stderr, "changai: out of memory\n");
		return 1;
	}
	facts_use(facts);
	static const struct audit_label **audit_labels;
	if (modules_audit_labels(&audit_labels)) {
		fprintf(stderr, "changai: out of memory\n");
		return 1;
	}
	audit_labels_use(audit_labels);
	if (modules_notice_kinds()) {
		fprintf(stderr, "changai: a module's notice kind could not be registered\n");
		return 1;
	}
	if (!strcmp(cmd, "serve")) return cmd_serve(&o);
	if (!strcmp(cmd, "init")) return cmd_init(&o);
	if (!strcmp(cmd, "demo")) return cmd_demo(&o);
	if (!strcmp(cmd, "user")) return cmd_user(&o);
	if (!strcmp(cmd, "import")) return cmd_import(&o);
	if (!strcmp(cmd, "backup")) return cmd_backup(&o);
	if (!strcmp(cmd, "check")) return cmd_check(&o);
	if (!strcmp(cmd, "sweep")) return cmd_sweep(&o);
	if (!strcmp(cmd, "xlsx")) return cmd_xlsx(&o);
	if (!strcmp(cmd, "clock")) return cmd_clock(&o);
	if (!strcmp(cmd, "audit")) return cmd_audit(&o);
	fprintf(stderr, "changai: unknown command '%s'\n\n%s", cmd, usage_main);
	return 2;
}
