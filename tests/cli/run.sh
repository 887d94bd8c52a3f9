#!/bin/sh
# Command-line tests: help texts, init, user management, backup of a live
# server under writes, check and audit verify (including tamper detection).
# Prints "cli: N passed, M failed".
# CHANGAI_TODAY=YYYY-MM-DD runs every command on that business date (with
# CHANGAI_TEST_CLOCK=1), and only the parts that depend on the date: the
# statement, the sweeps and the clock. scripts/test.sh runs them so at
# every date of tests/dates.txt.
set -u
cd "$(dirname "$0")/../.."
BIN=${CHANGAI_BIN:-$(pwd)/build/changai}
export CHANGAI_PWHASH_FAST=1
T=$(mktemp -d /tmp/changai-cli.XXXXXX)
SERVER_PID=""
LOAD_PID=""
cleanup() {
	[ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	wait 2>/dev/null
	store_down
	rm -rf "$T"
}
trap cleanup EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
no() { failed=$((failed + 1)); echo "not ok - $1"; [ -f "$T/out" ] && sed 's/^/#   /' "$T/out" | head -n 20; }
expect() { # description command... (exit 0 expected)
	d=$1
	shift
	if "$@" >"$T/out" 2>&1; then ok "$d"; else no "$d"; fi
}
expect_fail() {
	d=$1
	shift
	if "$@" >"$T/out" 2>&1; then no "$d"; else ok "$d"; fi
}
contains() { # description pattern
	if grep -q -- "$2" "$T/out"; then ok "$1"; else no "$1"; fi
}

sqlq() { # store db query
	if [ "$1" = postgres ]; then
		psql "$2" -qAtX -c "$3"
	else
		sqlite3 "$2" "$3"
	fi
}
start_server() { # db key log
	"$BIN" serve --db "$1" --key "$2" --listen "127.0.0.1:0" 2>"$3" &
	SERVER_PID=$!
	i=0
	PORT=""
	while [ -z "$PORT" ] && [ $i -lt 100 ]; do
		PORT=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$3")
		i=$((i + 1))
		sleep 0.1
	done
}


DATED=${CHANGAI_TODAY:-}
if [ -n "$DATED" ]; then
	CHANGAI_TEST_CLOCK=1
	export CHANGAI_TEST_CLOCK CHANGAI_TODAY
fi
# the business date every command below uses (never this machine's clock)
TODAY=$("$BIN" clock | sed -n 's/^today: //p')

# the clock: set only behind its switch
if [ -n "$DATED" ]; then
	expect "clock on a set date" "$BIN" clock
	contains "clock prints the set date" "^today: $DATED$"
	contains "clock says it was set" "^set: yes"
	expect_fail "a set date without the test switch is refused" env -u CHANGAI_TEST_CLOCK "$BIN" clock
	contains "the refusal names the switch" "CHANGAI_TEST_CLOCK=1"
else
	expect "clock" "$BIN" clock
	contains "clock is not set" "^set: no$"
fi

if [ -z "$DATED" ]; then
# help for every command
for c in serve init demo user backup check audit sweep xlsx clock; do
	expect "$c --help" "$BIN" "$c" --help
	contains "$c --help prints usage" "usage: changai $c"
done
expect "version" "$BIN" version
contains "version prints a number" "changai [0-9]"
expect_fail "unknown command fails" "$BIN" frobnicate

# init: a first admin with a one-time password, then idempotent
expect "init creates a store" "$BIN" init --db "$T/a.db"
contains "init prints the username" "^username: admin$"
contains "init prints a password" "^password: ."
expect "init again migrates only" "$BIN" init --db "$T/a.db"
contains "second init keeps the store" "already initialised"

# user management
expect "user add" "$BIN" user add alice --name Alice --org 1 --role viewer --db "$T/a.db"
contains "user add prints a password" "^password: ."
expect_fail "user add duplicate" "$BIN" user add alice --name A --org 1 --db "$T/a.db"
expect_fail "user add bad role" "$BIN" user add bob --name B --org 1 --role king --db "$T/a.db"
expect "user passwd" "$BIN" user passwd alice --db "$T/a.db"
expect "user lock" "$BIN" user lock alice --db "$T/a.db"
expect "user unlock" "$BIN" user unlock alice --db "$T/a.db"
expect_fail "user passwd unknown" "$BIN" user passwd nobody --db "$T/a.db"

# a live server under writes, backed up
"$BIN" demo --db "$T/live.db" --credentials "$T/creds" >/dev/null 2>&1
PORT=$(( 20000 + $$ % 20000 ))
"$BIN" serve --db "$T/live.db" --listen "127.0.0.1:$PORT" 2>"$T/serve.log" &
SERVER_PID=$!
i=0
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 50 ] && break
	sleep 0.1
done
PW=$(awk '$2 == "admin" { print $3 }' "$T/creds")
curl -s -c "$T/jar" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" \
	"http://127.0.0.1:$PORT/api/v1/session" >"$T/login.json"
