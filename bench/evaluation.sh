#!/bin/sh
# Evaluation index benchmark (issue 14's scale): 6,300 enterprises × 40
# indicators (4 dimensions of 10; half read from the registry's metrics,
# half reported, 126,000 accepted values), one bonus and one veto node.
# Measures computing the period (the job, from request to done), the
# explanation of one unit and ranking pages. Appends a dated section to
# bench/RESULTS.md (goals: compute ≤ 5 s, explain p99 < 20 ms, a ranking
# page p99 < 10 ms).
#
#   sh bench/evaluation.sh       (after make -j2 build/changai)
#
# The index, its nodes and its period go in through the API; the 6,300
# enterprises, their rollups and the reported values are written into the
# store directly, with sqlite3 or psql (through the API they would take
# minutes and measure the org and value endpoints instead).
#
#   BENCH_STORE=postgres sh bench/evaluation.sh     (the same on PostgreSQL)
#
# Environment: the BENCH_* settings of bench/lib.sh.
#
# Uses only 127.0.0.1 and a temporary directory under bench/tmp/; stops
# the server it started, by PID. Exit 0 whether or not the goals are met;
# non-zero when something broke.
set -eu

BENCH_NAME=evaluation BENCH_TOOLS="wrk curl node awk"
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
UNITS=6300

# ---- a city store and its server ----
bench_city_server

