#!/usr/bin/env bash
# bench/bench_audit.sh: the cost of durability (issue 14), with wrk against
# a demo database. Four servers in turn, each on a copy of the same data:
#
#   reads durable   on/off: --audit-durable-reads (a read's answer waits
#                   for the group commit holding its audit entry, or not)
#   SQLite sync     FULL/NORMAL: IBBIS_SQLITE_SYNCHRONOUS (FULL fsyncs every
#                   commit; NORMAL is only for this comparison)
#
# and for each, two loads: GET /api/v1/cases/{id} (every read audited) and
# the 90/10 read/write mix (bench/mix.lua: the 10th request writes a note).
#
#   BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32), BENCH_CASES
#   (demo cases, default 200), IBBIS_BIN (default build/ibbis)
#
# Prints one table: req/s and p99 per configuration and load, the audit
# entries written (never fewer than the reads answered) and audit verify.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${IBBIS_BIN:-build/ibbis}
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-32}
NCASES=${BENCH_CASES:-200}
for t in wrk node sqlite3 curl; do
	command -v "$t" >/dev/null || { echo "bench_audit: $t is missing (make deps)" >&2; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibbis-bench-audit.XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
"$BIN" demo-data --db "$TMP/seed.db" --cases "$NCASES" --accounts "$TMP/a.json" >/dev/null 2>&1
sqlite3 "$TMP/seed.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
read -r USER PASS CASE < <(node -e '
const a = require(process.argv[1]);
const u = a.find((x) => x.role === "care_manager" && x.cases.length);
const c = u.cases[0];
console.log(u.username, u.password, typeof c === "object" ? c.id : c);' "$TMP/a.json")

to_ms() {
	awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'
}

# start DURABLE SYNC: a server on a fresh copy of the seed; sets BASE, DB.
start() {
	DB="$TMP/run-$1-$2.db"
	cp "$TMP/seed.db" "$DB"
	cp "$TMP/seed.db.key" "$DB.key"
	chmod 600 "$DB.key"
	local port
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	IBBIS_SQLITE_SYNCHRONOUS=$2 "$BIN" serve --db "$DB" --listen "127.0.0.1:$port" \
		--access-log=0 --audit-durable-reads="$1" 2>"$TMP/serve.log" &
	PID=$!
	BASE="http://127.0.0.1:$port"
	for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
	local hdr
	hdr=$(curl -s -D - -o /dev/null -H 'Accept: application/json' -H 'Content-Type: application/json' \
		-d "{\"username\":\"$USER\",\"password\":\"$PASS\"}" "$BASE/login")
	COOKIE=$(grep -i '^set-cookie:' <<<"$hdr" | sed -e 's/^[Ss]et-[Cc]ookie: *//' -e 's/;.*//' | tr -d '\r' | paste -sd ';' -)
	CSRF=$(curl -s -H 'Accept: application/json' -H "Cookie: $COOKIE" "$BASE/api/v1/me" |
		node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s).csrf_token))')
}

stop() {
	kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
	grep -o "audit: .*" "$TMP/serve.log" >&2 || true
}

ROWS=()
# load NAME [wrk args...]
load() {
	local name=$1 out rps p99 bad
	shift
	out=$(BENCH_CASE=$CASE BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF \
		wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "Cookie: $COOKIE" \
		-H 'Accept: application/json' "$@" 2>&1)
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
	bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' <<<"$out")
	ROWS+=("$(printf '%-14s %-7s %-6s %10s %10s %8s' "$DUR" "$SYNC" "$name" "$rps" "$p99" "$bad")")
}

echo "durability cost: $CONNS connections, ${SECS}s per run, $NCASES demo cases, load $(cut -d' ' -f1-3 /proc/loadavg)"
for SYNC in FULL NORMAL; do
	for d in 1 0; do
		DUR=$([ "$d" = 1 ] && echo "durable-reads" || echo "queued-reads")
		start "$d" "$SYNC"
		before=$(sqlite3 "$DB" 'SELECT count(*) FROM audit_log')
		load read "$BASE/api/v1/cases/$CASE"
		load mix -s bench/mix.lua "$BASE"
		stop
		after=$(sqlite3 "$DB" 'SELECT count(*) FROM audit_log')
		ROWS[-1]="${ROWS[-1]}   $((after - before)) audit entries; $("$BIN" audit verify --db "$DB" 2>&1 | tail -1)"
	done
done
printf '%-14s %-7s %-6s %10s %10s %8s\n' "reads" "sqlite" "load" "req/s" "p99 ms" "non-2xx"
printf '%s\n' "${ROWS[@]}"
