#!/bin/sh
# End-to-end tests of the console: a demo store in a temporary directory,
# `changai serve` on 127.0.0.1 at a free port with the built console, and
# node:test files in tests/e2e driving Debian's Chromium (playwright-core).
# Prints "e2e: N passed, M failed". Screenshots go to tests/e2e/screenshots/.
# Needs build/changai (make) and web/dist (scripts/web.sh).
#   CHANGAI_BIN=PATH   the server binary (default build/changai)
#   CHANGAI_E2E_FILES  the test files (default tests/e2e/*.test.mjs; keep
#                      00-seed.test.mjs first when choosing a few)
#   CHANGAI_TODAY      a business date for the demo and the server (with
#                      CHANGAI_TEST_CLOCK=1); then only the files that say
#                      they depend on the date run, after 00-seed
set -u
cd "$(dirname "$0")/.."
BIN=${CHANGAI_BIN:-build/changai}
TMP=$(mktemp -d /tmp/changai-e2e.XXXXXX)
PID=""
cleanup() {
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2>/dev/null
		i=0
		while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

fail() {
	echo "e2e: $*" >&2
	echo "e2e: 0 passed, 1 failed"
	exit 1
}
[ -x "$BIN" ] || fail "$BIN is missing (make build/changai)"
[ -f web/dist/index.html ] || fail "web/dist is missing (sh scripts/web.sh)"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (scripts/deps.sh test)"
if [ -n "${CHANGAI_TODAY:-}" ]; then
	CHANGAI_TEST_CLOCK=1
	export CHANGAI_TEST_CLOCK CHANGAI_TODAY
	if [ -z "${CHANGAI_E2E_FILES:-}" ]; then
		CHANGAI_E2E_FILES="tests/e2e/00-seed.test.mjs $(grep -l '^// dates: this file runs at every date of tests/dates.txt' tests/e2e/*.test.mjs | tr '\n' ' ')"
	fi
fi

CHANGAI_PWHASH_FAST=1 "$BIN" demo --db "$TMP/e2e.db" --credentials "$TMP/creds" \
	--workers 3000 >"$TMP/demo.log" 2>&1 || {
	cat "$TMP/demo.log" >&2
	fail "changai demo failed"
}
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
CHANGAI_PWHASH_FAST=1 "$BIN" serve --db "$TMP/e2e.db" --listen "127.0.0.1:$PORT" \
	--web web/dist >"$TMP/serve.log" 2>&1 &
PID=$!
i=0
until node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
		cat "$TMP/serve.log" >&2
		fail "changai serve did not start on 127.0.0.1:$PORT"
	fi
	sleep 0.1
done

CHANGAI_E2E_URL="http://127.0.0.1:$PORT" CHANGAI_E2E_CREDS="$TMP/creds" \
CHANGAI_E2E_TMP="$TMP" CHANGAI_E2E_DB="$TMP/e2e.db" CHANGAI_E2E_BIN="$BIN" \
	timeout 900 node --test --test-concurrency=1 --test-reporter=spec \
	${CHANGAI_E2E_FILES:-tests/e2e/*.test.mjs} >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$TMP/out" | tail -n 1)
f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$TMP/out" | tail -n 1)
p=${p:-0}
f=${f:-0}
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	f=1
	tail -n 30 "$TMP/serve.log" >&2
fi
echo "e2e: $p passed, $f failed"
[ "$f" -eq 0 ]
