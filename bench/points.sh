#!/bin/sh
# Points ledger benchmark (issue 14's scale): a ledger of 10 million
# entries — 2 million for 6,300 enterprises, 8 million for 200,000
# workers — over two years, with their totals. Measures a balance, a
# ledger page, leaderboard pages (the enterprises', the workers' first
# page and one at place 10,000), awards by hand at that size, and
# `changai check` adding every entry up again. Appends a dated section to
# bench/RESULTS.md (goals: a balance p99 < 5 ms, a leaderboard page p99 <
# 20 ms).
#
#   sh bench/points.sh          (after make -j2 build/changai)
#   BENCH_STORE=postgres sh bench/points.sh
#
# The district, its rule and the measured awards go through the API; the
# enterprises, the 10 million entries and their totals are written into
# the store directly, with sqlite3 or psql (the workers are holders only:
# the registry has no rows for them, so a worker board names none, which
# costs it the same lookups).
#
# Environment: the BENCH_* settings of bench/lib.sh, and
#   BENCH_POINTS_ENTRIES=N   entries (default 10000000; a fifth for orgs)
#
# Uses only 127.0.0.1 and a temporary directory under bench/tmp/; stops
# the server it started, by PID. Exit 0 whether or not the goals are met;
# non-zero when something broke.
set -eu

BENCH_NAME=points BENCH_TOOLS="wrk curl node awk"
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
UNITS=6300
WORKERS=200000
ENTRIES=${BENCH_POINTS_ENTRIES:-10000000}
case $ENTRIES in
'' | *[!0-9]* | 0) die "BENCH_POINTS_ENTRIES must be a positive integer" ;;
esac
ORG_ENTRIES=$((ENTRIES / 5))
WORKER_ENTRIES=$((ENTRIES - ORG_ENTRIES))
YEAR=$(date -u +%Y)
FIRST_DAY=$((YEAR - 1))-01-01

bench_city_server

