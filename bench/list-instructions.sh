#!/bin/sh
# Instructions per GET /api/v1/workers request (largest enterprise, levels
# 2-5, page of 50), counted by callgrind: repeatable where req/s on a
# shared machine is not, so a change to the list path can be judged by
# itself. Prints the total per request and the parts: the list handler
# (h_list), and within it and the login check the store's stepping
# (db_step). Nothing is recorded.
# Environment: BENCH_WORKERS (default 300000), BENCH_REQUESTS (300),
# BENCH_BIN, BENCH_DEMO_BIN (the binary that builds the city, default
# BENCH_BIN: one older binary's city compares two versions on the same
# rows). Uses 127.0.0.1 and a temp dir under bench/tmp/; stops what it
# starts.
set -eu

cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-build/changai}
WORKERS=${BENCH_WORKERS:-300000}
REQS=${BENCH_REQUESTS:-300}
export CHANGAI_PWHASH_FAST=1
for tool in valgrind callgrind_annotate curl sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "list-instructions: $tool is missing" >&2; exit 1; }
done
mkdir -p bench/tmp
TMP=$(mktemp -d "$(pwd)/bench/tmp/cg.XXXXXX")
VG=""
cleanup() {
	[ -n "$VG" ] && kill "$VG" 2>/dev/null && wait "$VG" 2>/dev/null
	[ -n "${CG_KEEP:-}" ] && cp "$TMP/cg.out" "$CG_KEEP" 2>/dev/null; rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

"${BENCH_DEMO_BIN:-$BIN}" demo --db "$TMP/city.db" --credentials "$TMP/creds" --workers "$WORKERS" >/dev/null 2>&1
ORG=$(sqlite3 "$TMP/city.db" "SELECT org_id FROM workers GROUP BY org_id ORDER BY count(*) DESC LIMIT 1")
valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$BIN" serve \
	--db "$TMP/city.db" --listen 127.0.0.1:0 --threads 1 2>"$TMP/serve.log" &
VG=$!
PORT=""
i=0
while [ -z "$PORT" ] && [ $i -lt 300 ]; do
	PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$TMP/serve.log")
	i=$((i + 1))
	sleep 0.2
done
[ -n "$PORT" ] || { echo "list-instructions: the server did not start" >&2; exit 1; }
URL="http://127.0.0.1:$PORT"
PW=$(awk '$2 == "admin" { print $3 }' "$TMP/creds")
TOKEN=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$URL/api/v1/session" |
	sed -n 's/^Set-Cookie: changai_session=\([^;]*\).*/\1/p' | tr -d '\r')
[ -n "$TOKEN" ] || { echo "list-instructions: login failed" >&2; exit 1; }
PATHQ="/api/v1/workers?org=$ORG&level_min=2&level_max=5&limit=50"
n=0
while [ $n -lt "$REQS" ]; do
	curl -sf -o /dev/null -H "Cookie: changai_session=$TOKEN" "$URL$PATHQ"
	n=$((n + 1))
done
kill -INT "$VG"
wait "$VG" 2>/dev/null || true
VG=""
# the login is one request too; its share is small against REQS lists
callgrind_annotate --inclusive=yes "$TMP/cg.out" 2>/dev/null | awk -v n="$REQS" '
	# a function may be listed more than once (cycles): its largest count
	/server\.c:on_request( |$)/ { gsub(",", "", $1); if ($1 + 0 > total) total = $1 + 0 }
	/db\.c:db_step( |$)/ { gsub(",", "", $1); if ($1 + 0 > step) step = $1 + 0 }
	/api\.c:h_list( |$)/ { gsub(",", "", $1); if ($1 + 0 > list) list = $1 + 0 }
	END {
		printf "GET %s on a %s-worker city, %d requests (callgrind)\n", "/api/v1/workers (largest enterprise, levels 2-5, 50 rows)", "'"$WORKERS"'", n
		printf "  per request: %d instructions; the list handler %d; stepping the store %d\n", total / n, list / n, step / n
	}'