CSRF=$(sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p' "$T/login.json")
if [ -n "$CSRF" ]; then ok "login for the load"; else no "login for the load"; fi
(
	n=0
	while [ $n -lt 400 ]; do
		curl -s -b "$T/jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
			-d "{\"parent_id\":2,\"kind\":\"street\",\"name\":\"负载街道$n\"}" \
			"http://127.0.0.1:$PORT/api/v1/orgs" >/dev/null
		n=$((n + 1))
	done
) &
LOAD_PID=$!
sleep 0.5
expect "backup of a live store under writes" "$BIN" backup "$T/backup.db" --db "$T/live.db"
expect_fail "backup refuses to overwrite" "$BIN" backup "$T/backup.db" --db "$T/live.db"
wait "$LOAD_PID" 2>/dev/null
LOAD_PID=""
# the audit key is not in the store: a copy is checked with the live one's
AK="$T/live.db.audit.key"
expect_fail "a copy without its audit key is refused" "$BIN" check --db "$T/backup.db"
contains "the missing audit key is named" "audit key .*backup.db.audit.key is missing"
expect "the backup passes check" "$BIN" check --db "$T/backup.db" --audit-key "$AK"
contains "check reports ok" "^check: ok$"
expect "the backup's audit trail is intact" "$BIN" audit verify --db "$T/backup.db" --audit-key "$AK"
n=$(sqlite3 "$T/live.db" "SELECT count(*) FROM orgs WHERE name LIKE '负载街道%'")
if [ "${n:-0}" -ge 100 ]; then ok "the load wrote ($n orgs)"; else no "the load wrote (${n:-0} orgs)"; fi
expect "the live store passes check after the load" "$BIN" check --db "$T/live.db"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""

# tampering with one audit row is found and named
cp "$T/live.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "DROP TRIGGER audit_no_update; UPDATE audit SET summary = '{\"x\":1}' WHERE id = 5;"
expect_fail "audit verify fails on an edited row" "$BIN" audit verify --db "$T/tamper.db" --audit-key "$AK"
contains "audit verify names row 5" "broken at row 5"
expect_fail "check fails on an edited audit row" "$BIN" check --db "$T/tamper.db" --audit-key "$AK"

# What an unkeyed chain let through is found now: the trail rewritten with
# recomputed hashes (the key is elsewhere), the oldest rows deleted, all but
# the last deleted, the newest cut and the head moved back (the anchors
# outside the store), and a forged anchor line.
AN="$T/live.anchors"
expect "audit anchor writes the head" "$BIN" audit anchor --db "$T/live.db" --anchors "$AN"
contains "the anchor names its row" "^anchor: row [0-9]* written"
expect "verify with the anchors" "$BIN" audit verify --db "$T/live.db" --anchors "$AN"
contains "the anchors were checked" "^anchors: 1 checked$"
tamper() { # name sql: a copy of the live store with the triggers gone
	cp "$T/live.db" "$T/$1.db"
	sqlite3 "$T/$1.db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
		DROP TRIGGER audit_head_forward; $2"
}
tamper cut "DELETE FROM audit WHERE id > (SELECT max(id) - 10 FROM audit);
	UPDATE audit_head SET seq = (SELECT max(id) FROM audit),
	hash = (SELECT hash FROM audit ORDER BY id DESC LIMIT 1);"
expect_fail "the newest rows cut, the head moved back: the anchor finds it" \
	"$BIN" audit verify --db "$T/cut.db" --audit-key "$AK" --anchors "$AN"
contains "the cut is named" "rows after [0-9]* are missing: an anchor"
tamper oldest "DELETE FROM audit WHERE id <= 100;"
expect_fail "the oldest rows deleted: found" "$BIN" audit verify --db "$T/oldest.db" --audit-key "$AK"
contains "no archive record accounts for them" "rows before 101 are missing and no archive record"
tamper last "DELETE FROM audit WHERE id < (SELECT max(id) FROM audit);"
expect_fail "all but the last row deleted: found" "$BIN" audit verify --db "$T/last.db" --audit-key "$AK"
contains "all but the last: no archive record" "no archive record"
tamper rewrite "UPDATE audit SET result = 'ok' WHERE result <> 'ok';"
python3 - "$T/rewrite.db" <<'PY'
import hashlib, sqlite3, sys
# recompute every row as an unkeyed chain, as a forger without the key can
db = sqlite3.connect(sys.argv[1])
def f(s):
    b = (s or '').encode()
    return str(len(b)).encode() + b':' + b + b'|'
prev = '0' * 64
rows = db.execute('SELECT id, at, actor_id, actor, ip, org_id, org_path, action, target, result, summary FROM audit ORDER BY id').fetchall()
for (i, at, aid, actor, ip, oid, path, action, target, result, summary) in rows:
    m = ('changai-audit-v1|%s|%d|%d|%d|%d|' % (prev, i, at, aid or 0, oid or 0)).encode()
    for v in (actor, ip, path, action, target, result, summary):
        m += f(v)
    h = hashlib.sha256(m).hexdigest()
    db.execute('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?', (prev, h, i))
    prev = h
db.execute('UPDATE audit_head SET hash = ?', (prev,))
db.commit()
PY
expect_fail "the trail rewritten with recomputed hashes: found" "$BIN" audit verify --db "$T/rewrite.db" --audit-key "$AK"
contains "the rewrite lacks the key" "should carry the audit key's MAC"
cp "$AN" "$T/forged.anchors"
echo "changai-anchor 1 1700000000 999999 $(printf '%064d' 0) $(printf '%064d' 0)" >>"$T/forged.anchors"
expect_fail "a forged anchor line is refused" "$BIN" audit verify --db "$T/live.db" --anchors "$T/forged.anchors"
contains "the forged line is named" "line 2 of the anchors file"

# Archiving under the retention setting: rows older than it leave for a
# file, the store keeps the record, and both verify; within the retention
# nothing goes; a broken trail is never archived; an edited file, or one
# the store did not make, is found; other deletes are still refused. On
# both stores. The clock of the archiving runs is moved on (faketime), as
# the rows must be older than 180 days.
store_up() { # store prefix: sets D, PGD and DBK for a new store of that engine
	D="$T/$2-$1"
	mkdir -p "$D"
	PGD=""
	if [ "$1" = postgres ]; then
		PGD=$(mktemp -d "/tmp/ca$2.XXXXXX")
		rmdir "$PGD"
		DBK=$(sh scripts/pg-temp.sh start "$PGD") || { no "$1: start postgres"; return 1; }
	else
		DBK="$D/s.db"
	fi
}
store_down() {
	[ -n "${PGD:-}" ] && sh scripts/pg-temp.sh stop "$PGD" >/dev/null 2>&1
	PGD=""
}

archive() { # store
	st=$1
	store_up "$st" ar || return
	KEY="$D/key"
	AKEY="$D/audit.key"
	A="--db $DBK --key $KEY --audit-key $AKEY"
	"$BIN" demo $A --credentials "$D/creds" --workers 200 >/dev/null 2>&1
	first=$(sqlq "$st" "$DBK" "SELECT max(id) FROM audit")
	expect "$st: nothing within the retention is archived" "$BIN" audit archive $A --out "$D/none.jsonl"
	contains "$st: it says so" "^nothing to archive"
	[ ! -e "$D/none.jsonl" ] && ok "$st: and writes no file" || no "$st: and writes no file"
	expect_fail "$st: --before inside the retention is refused" \
		"$BIN" audit archive $A --out "$D/none.jsonl" --before "$(date -u +%F)" # real time: retention is of real time
	contains "$st: the retention is named" "keeps 180 days"
	expect_fail "$st: a row cannot be deleted without an archive record" \
		sqlq "$st" "$DBK" "DELETE FROM audit WHERE id = 1"
	contains "$st: the store says why" "audit trail is append-only"
	expect "$st: rows 179 days old stay" faketime -f '+179d' "$BIN" audit archive $A --out "$D/179.jsonl"
	contains "$st: none of them is archived" "^nothing to archive"
	expect "$st: the oldest rows archived" faketime -f '+200d' "$BIN" audit archive $A --out "$D/1.jsonl"
	contains "$st: all rows up to the head went" "^archived rows 1 to $first ($first rows)"
	expect_fail "$st: an archive file is never overwritten" \
		faketime -f '+200d' "$BIN" audit archive $A --out "$D/1.jsonl"
	contains "$st: the file is named" "exists; archives are never overwritten"
	n=$(sqlq "$st" "$DBK" "SELECT count(*), min(id) FROM audit")
	[ "$n" = "1|$((first + 1))" ] && ok "$st: the store keeps the archiving row only" \
		|| no "$st: the store keeps the archiving row only ($n)"
	expect "$st: the trail that remains verifies" "$BIN" audit verify $A
	contains "$st: from its archive record" "^intact, 1 rows"
	expect "$st: the file verifies against the store" "$BIN" audit verify $A --archive "$D/1.jsonl"
	contains "$st: every row of it" "^archive intact: rows 1 to $first ($first rows)"
	"$BIN" user add archived --name 档案 --org 1 --role viewer $A >/dev/null 2>&1
	expect "$st: a second archive follows the first" faketime -f '+400d' "$BIN" audit archive $A --out "$D/2.jsonl"
	contains "$st: from the row after it" "^archived rows $((first + 1)) to"
	expect "$st: the second file chains to the first's record" "$BIN" audit verify $A --archive "$D/2.jsonl"
	expect "$st: check passes after archiving" "$BIN" check $A
	sed 's/"action":"user.create"/"action":"user.delete"/' "$D/1.jsonl" >"$D/edited.jsonl"
	expect_fail "$st: an edited archive file is found" "$BIN" audit verify $A --archive "$D/edited.jsonl"
	contains "$st: the row is named" "^archive broken: row 1 was changed"
	sed '3d' "$D/1.jsonl" >"$D/gap.jsonl"
	expect_fail "$st: a row taken out of the file is found" "$BIN" audit verify $A --archive "$D/gap.jsonl"
	contains "$st: the missing row is named" "^archive broken: row 2 is missing"
	head -n 1 "$D/1.jsonl" >"$D/header.jsonl"
	expect_fail "$st: a header without its rows is refused" "$BIN" audit verify $A --archive "$D/header.jsonl"
	contains "$st: it says the rows are missing" "^archive broken: the file holds no audit rows"
	store_down
}
archive sqlite
archive postgres
# a trail that does not verify is not archived
expect_fail "a broken trail is not archived" faketime -f '+200d' \
	"$BIN" audit archive --db "$T/tamper.db" --audit-key "$AK" --out "$T/broken.jsonl"
contains "the break is named" "broken at row 5: nothing archived"
[ ! -e "$T/broken.jsonl" ] && ok "no file is left of it" || no "no file is left of it"

# a corrupted org path is found by check
cp "$T/live.db" "$T/paths.db"
sqlite3 "$T/paths.db" "UPDATE orgs SET path = '/1/99/' || id || '/' WHERE id = 5;"
expect_fail "check finds a wrong org path" "$BIN" check --db "$T/paths.db" --audit-key "$AK"
contains "check names the org" "org 5: path"

# An import killed with SIGKILL mid-way leaves the store consistent, and the
# job resumes after a restart with nothing duplicated; on both stores.
# A store from before 0009 (rollups in a rowid table, no list cards)
# upgrades: the rollups come across unchanged, every row gets the card its
# columns give (check compares them), the server prepares every statement
# on the new schema and lists from the cards. Every migration after 0008
# is undone below: a new one adds its undo here.
"$BIN" demo --db "$T/old.db" --credentials "$T/oldcreds" --workers 3000 >/dev/null 2>&1
sqlite3 "$T/old.db" "BEGIN;
	CREATE TABLE r8 (org_id INTEGER NOT NULL REFERENCES orgs(id),
		skill_level INTEGER NOT NULL, union_member INTEGER NOT NULL,
		status TEXT NOT NULL, n INTEGER NOT NULL,
		PRIMARY KEY (org_id, skill_level, union_member, status)) STRICT;
	INSERT INTO r8 SELECT * FROM worker_rollup;
	DROP TABLE worker_rollup;
	ALTER TABLE r8 RENAME TO worker_rollup;
	ALTER TABLE workers DROP COLUMN card;
	DROP TABLE calendar_days;
	DROP TABLE calendar_years;
	DROP TABLE notice_objections;
	DROP TABLE notice_subjects;
	DROP TABLE notices;
	ALTER TABLE api_tokens DROP COLUMN expires;
	DROP TABLE login_failures;
	DROP TABLE password_history;
	DROP TABLE approvals;
	DROP TABLE unmask_ledger;
	ALTER TABLE sessions DROP COLUMN stepped_up;
	DROP TABLE user_totp;
	DROP TABLE audit_archive;
	DROP TRIGGER audit_head_forward;
	DROP TRIGGER audit_head_kept;
	DROP TABLE upload_chunks;
	DROP TABLE uploads;
	DROP TRIGGER audit_no_delete;
	CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
	BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
	DROP TABLE inbox;
	CREATE TABLE plan_inbox (id INTEGER PRIMARY KEY, dedupe TEXT NOT NULL UNIQUE,
		org_id INTEGER NOT NULL REFERENCES orgs(id), user_id INTEGER,
		plan_id INTEGER NOT NULL REFERENCES plans(id),
		node_id INTEGER NOT NULL REFERENCES plan_nodes(id),
		report_id INTEGER REFERENCES plan_reports(id),
		kind TEXT NOT NULL CHECK (kind IN ('returned','red')), message TEXT NOT NULL,
		message_en TEXT NOT NULL, created INTEGER NOT NULL,
		read_at INTEGER NOT NULL DEFAULT 0) STRICT;
	CREATE INDEX plan_inbox_org ON plan_inbox(org_id, id);
	CREATE INDEX plan_inbox_user ON plan_inbox(user_id, id);
	CREATE INDEX plan_inbox_node ON plan_inbox(node_id);
	ALTER TABLE orgs DROP COLUMN disabled;
	DROP TABLE announcement_reads;
	DROP TABLE announcements;
	DROP TABLE points_sweep;
	DROP TABLE points_appeals;
	DROP TABLE points_totals;
	DROP TABLE points_entries;
	DROP TABLE points_rules;
	DROP TABLE eval_named;
	DROP TABLE eval_proposal_units;
	DROP TABLE eval_proposals;
	DROP TABLE eval_robust;
	DROP TABLE eval_robust_runs;
	DROP TABLE eval_explains;
	DROP TABLE eval_scores;
	DROP TABLE eval_values;
	DROP TABLE eval_periods;
	DROP TABLE eval_members;
	DROP TABLE eval_classes;
	DROP TABLE eval_nodes;
	DROP TABLE eval_indexes;
	DELETE FROM schema_version WHERE version >= 9;
	COMMIT;"
# a red entry as stores before 0011 keyed it (task and owner only), for an
# overdue task where the demo has one (the sweep would announce it)
RED=$(sqlite3 "$T/old.db" "SELECT n.id || ' ' || po.org_id || ' ' || n.plan_id || ' ' || n.deadline
	FROM plan_nodes n JOIN plan_owners po ON po.node_id = n.id
	WHERE n.kind = 'subitem' AND n.deadline IS NOT NULL
	ORDER BY n.deadline < '$TODAY' DESC, n.id LIMIT 1")
set -- $RED
sqlite3 "$T/old.db" "INSERT INTO plan_inbox (dedupe, org_id, plan_id, node_id, kind, message,
	message_en, created) VALUES ('red:$1:$2', $2, $3, $1, 'red', 'm', 'm', 1)"
before=$(sqlite3 "$T/old.db" "SELECT count(*), sum(n), sum(n * org_id) FROM worker_rollup")
expect "a schema-8 store migrates" "$BIN" check --db "$T/old.db"
key=$(sqlite3 "$T/old.db" "SELECT dedupe FROM inbox WHERE kind = 'red' AND ref_kind = 'plan_node' AND ref_id = $1 AND org_id = $2")
if [ "$key" = "red:$1:$2:$4" ]; then ok "an old red entry is keyed by its task's deadline"; else no "an old red entry is keyed by its task's deadline ($key)"; fi
"$BIN" sweep --db "$T/old.db" >/dev/null 2>&1
n=$(sqlite3 "$T/old.db" "SELECT count(*) FROM inbox WHERE kind = 'red' AND ref_kind = 'plan_node' AND ref_id = $1 AND org_id = $2")
if [ "$n" = 1 ]; then ok "the sweep after the upgrade announces it no second time"; else no "the sweep after the upgrade announces it no second time ($n entries)"; fi
after=$(sqlite3 "$T/old.db" "SELECT count(*), sum(n), sum(n * org_id) FROM worker_rollup")
clustered=$(sqlite3 "$T/old.db" "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = 'worker_rollup'")
if [ "$before" = "$after" ] && [ "$clustered" = 1 ] && [ "${before%%|*}" -gt 0 ]; then
	ok "the rollups come across clustered and unchanged ($after)"
else
	no "the rollups come across clustered and unchanged ($before -> $after, clustered $clustered)"
fi
start_server "$T/old.db" "$T/old.db.key" "$T/old.log"
OLD_PORT=$PORT
PW=$(awk '$2 == "admin" { print $3 }' "$T/oldcreds")
curl -s -c "$T/oldjar" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" \
	"http://127.0.0.1:$OLD_PORT/api/v1/session" >/dev/null
ORGW=$(sqlite3 "$T/old.db" "SELECT org_id FROM workers GROUP BY org_id ORDER BY count(*) DESC LIMIT 1")
WANT=$(sqlite3 "$T/old.db" "SELECT count(*) FROM workers WHERE org_id = $ORGW AND skill_level BETWEEN 2 AND 5")
curl -s -b "$T/oldjar" "http://127.0.0.1:$OLD_PORT/api/v1/workers?org=$ORGW&level_min=2&level_max=5&limit=5" >"$T/out"
contains "the upgraded store lists with the rollup total" "\"total\":$WANT[,}]"
curl -s -b "$T/oldjar" "http://127.0.0.1:$OLD_PORT/api/v1/workers?org=$ORGW&level_min=2&level_max=5&limit=1" |
	node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
		const w = JSON.parse(s).items[0];
		const want = ["id", "org_id", "org_name", "name", "id_no", "gender", "birth_date",
			"phone", "occupation", "occupation_code", "skill_level", "union_member",
			"union_joined", "political_status", "education", "hired", "status"];
		const ok = want.every(k => k in w) && Object.keys(w).length === want.length &&
			typeof w.union_member === "boolean" && Number.isInteger(w.skill_level) &&
			w.id_no.includes("*");
		process.exit(ok ? 0 : 1); })' >"$T/out" 2>&1
