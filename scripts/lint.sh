#!/bin/sh
# make lint: banned calls and SQL that could be built from data, in the C
# sources under src/ and tests/ (*.c, *.h). Comments and the contents of
# string and character literals are ignored, so prose may name a banned
# call. Prints file:line: finding for each, or "lint: ok".
#
# Rules
#   1. No sprintf/vsprintf (use snprintf), strcpy, strcat (use str_copy or
#      buf), atoi, atol (use parse_int64), gets.
#   2. db_exec_literal(conn, SQL): SQL must be a string literal
#      (concatenated literals are fine). This is what keeps the one
#      text-SQL entry point of db.h administrative.
#   3. Outside src/db/, no direct engine calls: sqlite3_prepare*,
#      sqlite3_exec, PQexec, PQprepare, PQexecParams. Tests that must work
#      on the bare file (tamper tests) may make one when the call carries
#      the marker "lint: sql-ok" in a comment on one of its lines AND its
#      SQL argument is a string literal; the marker alone is not enough.
#   4. The key of jw_kstr/jw_kint/jw_kbool/jw_knull/jw_ktime is quoted at
#      compile time, unescaped: it must be a literal of letters, digits,
#      '_' and '-' (computed keys go through jw_key).
#   5. One clock (base/clock.h): time(), gettimeofday(), localtime*() and
#      gmtime*() only in src/base/clock.c; clock_real() (wall time) only
#      where security timers, the audit trail, jobs, logs and the store's
#      own bookkeeping live; clock_set() only in base/clock.c and tests.
#      Business rules read clock_now() and clock_today().
#   6. Tests (tests/**/*.mjs) take business dates from the server's clock:
#      no new Date() of now and no Date.now() arithmetic, except on a line
#      marked "real time:" (the audit trail and sessions keep real time).
#   7. Modules never see HTTP: #include "http/..." only in handler files
#      (*api.c, api.h), module descriptors (module.c), src/http/, main.c
#      and the registry (src/modules.c); and handlers reach the server
#      only through req_* (http/server.h: src/http/ and main.c only).
#   8. A module's statements (the X(ID, ...) of src/NAME/sql.h) are used
#      only in src/NAME/: another module calls a function of NAME instead.
#   9. A warning (not a failure) for each handler function over 60 lines:
#      a handler parses, scopes, calls one module operation and answers.
#  10. Handler files (*api.c) open no transaction themselves: an audited
#      write goes through tx_begin/tx_commit/tx_end (http/tx.c), so no
#      change commits without its audit row.
set -eu

cd "$(dirname "$0")/.."

files=$(find src tests -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null |
	LC_ALL=C sort)
if [ -z "$files" ]; then
	echo "lint: ok"
	exit 0
fi

# shellcheck disable=SC2086
LC_ALL=C awk '
# Removes comments and empties literals ("abc" -> ""), keeping the quotes
# so a literal argument is still recognisable. inblock carries a /* */
# comment across lines.
function strip(s,    out, i, n, c, q) {
	out = ""
	n = length(s)
	i = 1
	while (i <= n) {
		c = substr(s, i, 1)
		if (inblock) {
			if (c == "*" && substr(s, i + 1, 1) == "/") {
				inblock = 0
				i += 2
				out = out " "
			} else
				i++
			continue
		}
		if (c == "/" && substr(s, i + 1, 1) == "*") {
			inblock = 1
			i += 2
			continue
		}
		if (c == "/" && substr(s, i + 1, 1) == "/")
			break
		if (c == "\"" || c == "\047") {
			q = c
			out = out q q
			i++
			while (i <= n) {
				c = substr(s, i, 1)
				if (c == "\\") {
					i += 2
					continue
				}
				i++
				if (c == q)
					break
			}
			continue
		}
		out = out c
		i++
	}
	return out
}

function report(line, msg) {
	printf "%s:%d: %s\n", file, line, msg
	found++
}

# The argument list of the call whose name starts at column col of line
# ln, joined across lines; sets nargs/arg[] and lastln. 0 if unbalanced.
function call_args(ln, col,    text, i, n, c, depth, cur, started, l) {
	text = substr(code[ln], col)
	l = ln
	nargs = 0
	cur = ""
	depth = 0
	started = 0
	for (;;) {
		n = length(text)
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (!started) {
				if (c == "(") {
					started = 1
					depth = 1
				}
				continue
			}
			if (c == "(" || c == "[" || c == "{")
				depth++
			else if (c == ")" || c == "]" || c == "}") {
				depth--
				if (depth == 0) {
					arg[++nargs] = cur
					lastln = l
					return 1
				}
			} else if (c == "," && depth == 1) {
				arg[++nargs] = cur
				cur = ""
				continue
			}
			cur = cur c
		}
		cur = cur " "
		if (++l > nlines || l > ln + 40)
			return 0
		text = code[l]
	}
}

