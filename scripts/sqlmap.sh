#!/usr/bin/env bash
# scripts/sqlmap.sh: runs Debian's sqlmap (--batch) against the login form
# and GET /api/v1/cases?q= with a valid session cookie, on a server it
# starts itself with a fresh database; fails if sqlmap reports an
# injectable parameter. Takes about 2-4 minutes on 2 cores (level 2,
# risk 1). Needs: sqlmap (apt), node, curl. IBBIS_BIN: the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${IBBIS_BIN:-build/ibbis}
for t in sqlmap node curl; do
	command -v "$t" >/dev/null || { echo "sqlmap.sh: $t is missing (scripts/deps.sh)" >&2; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibbis-sqlmap.XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	[ -n "${SQLMAP_KEEP:-}" ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
DB="$TMP/s.db"
PW='correct-horse-battery'
"$BIN" migrate --db "$DB" >/dev/null
"$BIN" org add --kind jobcentre --db "$DB" 'Test Jobcenter' >/dev/null
echo "$PW" | "$BIN" user add --role employment_consultant --org 'Test Jobcenter' --db "$DB" ec1 >/dev/null
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --access-log=0 2>"$TMP/serve.log" &
PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
COOKIE=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"ec1\",\"password\":\"$PW\"}" "$URL/login" |
	sed -n 's/^[Ss]et-[Cc]ookie: \(ibbis_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$COOKIE" ] || { echo "sqlmap.sh: login failed" >&2; exit 1; }
common=(--batch --level=2 --risk=1 --disable-coloring --output-dir="$TMP/out" --flush-session)
status=0
run() {
	local name=$1; shift
	echo "sqlmap: $name"
	sqlmap "${common[@]}" "$@" >"$TMP/$name.log" 2>&1 || true
	if grep -Eq "is vulnerable|injectable|sqlmap identified the following injection" "$TMP/$name.log" &&
		! grep -q "does not seem to be injectable" "$TMP/$name.log"; then
		echo "sqlmap.sh: $name: INJECTABLE" >&2
		grep -E "Parameter:|Type:|Title:" "$TMP/$name.log" >&2 || true
		status=1
	elif grep -Eq "identified the following injection point" "$TMP/$name.log"; then
		echo "sqlmap.sh: $name: INJECTABLE" >&2
		status=1
	else
		echo "sqlmap: $name: no injectable parameter"
	fi
}
# The JSON login needs no CSRF token (DESIGN.md 5a), so sqlmap can vary it.
run login -u "$URL/login" --data '{"username":"ec1","password":"x"}' \
	-H 'Content-Type: application/json' -H 'Accept: application/json' --ignore-code=401,429
run cases_q -u "$URL/api/v1/cases?q=Sofie" -p q --cookie "$COOKIE"
exit $status
