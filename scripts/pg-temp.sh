#!/bin/sh
# A throwaway PostgreSQL 15 cluster for tests, reachable only through a Unix
# socket inside its own directory (no TCP port, so parallel runs and other
# servers on the machine never collide).
#   scripts/pg-temp.sh start DIR   prints postgresql:///changai?host=DIR&user=postgres
#   scripts/pg-temp.sh stop DIR    stops it and removes DIR (safe to repeat)
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user and DIR is handed to it.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
MARK=.changai-pg-temp

usage() {
	echo "usage: scripts/pg-temp.sh start|stop DIR" >&2
	exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case $dir in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac
dir=${dir%/}
# The directory goes into a URL and into postgresql.conf unquoted.
case $dir in
'' | *[!A-Za-z0-9._/-]*)
	echo "pg-temp: $dir: use only [A-Za-z0-9._/-] in the path" >&2
	exit 1 ;;
esac

if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as_pg() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_pg() { "$@"; }
fi

start() {
	if [ ! -x "$PGBIN/initdb" ]; then
		echo "pg-temp: $PGBIN/initdb not found (apt-get install postgresql-15)" >&2
		exit 1
	fi
	# Unix socket paths are limited to 107 bytes.
	if [ ${#dir} -gt 80 ]; then
		echo "pg-temp: $dir: path too long for a Unix socket" >&2
		exit 1
	fi
	mkdir -p "$dir"
	if [ -n "$(ls -A "$dir")" ]; then
		echo "pg-temp: $dir is not empty" >&2
		exit 1
	fi
	: > "$dir/$MARK"
	chmod 700 "$dir"
	[ "$owner" = "$(id -un)" ] || chown "$owner" "$dir" "$dir/$MARK"
	if ! as_pg test -w "$dir"; then
		echo "pg-temp: $owner cannot write $dir (check its parents)" >&2
		exit 1
	fi
	# Tools complain when they cannot enter the caller's cwd (e.g. /root).
	cd "$dir"
	if ! as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust \
	    -E UTF8 --locale=C --no-sync > "$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		exit 1
	fi
	cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 50
EOF
	if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	    -t 60 start > /dev/null; then
		tail -n 30 "$dir/server.log" >&2 || true
		exit 1
	fi
	as_pg "$PGBIN/createdb" -h "$dir" -U postgres changai
	echo "postgresql:///changai?host=$dir&user=postgres"
}

stop() {
	[ -e "$dir" ] || exit 0
	if [ ! -e "$dir/$MARK" ]; then
		echo "pg-temp: $dir was not made by pg-temp.sh; not removing it" >&2
		exit 1
	fi
	cd /
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
		    > /dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case $cmd in
start) start ;;
stop) stop ;;
*) usage ;;
esac
