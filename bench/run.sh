#!/bin/sh
# changai throughput benchmark: wrk against a throwaway nginx serving a
# static JSON file (the baseline), then changai's /healthz and an
# authenticated GET /api/v1/orgs/2 on a fresh demo store. Prints a table and
# appends a dated section to bench/RESULTS.md. See bench/README.md.
#
# Environment:
#   BENCH_THREADS=N        changai --threads (default 2)
#   BENCH_SECONDS=S        wrk duration per measured run (default 10)
#   BENCH_WARMUP=S         warm-up before each run (default 2)
#   BENCH_NGINX_WORKERS=N  nginx worker_processes (default 2)
#   BENCH_NO_RECORD=1      print only; do not append to bench/RESULTS.md
#   BENCH_BIN=PATH         the changai binary (default build/changai)
#
# Exit 0 whether or not the goals are met; non-zero when something broke
# (a server did not start, a check failed, wrk saw non-2xx responses).
# Uses only 127.0.0.1, free ports in 18000-18999, and a temporary directory
# under bench/tmp/; stops every process it started, by PID.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)

THREADS=${BENCH_THREADS:-2}
SECONDS_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-2}
BIN=${BENCH_BIN:-build/changai}
RESULTS=bench/RESULTS.md
WRK_OPTS="-t2 -c32 -d${SECONDS_RUN}s --latency"

die() {
	echo "bench: $*" >&2
	exit 1
}

for v in "$THREADS" "$SECONDS_RUN" "$WARMUP" "$NGINX_WORKERS"; do
	case $v in
	'' | *[!0-9]* | 0) die "BENCH_THREADS, BENCH_SECONDS, BENCH_WARMUP and BENCH_NGINX_WORKERS must be positive integers" ;;
	esac
done
for tool in wrk nginx curl awk; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool is missing (scripts/deps.sh bench installs it)"
done
[ -x "$BIN" ] || die "$BIN is missing: run 'make -j2 build/changai' first"

# ---- temp dir and cleanup ----
mkdir -p bench/tmp
TMP=$(mktemp -d "$ROOT/bench/tmp/run.XXXXXX")
# nginx workers run unprivileged when we are root: they must read the file.
chmod 755 "$TMP"
PIDS=""

cleanup() {
	for pid in $PIDS; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $PIDS; do
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "bench: PID $pid did not stop on SIGTERM; sending SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	done
	PIDS=""
	rm -rf "$TMP"
	rmdir "$ROOT/bench/tmp" 2>/dev/null || true
}
# shellcheck disable=SC2154 # rc is set inside the trap
trap 'rc=$?; trap - EXIT; cleanup; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- helpers ----

# Ports any local TCP socket (v4 or v6, any state) already uses.
used_ports() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '
	NR > 0 && $2 ~ /:/ {
		split($2, a, ":"); h = a[2]; n = 0
		for (i = 1; i <= length(h); i++)
			n = n * 16 + index("0123456789ABCDEF", toupper(substr(h, i, 1))) - 1
		print n
	}'
}

# pick_port EXCLUDE: a port in 18000-18999 that no socket uses, not EXCLUDE.
pick_port() {
	used=$(used_ports | sort -un)
	start=$((18000 + $$ % 900))
	p=$start
	while :; do
		if [ "$p" != "$1" ] && ! printf '%s\n' "$used" | grep -qx "$p"; then
			echo "$p"
			return 0
		fi
		p=$((p + 1))
		[ $p -le 18999 ] || p=18000
		[ $p -ne $start ] || return 1
	done
}

# wait_http PID URL NAME: until URL answers 200, or PID dies, or 10 s pass.
wait_http() {
	i=0
	while [ $i -lt 100 ]; do
		kill -0 "$1" 2>/dev/null || return 1
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$2" || true)
		[ "$code" = 200 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# cpu_ticks PID...: utime+stime of the processes and their direct children.
cpu_ticks() {
	for f in /proc/[0-9]*/stat; do
		cat "$f" 2>/dev/null || true
	done | awk -v pids=" $* " '
	{
		# comm (field 2) may hold spaces: count fields from the last ")"
		s = $0; sub(/^.*\) /, "", s); n = split(s, f, " ")
		pid = $1; ppid = f[2]
		if (index(pids, " " pid " ") || index(pids, " " ppid " "))
			t += f[12] + f[13]
	}
	END { print t + 0 }'
}

HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# secs_of_times FILE: the children's user+system seconds from `times` output
# (the shell builtin; run it in this shell, not in $(...), which would count
# only the subshell's children).
secs_of_times() {
	awk 'NR == 2 {
		for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); n += a[1] * 60 + a[2] }
		printf "%.3f\n", n
	}' "$1"
}

