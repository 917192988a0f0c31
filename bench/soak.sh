#!/usr/bin/env bash
# bench/soak.sh: a long run of mixed load (bench/soak.lua: case reads as
# JSON and pages, My day, the case list and note writes) against one
# `ibbis serve` on SQLite, sampling the server's resident memory (VmRSS)
# and open descriptors every SOAK_SAMPLE seconds. The verdict compares the
# last sample with the first one after warm-up (a fifth of the run):
# "flat" when memory grew by at most max(8 MB, 10%) and descriptors by at
# most 8; otherwise "GROWING". Saves the table to
# bench/results/YYYY-MM-DD-HHMM-soak.txt.
#
#   SOAK_SECONDS      length of the run (default 1800: issue 14's 30 minutes)
#   SOAK_SAMPLE       seconds between samples (default 30)
#   SOAK_CONNECTIONS  wrk connections (default 8)
#   IBBIS_BIN         the binary (default build/ibbis)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${IBBIS_BIN:-$ROOT/build/ibbis}
SECS=${SOAK_SECONDS:-1800}
STEP=${SOAK_SAMPLE:-30}
CONNS=${SOAK_CONNECTIONS:-8}
for tool in wrk curl node; do
	command -v "$tool" >/dev/null || { echo "soak: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "soak: $BIN is missing; run make" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ibbis-soak.XXXXXX)
PID=
WRK=
cleanup() {
	[ -n "$WRK" ] && kill "$WRK" 2>/dev/null || true
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT

"$BIN" demo-data --db "$TMP/soak.db" --cases 200 --accounts "$TMP/accounts.json" >/dev/null 2>&1
read -r USER PASS CASE < <(node -e '
	const a = require(process.argv[1]).find((u) => u.role === "care_manager" && u.cases.length);
	const c = a.cases[0];
	console.log(a.username, a.password, typeof c === "object" ? c.id : c);
' "$TMP/accounts.json")
PORT=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
BASE=http://127.0.0.1:$PORT
"$BIN" serve --listen "127.0.0.1:$PORT" --db "$TMP/soak.db" --access-log 0 >"$TMP/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	curl -sf "$BASE/healthz" >/dev/null && break
	sleep 0.1
done
hdr=$(curl -s -D - -o /dev/null -H 'Accept: application/json' -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USER\",\"password\":\"$PASS\"}" "$BASE/login")
COOKIE=$(grep -i '^set-cookie:' <<<"$hdr" | sed -e 's/^[Ss]et-[Cc]ookie: *//' -e 's/;.*//' | tr -d '\r' | paste -sd ';' -)
CSRF=$(curl -s -H 'Accept: application/json' -H "Cookie: $COOKIE" "$BASE/api/v1/me" |
	node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s).csrf_token))')

mkdir -p bench/results
out=bench/results/$(date +%Y-%m-%d-%H%M)-soak.txt
{
	echo "IBBIS soak, $(date '+%Y-%m-%d %H:%M %Z'), $("$BIN" version), ${SECS} s, $CONNS connections"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%8s %10s %6s\n' seconds rss_kb fds
} | tee "$out"
BENCH_CASE=$CASE BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF \
	wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/soak.lua "$BASE" >"$TMP/wrk.txt" 2>&1 &
WRK=$!
warm=$((SECS / 5))
t=0 rss0= fd0= rss= fd=
while kill -0 "$WRK" 2>/dev/null; do
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
	fd=$(find "/proc/$PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
	printf '%8d %10d %6d\n' "$t" "$rss" "$fd" | tee -a "$out"
	if [ -z "$rss0" ] && [ "$t" -ge "$warm" ]; then
		rss0=$rss
		fd0=$fd
	fi
	sleep "$STEP"
	t=$((t + STEP))
done
wait "$WRK" || true
WRK=
tail -n 3 "$TMP/wrk.txt" | tee -a "$out"
kill -0 "$PID" 2>/dev/null || { echo "soak: the server died" | tee -a "$out"; exit 1; }
: "${rss0:=$rss}" "${fd0:=$fd}"
allow=$((rss0 / 10 > 8192 ? rss0 / 10 : 8192))
verdict=flat
if [ $((rss - rss0)) -gt "$allow" ] || [ $((fd - fd0)) -gt 8 ]; then
	verdict=GROWING
fi
echo "after warm-up (${warm} s): rss ${rss0} kB, fds ${fd0}; at the end: rss ${rss} kB, fds ${fd}: $verdict" | tee -a "$out"
echo "saved: $out"
[ "$verdict" = flat ]
