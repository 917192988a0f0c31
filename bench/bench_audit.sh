#!/usr/bin/env bash
# bench/bench_audit.sh: read throughput of GET /api/v1/cases/{id} with wrk,
# auditing on (it always is: every open of a case by a professional appends
# a "viewed" entry through the group-commit writer). Against a demo database.
#
#   BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 64), BENCH_CASES
#   (demo cases, default 200), IBBIS_BIN (default build/ibbis)
#
# Prints requests/s and latency, and the audit entries written during the
# run (they must equal the requests answered 200: nothing is dropped).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${IBBIS_BIN:-build/ibbis}
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-64}
NCASES=${BENCH_CASES:-200}
for t in wrk node sqlite3; do
	command -v "$t" >/dev/null || { echo "bench_audit: $t is missing (make deps)" >&2; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibbis-bench-audit.XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
"$BIN" demo-data --db "$TMP/b.db" --cases "$NCASES" --accounts "$TMP/a.json" >/dev/null
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$BIN" serve --db "$TMP/b.db" --listen "127.0.0.1:$PORT" --access-log=0 2>"$TMP/serve.log" &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
# A care manager and one of their cases, from the accounts file.
read -r USER PASS CASE < <(node -e '
const a = require(process.argv[1]);
const u = a.find((x) => x.role === "care_manager" && x.cases.length);
console.log(u.username, u.password, u.cases[0]);' "$TMP/a.json")
COOKIE=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USER\",\"password\":\"$PASS\"}" "http://127.0.0.1:$PORT/login" |
	sed -n 's/^[Ss]et-[Cc]ookie: \(ibbis_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "bench_audit: login failed" >&2; exit 1; }
before=$(sqlite3 "$TMP/b.db" 'SELECT count(*) FROM audit_log')
echo "GET /api/v1/cases/$CASE as $USER, $CONNS connections, ${SECS}s (auditing on)"
wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "Cookie: $COOKIE" \
	"http://127.0.0.1:$PORT/api/v1/cases/$CASE" | tee "$TMP/wrk.txt"
kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
after=$(sqlite3 "$TMP/b.db" 'SELECT count(*) FROM audit_log')
echo "audit entries written during the run: $((after - before))"
"$BIN" audit verify --db "$TMP/b.db"