# ---- the index through the API, the units and values into the store ----
cat >"$TMP/load.mjs" <<'SCRIPT'
// argv URL CREDS STEP [ARGS]: "setup" makes the district, index, nodes and
// period and prints "TOKEN DISTRICT INDEX PERIOD"; "compute PERIOD" and
// "robust PERIOD" (200 replications) print the seconds from request to done.
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
if (step === 'setup') {
  const token = await login();
  const d = await call('POST', '/api/v1/orgs', { parent_id: 1, kind: 'district', name: '基准测试区' });
  const x = await call('POST', '/api/v1/indexes', { org_id: d.id, title: '企业产改指数（基准测试）', unit_kind: 'enterprise' });
  const metrics = ['workers.count', 'workers.skilled', 'workers.high_skilled', 'workers.high_skill_ratio', 'workers.union_rate'];
  const methods = [{ kind: 'linear', worst: 0, best: 200 },
    { kind: 'bands', bands: [{ min: 0, score: 40 }, { min: 20, score: 70 }, { min: 80, score: 100 }] },
    { kind: 'ratio', benchmark: 50 }, { kind: 'efficacy', worst: 0, best: 0.5 }, { kind: 'linear', worst: 0.5, best: 1 }];
  for (let dIx = 1; dIx <= 4; dIx++) {
    const dim = await call('POST', `/api/v1/indexes/${x.id}/nodes`, { kind: 'dimension', code: `D${dIx}`, title: `维度${dIx}`, weight: 25 });
    for (let i = 1; i <= 10; i++) {
      const k = (dIx * 10 + i) % 5;
      const reported = i % 2 === 0;
      await call('POST', `/api/v1/indexes/${x.id}/nodes`, {
        parent_id: dim.id, kind: 'indicator', code: `D${dIx}I${i}`, title: `指标${dIx}-${i}`, weight: 1 + (i % 3),
        source: reported ? { reported: true } : { metric: metrics[k] },
        method: reported ? { kind: 'linear', worst: 0, best: 10 } : methods[k],
      });
    }
  }
  await call('POST', `/api/v1/indexes/${x.id}/nodes`, { kind: 'bonus', code: 'B', title: '加分', source: { reported: true }, cap: 5 });
  await call('POST', `/api/v1/indexes/${x.id}/nodes`, { kind: 'veto', code: 'V', title: '否决', source: { reported: true } });
  const p = await call('POST', `/api/v1/indexes/${x.id}/periods`, { label: '2026', from: '2026-01-01', to: '2026-12-31' });
  console.log(`${token} ${d.id} ${x.id} ${p.id}`);
} else {
  const [period] = args;
  await login();
  const t0 = Date.now();
  const r = step === 'robust' ?
    await call('POST', `/api/v1/periods/${period}/robustness`, { replications: 200, spread: 0.25, seed: 1, top: 10 }) :
    await call('POST', `/api/v1/periods/${period}/compute`);
  for (;;) {
    const j = await call('GET', `/api/v1/jobs/${r.job_id}`);
    if (j.state === 'done') break;
    if (j.state === 'failed') throw new Error(`compute failed: ${j.error}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  console.log(((Date.now() - t0) / 1000).toFixed(2));
}
SCRIPT
say "the index, 40 indicators and a period through the API"
LOAD=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" setup) || die "setting up the index failed"
set -- $LOAD
TOKEN=$1 DISTRICT=$2 INDEX=$3 PERIOD=$4
say "$UNITS enterprises, their rollups and the reported values into the store"
DPATH=$(bench_sql "SELECT path FROM orgs WHERE id = $DISTRICT")
NOW_S=$(date +%s)
bench_sql "BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $UNITS)
INSERT INTO orgs (parent_id, kind, name, path, depth, above_scale, created, updated)
	SELECT $DISTRICT, 'enterprise', '基准企业' || i, '${DPATH}u' || i || '/', 3, i % 2,
		$NOW_S, $NOW_S FROM n;
UPDATE orgs SET path = '$DPATH' || id || '/' WHERE parent_id = $DISTRICT;
WITH l(level, union_member, k) AS (VALUES (0, 0, 1), (2, 1, 3), (4, 1, 5), (6, 0, 7))
INSERT INTO worker_rollup (org_id, skill_level, union_member, status, n)
	SELECT o.id, l.level, l.union_member, 'active', 1 + (o.id * l.k) % 60 FROM orgs o, l
	WHERE o.parent_id = $DISTRICT;
INSERT INTO eval_values (period_id, org_id, node_id, value, note, state, entered_name, entered)
	SELECT $PERIOD, o.id, n.id,
		CASE n.kind WHEN 'veto' THEN CASE WHEN o.id % 50 <> 0 THEN 1 ELSE 0 END
			ELSE (o.id * n.id) % 11 END,
		'基准', 'accepted', 'bench', $NOW_S
	FROM orgs o, eval_nodes n
	WHERE o.parent_id = $DISTRICT AND n.index_id = $INDEX AND n.reported = 1;
COMMIT;" || die "seeding the store failed"
VALUES_N=$(bench_sql "SELECT count(*) FROM eval_values WHERE period_id = $PERIOD")
say "computing the period ($VALUES_N reported values), twice"
COMPUTE_1=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" compute "$PERIOD") || die "compute failed"
COMPUTE_2=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" compute "$PERIOD") || die "compute failed"
say "testing the ranking's robustness: 200 replications"
ROBUST=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" robust "$PERIOD") || die "robustness failed"
ROBUST_N=$(bench_sql "SELECT count(*) FROM eval_robust WHERE period_id = $PERIOD")
[ "$ROBUST_N" = "$UNITS" ] || die "$ROBUST_N units in the robustness run, not $UNITS"
SCORED=$(bench_sql "SELECT count(*) FROM eval_scores WHERE period_id = $PERIOD")
[ "$SCORED" = "$UNITS" ] || die "$SCORED units scored, not $UNITS"
UNIT=$(bench_sql "SELECT org_id FROM eval_scores WHERE period_id = $PERIOD \
	ORDER BY total DESC, org_id LIMIT 1 OFFSET 3000")

# ---- measurements ----

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
EXPLAIN_PATH=/api/v1/periods/$PERIOD/scores/$UNIT/explain
PAGE_PATH="/api/v1/periods/$PERIOD/scores?limit=50"
DEEP_PATH="/api/v1/periods/$PERIOD/scores?limit=50&after=$(node -e "console.log(Buffer.from('c1:6000').toString('base64url'))")"
bytes_explain=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: changai_session=$TOKEN" "$URL$EXPLAIN_PATH")
code_deep=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: changai_session=$TOKEN" "$URL$DEEP_PATH")
[ "$code_deep" = 200 ] || die "the page at 6,000 answered $code_deep"
say "explain ($bytes_explain bytes)"
set -- $(bench_run explain 2 "$EXPLAIN_PATH")
E_RPS=$1 E_P50=$2 E_P99=$3 E_BAD=$4
say "the first ranking page"
set -- $(bench_run page 2 "$PAGE_PATH")
P_RPS=$1 P_P50=$2 P_P99=$3 P_BAD=$4
say "a ranking page at position 6,000"
set -- $(bench_run deep 2 "$DEEP_PATH")
Q_RPS=$1 Q_P50=$2 Q_P99=$3 Q_BAD=$4
[ "$E_BAD" = 0 ] && [ "$P_BAD" = 0 ] && [ "$Q_BAD" = 0 ] || die "non-2xx responses"
RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status" 2>/dev/null || echo 0)
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

REPORT=$TMP/report.md
{
	bench_heading "evaluation index"
	echo "(\`changai demo --workers 1000\`) plus $UNITS enterprises in one district, each with registry"
	echo "rollups; an index of 4 dimensions × 10 indicators (20 metrics, 20 reported), a bonus and a"
	echo "veto; $VALUES_N accepted values. Compute is the job from POST to done, twice (the second"
	echo "replaces the first's rows). Each wrk run follows a ${WARMUP} s warm-up."
	echo
	echo '```'
	echo "sh bench/evaluation.sh"
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" $URL$EXPLAIN_PATH"
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" \"$URL$PAGE_PATH\""
	echo '```'
	echo
	echo "| target | req/s | p50 | p99 | goal | met? |"
	echo "| --- | ---: | ---: | ---: | --- | --- |"
	echo "| compute $UNITS units × 42 nodes (two runs) | – | ${COMPUTE_1} s, ${COMPUTE_2} s | – | ≤ 5 s | $(bench_met "$COMPUTE_2" 5) |"
	echo "| robustness, 200 replications × $UNITS units | – | ${ROBUST} s | – | ≤ 30 s | $(bench_met "$ROBUST" 30) |"
	echo "| GET explain ($bytes_explain B) | $E_RPS | $E_P50 ms | $E_P99 ms | p99 < 20 ms | $(bench_met "$E_P99" 20) |"
	echo "| GET scores, first page of 50 | $P_RPS | $P_P50 ms | $P_P99 ms | p99 < 10 ms | $(bench_met "$P_P99" 10) |"
	echo "| GET scores, page at 6,000 | $Q_RPS | $Q_P50 ms | $Q_P99 ms | p99 < 10 ms | $(bench_met "$Q_P99" 10) |"
	echo
	echo "changai peak RSS (VmHWM): $RSS kB. Load average (1 min) before and after: $LOAD_BEFORE and $LOAD_AFTER."
} >"$REPORT"
bench_record "$REPORT"
