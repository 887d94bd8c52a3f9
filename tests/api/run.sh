#!/bin/sh
# Black-box API tests against one running server.
#   sh tests/api/run.sh sqlite|postgres
# Builds a demo store (a SQLite file in a temp dir, or a throwaway PostgreSQL
# cluster from scripts/pg-temp.sh), serves it on a free 127.0.0.1 port, runs
# node --test over tests/api/*.test.mjs (one file at a time, in name order),
# prints the TAP output and one line "api(STORE): N passed, M failed".
# CHANGAI_BIN selects another binary (e.g. an ASan build).
# CHANGAI_TODAY=YYYY-MM-DD runs the demo and the server on that business
# date (with CHANGAI_TEST_CLOCK=1) and only the files that say they depend
# on the date (a line "// dates: this file runs at every date of
# tests/dates.txt"); scripts/test.sh runs them so at every date there.
# API_ONLY='63-*' runs only the setup and the files matching the pattern.
set -u

store=${1:-}
case $store in
sqlite | postgres) ;;
*)
	echo "usage: sh tests/api/run.sh sqlite|postgres" >&2
	exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${CHANGAI_BIN:-$root/build/changai}
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
	echo "api($store): $bin not found; run make build/changai" >&2
	exit 1
fi
command -v node > /dev/null || { echo "api($store): node not found" >&2; exit 1; }
stale=
if [ -z "${CHANGAI_BIN:-}" ] && [ -d "$root/src" ]; then
	stale=$(find "$root/src" -type f -newer "$bin" 2> /dev/null | head -n 1)
fi

start_time=$(date +%s)
tmp=$(mktemp -d /tmp/caapi.XXXXXX)
pgdir=
server_pid=

cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
		kill "$server_pid" 2> /dev/null
		i=0
		while kill -0 "$server_pid" 2> /dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$server_pid" 2> /dev/null
	fi
	[ -n "$pgdir" ] && sh "$root/scripts/pg-temp.sh" stop "$pgdir" > /dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export CHANGAI_PWHASH_FAST=1
# /metrics answers only this token
CHANGAI_METRICS_TOKEN=metrics-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export CHANGAI_METRICS_TOKEN
# slow clients are cut after this many seconds (15 in production): the
# tests of 90-limits wait for it
CHANGAI_HEADER_SECONDS=${CHANGAI_HEADER_SECONDS:-3}
export CHANGAI_HEADER_SECONDS
if [ -n "${CHANGAI_TODAY:-}" ]; then
	CHANGAI_TEST_CLOCK=1
	export CHANGAI_TEST_CLOCK CHANGAI_TODAY
fi

if [ "$store" = postgres ]; then
	# a short, new, empty directory for the cluster and its socket
	pgdir=$(mktemp -d /tmp/capg.XXXXXX)
	if ! db=$(sh "$root/scripts/pg-temp.sh" start "$pgdir"); then
		echo "api($store): cannot start PostgreSQL" >&2
		exit 1
	fi
	# the personal-data key lives beside a SQLite file; give PostgreSQL one
	CHANGAI_KEY_FILE=$tmp/changai.key
	export CHANGAI_KEY_FILE
else
	db=$tmp/changai.db
fi
creds=$tmp/credentials

if ! "$bin" demo --db "$db" --credentials "$creds" > "$tmp/demo.log" 2>&1; then
	cat "$tmp/demo.log" >&2
	echo "api($store): changai demo failed" >&2
	exit 1
fi

# a small console directory, with a file beside it that must never be served
mkdir -p "$tmp/web/assets"
printf '<!doctype html><title>changai test console</title>\n' > "$tmp/web/index.html"
printf 'console.log("app");\n' > "$tmp/web/assets/app-0123abcd.js"
printf 'CANARY-OUTSIDE-WEB-ROOT\n' > "$tmp/secret.txt"

log=$tmp/server.log
# the red-task sweep runs at start only; the tests run it with changai sweep
CHANGAI_SWEEP_SECONDS=3600 \
	"$bin" serve --db "$db" --listen 127.0.0.1:0 --web "$tmp/web" > "$log" 2>&1 &
server_pid=$!

# the kernel picks the port; the server logs it
port=
i=0
while [ $i -lt 100 ]; do
	port=$(sed -n 's/.*listening on .*(port \([0-9][0-9]*\)).*/\1/p' "$log" | head -n 1)
	[ -n "$port" ] && [ "$port" != 0 ] && break
	if ! kill -0 "$server_pid" 2> /dev/null; then
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ] || [ "$port" = 0 ]; then
	cat "$log" >&2
	echo "api($store): the server did not start" >&2
	exit 1
fi
url=http://127.0.0.1:$port
ok=
i=0
while [ $i -lt 100 ]; do
	if node -e "fetch('$url/healthz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))" 2> /dev/null; then
		ok=1
		break
	fi
	kill -0 "$server_pid" 2> /dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$ok" ]; then
	cat "$log" >&2
	echo "api($store): /healthz did not answer within 10 s" >&2
	exit 1
fi

# every test file, in name order (00-setup first, zz-tamper last); on a
# set date the ones that depend on it (and the setup they need)
files=$(ls "$here"/*.test.mjs | LC_ALL=C sort)
if [ -n "${CHANGAI_TODAY:-}" ]; then
	files=$(for f in $files; do
		case $f in */00-setup.test.mjs) echo "$f"; continue ;; esac
		grep -q '^// dates: this file runs at every date of tests/dates.txt' "$f" && echo "$f"
	done)
fi
# API_ONLY=PATTERN: the setup and the files whose names match (a shell
# pattern), for working on one capability
if [ -n "${API_ONLY:-}" ]; then
	files=$(for f in $files; do
		case ${f##*/} in 00-setup.test.mjs | $API_ONLY) echo "$f" ;; esac
	done)
fi
out=$tmp/tap.out
CHANGAI_URL=$url CHANGAI_CREDS=$creds CHANGAI_DB=$db CHANGAI_STORE=$store \
CHANGAI_BIN=$bin CHANGAI_PID=$server_pid \
	timeout 900 node --test --test-reporter=tap --test-concurrency=1 \
	--test-timeout=60000 $files > "$out" 2>&1
node_rc=$?
cat "$out"
[ -n "$stale" ] && echo "# warning: $bin is older than $stale; run make build/changai"

pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
pass=${pass:-0}
fail=${fail:-0}

alive=1
kill -0 "$server_pid" 2> /dev/null || alive=0
if [ $alive = 0 ]; then
	echo "# the server (pid $server_pid) is no longer running; its log:"
	sed 's/^/# /' "$log" | tail -n 40
elif grep -q -E ' error |ERROR|AddressSanitizer|runtime error' "$log"; then
	echo "# the server logged errors:"
	grep -E ' error |ERROR|AddressSanitizer|runtime error' "$log" | sed 's/^/# /' | head -n 40
fi
end_time=$(date +%s)
echo "# runtime ($store): $((end_time - start_time)) s"
echo "api($store): $pass passed, $fail failed"

if [ "$fail" -gt 0 ] || [ "$pass" -eq 0 ] || [ $alive = 0 ]; then
	exit 1
fi
if [ $node_rc -ne 0 ]; then
	echo "api($store): node --test exited with $node_rc" >&2
	exit 1
fi
exit 0
