# Shared by the API benchmarks (bench/plans.sh, bench/evaluation.sh):
# settings from the environment, a temporary directory that goes away,
# a city demo store with its server on 127.0.0.1, wrk runs, the report.
# Source it after setting BENCH_NAME and BENCH_TOOLS:
#
#   BENCH_NAME=plans BENCH_TOOLS="wrk curl node awk"
#   . bench/lib.sh
#
# Environment (every benchmark):
#   BENCH_THREADS=N     changai --threads (default 2)
#   BENCH_SECONDS=S     wrk duration per measured run (default 10)
#   BENCH_WARMUP=S      warm-up before each run (default 2)
#   BENCH_NO_RECORD=1   print only; leave bench/RESULTS.md alone
#   BENCH_BIN=PATH      the changai binary (default build/changai)
#   BENCH_STORE=S       sqlite (default) or postgres (a throwaway cluster,
#                       scripts/pg-temp.sh, on a Unix socket)
# shellcheck shell=sh

cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)

THREADS=${BENCH_THREADS:-2}
SECONDS_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
BIN=${BENCH_BIN:-build/changai}
RESULTS=bench/RESULTS.md
STORE=${BENCH_STORE:-sqlite}

die() {
	echo "bench/$BENCH_NAME: $*" >&2
	exit 1
}

say() {
	echo "bench/$BENCH_NAME: $*"
}

for v in "$THREADS" "$SECONDS_RUN" "$WARMUP"; do
	case $v in
	'' | *[!0-9]* | 0) die "BENCH_THREADS, BENCH_SECONDS and BENCH_WARMUP must be positive integers" ;;
	esac
done
case $STORE in
sqlite) BENCH_TOOLS="$BENCH_TOOLS sqlite3" ;;
postgres) BENCH_TOOLS="$BENCH_TOOLS psql" ;;
*) die "BENCH_STORE is sqlite or postgres" ;;
esac
for tool in $BENCH_TOOLS; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool is missing (scripts/deps.sh bench installs it)"
done
[ -x "$BIN" ] || die "$BIN is missing: run 'make -j2 build/changai' first"

mkdir -p bench/tmp
TMP=$(mktemp -d "$ROOT/bench/tmp/$BENCH_NAME.XXXXXX")
SERVER=""
PGDIR=""

cleanup() {
	if [ -n "$SERVER" ]; then
		kill -TERM "$SERVER" 2>/dev/null || true
		i=0
		while kill -0 "$SERVER" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$SERVER" 2>/dev/null || true
		wait "$SERVER" 2>/dev/null || true
	fi
	[ -z "$PGDIR" ] || sh "$ROOT/scripts/pg-temp.sh" stop "$PGDIR" >/dev/null 2>&1 || true
	rm -rf "$TMP"
	rmdir "$ROOT/bench/tmp" 2>/dev/null || true
}
# shellcheck disable=SC2154 # rc is set inside the trap
trap 'rc=$?; trap - EXIT; cleanup; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# bench_sql SQL: runs SQL on the store (one transaction for several
# statements) and prints what it selects, a row per line.
bench_sql() {
	if [ "$STORE" = postgres ]; then
		psql "$DB" -X -q -At -v ON_ERROR_STOP=1 -c "$1"
	else
		sqlite3 -cmd ".timeout 30000" "$DB" "$1"
	fi
}

# bench_city_server: the city demo store (1,000 workers, $DB) and its
# server on a free port; sets SERVER (its PID) and URL.
bench_city_server() {
	if [ "$STORE" = postgres ]; then
		PGDIR=$(mktemp -d /tmp/cabench.XXXXXX)
		DB=$(sh "$ROOT/scripts/pg-temp.sh" start "$PGDIR") || die "cannot start PostgreSQL"
		# the personal-data key lives beside a SQLite file; give PostgreSQL one
		CHANGAI_KEY_FILE=$TMP/changai.key
		export CHANGAI_KEY_FILE
	else
		DB=$TMP/changai.db
	fi
	say "building the city demo store ($STORE) in $TMP"
	CHANGAI_PWHASH_FAST=1 "$BIN" demo --db "$DB" --credentials "$TMP/creds" \
		--workers 1000 >"$TMP/demo.log" 2>&1 || {
		cat "$TMP/demo.log" >&2
		die "changai demo failed"
	}
	"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" \
		--web "$TMP/noweb" >"$TMP/server.log" 2>&1 &
	SERVER=$!
	PORT=""
	i=0
	while [ $i -lt 100 ]; do
		PORT=$(sed -n 's/.*listening on .*(port \([0-9][0-9]*\)).*/\1/p' "$TMP/server.log" | head -n 1)
		[ -n "$PORT" ] && [ "$PORT" != 0 ] && break
		kill -0 "$SERVER" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$PORT" ] && [ "$PORT" != 0 ] || {
		cat "$TMP/server.log" >&2
		die "the server did not start"
	}
	URL=http://127.0.0.1:$PORT
}

# bench_run NAME CONNECTIONS PATH: a warm-up, then wrk --latency with the
# session $TOKEN; prints "req/s p50-ms p99-ms non-2xx".
bench_run() {
	name=$1 conns=$2 path=$3
	wrk -t1 -c"$conns" -d"${WARMUP}s" -H "Cookie: changai_session=$TOKEN" \
		"$URL$path" >"$TMP/$name.warmup" 2>&1 || die "wrk warm-up failed for $name"
	wrk -t1 -c"$conns" -d"${SECONDS_RUN}s" --latency -H "Cookie: changai_session=$TOKEN" \
		"$URL$path" >"$TMP/$name.out" 2>&1 || die "wrk failed for $name"
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	}
	/Requests\/sec:/ { r = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	END {
		if (r == "" || p99 == "") exit 1
		printf "%.1f %.2f %.2f %d\n", r, p50, p99, bad + 0
	}' "$TMP/$name.out" || {
		cat "$TMP/$name.out" >&2
		die "could not parse wrk output for $name"
	}
}

# bench_met VALUE GOAL: "yes" when VALUE <= GOAL.
bench_met() {
	awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g) ? "yes" : "no" }'
}

# bench_heading TITLE: the report's first lines, with the commit measured.
bench_heading() {
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $1 — commit $commit"
	echo
	echo "Machine: $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores, $(uname -sr)." \
		"changai --threads $THREADS, $STORE city demo store"
}

# bench_record REPORT: prints the report and appends it to bench/RESULTS.md
# unless BENCH_NO_RECORD=1.
bench_record() {
	cat "$1"
	if [ "${BENCH_NO_RECORD:-0}" != 1 ]; then
		cat "$1" >>"$RESULTS"
		say "appended to $RESULTS"
	fi
}