cat >"$TMP/load.mjs" <<'SCRIPT'
// argv URL CREDS STEP [ARGS]: "setup" makes the district and a manual
// rule and prints "TOKEN DISTRICT RULE"; "awards N RULE HOLDER" makes N
// awards by hand one after the other and prints "p50-ms p99-ms".
import { readFileSync } from 'node:fs';
const [url, credsFile, step, ...args] = process.argv.slice(2);
let H;
async function login() {
  const pw = readFileSync(credsFile, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === 'admin')[2];
  const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: pw }) });
  if (r.status !== 200) throw new Error(`login: ${r.status}`);
  const csrf = (await r.json()).csrf_token;
  const token = /changai_session=([^;]*)/.exec(r.headers.getSetCookie().join(';'))[1];
  H = { Cookie: `changai_session=${token}`, 'X-CSRF-Token': csrf };
  return token;
}
async function call(method, path, body) {
  const res = await fetch(url + path, { method, headers: { ...H, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const token = await login();
if (step === 'setup') {
  const d = await call('POST', '/api/v1/orgs', { parent_id: 1, kind: 'district', name: '积分基准测试区' });
  const year = new Date().getUTCFullYear();
  const r = await call('POST', '/api/v1/points/rules', { org_id: d.id, code: 'BENCH', title: '基准加分', holder_kind: 'org', source: 'manual', points: 5, cap_period: 100000, starts: `${year - 1}-01-01` });
  console.log(`${token} ${d.id} ${r.id}`);
} else if (step === 'cursor') {
  // the cursor after place N of a board, paging 200 at a time
  let [path, n] = [args[0], Number(args[1])];
  let next = null;
  for (let got = 0; got < n; got += 200) {
    const r = await call('GET', `${path}&limit=200${next ? `&after=${next}` : ''}`);
    next = r.next;
  }
  console.log(next);
} else if (step === 'awards') {
  const [n, rule, holder] = args.map(Number);
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await call('POST', '/api/v1/points/entries', { holder_kind: 'org', holder, points: 1, rule_id: rule, text: '基准', evidence: '基准' });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(2);
  console.log(`${at(0.5)} ${at(0.99)}`);
}
SCRIPT
say "the district and a rule through the API"
set -- $(node "$TMP/load.mjs" "$URL" "$TMP/creds" setup) || die "setting up failed"
TOKEN=$1 DISTRICT=$2 RULE=$3
DPATH=$(bench_sql "SELECT path FROM orgs WHERE id = $DISTRICT")
NOW_S=$(date +%s)

# The day of entry i, over two years from FIRST_DAY, and the SQL of a
# sequence 1..N, in each dialect.
if [ "$STORE" = postgres ]; then
	day() { echo "to_char(DATE '$FIRST_DAY' + ($1 % 700)::int, 'YYYY-MM-DD')"; }
	seq_of() { echo "SELECT i FROM generate_series(1, $1) AS g(i)"; }
else
	day() { echo "date('$FIRST_DAY', '+' || ($1 % 700) || ' days')"; }
	seq_of() { echo "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n"; }
fi

say "$UNITS enterprises and $ENTRIES entries into the store"
T0=$(date +%s)
bench_sql "BEGIN;
INSERT INTO orgs (parent_id, kind, name, path, depth, above_scale, created, updated)
	SELECT $DISTRICT, 'enterprise', '积分企业' || i, '${DPATH}u' || i || '/', 3, i % 2,
		$NOW_S, $NOW_S FROM ($(seq_of $UNITS)) AS s;
UPDATE orgs SET path = '$DPATH' || id || '/' WHERE parent_id = $DISTRICT;
COMMIT;" || die "seeding the enterprises failed"
FIRST_UNIT=$(bench_sql "SELECT min(id) FROM orgs WHERE parent_id = $DISTRICT")
bench_sql "BEGIN;
INSERT INTO points_entries (holder_kind, holder_id, org_id, kind, source_key, rule_id, points,
		asked, on_date, text, evidence, actor_name, created)
	SELECT 'org', $FIRST_UNIT + i % $UNITS, $FIRST_UNIT + i % $UNITS, 'manual', 'bench:o' || i,
		$RULE, 1 + i % 9, 1 + i % 9, $(day i), '基准', '基准', 'bench', $NOW_S
	FROM ($(seq_of $ORG_ENTRIES)) AS s;
INSERT INTO points_entries (holder_kind, holder_id, org_id, kind, source_key, points,
		asked, on_date, text, evidence, actor_name, created)
	SELECT 'worker', 1000000 + i % $WORKERS, $FIRST_UNIT + (i % $WORKERS) % $UNITS, 'manual',
		'bench:w' || i, 1 + i % 7, 1 + i % 7, $(day "(i / 3)"), '基准', '基准', 'bench', $NOW_S
	FROM ($(seq_of $WORKER_ENTRIES)) AS s;
COMMIT;" || die "seeding the entries failed"
T1=$(date +%s)
say "the totals of every holder and period from the entries (the demo's have theirs)"
bench_sql "BEGIN;
INSERT INTO points_totals (holder_kind, holder_id, period, org_id, points, expired, entries, reached)
	WITH b AS (SELECT holder_kind, holder_id, org_id, points, on_date FROM points_entries
		WHERE source_key LIKE 'bench:%')
	SELECT holder_kind, holder_id, period, max(org_id), sum(points), 0, count(*), max(on_date)
	FROM (SELECT holder_kind, holder_id, org_id, points, on_date, 'all' AS period FROM b
		UNION ALL SELECT holder_kind, holder_id, org_id, points, on_date, substr(on_date, 1, 4) FROM b
		UNION ALL SELECT holder_kind, holder_id, org_id, points, on_date,
		substr(on_date, 1, 4) || '-H' || CASE WHEN substr(on_date, 6, 2) <= '06' THEN '1' ELSE '2' END
		FROM b
		UNION ALL SELECT holder_kind, holder_id, org_id, points, on_date,
		substr(on_date, 1, 4) || '-Q' || CAST((CAST(substr(on_date, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)
		FROM b
		UNION ALL SELECT holder_kind, holder_id, org_id, points, on_date, substr(on_date, 1, 7)
		FROM b) AS s
	GROUP BY holder_kind, holder_id, period;
COMMIT;" || die "the totals failed"
[ "$STORE" = postgres ] && bench_sql "ANALYZE points_entries; ANALYZE points_totals;" >/dev/null
T2=$(date +%s)
N_ENTRIES=$(bench_sql "SELECT count(*) FROM points_entries")
N_TOTALS=$(bench_sql "SELECT count(*) FROM points_totals")
UNIT=$((FIRST_UNIT + 1234))

# ---- measurements ----

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
BAL_PATH="/api/v1/points/balances?holder_kind=org&holder=$UNIT"
LEDGER_PATH="/api/v1/points/ledger?holder_kind=org&holder=$UNIT&limit=50"
ORG_BOARD="/api/v1/points/leaderboard?holder_kind=org&org=$DISTRICT&period=$((YEAR - 1))&limit=50"
WORKER_BOARD="/api/v1/points/leaderboard?holder_kind=worker&org=$DISTRICT&period=$((YEAR - 1))&limit=50"
BOARD_BASE="/api/v1/points/leaderboard?holder_kind=worker&org=$DISTRICT&period=$((YEAR - 1))"
DEEP_BOARD="$WORKER_BOARD&after=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" cursor "$BOARD_BASE" 10000)"
for p in "$BAL_PATH" "$LEDGER_PATH" "$ORG_BOARD" "$WORKER_BOARD" "$DEEP_BOARD"; do
	code=$(curl -s -o "$TMP/probe" -w '%{http_code}' -H "Cookie: changai_session=$TOKEN" "$URL$p")
	[ "$code" = 200 ] || die "$p answered $code: $(cat "$TMP/probe")"
done
say "a balance"
set -- $(bench_run balance 2 "$BAL_PATH")
B_RPS=$1 B_P50=$2 B_P99=$3 B_BAD=$4
say "a ledger page"
set -- $(bench_run ledger 2 "$LEDGER_PATH")
L_RPS=$1 L_P50=$2 L_P99=$3 L_BAD=$4
say "the enterprises' leaderboard"
set -- $(bench_run orgboard 2 "$ORG_BOARD")
O_RPS=$1 O_P50=$2 O_P99=$3 O_BAD=$4
say "the workers' leaderboard"
set -- $(bench_run workerboard 2 "$WORKER_BOARD")
W_RPS=$1 W_P50=$2 W_P99=$3 W_BAD=$4
say "the workers' leaderboard at place 10,000"
set -- $(bench_run deepboard 2 "$DEEP_BOARD")
D_RPS=$1 D_P50=$2 D_P99=$3 D_BAD=$4
[ "$B_BAD" = 0 ] && [ "$L_BAD" = 0 ] && [ "$O_BAD" = 0 ] && [ "$W_BAD" = 0 ] && [ "$D_BAD" = 0 ] ||
	die "non-2xx responses"
say "200 awards by hand, one after the other"
set -- $(node "$TMP/load.mjs" "$URL" "$TMP/creds" awards 200 "$RULE" "$UNIT") || die "awards failed"
A_P50=$1 A_P99=$2
RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status" 2>/dev/null || echo 0)
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
say "changai check over $N_ENTRIES entries"
C0=$(date +%s.%N)
"$BIN" check --db "$DB" >"$TMP/check.out" 2>&1 || true
C1=$(date +%s.%N)
CHECK_S=$(awk -v a="$C0" -v b="$C1" 'BEGIN { printf "%.1f", b - a }')
CHECK_LINE=$(grep '^points:' "$TMP/check.out" | head -n 1)
case $CHECK_LINE in
*" 0 totals differ"*) ;;
*) die "check: $CHECK_LINE" ;;
esac

REPORT=$TMP/report.md
{
	bench_heading "points ledger"
	echo "(\`changai demo --workers 1000\`) plus $UNITS enterprises in one district and $N_ENTRIES"
	echo "ledger entries ($ORG_ENTRIES for the enterprises, the rest for $WORKERS workers) over two"
	echo "years, $N_TOTALS totals rows. Seeding took $((T1 - T0)) s (entries) and $((T2 - T1)) s (totals)."
	echo "Each wrk run follows a ${WARMUP} s warm-up."
	echo
	echo '```'
	echo "sh bench/points.sh"
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" \"$URL$BAL_PATH\""
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" \"$URL$WORKER_BOARD\""
	echo '```'
	echo
	echo "| target | req/s | p50 | p99 | goal | met? |"
	echo "| --- | ---: | ---: | ---: | --- | --- |"
	echo "| GET balances (an enterprise) | $B_RPS | $B_P50 ms | $B_P99 ms | p99 < 5 ms | $(bench_met "$B_P99" 5) |"
	echo "| GET ledger, first page of 50 | $L_RPS | $L_P50 ms | $L_P99 ms | – | – |"
	echo "| GET leaderboard, $UNITS enterprises, page of 50 | $O_RPS | $O_P50 ms | $O_P99 ms | p99 < 20 ms | $(bench_met "$O_P99" 20) |"
	echo "| GET leaderboard, $WORKERS workers, page of 50 | $W_RPS | $W_P50 ms | $W_P99 ms | p99 < 20 ms | $(bench_met "$W_P99" 20) |"
	echo "| GET leaderboard, workers, page at place 10,000 | $D_RPS | $D_P50 ms | $D_P99 ms | p99 < 20 ms | $(bench_met "$D_P99" 20) |"
	echo "| POST an award by hand (200, one at a time) | – | $A_P50 ms | $A_P99 ms | – | – |"
	echo "| changai check, every total from the entries | – | ${CHECK_S} s | – | – | – |"
	echo
	echo "changai peak RSS (VmHWM): $RSS kB. Load average (1 min) before and after: $LOAD_BEFORE and $LOAD_AFTER."
} >"$REPORT"
bench_record "$REPORT"
