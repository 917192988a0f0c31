#!/usr/bin/env bash
# bench/bench_nodes.sh: the read/write mix (bench/mix.lua: 90% GET of a
# case, 10% POST of a note) on SQLite, on PostgreSQL with one node, and on
# two nodes behind nginx (scripts/multinode.sh). Prints req/s and p99.
#
#   BENCH_SECONDS  seconds per run (default 10)
#   BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_CASES    demo cases (default 200; `ibbis demo-data`)
#   IBBIS_BIN      the binary (default build/ibbis)
#
# The PostgreSQL database gets the SQLite demo data through
# `ibbis export` / `ibbis import`, so all three serve the same rows.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${IBBIS_BIN:-$ROOT/build/ibbis}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
CASES=${BENCH_CASES:-200}
for tool in wrk curl node; do
	command -v "$tool" >/dev/null || { echo "bench_nodes: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench_nodes: $BIN is missing; run make" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ibbis-bench-nodes.XXXXXX)
chmod 755 "$TMP" # the postgres user must reach TMP/mn/pg
SQLITE_PID=
cleanup() {
	[ -n "$SQLITE_PID" ] && kill -TERM "$SQLITE_PID" 2>/dev/null || true
	[ -d "$TMP/mn" ] && scripts/multinode.sh stop "$TMP/mn" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT

free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# The demo data set and a care manager with a case.
"$BIN" demo-data --db "$TMP/demo.db" --cases "$CASES" --accounts "$TMP/accounts.json" >/dev/null 2>&1
read -r USER PASS CASE < <(node -e '
	const a = require(process.argv[1]).find((u) => u.role === "care_manager" && u.cases.length);
	const c = a.cases[0];
	console.log(a.username, a.password, typeof c === "object" ? c.id : c);
' "$TMP/accounts.json")
"$BIN" export --db "$TMP/demo.db" --out "$TMP/demo.jsonl" 2>/dev/null

# login BASE: sets COOKIE and CSRF.
login() {
	local hdr
	hdr=$(curl -s -D - -o /dev/null -H 'Accept: application/json' -H 'Content-Type: application/json' \
		-d "{\"username\":\"$USER\",\"password\":\"$PASS\"}" "$1/login")
	COOKIE=$(grep -i '^set-cookie:' <<<"$hdr" | sed -e 's/^[Ss]et-[Cc]ookie: *//' -e 's/;.*//' | tr -d '\r' | paste -sd ';' -)
	CSRF=$(curl -s -H 'Accept: application/json' -H "Cookie: $COOKIE" "$1/api/v1/me" |
		node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s).csrf_token))')
	local st
	st=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' -H "Cookie: $COOKIE" "$1/api/v1/cases/$CASE")
	[ "$st" = 200 ] || { echo "bench_nodes: GET case $CASE as $USER: $st" >&2; exit 1; }
}

to_ms() {
	awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'
}

RESULTS=()
# run NAME BASE
run() {
	login "$2"
	local out
	out=$(BENCH_CASE=$CASE BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF \
		wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/mix.lua "$2" 2>&1)
	local rps p99 bad
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
	bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' <<<"$out")
	RESULTS+=("$(printf '%-34s %10s %10s %8s' "$1" "$rps" "$p99" "$bad")")
	echo "bench_nodes: $1: $rps req/s, p99 $p99 ms, $bad errors" >&2
}

# SQLite
PORT=$(free_port)
cp "$TMP/demo.db" "$TMP/s.db"
cp "$TMP/demo.db.key" "$TMP/s.db.key"
"$BIN" serve --listen "127.0.0.1:$PORT" --db "$TMP/s.db" --access-log=0 2>"$TMP/sqlite.log" &
SQLITE_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
run "sqlite, one node" "http://127.0.0.1:$PORT"
kill -TERM "$SQLITE_PID"
wait "$SQLITE_PID" 2>/dev/null || true
SQLITE_PID=

# PostgreSQL: the same rows and key; one node, then both through nginx.
mkdir -p "$TMP/mn"
cp "$TMP/demo.db.key" "$TMP/mn/ibbis.key"
scripts/multinode.sh start "$TMP/mn" >/dev/null
# shellcheck disable=SC1091
. "$TMP/mn/env"
"$BIN" import --db "$DB_URL" --in "$TMP/demo.jsonl" 2>/dev/null
run "postgres, one node" "$NODE1"
run "postgres, two nodes + nginx" "$LB"

echo
echo "IBBIS read/write mix (90% GET case, 10% POST note), wrk -t2 -c$CONNS -d${SECS}s, $CASES demo cases"
echo "machine: $(nproc) cores; $("$BIN" version | head -n 1)"
printf '%-34s %10s %10s %8s\n' target req/s "p99 ms" errors
printf '%s\n' "${RESULTS[@]}"
