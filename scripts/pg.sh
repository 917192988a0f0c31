#!/usr/bin/env bash
# pg.sh: a private PostgreSQL 15 cluster for tests (see docs/postgres.md).
#
#   scripts/pg.sh start DIR          initdb (once) and start; prints the URL
#   scripts/pg.sh stop DIR           fast shutdown (DIR is kept; rm -rf it after)
#   scripts/pg.sh restart DIR [SECONDS_DOWN]
#                                    fast shutdown, SECONDS_DOWN (default 0,
#                                    fractions allowed) down, then start again
#                                    on the same port (for the fault tests)
#   scripts/pg.sh url DIR [NAME]     the URL of database NAME (default ibbis)
#   scripts/pg.sh createdb DIR NAME  a fresh database; prints its URL
#   scripts/pg.sh dropdb DIR NAME    drops it
#
# The cluster lives in DIR/data, logs to DIR/log, listens on a free port on
# 127.0.0.1 (in DIR/port) and on a Unix socket in DIR, with trust
# authentication: for tests only. Run as root, the server runs as the
# postgres user (DIR is chowned to it); otherwise as the calling user.
# PGBIN overrides /usr/lib/postgresql/15/bin.
set -euo pipefail
# shellcheck source=scripts/lib/ports.sh
. "$(dirname "$0")/lib/ports.sh"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DEFAULT_DB=ibbis

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: scripts/pg.sh start|stop|restart|url|createdb|dropdb DIR [NAME|SECONDS_DOWN]" >&2
	exit 2
}

# Runs a command as the cluster's owner, from a directory it can read.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

port_of() {
	[ -f "$DIR/port" ] || die "$DIR: no cluster started here"
	cat "$DIR/port"
}

check_name() {
	[[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name '$1' ([a-z_][a-z0-9_]*)"
}

url_of() {
	echo "postgres://postgres@127.0.0.1:$(port_of)/$1"
}


pick_port() {
	local p i
	for i in $(seq 1 50); do
		p=$(port_random)
		if ! port_busy "$p" && [ ! -e "$DIR/.s.PGSQL.$p" ]; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# Starts the cluster on port $1. Test settings: loopback only, no fsync (a
# crash of PostgreSQL may lose data; a crash of a client loses nothing).
pg_start_on() {
	as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 \
		-o "-p $1 -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null
}

cmd_start() {
	[ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb not found (apt-get install postgresql-15)"
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || die "no postgres user"
		chown postgres: "$DIR"
		runuser -u postgres -- test -w "$DIR" ||
			die "$DIR: the postgres user cannot reach it (a parent folder is private?)"
	fi
	if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
		url_of "$DEFAULT_DB"
		return 0
	fi
	if [ ! -f "$DIR/data/PG_VERSION" ]; then
		as_owner "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 \
			--locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 ||
			die "initdb failed; see $DIR/initdb.log"
	fi
	local try port
	for try in 1 2 3; do
		port=$(pick_port)
		if pg_start_on "$port"; then
			echo "$port" >"$DIR/port"
			break
		fi
		port=
	done
	[ -n "$port" ] || die "pg_ctl start failed; see $DIR/log"
	if ! as_owner "$PGBIN/psql" -h "$DIR" -p "$port" -U postgres -d postgres -tAq \
		-c "SELECT 1 FROM pg_database WHERE datname = '$DEFAULT_DB'" | grep -q 1; then
		as_owner "$PGBIN/createdb" -h "$DIR" -p "$port" -U postgres "$DEFAULT_DB"
	fi
	url_of "$DEFAULT_DB"
}

cmd_stop() {
	[ -d "$DIR/data" ] || die "$DIR: no cluster here"
	as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
}

# The clients keep the address they had: the same port after the restart.
cmd_restart() {
	local down=${1:-0} port
	[[ "$down" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad SECONDS_DOWN '$down' (a number of seconds)"
	port=$(port_of)
	cmd_stop
	sleep "$down"
	pg_start_on "$port" || die "pg_ctl start on port $port failed; see $DIR/log"
}

cmd_createdb() {
	check_name "$1"
	as_owner "$PGBIN/createdb" -h "$DIR" -p "$(port_of)" -U postgres "$1"
	url_of "$1"
}

cmd_dropdb() {
	check_name "$1"
	as_owner "$PGBIN/dropdb" -h "$DIR" -p "$(port_of)" -U postgres --if-exists --force "$1"
}

[ $# -ge 2 ] || usage
CMD=$1
DIR=$2
case "$CMD" in
start) cmd_start ;;
stop) cmd_stop ;;
restart) DIR=$(cd "$DIR" && pwd); cmd_restart "${3:-0}" ;;
url) url_of "${3:-$DEFAULT_DB}" ;;
createdb) [ $# -ge 3 ] || usage; DIR=$(cd "$DIR" && pwd); cmd_createdb "$3" ;;
dropdb) [ $# -ge 3 ] || usage; DIR=$(cd "$DIR" && pwd); cmd_dropdb "$3" ;;
*) usage ;;
esac
