#!/usr/bin/env bash
# bench_million.sh: issue 19's scale figures on a 1,000,000-case database:
#   1. `ibbis demo-data --cases 1000000` (goal: under 5 minutes);
#   2. `ibbis sweep` over it, median of three (goal: under 20 s);
#   3. cold case reads (--page-cache=0) at 1,000,000 cases next to the same
#      at 100,000 cases and nginx, in one run of bench/run.sh, medians of
#      three (goal: within 20% of the 100,000-case figure).
# The database is kept in BENCH_DIR (default /tmp/ibbis-bench) between runs:
# it takes minutes to make and about 3 GB. When it is kept, the demo-data
# time shown is the one measured when it was made (saved beside it).
#   MILLION_CASES  the size (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${IBBIS_BIN:-build/ibbis}
N=${MILLION_CASES:-1000000}
export BENCH_DIR=${BENCH_DIR:-/tmp/ibbis-bench}
DB=$BENCH_DIR/cases-$N.db
mkdir -p "$BENCH_DIR" bench/results
out=bench/results/$(date +%Y-%m-%d-%H%M)-million.txt

if [ ! -f "$DB" ]; then
	echo "bench_million: making $N cases into $DB"
	t0=$(date +%s.%N)
	"$BIN" demo-data --db "$DB" --cases "$N" --accounts "$BENCH_DIR/cases-$N.json" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v d="$(date '+%Y-%m-%d %H:%M')" \
		'BEGIN { printf "%.1f s (made %s)\n", b - a, d }' >"$DB.time"
fi
demo=$(cat "$DB.time" 2>/dev/null || echo "unknown (made without bench_million.sh)")
demo_s=${demo%% s*}

sweep=$(SWEEP_CASES=$N SWEEP_DB=$DB SWEEP_TODAY=$(date +%Y-%m-%d) bench/bench_sweep.sh | tail -n 1)
sweep_s=$(sed -n 's/.*median=\([0-9.]*\) s.*/\1/p' <<<"$sweep")

reads=$(BENCH_CASES=100000 BENCH_MORE_CASES=$N BENCH_COLD_ONLY=1 bench/run.sh)

verdict() { awk -v v="$1" -v g="$2" 'BEGIN { if (v + 0 > 0 && v + 0 < g) print "goal met"; else print "goal NOT met" }'; }
{
	echo "IBBIS at $N cases, $(date '+%Y-%m-%d %H:%M %Z'), $("$BIN" version | head -n 1)"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work skews the numbers)"
	echo
	echo "demo-data --cases $N: $demo  (goal < 300 s: $(verdict "$demo_s" 300))"
	echo "sweep over it (median of 3): ${sweep_s:-?} s  (goal < 20 s: $(verdict "${sweep_s:-0}" 20))"
	echo "  $sweep"
	echo
	echo "cold case reads, $N next to 100000 cases (bench/run.sh, BENCH_COLD_ONLY=1):"
	sed -n '/^target/,/^$/p' <<<"$reads"
	grep '^cold server' <<<"$reads" || true
} | tee "$out"
echo "bench_million: saved $out"