# bench NAME URL PIDS [WRK-ARGS...]: a warm-up, then the measured wrk run
# with the same arguments; writes wrk's output to $TMP/NAME.out and
# "req/s p99-ms non-2xx server-cpu% wrk-cpu%" to $TMP/NAME.res. PIDS: the server's processes
# (with their children) whose CPU time is measured.
# (PIDS and WRK_OPTS are split into words on purpose.)
# shellcheck disable=SC2086
bench() {
	name=$1 url=$2 pids=$3
	shift 3
	wrk -t2 -c32 -d"${WARMUP}s" "$@" "$url" >"$TMP/$name.warmup" 2>&1 || {
		cat "$TMP/$name.warmup" >&2
		die "wrk warm-up failed for $name"
	}
	t0=$(cpu_ticks $pids)
	times >"$TMP/times0"
	wrk $WRK_OPTS "$@" "$url" >"$TMP/$name.out" 2>&1 || {
		cat "$TMP/$name.out" >&2
		die "wrk failed for $name"
	}
	times >"$TMP/times1"
	t1=$(cpu_ticks $pids)
	w0=$(secs_of_times "$TMP/times0")
	w1=$(secs_of_times "$TMP/times1")
	awk -v ticks=$((t1 - t0)) -v hz="$HZ" -v secs="$SECONDS_RUN" \
	    -v w0="$w0" -v w1="$w1" '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	}
	/Requests\/sec:/ { r = $2 }
	$1 == "99%" { p = ms($2) }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	END {
		if (r == "" || p == "") exit 1
		printf "%.0f %.2f %d %.0f %.0f\n", r, p, bad + 0,
		    ticks * 100 / hz / secs, (w1 - w0) * 100 / secs
	}' "$TMP/$name.out" >"$TMP/$name.res" || {
		cat "$TMP/$name.out" >&2
		die "could not parse wrk output for $name"
	}
	# a warm-up with errors is as broken as a measured run with errors
	if grep -q 'Non-2xx or 3xx responses' "$TMP/$name.warmup"; then
		grep 'Non-2xx or 3xx responses' "$TMP/$name.warmup" >&2
		die "non-2xx responses during the $name warm-up"
	fi
}

# ---- changai on a fresh demo store ----
echo "bench: building a demo store in $TMP"
env CHANGAI_PWHASH_FAST=1 "$BIN" demo --db "$TMP/bench.db" \
	--credentials "$TMP/creds" >"$TMP/demo.log" 2>&1 || {
	cat "$TMP/demo.log" >&2
	die "changai demo failed"
}
CPORT=$(pick_port 0) || die "no free port in 18000-18999"
env -u CHANGAI_PWHASH_FAST "$BIN" serve --db "$TMP/bench.db" \
	--listen "127.0.0.1:$CPORT" --threads "$THREADS" \
	>"$TMP/changai.log" 2>&1 &
CPID=$!
PIDS="$PIDS $CPID"
CBASE="http://127.0.0.1:$CPORT"
wait_http "$CPID" "$CBASE/healthz" || {
	cat "$TMP/changai.log" >&2
	die "changai did not start on 127.0.0.1:$CPORT"
}

# log in as the demo admin
awk '$1 == "admin" { print $2, $3; exit }' "$TMP/creds" >"$TMP/admin"
read -r ADMIN_USER ADMIN_PASS <"$TMP/admin" || true
if [ -z "${ADMIN_USER:-}" ] || [ -z "${ADMIN_PASS:-}" ]; then
	die "no admin account in the demo credentials"
fi
USER_ESC=$(printf '%s' "$ADMIN_USER" | sed 's/[\\"]/\\&/g')
PASS_ESC=$(printf '%s' "$ADMIN_PASS" | sed 's/[\\"]/\\&/g')
curl -s -D "$TMP/login.hdr" -o "$TMP/login.body" --max-time 10 \
	-H 'Content-Type: application/json' \
	--data-binary "{\"username\":\"$USER_ESC\",\"password\":\"$PASS_ESC\"}" \
	"$CBASE/api/v1/session" || die "login request failed"
