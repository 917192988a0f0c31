#!/usr/bin/env bash
# bench/all.sh: every benchmark, in one run (`make bench`):
#   1. bench/run.sh: /healthz, a static asset and the case reads (JSON and
#      HTML, 100,000 cases, a supervisor's session, many case ids; every
#      read is audited) side by side with nginx serving same-sized files;
#   2. the timeline engine in memory (timelines per second, one core);
#   3. `ibbis sweep` over 100,000 cases (wall time, cases/s, max RSS);
#   4. a study's pseudonymised export over 100,000 cases, and a million
#      cases: demo-data, the sweep and cold reads (bench/bench_million.sh;
#      that database, about 3 GB, is made once and kept in BENCH_DIR);
#   5. the read/write mix on SQLite, PostgreSQL and two nodes behind nginx;
#   6. the cost of durability (bench/bench_audit.sh);
#   7. a 30-minute soak: memory and descriptors stay flat (bench/soak.sh).
# BENCH_DIR keeps the generated databases between runs. Each part's output
# is saved, together, to bench/results/YYYY-MM-DD-HHMM-all.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
export BENCH_DIR=${BENCH_DIR:-/tmp/ibbis-bench}
mkdir -p "$BENCH_DIR" bench/results
out=bench/results/$(date +%Y-%m-%d-%H%M)-all.txt
status=0
part() {
	echo "=== $1" | tee -a "$out"
	shift
	"$@" 2>&1 | tee -a "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}
{
	echo "IBBIS benchmarks, $(date '+%Y-%m-%d %H:%M %Z'), $(build/ibbis version)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
part "requests vs nginx" bench/run.sh
part "timeline engine (in memory, one core)" make -s build/bench/bench_timeline
part "timeline engine (in memory, one core)" build/bench/bench_timeline
part "sweep over 100,000 cases" bench/bench_sweep.sh
part "study export over 100,000 cases (under 30 s)" bench/bench_export.sh
part "a million cases: demo-data, sweep, cold reads (issue 19)" bench/bench_million.sh
part "read/write mix: SQLite, PostgreSQL, two nodes" bench/bench_nodes.sh
part "durability: durable or queued read entries, SQLite FULL or NORMAL" bench/bench_audit.sh
part "soak: 30 minutes of mixed load, memory and descriptors (issue 14)" bench/soak.sh
echo "saved: $out"
exit $status
