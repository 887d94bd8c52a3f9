#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS
# (default 10). Prints one line per target, "fuzz <target>: ok (N runs)" or
# "fuzz <target>: FAILED", then "fuzz: N passed, M failed"; exits non-zero
# if any failed. Details of a failure (build errors, the sanitizer report)
# go to stderr and build-fuzz/logs/; crashing inputs to build-fuzz/crashes/.
#
# Each target links only the few src/ files it needs, compiled with the
# same flags. The committed seeds in tests/fuzz/corpus/<target>/ are copied
# to a scratch corpus, so runs never grow them.
#
#   FUZZ_SECONDS=60 sh tests/fuzz/run.sh            longer runs
#   sh tests/fuzz/run.sh jw body                    some targets only
set -u

cd "$(dirname "$0")/../.." || exit 2

SECONDS_EACH=${FUZZ_SECONDS:-10}
FCC=${FUZZ_CC:-clang}
OUT=build-fuzz
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
-fno-sanitize-recover=all -Isrc -I$OUT/gen"
JSON_CFLAGS=$(pkg-config --cflags jansson 2>/dev/null)
JSON_LIBS=$(pkg-config --libs jansson 2>/dev/null || echo -ljansson)
ALL_CFLAGS=$(pkg-config --cflags libmicrohttpd jansson sqlite3 libpq libsodium libcrypto xlsxwriter libzip expat 2>/dev/null)
ALL_LIBS=$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium libcrypto xlsxwriter libzip expat 2>/dev/null)

# target: the src/ files it links (paths under src/)
deps() {
	case $1 in
	body|query) echo "http/validate.c base/util.c" ;;
	valid) echo "base/valid.c base/pwlist.c base/util.c" ;;
	jw) echo "base/jw.c base/buf.c base/util.c" ;;
	csv) echo "workers/csvin.c base/csv.c workers/record.c base/buf.c base/util.c base/valid.c base/pwlist.c base/clock.c base/jw.c" ;;
	encoding) echo "workers/csvin.c base/csv.c base/buf.c base/util.c" ;;
	xlsx) echo "xlsx/xlsxr.c base/buf.c base/util.c" ;;
	evalmethod) echo "evaluation/rules.c base/err.c base/jw.c base/buf.c base/util.c" ;;
	pointscursor) echo "points/rules.c base/fact.c base/err.c base/util.c base/clock.c" ;;
	# plan templates, the calendar's files and an index's tree live
	# beside their store code: link the whole library
	plan|calendar|archive|evaltree|rosterxlsx) (cd src && ls */*.c) ;;
	*) return 1 ;;
	esac
}

if [ $# -gt 0 ]; then
	targets=$*
else
	targets="body query valid jw csv encoding plan xlsx calendar archive evalmethod evaltree pointscursor rosterxlsx"
fi

mkdir -p "$OUT/gen" "$OUT/obj" "$OUT/bin" "$OUT/logs" "$OUT/crashes" \
	"$OUT/corpus"
# the statement list every store file includes (as the Makefile makes it)
sh scripts/gen-sql.sh src >"$OUT/gen/module_sql.h.tmp" &&
	mv "$OUT/gen/module_sql.h.tmp" "$OUT/gen/module_sql.h" || exit 2

# Compiles one src/ file unless its object is newer than every src/ file
# and than this script (its flags); cruder than tracking headers, but cheap.
obj() {
	o="$OUT/obj/$(echo "$1" | tr / _).o"
	if [ -f "$o" ] && [ -n "$(find "$o" -newer tests/fuzz/run.sh)" ] &&
	    [ -z "$(find src -name '*.[ch]' -newer "$o" | head -1)" ]; then
		echo "$o"
		return 0
	fi
	# shellcheck disable=SC2086
	# shellcheck disable=SC2086
	$FCC $CFLAGS $JSON_CFLAGS $ALL_CFLAGS -c -o "$o" "src/$1" || return 1
	echo "$o"
}

build() {
	t=$1
	objs=""
	for src in $(deps "$t"); do
		o=$(obj "$src") || return 1
		objs="$objs $o"
	done
	extra=""
	if [ "$t" = plan ] || [ "$t" = calendar ] || [ "$t" = archive ] || [ "$t" = evaltree ] || [ "$t" = rosterxlsx ]; then
		sh scripts/embed-sql.sh src/db/migrations >"$OUT/gen/migrations.c" ||
			return 1
		# shellcheck disable=SC2086
		$FCC $CFLAGS $ALL_CFLAGS -c -o "$OUT/obj/gen_migrations.o" \
			"$OUT/gen/migrations.c" || return 1
		objs="$objs $OUT/obj/gen_migrations.o"
		extra=$ALL_LIBS
	elif [ "$t" = xlsx ]; then
		extra=$(pkg-config --libs libzip expat 2>/dev/null || echo -lzip -lexpat)
	fi
	# shellcheck disable=SC2086
	$FCC $CFLAGS $JSON_CFLAGS $ALL_CFLAGS -o "$OUT/bin/fuzz_$t" \
		"tests/fuzz/fuzz_$t.c" $objs $JSON_LIBS $extra -lcsv -lm -lpthread
}

passed=0
failed=0
for t in $targets; do
	log="$OUT/logs/$t.log"
	if ! deps "$t" >/dev/null; then
		echo "fuzz $t: FAILED"
		echo "fuzz $t: no such target" >&2
		failed=$((failed + 1))
		continue
	fi
	rm -f "$OUT/bin/fuzz_$t"
	if ! build "$t" > "$OUT/logs/$t.build.log" 2>&1; then
		echo "fuzz $t: FAILED"
		echo "fuzz $t: build failed:" >&2
		cat "$OUT/logs/$t.build.log" >&2
		failed=$((failed + 1))
		continue
	fi
	scratch="$OUT/corpus/$t"
	rm -rf "$scratch"
	mkdir -p "$scratch"
	if [ -d "tests/fuzz/corpus/$t" ]; then
		cp tests/fuzz/corpus/"$t"/* "$scratch"/ 2>/dev/null
	fi
	if "$OUT/bin/fuzz_$t" -max_total_time="$SECONDS_EACH" \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$OUT/crashes/$t-" "$scratch" > "$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
			tail -1)
		echo "fuzz $t: ok (${runs:-?} runs)"
		passed=$((passed + 1))
	else
		echo "fuzz $t: FAILED"
		{
			echo "fuzz $t: see $log; inputs in $OUT/crashes/"
			grep -E -A12 '^==[0-9]+==ERROR|runtime error|deadly signal' \
				"$log" | head -40
		} >&2
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
