#!/bin/sh
# Plans benchmark: the reconciliation statement (对账单) of a city plan with
# 2,000 sub-items across 150 owners and 50,000 progress reports, as JSON
# and as .xlsx. Prints the figures and appends a dated section to
# bench/RESULTS.md (goal: p99 < 200 ms for the JSON statement).
#
#   sh bench/plans.sh            (after make -j2 build/changai)
#
# The data goes in through the API, as officials would put it: the city
# admin creates the plan, imports its 2,000 rows as one CSV (owners: the
# city demo's 150 streets and parks, a co-owner on every third row), then
# posts 50,000 reports (25 per sub-item, dated through the year, cumulative
# values) from 16 concurrent clients. Then wrk measures the two reads.
#
# Environment: the BENCH_* settings of bench/lib.sh.
#
# Uses only 127.0.0.1 and a temporary directory under bench/tmp/; stops
# the server it started, by PID. Exit 0 whether or not the goal is met;
# non-zero when something broke.
set -eu

BENCH_NAME=plans BENCH_TOOLS="wrk curl node awk"
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SUBITEMS=2000
OWNERS=150
REPORTS=50000

# ---- a city store and its server ----
bench_city_server

# ---- the plan, its rows and its reports, through the API ----
cat >"$TMP/load.mjs" <<'EOF'
// Loads the plan: argv URL CREDS SUBITEMS OWNERS REPORTS; prints
// "TOKEN PLAN_ID IMPORT_SECONDS REPORT_SECONDS".
import { readFileSync } from 'node:fs';
const [url, credsFile, nSub, nOwners, nReports] = process.argv.slice(2);
const SUB = Number(nSub), OWN = Number(nOwners), REP = Number(nReports);
const pw = readFileSync(credsFile, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === 'admin')[2];
let r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: pw }) });
if (r.status !== 200) throw new Error(`login: ${r.status}`);
const csrf = (await r.json()).csrf_token;
const token = /changai_session=([^;]*)/.exec(r.headers.getSetCookie().join(';'))[1];
const H = { Cookie: `changai_session=${token}`, 'X-CSRF-Token': csrf };
async function call(method, path, body, type = 'application/json') {
  const res = await fetch(url + path, { method, headers: { ...H, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}
async function get(path) {
  const res = await fetch(url + path, { headers: H });
  return res.json();
}
// owners: the city's streets and parks (named 第N街道 / 第N产业园区)
const owners = [];
for (const kind of ['street', 'park']) {
  const list = await get(`/api/v1/orgs?under=1&kind=${kind}&limit=500`);
  owners.push(...list.items.filter((o) => o.name.includes('第')).map((o) => o.name));
}
if (owners.length < OWN) throw new Error(`only ${owners.length} streets and parks`);
owners.length = OWN;
const year = new Date().getUTCFullYear();
const today = new Date().toISOString().slice(0, 10);
let p = await call('POST', '/api/v1/plans', { org_id: 1, year, title: `宁波市${year}年产业工人队伍建设改革任务清单（基准测试）` });
if (p.status !== 201) throw new Error(`plan: ${p.status} ${p.text}`);
const plan = p.json.id;
const aspects = ['思想政治引领', '技能形成体系', '发展保障机制', '建功立业载体'];
const rows = ['方面,大项,分项,牵头单位,配合单位,完成时限,目标值,单位'];
for (let i = 0; i < SUB; i++) {
  const a = aspects[Math.floor((i * 4) / SUB)], item = `工作目标${Math.floor(i / 10) + 1}`;
  const month = 3 + (i % 10);
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  const co = i % 3 === 0 ? owners[(i + 7) % OWN] : '';
  const target = i % 17 === 0 ? '里程碑' : String(50 + (i % 40) * 10);
  rows.push(`${a},${item},重点工作任务${i + 1},${owners[i % OWN]},${co},${last},${target},${target === '里程碑' ? '' : '个'}`);
}
let t0 = Date.now();
const imp = await call('POST', `/api/v1/plans/${plan}/import`, '\uFEFF' + rows.join('\r\n') + '\r\n', 'text/csv');
if (imp.status !== 201) throw new Error(`import: ${imp.status} ${imp.text.slice(0, 500)}`);
const importSecs = (Date.now() - t0) / 1000;
const tree = await get(`/api/v1/plans/${plan}/tree`);
const subs = tree.nodes.flatMap((x) => x.children.flatMap((y) => y.children));
if (subs.length !== SUB) throw new Error(`${subs.length} sub-items`);
// reports: PER per sub-item, dated through the year up to today
const PER = Math.ceil(REP / SUB);
const start = Date.UTC(year, 0, 1), span = Math.max(1, (Date.parse(today) - start) / 86400000);
const jobs = [];
for (let k = 0; k < PER; k++) {
  for (const s of subs) {
    if (jobs.length >= REP) break;
    const as_of = new Date(start + Math.floor((span * (k + 1)) / PER) * 86400000).toISOString().slice(0, 10);
    const body = s.target.milestone ? { done: k === PER - 1 && s.id % 2 === 0, as_of } :
      { value: Math.round((s.target.value * (k + 1) * (0.7 + (s.id % 5) / 10)) / PER), as_of, note: `第${k + 1}次报送` };
    jobs.push([s.id, body]);
  }
}
t0 = Date.now();
let next = 0, failed = 0;
async function worker() {
  while (next < jobs.length) {
    const [node, body] = jobs[next++];
    const res = await call('POST', `/api/v1/plans/${plan}/nodes/${node}/reports`, body);
    if (res.status !== 201 && failed++ < 3) console.error(res.status, res.text);
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
if (failed) throw new Error(`${failed} reports failed`);
const reportSecs = (Date.now() - t0) / 1000;
const st = await get(`/api/v1/plans/${plan}/statement`);
if (st.rows.length !== SUB) throw new Error('statement rows');
console.log(`${token} ${plan} ${importSecs.toFixed(1)} ${reportSecs.toFixed(1)}`);
EOF
say "loading $SUBITEMS sub-items across $OWNERS owners and $REPORTS reports through the API"
LOAD=$(node "$TMP/load.mjs" "$URL" "$TMP/creds" $SUBITEMS $OWNERS $REPORTS) ||
	die "loading the plan failed"
set -- $LOAD
TOKEN=$1 PLAN=$2 IMPORT_S=$3 REPORT_S=$4

# ---- measurements ----

# other work on the machine shows in the tail latencies: say how busy it was
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
JSON_PATH=/api/v1/plans/$PLAN/statement
XLSX_PATH=/api/v1/plans/$PLAN/statement.xlsx
bytes_json=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: changai_session=$TOKEN" "$URL$JSON_PATH")
bytes_xlsx=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: changai_session=$TOKEN" "$URL$XLSX_PATH")
say "statement JSON ($bytes_json bytes)"
set -- $(bench_run json 2 "$JSON_PATH")
J_RPS=$1 J_P50=$2 J_P99=$3 J_BAD=$4
say "statement .xlsx ($bytes_xlsx bytes)"
set -- $(bench_run xlsx 2 "$XLSX_PATH")
X_RPS=$1 X_P50=$2 X_P99=$3 X_BAD=$4
[ "$J_BAD" = 0 ] && [ "$X_BAD" = 0 ] || die "non-2xx responses (json $J_BAD, xlsx $X_BAD)"
RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status" 2>/dev/null || echo 0)
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
MET=no
awk -v p="$J_P99" 'BEGIN { exit !(p < 200) }' && MET=yes

REPORT=$TMP/report.md
{
	bench_heading "plans statement"
	echo "(\`changai demo --workers 1000\`). A city plan of $SUBITEMS sub-items (4 aspects, 200 items) led by"
	echo "$OWNERS streets and parks, a co-owner on every third; $REPORTS reports through the API"
	echo "(import of the CSV: ${IMPORT_S} s; reports from 16 clients: ${REPORT_S} s). TOKEN is the city"
	echo "admin's session (it sees every row). Each run follows a ${WARMUP} s warm-up with the same arguments."
	echo
	echo '```'
	echo "sh bench/plans.sh"
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" $URL$JSON_PATH"
	echo "wrk -t1 -c2 -d${SECONDS_RUN}s --latency -H \"Cookie: changai_session=TOKEN\" $URL$XLSX_PATH"
	echo '```'
	echo
	echo "| target | size | req/s | p50 | p99 | goal | met? |"
	echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
	echo "| GET statement (JSON, $SUBITEMS rows) | $bytes_json B | $J_RPS | $J_P50 ms | $J_P99 ms | p99 < 200 ms | $MET |"
	echo "| GET statement.xlsx | $bytes_xlsx B | $X_RPS | $X_P50 ms | $X_P99 ms | – | – |"
	echo
	echo "changai peak RSS (VmHWM): $RSS kB. Load average (1 min) before and after the runs:"
	echo "$LOAD_BEFORE and $LOAD_AFTER (other jobs on the machine lengthen the tail)."
} >"$REPORT"
bench_record "$REPORT"
