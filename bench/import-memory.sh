#!/bin/sh
# The server's memory while it imports a roster (issue 11.11), appended to
# bench/RESULTS.md: for each size in BENCH_IMPORT_SIZES (default "400000
# 3500000") a roster is generated, posted to a running server with curl
# (which streams the file), and the server's resident memory is read from
# /proc before the upload and at its peak (VmHWM) once the job is done.
# The goal: peak within the caches (the SQLite writer's page cache,
# CHANGAI_SQLITE_WRITER_CACHE_MIB, default 256, plus the readers' 16 MiB
# each) and 64 MiB over the idle server.
# Environment: BENCH_IMPORT_SIZES, BENCH_NO_RECORD=1, BENCH_BIN,
# CHANGAI_SQLITE_WRITER_CACHE_MIB. Uses 127.0.0.1 only and a temp dir under
# bench/tmp/; stops what it starts.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BENCH_BIN:-build/changai}
SIZES=${BENCH_IMPORT_SIZES:-400000 3500000}
CACHE=${CHANGAI_SQLITE_WRITER_CACHE_MIB:-256}
THREADS=2
RESULTS=bench/RESULTS.md
export CHANGAI_PWHASH_FAST=1

die() {
	echo "bench(import-memory): $*" >&2
	exit 1
}
for tool in curl node sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
[ -x "$BIN" ] || die "$BIN is missing"
mkdir -p bench/tmp
TMP=$(mktemp -d "$ROOT/bench/tmp/impmem.XXXXXX")
SERVER=""
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ORGNAME=宁波甬江精密机械有限公司
ROWS_OUT=""
for N in $SIZES; do
	echo "bench(import-memory): generating a $N-row roster"
	node tests/tools/gen-roster.mjs "$N" "$ORGNAME" >"$TMP/roster.csv"
	BYTES=$(wc -c <"$TMP/roster.csv")
	rm -f "$TMP"/city.db*
	"$BIN" demo --db "$TMP/city.db" --credentials "$TMP/city.creds" >/dev/null 2>&1
	ORG=$(sqlite3 "$TMP/city.db" "SELECT id FROM orgs WHERE name = '甬江街道'")
	CHANGAI_SQLITE_WRITER_CACHE_MIB=$CACHE "$BIN" serve --db "$TMP/city.db" \
		--listen 127.0.0.1:0 --threads $THREADS 2>"$TMP/serve.log" &
	SERVER=$!
	PORT=""
	i=0
	while [ -z "$PORT" ] && [ $i -lt 100 ]; do
		PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$TMP/serve.log")
		i=$((i + 1))
		sleep 0.1
	done
	[ -n "$PORT" ] || die "the server did not start"
	URL="http://127.0.0.1:$PORT"
	PW=$(awk '$2 == "admin" { print $3 }' "$TMP/city.creds")
	curl -s -D "$TMP/login.h" -o "$TMP/login.json" -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$URL/api/v1/session"
	COOKIE=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p' "$TMP/login.h" | tr -d '\r')
	CSRF=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$TMP/login.json")
	[ -n "$COOKIE" ] && [ -n "$CSRF" ] || die "login failed"
	BASE=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVER/status")
	START=$(date +%s.%N)
	JOB=$(curl -s -f -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: text/csv' --data-binary @"$TMP/roster.csv" \
		"$URL/api/v1/imports/workers?org=$ORG" |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).job_id))')
	[ -n "$JOB" ] || die "the upload failed"
	STATE=""
	while :; do
		curl -s -H "Cookie: $COOKIE" "$URL/api/v1/jobs/$JOB" >"$TMP/job.json"
		STATE=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(j.state+" "+j.inserted)' "$TMP/job.json")
		case $STATE in done*|failed*) break ;; esac
		sleep 2
	done
	END=$(date +%s.%N)
	PEAK=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status")
	kill "$SERVER"
	wait "$SERVER" 2>/dev/null || true
	SERVER=""
	case $STATE in "done $N") ;; *) die "the import ended $STATE, not done with $N rows" ;; esac
	SECS=$(awk -v a="$START" -v b="$END" 'BEGIN { printf "%.1f", b - a }')
	RATE=$(awk -v n="$N" -v s="$SECS" 'BEGIN { printf "%d", n / s }')
	OVER=$(awk -v p="$PEAK" -v b="$BASE" 'BEGIN { printf "%.1f", (p - b) / 1024 }')
	ALLOW=$(awk -v c="$CACHE" -v t="$THREADS" 'BEGIN { printf "%d", c + (t + 2) * 16 + 64 }')
	OK=$(awk -v o="$OVER" -v a="$ALLOW" 'BEGIN { print (o <= a) ? "yes" : "no" }')
	echo "bench(import-memory): $N rows ($BYTES bytes) in $SECS s; idle $((BASE / 1024)) MiB, peak $((PEAK / 1024)) MiB"
	ROWS_OUT="$ROWS_OUT
| $N | $BYTES | $SECS s ($RATE rows/s) | $((BASE / 1024)) MiB | $((PEAK / 1024)) MiB | $OVER MiB | ≤ $ALLOW MiB | $OK |"
done

REPORT=$(cat <<EOF

## $(date -u '+%Y-%m-%d %H:%M') UTC — import memory (issue 11.11) — commit $(git rev-parse --short HEAD)

\`\`\`
node tests/tools/gen-roster.mjs N 宁波甬江精密机械有限公司 > roster.csv
changai serve --db city.db --threads $THREADS        # CHANGAI_SQLITE_WRITER_CACHE_MIB=$CACHE
curl --data-binary @roster.csv …/api/v1/imports/workers?org=甬江街道
\`\`\`

| rows | bytes | upload + import | server idle (VmRSS) | server peak (VmHWM) | peak over idle | goal (writer cache + readers' caches + 64 MiB) | met |
| --- | --- | --- | --- | --- | --- | --- | --- |$ROWS_OUT
EOF
)
echo "$REPORT"
if [ -z "${BENCH_NO_RECORD:-}" ]; then
	echo "$REPORT" >>"$RESULTS"
fi