TOKEN=$(tr -d '\r' <"$TMP/login.hdr" |
	sed -n 's/^[Ss]et-[Cc]ookie: *changai_session=\([^;]*\).*/\1/p' | head -n 1)
[ -n "$TOKEN" ] || {
	cat "$TMP/login.hdr" "$TMP/login.body" >&2
	die "login did not set the changai_session cookie"
}
COOKIE="Cookie: changai_session=$TOKEN"

# the measured request must be a 200 with a JSON body
ORG_URL="$CBASE/api/v1/orgs/2"
meta=$(curl -s -o "$TMP/org.json" -w '%{http_code} %{content_type}' \
	--max-time 10 -H "$COOKIE" "$ORG_URL") || die "GET /api/v1/orgs/2 failed"
case $meta in
"200 application/json"*) ;;
*)
	cat "$TMP/org.json" >&2
	die "GET /api/v1/orgs/2 answered '$meta', want 200 application/json"
	;;
esac
case $(head -c 1 "$TMP/org.json") in
"{") ;;
*) die "GET /api/v1/orgs/2 did not return a JSON object" ;;
esac
grep -q '"id":2' "$TMP/org.json" || die "GET /api/v1/orgs/2 returned another record"
BODY_BYTES=$(wc -c <"$TMP/org.json" | tr -d ' ')

# ---- nginx serving the same body as a static file ----
NPORT=$(pick_port "$CPORT") || die "no second free port in 18000-18999"
mkdir -p "$TMP/nginx/www"
chmod 755 "$TMP/nginx" "$TMP/nginx/www"
cp "$TMP/org.json" "$TMP/nginx/www/org.json"
chmod 644 "$TMP/nginx/www/org.json"
N="$TMP/nginx"
cat >"$N/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $N/body;
	proxy_temp_path $N/proxy;
	fastcgi_temp_path $N/fastcgi;
	uwsgi_temp_path $N/uwsgi;
	scgi_temp_path $N/scgi;
	sendfile on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	open_file_cache max=16 inactive=60s;
	open_file_cache_valid 60s;
	types { application/json json; }
	default_type application/json;
	server {
		listen 127.0.0.1:$NPORT reuseport;
		root $N/www;
		location / { }
	}
}
EOF
nginx -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" >"$N/stdout.log" 2>&1 &
NGPID=$!
PIDS="$PIDS $NGPID"
NGINX_URL="http://127.0.0.1:$NPORT/org.json"
wait_http "$NGPID" "$NGINX_URL" || {
	cat "$N/stdout.log" "$N/error.log" >&2 2>/dev/null || true
	die "nginx did not serve $NGINX_URL (as root its workers run as nobody: the checkout must be readable by others)"
}

# ---- measure ----
echo "bench: wrk $WRK_OPTS, ${WARMUP}s warm-up each; changai --threads $THREADS, nginx worker_processes $NGINX_WORKERS"
bench nginx "$NGINX_URL" "$NGPID"
read -r N_RPS N_P99 N_BAD N_CPU N_WCPU <"$TMP/nginx.res"
bench healthz "$CBASE/healthz" "$CPID"
read -r H_RPS H_P99 H_BAD H_CPU H_WCPU <"$TMP/healthz.res"
bench org "$ORG_URL" "$CPID" -H "$COOKIE"
read -r O_RPS O_P99 O_BAD O_CPU O_WCPU <"$TMP/org.res"

RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$CPID/status" 2>/dev/null || true)
kill -0 "$CPID" 2>/dev/null || die "changai died during the run"
[ -n "$RSS_KB" ] || die "could not read VmHWM of changai (PID $CPID)"

FAIL=""
[ "$N_BAD" -eq 0 ] || FAIL="$FAIL nginx:$N_BAD"
[ "$H_BAD" -eq 0 ] || FAIL="$FAIL healthz:$H_BAD"
[ "$O_BAD" -eq 0 ] || FAIL="$FAIL org:$O_BAD"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
met() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g ? "yes" : "no") }'; }
H_RATIO=$(ratio "$H_RPS" "$N_RPS")
O_RATIO=$(ratio "$O_RPS" "$N_RPS")
H_MET=$(met "$H_RATIO" 0.5)
O_MET=$(met "$O_RATIO" 0.25)
RSS_MIB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')

