#!/bin/sh
# Builds the console into web/dist: `npm ci` when web/node_modules is
# missing or older than web/package-lock.json, then `npm run build`.
# Called by scripts/run.sh (make run), scripts/test.sh and bench/web.sh.
set -eu
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
	echo "web: npm is missing (scripts/deps.sh run installs it)" >&2
	exit 1
fi
# npm ci leaves node_modules/.package-lock.json behind: newer than the lock
# file means the install matches it
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
	echo "web: npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