if [ $? -eq 0 ]; then ok "a row listed from its card has every field, masked"; else no "a row listed from its card has every field, masked"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
# a row edited behind the registry's back no longer matches its card
sqlite3 "$T/old.db" "UPDATE workers SET skill_level = (skill_level + 1) % 9 WHERE id = 7"
expect_fail "check finds a card that differs from its row" "$BIN" check --db "$T/old.db"
contains "check names the worker" "worker 7: list card differs from the row"
kill_resume() { # store
	st=$1
	store_up "$st" kr || return
	KEY="$D/key"
	"$BIN" demo --db "$DBK" --key "$KEY" --credentials "$D/creds" >/dev/null 2>&1
	node tests/tools/gen-roster.mjs 40000 宁波甬江精密机械有限公司 >"$D/roster.csv"
	# small transactions, so the kill lands between committed batches
	export CHANGAI_IMPORT_BATCH=2000
	start_server "$DBK" "$KEY" "$D/serve.log"
	PW=$(awk '$2 == "yongjiang" { print $3 }' "$D/creds")
	curl -s -c "$D/jar" -H 'Content-Type: application/json' \
		-d "{\"username\":\"yongjiang\",\"password\":\"$PW\"}" \
		"http://127.0.0.1:$PORT/api/v1/session" >"$D/login.json"
	CS=$(sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p' "$D/login.json")
	ORG=$(sqlq "$st" "$DBK" "SELECT id FROM orgs WHERE name = '甬江街道'")
	JOB=$(curl -s -b "$D/jar" -H "X-CSRF-Token: $CS" -H 'Content-Type: text/csv' \
		--data-binary @"$D/roster.csv" "http://127.0.0.1:$PORT/api/v1/imports/workers?org=$ORG" |
		sed -n 's/.*"job_id":\([0-9]*\).*/\1/p')
	if [ -n "$JOB" ]; then ok "$st: import accepted as job $JOB"; else no "$st: import accepted"; fi
	# wait for some batches to commit, then kill the server outright
	i=0
	done_rows=0
	while [ "$done_rows" -lt 4000 ] && [ $i -lt 600 ]; do
		done_rows=$(sqlq "$st" "$DBK" "SELECT done FROM jobs WHERE id = $JOB")
		done_rows=${done_rows:-0}
		i=$((i + 1))
		sleep 0.02
	done
	kill -9 "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
	state=$(sqlq "$st" "$DBK" "SELECT state FROM jobs WHERE id = $JOB")
	if [ "$state" = running ]; then ok "$st: killed mid-import ($done_rows rows done)"; else no "$st: killed mid-import (state $state)"; fi
	expect "$st: the store is consistent after SIGKILL" "$BIN" check --db "$DBK" --key "$KEY"
	rows=$(sqlq "$st" "$DBK" "SELECT count(*) FROM workers")
	ins=$(sqlq "$st" "$DBK" "SELECT inserted FROM jobs WHERE id = $JOB")
	if [ "$rows" = "$ins" ]; then ok "$st: rows match the committed progress ($rows)"; else no "$st: rows $rows vs progress $ins"; fi
	# a restarted server finds the orphaned job and finishes it
	start_server "$DBK" "$KEY" "$D/serve2.log"
	i=0
	state=running
	while [ "$state" != done ] && [ "$state" != failed ] && [ $i -lt 600 ]; do
		state=$(sqlq "$st" "$DBK" "SELECT state FROM jobs WHERE id = $JOB")
		i=$((i + 1))
		sleep 0.1
	done
	if [ "$state" = done ]; then ok "$st: the job resumed and finished"; else no "$st: the job resumed (state $state)"; fi
	rows=$(sqlq "$st" "$DBK" "SELECT count(*) FROM workers")
	if [ "$rows" = 40000 ]; then ok "$st: every row once (40000)"; else no "$st: rows after resume: $rows"; fi
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
	expect "$st: check after the resumed import" "$BIN" check --db "$DBK" --key "$KEY"
	contains "$st: rollups equal rows" "rollups: 0 differences"
	expect "$st: re-running the import" "$BIN" import workers "$D/roster.csv" --org "$ORG" --db "$DBK" --key "$KEY"
	contains "$st: re-running changes nothing" "0 inserted, 0 updated, 0 rejected"
	unset CHANGAI_IMPORT_BATCH
	store_down
}
kill_resume sqlite
kill_resume postgres

# An export larger than the direct limit runs as a job; its file downloads
# from the job, in scope only.
D="$T/export"
mkdir -p "$D"
"$BIN" demo --db "$D/x.db" --credentials "$D/creds" --workers 60000 >/dev/null 2>&1
start_server "$D/x.db" "$D/x.db.key" "$D/serve.log"
PW=$(awk '$2 == "admin" { print $3 }' "$D/creds")
curl -s -c "$D/jar" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" \
	"http://127.0.0.1:$PORT/api/v1/session" >/dev/null
curl -s -o "$D/resp.json" -w '%{http_code}' -b "$D/jar" \
	"http://127.0.0.1:$PORT/api/v1/exports/workers.xlsx?org=1" >"$D/code"
JOB=$(sed -n 's/.*"job_id":\([0-9]*\).*/\1/p' "$D/resp.json")
if [ "$(cat "$D/code")" = 202 ] && [ -n "$JOB" ]; then ok "a 60,000-row export is a job"; else no "a 60,000-row export is a job ($(cat "$D/code"))"; fi
i=0
state=""
while [ "$state" != done ] && [ "$state" != failed ] && [ $i -lt 600 ]; do
	state=$(curl -s -b "$D/jar" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB" |
		sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
	i=$((i + 1))
	sleep 0.1
done
if [ "$state" = done ]; then ok "the export job finished"; else no "the export job finished ($state)"; fi
code=$(curl -s -o "$D/out.xlsx" -w '%{http_code}' -b "$D/jar" \
	"http://127.0.0.1:$PORT/api/v1/jobs/$JOB/file")
if [ "$code" = 200 ] && [ "$(head -c 2 "$D/out.xlsx")" = PK ]; then ok "the export file downloads"; else no "the export file downloads ($code)"; fi
PW=$(awk '$2 == "zhuangqiao" { print $3 }' "$D/creds")
curl -s -c "$D/jar2" -H 'Content-Type: application/json' \
	-d "{\"username\":\"zhuangqiao\",\"password\":\"$PW\"}" \
	"http://127.0.0.1:$PORT/api/v1/session" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$D/jar2" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB/file")
if [ "$code" = 404 ]; then ok "another street cannot fetch it (404)"; else no "another street cannot fetch it ($code)"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""

# An unmasked export file is its creator's alone, re-checked at download,
# audited, and deleted when it expires (CHANGAI_EXPORT_DIRECT_MAX makes a
# small export a job).
D="$T/exportfile"
mkdir -p "$D"
"$BIN" demo --db "$D/x.db" --credentials "$D/creds" --workers 3000 >/dev/null 2>&1
export CHANGAI_EXPORT_DIRECT_MAX=10
start_server "$D/x.db" "$D/x.db.key" "$D/serve.log"
unset CHANGAI_EXPORT_DIRECT_MAX
jar() { # user -> cookie jar $D/$1.jar
	pw=$(awk -v u="$1" '$2 == u { print $3 }' "$D/creds")
	curl -s -c "$D/$1.jar" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$pw\"}" \
		"http://127.0.0.1:$PORT/api/v1/session" >"$D/$1.login"
}
stepup() { # user: proves itself again, as unmasking asks
	pw=$(awk -v u="$1" '$2 == u { print $3 }' "$D/creds")
	csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$D/$1.login")
	curl -s -o /dev/null -b "$D/$1.jar" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $csrf" -d "{\"password\":\"$pw\"}" \
		"http://127.0.0.1:$PORT/api/v1/session/step-up"
}
get() { # user path -> http code (body in $D/body)
	curl -s -o "$D/body" -w '%{http_code}' -b "$D/$1.jar" "http://127.0.0.1:$PORT$2"
}
for u in jiangbei viewer expert admin; do jar "$u"; done
stepup jiangbei
code=$(get jiangbei "/api/v1/exports/workers.xlsx?org=2&unmask=1&purpose=annual")
JOB=$(sed -n 's/.*"job_id":\([0-9]*\).*/\1/p' "$D/body")
if [ "$code" = 202 ] && [ -n "$JOB" ]; then ok "export file: an unmasked export runs as a job"; else no "export file: an unmasked export runs as a job ($code)"; JOB=0; fi
i=0
state=""
while [ "$state" != done ] && [ "$state" != failed ] && [ $i -lt 300 ]; do
	get jiangbei "/api/v1/jobs/$JOB" >/dev/null
	state=$(sed -n 's/.*"state":"\([a-z]*\)".*/\1/p' "$D/body")
	i=$((i + 1))
	sleep 0.1
done
code=$(get jiangbei "/api/v1/jobs/$JOB/file")
if [ "$code" = 200 ] && [ "$(head -c 2 "$D/body")" = PK ]; then ok "export file: its creator downloads it"; else no "export file: its creator downloads it ($code)"; fi
n=$(sqlite3 "$D/x.db" "SELECT count(*) FROM audit WHERE action = 'workers.export_download_pii' AND target = 'job:$JOB' AND actor = 'jiangbei'")
if [ "$n" = 1 ]; then ok "export file: the download is audited"; else no "export file: the download is audited ($n)"; fi
for u in viewer expert admin; do
	code=$(get "$u" "/api/v1/jobs/$JOB/file")
	if [ "$code" = 404 ]; then ok "export file: $u (not its creator) gets 404"; else no "export file: $u (not its creator) gets 404 ($code)"; fi
done
code=$(get viewer "/api/v1/jobs/$JOB")
if [ "$code" = 200 ]; then ok "export file: a roster reader in scope sees the job"; else no "export file: a roster reader in scope sees the job ($code)"; fi
code=$(get expert "/api/v1/jobs/$JOB")
if [ "$code" = 404 ]; then ok "export file: an expert does not see the job"; else no "export file: an expert does not see the job ($code)"; fi
# the creator's pii withdrawn: the file is refused
sqlite3 "$D/x.db" "UPDATE grants SET pii = 0 WHERE user_id = (SELECT id FROM users WHERE username = 'jiangbei')"
code=$(get jiangbei "/api/v1/jobs/$JOB/file")
if [ "$code" = 403 ]; then ok "export file: refused once the creator lost pii"; else no "export file: refused once the creator lost pii ($code)"; fi
sqlite3 "$D/x.db" "UPDATE grants SET pii = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'jiangbei')"
# past export_file_hours: refused, and the sweep deletes it
sqlite3 "$D/x.db" "UPDATE jobs SET finished = finished - 25 * 3600 WHERE id = $JOB"
code=$(get jiangbei "/api/v1/jobs/$JOB/file")
if [ "$code" = 404 ] && grep -q '过期' "$D/body"; then ok "export file: expired after 24 h"; else no "export file: expired after 24 h ($code)"; fi
"$BIN" sweep --db "$D/x.db" >/dev/null 2>&1
n=$(sqlite3 "$D/x.db" "SELECT count(*) FROM job_chunks WHERE job_id = $JOB")
if [ "$n" = 0 ]; then ok "export file: the sweep deleted it"; else no "export file: the sweep deleted it ($n chunks)"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""

# The session cookie behind TLS: Secure and __Host- (on by default off
# loopback, by CHANGAI_SECURE_COOKIE=1 here); a plain-named cookie then
# counts for nothing. On loopback without the switch it stays plain.
CHANGAI_SECURE_COOKIE=1 start_server "$D/x.db" "$D/x.db.key" "$D/serve.log"
pw=$(awk '$2 == "viewer" { print $3 }' "$D/creds")
curl -s -D "$D/hdr" -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"viewer\",\"password\":\"$pw\"}" "http://127.0.0.1:$PORT/api/v1/session"
if grep -qi '^set-cookie: __Host-changai_session=ca_[^;]*; Path=/; HttpOnly; SameSite=Strict; Secure' "$D/hdr"; then
	ok "secure cookie: __Host-changai_session with Secure"
else no "secure cookie: __Host-changai_session with Secure ($(grep -i set-cookie "$D/hdr"))"; fi
tok=$(sed -n 's/^[Ss]et-[Cc]ookie: __Host-changai_session=\([^;]*\);.*/\1/p' "$D/hdr")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: __Host-changai_session=$tok" "http://127.0.0.1:$PORT/api/v1/session")
if [ "$code" = 200 ]; then ok "secure cookie: the __Host- cookie is the session"; else no "secure cookie: the __Host- cookie is the session ($code)"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: changai_session=$tok" "http://127.0.0.1:$PORT/api/v1/session")
if [ "$code" = 401 ]; then ok "secure cookie: the plain name is not read"; else no "secure cookie: the plain name is not read ($code)"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
start_server "$D/x.db" "$D/x.db.key" "$D/serve.log"
curl -s -D "$D/hdr" -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"viewer\",\"password\":\"$pw\"}" "http://127.0.0.1:$PORT/api/v1/session"
if grep -qi '^set-cookie: changai_session=' "$D/hdr" && ! grep -qi 'secure' "$D/hdr"; then
	ok "loopback: a plain cookie for http"
else no "loopback: a plain cookie for http ($(grep -i set-cookie "$D/hdr"))"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""

fi # the parts that do not depend on the date

# The street's 对账单 as .xlsx: LibreOffice opens it and prints it to a PDF
# of at least one page, and the cells read back by changai xlsx (the import's
# reader) carry the title and the numbers of the JSON statement.
D="$T/statement"
mkdir -p "$D/home"
"$BIN" demo --db "$D/s.db" --credentials "$D/creds" >/dev/null 2>&1
start_server "$D/s.db" "$D/s.db.key" "$D/serve.log"
expect "statement: download the demo street's 对账单" \
	node tests/cli/statement.mjs fetch "http://127.0.0.1:$PORT" "$D/creds" "$D"
if [ -n "$DATED" ]; then
	if grep -q "test clock: business date $DATED" "$D/serve.log"; then ok "a server on a set clock says so at start"; else no "a server on a set clock says so at start"; fi
elif grep -q "test clock" "$D/serve.log"; then no "a server on the real clock mentions a test clock"; else ok "a server on the real clock mentions no test clock"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
# a throwaway profile: never the user's own
expect "statement: LibreOffice converts the .xlsx to PDF" env HOME="$D/home" \
	timeout 120 libreoffice --headless "-env:UserInstallation=file://$D/lo-profile" \
	--convert-to pdf --outdir "$D" "$D/statement.xlsx"
pages=$(pdfinfo "$D/statement.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ "${pages:-0}" -ge 1 ]; then ok "statement: the PDF has $pages page(s)"; else no "statement: the PDF has pages (${pages:-none})"; fi
expect "statement: changai xlsx reads the cells back" sh -c '"$1" xlsx "$2" > "$3"' sh "$BIN" "$D/statement.xlsx" "$D/cells.tsv"
expect "statement: title and numbers match the JSON statement" node tests/cli/statement.mjs compare "$D"
expect_fail "changai xlsx refuses a file that is not .xlsx" "$BIN" xlsx "$D/statement.json"

# Red tasks reach the inbox without anyone looking: the server sweeps at
# start and then every --sweep-interval seconds.
D="$T/sweep"
mkdir -p "$D"
"$BIN" demo --db "$D/s.db" --credentials "$D/creds" >/dev/null 2>&1
red() { sqlite3 "$D/s.db" "SELECT count(*) FROM inbox WHERE kind = 'red'"; }
n=$(red)
if [ "$n" = 0 ]; then ok "sweep: the new demo store has no red entries"; else no "sweep: red entries before any sweep (${n:-none})"; fi
"$BIN" serve --db "$D/s.db" --listen 127.0.0.1:0 --sweep-interval 1 2>"$D/serve.log" &
SERVER_PID=$!
i=0
n=0
while [ "$n" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	n=$(red)
	i=$((i + 1))
done
if [ "${n:-0}" -gt 0 ] 2>/dev/null; then ok "sweep: at start the server recorded $n red entries"; else no "sweep: no red entries after start"; n=-1; fi
sqlite3 "$D/s.db" "DELETE FROM inbox WHERE kind = 'red'"
i=0
m=0
while [ "$m" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	m=$(red)
	i=$((i + 1))
done
if [ "$m" = "$n" ]; then ok "sweep: the periodic sweep recorded them again ($m)"; else no "sweep: after the periodic sweep ${m:-none}, expected $n"; fi
sleep 2.5
m=$(red)
if [ "$m" = "$n" ]; then ok "sweep: later sweeps add nothing"; else no "sweep: later sweeps changed $n to ${m:-none}"; fi
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
expect "sweep: changai sweep on a swept store" "$BIN" sweep --db "$D/s.db"
contains "sweep: nothing left to record" "^sweep: 0 inbox entries recorded$"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