NCPU=$(nproc 2>/dev/null || echo '?')
KERNEL="$(uname -s) $(uname -r)"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	COMMIT="$COMMIT (with uncommitted changes)"
fi
NGINX_VER=$(nginx -v 2>&1 | sed 's/^nginx version: //')
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')

TABLE=$(cat <<EOF
| target | req/s | p99 | ratio to nginx | goal | met? |
| --- | ---: | ---: | ---: | --- | --- |
| nginx static JSON ($BODY_BYTES B) | $N_RPS | $N_P99 ms | 1.00 | baseline | – |
| changai GET /healthz | $H_RPS | $H_P99 ms | $H_RATIO | ≥ 0.5× nginx | $H_MET |
| changai GET /api/v1/orgs/2 (authenticated) | $O_RPS | $O_P99 ms | $O_RATIO | ≥ 0.25× nginx | $O_MET |
EOF
)
CPU_LINE="CPU during the measured runs, server + wrk (100% = one core; $NCPU cores shared by both): nginx $N_CPU% + $N_WCPU%, /healthz $H_CPU% + $H_WCPU%, org read $O_CPU% + $O_WCPU%."
RSS_LINE="changai peak RSS (VmHWM, --threads $THREADS): $RSS_MIB MiB ($RSS_KB kB)."

echo
echo "$TABLE"
echo
echo "$CPU_LINE"
echo "$RSS_LINE"

if [ -n "$FAIL" ]; then
	for f in nginx healthz org; do
		grep -H 'Non-2xx\|Socket errors' "$TMP/$f.out" >&2 || true
	done
	die "non-2xx responses during the runs:$FAIL (not recorded)"
fi

# The console's first load in Chromium (bench/web.sh; skipped without it).
web_bench() {
	echo
	BENCH_BIN="$BIN" sh bench/web.sh || echo "bench: bench/web.sh failed" >&2
}

if [ "${BENCH_NO_RECORD:-0}" = 1 ]; then
	echo "bench: BENCH_NO_RECORD=1, $RESULTS left as it was"
	web_bench
	exit 0
fi

if [ ! -f "$RESULTS" ]; then
	cat >"$RESULTS" <<'EOF'
# changai benchmark results

Append-only log written by `make bench` (bench/run.sh); see bench/README.md
for what is measured. Newest entries at the bottom. Numbers from different
machines are not comparable; the ratios to nginx on the same machine are
what the goals are about.
EOF
fi
{
	echo
	echo "## $DATE — commit $COMMIT"
	echo
	echo "Machine: $NCPU cores, $KERNEL. changai --threads $THREADS (SQLite demo store);"
	echo "$NGINX_VER with worker_processes $NGINX_WORKERS serving the org response body ($BODY_BYTES bytes) as a static file."
	echo "Each run follows a ${WARMUP} s warm-up with the same arguments. TOKEN is the demo admin's session from POST /api/v1/session."
	echo
	echo '```'
	echo "wrk $WRK_OPTS $NGINX_URL"
	echo "wrk $WRK_OPTS $CBASE/healthz"
	echo "wrk $WRK_OPTS -H \"Cookie: changai_session=TOKEN\" $ORG_URL"
	echo '```'
	echo
	echo "$TABLE"
	echo
	echo "$RSS_LINE"
	echo "$CPU_LINE"
} >>"$RESULTS"
echo "bench: appended to $RESULTS"
web_bench

# The plans statement on a city plan: its own store and server (bench/plans.sh).
echo
BENCH_BIN="$BIN" sh bench/plans.sh || echo "bench: bench/plans.sh failed" >&2

# The evaluation index at 6,300 units × 40 indicators (bench/evaluation.sh).
echo
BENCH_BIN="$BIN" sh bench/evaluation.sh || echo "bench: bench/evaluation.sh failed" >&2

# The points ledger at 10 million entries (bench/points.sh).
echo
BENCH_BIN="$BIN" sh bench/points.sh || echo "bench: bench/points.sh failed" >&2

# The registry at city scale (bench/workers.sh): import, lists, statistics.
# BENCH_WORKERS sets the city's size (default 3,500,000; about 10 minutes).
echo
BENCH_BIN="$BIN" sh bench/workers.sh || echo "bench: bench/workers.sh failed" >&2

# The server's memory while it imports 400,000 and 3,500,000 rows
# (bench/import-memory.sh; about 10 minutes).
echo
BENCH_BIN="$BIN" sh bench/import-memory.sh || echo "bench: bench/import-memory.sh failed" >&2
