#!/usr/bin/env bash
# bench_export.sh: a study's pseudonymised export over 100,000 cases
# (issue 17: under 30 s). Generates the database with demo-data once (kept
# in $BENCH_DIR), makes a study of every team and the whole period through
# the API (its key is sealed, so only the server makes one), then times
# `ibbis study export` with /usr/bin/time and reports wall time, rows and
# the zip's size. EXPORT_CASES sets the size.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ports.sh
BIN=${IBBIS_BIN:-build/ibbis}
N=${EXPORT_CASES:-100000}
DIR=${BENCH_DIR:-$(mktemp -d /tmp/ibbis-bench-export.XXXXXX)}
DB=$DIR/export-$N.db
mkdir -p "$DIR" bench/results

if [ ! -f "$DB" ]; then
	echo "bench_export: generating $N cases into $DB"
	"$BIN" demo-data --db "$DB" --cases "$N" --accounts "$DIR/export-$N.json" >/dev/null
fi
study=$(sqlite3 "$DB" "SELECT id FROM studies WHERE name = 'bench: every team'" 2>/dev/null || true)
if [ -z "$study" ]; then
	port=$(port_random)
	while port_busy "$port"; do port=$(port_random); done
	"$BIN" serve --db "$DB" --listen "127.0.0.1:$port" >"$DIR/export-serve.log" 2>&1 &
	pid=$!
	trap 'kill "$pid" 2>/dev/null || true' EXIT
	for _ in $(seq 100); do port_busy "$port" && break; sleep 0.1; done
	pw=$(node -e 'const a=require(process.argv[1]);console.log(a.find(x=>x.username==="demo.admin").password)' "$DIR/export-$N.json")
	jar=$DIR/export-cookies.txt
	curl -sf -c "$jar" -H 'Content-Type: application/json' -H 'Accept: application/json' \
		-d "{\"username\":\"demo.admin\",\"password\":\"$pw\"}" "http://127.0.0.1:$port/login" >/dev/null
	csrf=$(curl -s -b "$jar" -H 'Accept: application/json' "http://127.0.0.1:$port/api/v1/me" |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrf_token))')
	teams=$(sqlite3 "$DB" "SELECT group_concat(id) FROM teams")
	res=$(sqlite3 "$DB" "SELECT id FROM users WHERE username = 'demo.researcher'")
	curl -s -b "$jar" -H 'Content-Type: application/json' -H 'Accept: application/json' \
		-H "X-CSRF-Token: $csrf" -d "{\"name\":\"bench: every team\",\"teams\":[$teams],\"from\":\"1900-01-01\",\"to\":\"2100-12-31\",\"researchers\":[$res]}" \
		"http://127.0.0.1:$port/api/v1/studies" >/dev/null
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	trap - EXIT
	study=$(sqlite3 "$DB" "SELECT id FROM studies WHERE name = 'bench: every team'")
fi
out=$( { /usr/bin/time -f 'time: %e s wall, %M KiB max RSS' "$BIN" study export --db "$DB" \
	--study "$study" --out "$DIR/export-$N.zip"; } 2>&1 )
printf '%s\n' "$out"
line=$(printf 'study export  cases=%s  %s  %s' "$N" \
	"$(printf '%s\n' "$out" | grep '^time:' | sed 's/^time: //')" \
	"$(printf '%s\n' "$out" | grep '^study export:' | sed 's/^study export: //')")
echo "$line"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $line" >> bench/results/export.txt
