#!/bin/sh
# The console's first load: builds web/dist (scripts/web.sh), starts
# changai on a fresh demo store (127.0.0.1, a free port), and measures the
# dashboard in Chromium with bench/web.mjs: the transfer of everything the
# page loads (each response gzipped at level 6, summed: what a compressing
# proxy would send) and the time until it is interactive (KPIs filled in,
# pyramid drawn). Goals (issue 5): < 600 KB gzipped, < 1.5 s. Appends a
# dated section to bench/RESULTS.md (BENCH_NO_RECORD=1: print only).
#   BENCH_WEB_RUNS=N   cold loads measured (default 7; the median is reported)
#   BENCH_BIN=PATH     the changai binary (default build/changai)
set -eu
cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-build/changai}
RUNS=${BENCH_WEB_RUNS:-7}
RESULTS=bench/RESULTS.md
if [ ! -x /usr/bin/chromium ]; then
	echo "bench/web: /usr/bin/chromium is missing (scripts/deps.sh test installs it); skipped"
	exit 0
fi
[ -x "$BIN" ] || { echo "bench/web: $BIN is missing (make)" >&2; exit 1; }
sh scripts/web.sh >/dev/null

TMP=$(mktemp -d /tmp/changai-bench-web.XXXXXX)
PID=""
cleanup() {
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2>/dev/null || true
		i=0
		while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

CHANGAI_PWHASH_FAST=1 "$BIN" demo --db "$TMP/web.db" --credentials "$TMP/creds" \
	--workers 3000 >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$BIN" serve --db "$TMP/web.db" --listen "127.0.0.1:$PORT" --web web/dist >"$TMP/serve.log" 2>&1 &
PID=$!
i=0
until node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
		cat "$TMP/serve.log" >&2
		echo "bench/web: changai did not start" >&2
		exit 1
	fi
	sleep 0.1
done
USER=$(awk '$2 == "admin" { print $2; exit }' "$TMP/creds")
PASS=$(awk '$2 == "admin" { print $3; exit }' "$TMP/creds")
OUT=$(timeout 300 node bench/web.mjs "http://127.0.0.1:$PORT" "$USER" "$PASS" "$RUNS")
echo "$OUT"
line() { node -e "const o=JSON.parse(process.argv[1]);console.log(o[process.argv[2]])" "$OUT" "$1"; }
GZ=$(line transfer_gz_kb)
ASSETS=$(line assets_gz_kb)
RAW=$(line raw_kb)
TTI=$(line tti_ms)
REQS=$(line requests)
ALL=$(node -e "console.log(JSON.parse(process.argv[1]).tti_all.join(', '))" "$OUT")
BIG=$(node -e "console.log(JSON.parse(process.argv[1]).largest.join('; '))" "$OUT")
MET_GZ=$(awk -v v="$GZ" 'BEGIN { print (v < 600 ? "yes" : "no") }')
MET_TTI=$(awk -v v="$TTI" 'BEGIN { print (v < 1500 ? "yes" : "no") }')
TABLE=$(cat <<EOT
| measure (dashboard, cold cache, median of $RUNS) | value | goal | met? |
| --- | ---: | --- | --- |
| transfer, gzipped (all $REQS responses) | $GZ KB | < 600 KB | $MET_GZ |
| of which the built console (JS, CSS, HTML) | $ASSETS KB | | |
| transfer, uncompressed | $RAW KB | | |
| time to interactive | $TTI ms | < 1500 ms | $MET_TTI |
EOT
)
echo
echo "$TABLE"
if [ "${BENCH_NO_RECORD:-0}" = 1 ]; then
	exit 0
fi
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- web 2>/dev/null)" ]; then
	COMMIT="$COMMIT (with uncommitted changes in web/)"
fi
{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — console first load, commit $COMMIT"
	echo
	echo "Machine: $(nproc) cores, $(uname -s) $(uname -r); $(/usr/bin/chromium --version 2>/dev/null | head -n 1 | sed 's/ built.*//'), headless, 1280×800."
	echo "The demo admin logged in, then /dashboard loaded in a new browser context each run"
	echo "(changai serves files uncompressed; each response body is gzipped at level 6 here and summed)."
	echo "Interactive = the KPI figures filled in and the skill pyramid drawn, from navigation start."
	echo
	echo '```'
	echo "sh bench/web.sh   # node bench/web.mjs http://127.0.0.1:PORT admin PASSWORD $RUNS"
	echo '```'
	echo
	echo "$TABLE"
	echo
	echo "Runs (ms): $ALL. Largest responses: $BIG."
} >>"$RESULTS"
echo "bench/web: appended to $RESULTS"
