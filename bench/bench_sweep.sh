#!/usr/bin/env bash
# bench_sweep.sh: the sweep's rate and memory on a 100,000-case database.
# Generates the database with demo-data once (kept in $BENCH_DIR), then
# times `ibbis sweep` three times with /usr/bin/time -v and reports the
# median wall time, cases per second and the largest max RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${IBBIS_BIN:-build/ibbis}
N=${SWEEP_CASES:-100000}
DIR=${BENCH_DIR:-$(mktemp -d /tmp/ibbis-bench-sweep.XXXXXX)}
DB=${SWEEP_DB:-$DIR/sweep-$N.db} # SWEEP_DB: an existing demo database instead
TODAY=${SWEEP_TODAY:-2024-03-01}
mkdir -p "$DIR" bench/results

if [ ! -f "$DB" ]; then
	echo "bench_sweep: generating $N cases into $DB"
	/usr/bin/time -f "demo-data: %e s wall, %M KiB max RSS" \
		"$BIN" demo-data --db "$DB" --cases "$N" --accounts "$DIR/accounts.json" --today "$TODAY"
fi
open=$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE status = 'open'" 2>/dev/null || echo "$N")

walls=()
rss=0
for i in 1 2 3; do
	out=$( { /usr/bin/time -v "$BIN" sweep --db "$DB" --today "$TODAY" >/dev/null; } 2>&1 )
	w=$(printf '%s\n' "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {print $2}')
	secs=$(printf '%s\n' "$w" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
	r=$(printf '%s\n' "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')
	walls+=("$secs")
	[ "$r" -gt "$rss" ] && rss=$r
	printf '%s\n' "$out" | grep '^sweep:' || true
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n 2p)
rate=$(awk -v n="$open" -v s="$median" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
line=$(printf 'sweep  cases=%s open=%s  median=%.2f s  rate=%s cases/s  max_rss=%s KiB' \
	"$N" "$open" "$median" "$rate" "$rss")
echo "$line"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $line" >> bench/results/sweep.txt
