#!/bin/sh
# Instructions per imported row (changai import workers, a generated
# roster of BENCH_ROWS rows, default 20000, into a fresh demo store),
# counted by callgrind: repeatable where rows/s on a shared machine is not.
# Prints only; nothing is recorded. Environment: BENCH_ROWS, BENCH_BIN.
# Uses a temp dir under bench/tmp/, removed on exit.
set -eu

cd "$(dirname "$0")/.."
BIN=${BENCH_BIN:-build/changai}
ROWS=${BENCH_ROWS:-20000}
export CHANGAI_PWHASH_FAST=1
for tool in valgrind node sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || { echo "import-instructions: $tool is missing" >&2; exit 1; }
done
mkdir -p bench/tmp
TMP=$(mktemp -d "$(pwd)/bench/tmp/ci.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

node tests/tools/gen-roster.mjs "$ROWS" 宁波甬江精密机械有限公司 >"$TMP/roster.csv"
"$BIN" demo --db "$TMP/a.db" --credentials "$TMP/creds" >/dev/null 2>&1
ORG=$(sqlite3 "$TMP/a.db" "SELECT id FROM orgs WHERE name = '甬江街道'")
valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$BIN" import workers \
	"$TMP/roster.csv" --org "$ORG" --db "$TMP/a.db" >"$TMP/out" 2>"$TMP/vg.log"
grep -q "$ROWS inserted" "$TMP/out" || { cat "$TMP/out" >&2; exit 1; }
awk -v n="$ROWS" '/Collected :/ { gsub(",", "", $4); printf "changai import workers: %d rows, %d instructions per row (callgrind, whole process)\n", n, $4 / n }' "$TMP/vg.log"
