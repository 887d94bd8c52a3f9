#!/bin/sh
# `make run`: a demo store in ./data (created once), then the server at
# http://127.0.0.1:8080 (CHANGAI_LISTEN to change). Ctrl-C stops it.
set -eu
cd "$(dirname "$0")/.."
DB=${CHANGAI_DB:-./data/changai.db}
CREDS=./data/demo-credentials.txt
LISTEN=${CHANGAI_LISTEN:-127.0.0.1:8080}

# the console (web/dist), served at /
sh scripts/web.sh || echo "changai: the console did not build; serving the API only" >&2

mkdir -p data
chmod 700 data
if [ ! -e "$DB" ]; then
	echo "changai: creating a demo city in $DB"
	# a city at scale with a few thousand workers, so every page has data
	build/changai demo --db "$DB" --credentials "$CREDS" --workers 5000 >/dev/null
fi

echo
echo "  changai is starting at http://$LISTEN"
if [ -f "$CREDS" ]; then
	echo "  log in with one of the demo accounts (role, username, password):"
	sed 's/^/    /' "$CREDS"
	echo "  (kept in $CREDS; delete ./data to start afresh)"
	echo "  the second factor (an authenticator app) is optional in the demo: enrol"
	echo "  one under 我的账号; a store made with 'changai init' requires it for"
	echo "  admin, security admin and auditor accounts (setting second_factor_required)"
fi
echo
exec build/changai serve --db "$DB" --listen "$LISTEN" --web web/dist
