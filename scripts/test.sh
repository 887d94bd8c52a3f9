#!/bin/sh
# Runs every test suite and ends with one line "N passed, M failed".
# Called by `make test` (after scripts/deps.sh test) and by .ci/run.
# Suites: lint, clang build, unit (gcc), unit (ASan+UBSan), API on SQLite,
# API on PostgreSQL, API on SQLite against the ASan server, CLI (backup under
# load, check, audit verify), short fuzzing runs, and the web console
# (Vitest component tests and end-to-end tests in Chromium).
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
# libfaketime (faketime make test, to try the suite on another day) is
# preloaded before ASan's runtime; the order does not matter to these runs
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
passed=0
failed=0
log=$(mktemp -d /tmp/changai-test.XXXXXX)
trap 'rm -rf "$log"' EXIT

count() { # name pass fail
	echo "== $1: $2 passed, $3 failed"
	passed=$((passed + $2))
	failed=$((failed + $3))
}

# A step that is one test: it passes when the command exits 0.
step() { # name command...
	name=$1
	shift
	if "$@" >"$log/step.out" 2>&1; then
		count "$name" 1 0
	else
		tail -n 40 "$log/step.out"
		count "$name" 0 1
	fi
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
run_unit() { # build-dir label
	p=0
	f=0
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		out="$log/$(basename "$t").out"
		CHANGAI_TEST_PG_URL="${PG_URL:-}" "$t" >"$out" 2>&1
		rc=$?
		tp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
		tf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
		tp=${tp:-0}
		tf=${tf:-0}
		if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then
			tf=1     # crashed or a sanitizer stopped it
		fi
		if [ "$tf" -ne 0 ]; then
			cat "$out"
		fi
		p=$((p + tp))
		f=$((f + tf))
	done
	count "$2" "$p" "$f"
}

# A suite whose last "PREFIX: N passed, M failed" line gives its counts; a
# non-zero exit with no failure counted is one failure (a crash, a
# sanitizer stop). Leaves the counts in $rp and $rf and counts them under
# LABEL (unless LABEL is empty); on a failure SHOW prints what explains it.
run_counted() { # label prefix-regex show command...
	label=$1
	prefix=$2
	show=$3
	shift 3
	"$@" >"$log/suite.out" 2>&1
	rc=$?
	line=$(grep -E "^$prefix: [0-9]+ passed, [0-9]+ failed" "$log/suite.out" | tail -n 1)
	rp=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	rf=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	rp=${rp:-0}
	rf=${rf:-0}
	if [ "$rc" -ne 0 ] && [ "$rf" -eq 0 ]; then
		rf=1
	fi
	if [ "$rf" -ne 0 ]; then
		"$show" "$log/suite.out"
	fi
	if [ -n "$label" ]; then
		count "$label" "$rp" "$rf"
	fi
}
show_api() {
	grep -E '^not ok|^# Subtest|error|expected|actual' "$1" | head -n 80
	tail -n 20 "$1"
}
show_all() { cat "$1"; }
show_tail() { tail -n 60 "$1"; }
show_e2e() {
	echo "== e2e${d:+ at business date $d}:"
	grep -E -B2 -A25 '^✖|^not ok|Error' "$1" | head -n 120
}
run_api() { # label env...
	label=$1
	shift
	run_counted "$label" 'api\([a-z]+\)' show_api env "$@"
}

echo "== building"
if ! make -j"$JOBS" all unit >"$log/build.out" 2>&1; then
	tail -n 60 "$log/build.out"
	count "build (gcc)" 0 1
	echo "$passed passed, $failed failed"
	exit 1
fi
count "build (gcc)" 1 0
step "build (clang, -Werror)" make -j"$JOBS" O=build-clang CC=clang all unit
step "lint" sh scripts/lint.sh
step "asan build" make -j"$JOBS" O=build-asan SAN=1 all unit

# One throwaway PostgreSQL for the unit tests of the store.
PG_DIR=$(mktemp -d /tmp/capg.XXXXXX)
rmdir "$PG_DIR"
PG_URL=$(sh scripts/pg-temp.sh start "$PG_DIR" 2>"$log/pg.err") || {
	cat "$log/pg.err"
	PG_URL=""
}
trap 'sh scripts/pg-temp.sh stop "$PG_DIR" >/dev/null 2>&1; rm -rf "$log"' EXIT
if [ -z "$PG_URL" ]; then
	count "postgres for unit tests" 0 1
fi

run_unit build "unit (gcc)"
ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	run_unit build-asan "unit (ASan+UBSan)"

# The fixed dates of tests/dates.txt: business dates every date-sensitive
# test must pass on, whatever this machine's clock says.
DATES=$(sed -n 's/^\([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\).*/\1/p' tests/dates.txt)

run_api "api (sqlite)" sh tests/api/run.sh sqlite
for d in $DATES; do
	run_api "api (sqlite, business date $d)" env CHANGAI_TODAY="$d" sh tests/api/run.sh sqlite
done
run_api "api (postgres)" sh tests/api/run.sh postgres
run_api "api (postgres, business date $(echo "$DATES" | tail -n 1))" \
	env CHANGAI_TODAY="$(echo "$DATES" | tail -n 1)" sh tests/api/run.sh postgres
run_api "api (sqlite, ASan+UBSan server)" CHANGAI_BIN="$(pwd)/build-asan/changai" \
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=1 sh tests/api/run.sh sqlite

if [ -f tests/cli/run.sh ]; then
	for d in "" $DATES; do
		run_counted "cli${d:+ (business date $d)}" cli show_all \
			env CHANGAI_TODAY="$d" sh tests/cli/run.sh
	done
fi

if [ -f tests/fuzz/run.sh ]; then
	# the parsers know no dates; libfaketime (if preloaded) hangs libFuzzer
	run_counted "fuzz (short runs)" fuzz show_tail \
		env -u LD_PRELOAD FUZZ_SECONDS="${FUZZ_SECONDS:-5}" sh tests/fuzz/run.sh
fi

# The console: build (scripts/web.sh), Vitest component tests, and the
# end-to-end tests in Chromium (scripts/e2e.sh) as one suite "web".
if [ -f web/package.json ]; then
	wp=0
	wf=0
	if sh scripts/web.sh >"$log/web-build.out" 2>&1; then
		(cd web && npx vitest run --reporter=json \
			--outputFile="$log/vitest.json") >"$log/vitest.out" 2>&1
		rc=$?
		vt=$(node -e 'try{const j=require(process.argv[1]);console.log(j.numPassedTests+" "+j.numFailedTests)}catch{console.log("0 0")}' "$log/vitest.json" 2>/dev/null)
		vp=${vt% *}
		vf=${vt#* }
		if [ "$rc" -ne 0 ] && [ "${vf:-0}" -eq 0 ]; then
			vf=1
		fi
		[ "${vf:-0}" -ne 0 ] && tail -n 60 "$log/vitest.out"
		wp=$((wp + ${vp:-0}))
		wf=$((wf + ${vf:-0}))
		for d in "" $DATES; do
			run_counted "" e2e show_e2e env CHANGAI_TODAY="$d" sh scripts/e2e.sh
			wp=$((wp + rp))
			wf=$((wf + rf))
		done
	else
		tail -n 40 "$log/web-build.out"
		wf=1
	fi
	count "web" "$wp" "$wf"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