# Only string literals (emptied to "" by strip), possibly concatenated.
function is_literal(a) {
	return a ~ /^[ \t]*""([ \t]*"")*[ \t]*$/
}

# The key literal of a jw_k*() call starting at column col of raw line
# ln (on that line) holds only [A-Za-z0-9_-].
function plain_key(ln, col,    rest) {
	rest = substr(raw[ln], col)
	if (!match(rest, /,[ \t]*"[^"]*"/))
		return 1        # key on a later line: its literal-ness was checked
	rest = substr(rest, RSTART, RLENGTH)
	sub(/^,[ \t]*"/, "", rest)
	sub(/"$/, "", rest)
	return rest ~ /^[A-Za-z0-9_-]+$/
}

function has_marker(from, to,    k) {
	for (k = from; k <= to; k++)
		if (index(raw[k], "lint: sql-ok"))
			return 1
	return 0
}

# Every call of a name matching re on line ln: sets ncalls/callcol[]/
# callname[].
function calls(ln, re,    s, off, pre, nm) {
	ncalls = 0
	s = code[ln]
	off = 0
	while (match(s, "(^|[^A-Za-z0-9_])(" re ")[ \t]*\\(")) {
		pre = (RSTART == 1 && substr(s, 1, 1) ~ /[A-Za-z_]/) ? 0 : 1
		nm = substr(s, RSTART + pre, RLENGTH - pre)
		sub(/[ \t]*\($/, "", nm)
		callcol[++ncalls] = off + RSTART + pre
		callname[ncalls] = nm
		off += RSTART + RLENGTH - 1
		s = substr(s, RSTART + RLENGTH)
	}
}

function check_file(    ln, k, idx, first) {
	for (ln = 1; ln <= nlines; ln++) {
		calls(ln, "v?sprintf|strcpy|strcat|atoi|atol|gets")
		for (k = 1; k <= ncalls; k++)
			report(ln, "banned call " callname[k] "()")

		calls(ln, "db_exec_literal")
		for (k = 1; k <= ncalls; k++) {
			if (!call_args(ln, callcol[k])) {
				report(ln, "cannot read the arguments of db_exec_literal()")
				continue
			}
			first = arg[1]
			sub(/^[ \t]+/, "", first)
			if (first ~ /^(struct|const)[ \t]/)
				continue        # its declaration or definition
			if (nargs < 2 || !is_literal(arg[2]))
				report(ln, "db_exec_literal() with SQL that is not a string literal")
		}

		calls(ln, "jw_k(str|strn|int|bool|null|time)")
		if (raw[ln] ~ /^[ \t]*#[ \t]*define/)
			ncalls = 0      # a macro passing its own key parameter on
		for (k = 1; k <= ncalls; k++) {
			if (!call_args(ln, callcol[k]) || nargs < 2) {
				report(ln, "cannot read the arguments of " callname[k] "()")
				continue
			}
			if (!is_literal(arg[2]))
				report(ln, callname[k] "() with a key that is not a literal")
			else if (!plain_key(ln, callcol[k]))
				report(ln, callname[k] "() key with characters that need escaping")
		}

		if (file != "src/base/clock.c") {
			calls(ln, "time|gettimeofday|localtime(_r)?|gmtime(_r)?")
			for (k = 1; k <= ncalls; k++)
				report(ln, callname[k] "() outside base/clock.c: use clock_now() or clock_real()")
		}
		if (file !~ /^(src\/base\/(clock|log)\.c|src\/base\/clock\.h|src\/(accounts|audit|http|jobs|db)\/|src\/settings\/settings\.c|src\/main\.c|tests\/)/) {
			calls(ln, "clock_real")
			for (k = 1; k <= ncalls; k++)
				report(ln, "clock_real() in a business module: business rules read clock_now() or clock_today()")
		}
		if (file !~ /^(src\/base\/clock\.[ch]|tests\/)/) {
			calls(ln, "clock_set")
			for (k = 1; k <= ncalls; k++)
				report(ln, "clock_set() outside base/clock.c and tests")
		}

		if (file ~ /^src\/db\//)
			continue
		calls(ln, "sqlite3_prepare[A-Za-z0-9_]*|sqlite3_exec|PQexec|PQprepare|PQexecParams")
		for (k = 1; k <= ncalls; k++) {
			idx = callname[k] == "PQprepare" ? 3 : 2
			if (!call_args(ln, callcol[k])) {
				report(ln, "cannot read the arguments of " callname[k] "()")
				continue
			}
			if (!has_marker(ln, lastln))
				report(ln, callname[k] "() outside src/db/")
			else if (nargs < idx || !is_literal(arg[idx]))
				report(ln, callname[k] "() with SQL that is not a string literal")
		}
	}
}

FNR == 1 {
	if (NR > 1)
		check_file()
	file = FILENAME
	nlines = 0
	inblock = 0
}
{
	raw[++nlines] = $0
	code[nlines] = strip($0)
}
END {
	if (NR > 0)
		check_file()
	if (found) {
		printf "lint: %d finding(s)\n", found
		exit 1
	}
}
' $files

# 6: business dates in tests come from the server's clock
js=$(find tests -type f -name '*.mjs' 2>/dev/null | LC_ALL=C sort)
if [ -n "$js" ]; then
	# shellcheck disable=SC2086
	bad=$(grep -n -E 'new Date\(\)|Date\.now\(\) *[-+]|getFullYear\(\)' $js | grep -v 'real time:' || true)
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/$/: a business date from the wall clock (read the server: GET \/api\/v1\/clock)/'
		echo "lint: tests read the wall clock for a business date"
		exit 1
	fi
fi
# 7: modules never see HTTP
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"http/' $(find src -name '*.[ch]' | LC_ALL=C sort) |
	grep -v -E '^src/(http/|main\.c:|modules\.c:)' |
	grep -v -E '^src/[a-z0-9_]+/([a-z0-9_]*api\.c|api\.h|module\.c):' || true)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/$/: a module includes http\/ (move the piece to a handler file, or the need to scope\/)/'
	echo "lint: a module sees HTTP"
	exit 1
fi

bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"http/server\.h"' $(find src -name '*.[ch]' | LC_ALL=C sort) |
	grep -v -E '^src/(http/|main\.c:)' || true)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/$/: a handler reaches into struct server (use req_store, req_pii_key, req_settings)/'
	echo "lint: struct server outside http\/"
	exit 1
fi

# 8: statements stay in their module (comments stripped crudely: a
# mention in prose is not a use)
bad=$(for h in src/*/sql.h; do
	mod=${h%/sql.h}
	mod=${mod##*/}
	sed -n 's/^[[:space:]]*X(\([A-Z0-9_]*\),.*/\1/p' "$h" | sed "s/^/$mod /"
done | LC_ALL=C awk '
NR == FNR { owner[$2] = $1; next }
FNR == 1 { inblock = 0 }
{
	line = $0
	if (inblock) {
		if ((k = index(line, "*/")) == 0)
			next
		line = substr(line, k + 2)
		inblock = 0
	}
	gsub(/\/\*([^*]|\*[^\/])*\*\//, " ", line)
	if ((k = index(line, "/*")) > 0) {
		line = substr(line, 1, k - 1)
		inblock = 1
	}
	sub(/\/\/.*/, "", line)
	mod = FILENAME
	sub(/^src\//, "", mod)
	sub(/\/.*/, "", mod)
	n = split(line, words, /[^A-Za-z0-9_]+/)
	for (i = 1; i <= n; i++) {
		w = words[i]
		if (w in owner && owner[w] != mod)
			printf "%s:%d: %s belongs to %s/\n", FILENAME, FNR, w, owner[w]
	}
}' - $(find src -name '*.[ch]' -not -path 'src/db/stmts*' | LC_ALL=C sort))
if [ -n "$bad" ]; then
	echo "$bad"
	echo "lint: a statement used outside the module that owns it"
	exit 1
fi

# 10: handler files write through the audited-write helper
bad=$(grep -n -E '\bdb_(begin|commit|rollback)[[:space:]]*\(' $(find src -name '*api.c' -not -path 'src/http/*' | LC_ALL=C sort) || true)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/$/: a handler opens a transaction (use tx_begin, tx_commit, tx_end)/'
	echo "lint: a transaction outside the audited-write helper"
	exit 1
fi

# 9: long handler functions, listed (K&R definitions: name at column 0)
LC_ALL=C awk '
/^[a-z_][a-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); start = FNR; next }
/^\{/ && name != "" { open = FNR; next }
/^\}/ && open { if (FNR - open > 60) printf "lint: warning: %s:%d: %s is %d lines (a handler over 60)\n", FILENAME, start, name, FNR - open; open = 0; name = "" }
' $(find src -name '*api.c' -not -path 'src/http/*' | LC_ALL=C sort)

echo "lint: ok"
