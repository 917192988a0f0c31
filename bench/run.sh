#!/usr/bin/env bash
# bench/run.sh: throughput and latency of real endpoints with wrk on
# loopback, side by side with nginx serving files of the same size in the
# same run (DESIGN.md section 6). `make bench` installs and builds first.
#
#   BENCH_SECONDS  seconds per wrk run (default 5)
#   BENCH_RUNS     runs per target; the table shows medians (default 3)
#   BENCH_ASSET    static asset through ibbis (default /static/dkfds/css/dkfds.min.css)
#   BENCH_CONNECTIONS  wrk connections (default 64)
#   IBBIS_BIN      the binary (default build/ibbis)
#   BENCH_CASES    cases in the demo database for the case reads (default
#                  100000; 0 skips them); BENCH_DIR keeps that database
#                  between runs (demo-data takes about a minute)
#   BENCH_COLD_ONLY=1  only the cold case reads (--page-cache=0) and nginx
#   BENCH_MORE_CASES   a second, larger demo database (e.g. 1000000, made
#                  by bench/bench_million.sh): its cold JSON read is measured
#                  in the same run, so the two sizes compare directly
#
# Saves the table to bench/results/YYYY-MM-DD-HHMM.txt and latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${IBBIS_BIN:-build/ibbis}
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
ASSET=${BENCH_ASSET:-/static/dkfds/css/dkfds.min.css}
NCASES=${BENCH_CASES:-100000}

for tool in wrk nginx node; do
	if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
		echo "bench: $tool is missing (make deps installs it)" >&2
		exit 1
	fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$BIN" ]; then
	echo "bench: $BIN is missing; run make" >&2
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibbis-bench.XXXXXX")
IBBIS_PID=
NGINX_PID=
cleanup() {
	local pid
	for pid in $IBBIS_PID $NGINX_PID ${CASE_PID:-} ${COLD_PID:-} ${MORE_PID:-} ${RSS_PID:-}; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $IBBIS_PID $NGINX_PID ${CASE_PID:-} ${COLD_PID:-} ${MORE_PID:-} ${RSS_PID:-}; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# fetch URL FILE: saves the body; prints the status.
fetch() {
	node -e '
		const http = require("http");
		const req = http.get(process.argv[1], (res) => {
			const c = [];
			res.on("data", (d) => c.push(d));
			res.on("end", () => { require("fs").writeFileSync(process.argv[2], Buffer.concat(c)); console.log(res.statusCode); });
		});
		req.on("error", () => { console.log(0); });
		req.setTimeout(2000, () => req.destroy());
	' "$1" "$2"
}

wait_up() {
	local url=$1 what=$2 pid=$3
	for _ in $(seq 1 200); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "bench: $what exited at start" >&2
			return 1
		fi
		[ "$(fetch "$url" "$TMP/probe")" = 200 ] && return 0
		sleep 0.05
	done
	echo "bench: $what did not answer $url" >&2
	return 1
}

# ibbis with a fresh database (serve migrates at start).
IBBIS_PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$IBBIS_PORT" --db "$TMP/bench.db" 2>"$TMP/ibbis.log" &
IBBIS_PID=$!
IBBIS_URL="http://127.0.0.1:$IBBIS_PORT"
if ! wait_up "$IBBIS_URL/healthz" ibbis "$IBBIS_PID"; then
	tail -n 20 "$TMP/ibbis.log" >&2
	exit 1
fi

# nginx gets the same bytes: the /healthz answer itself, and the asset.
mkdir -p "$TMP/www"
fetch "$IBBIS_URL/healthz" "$TMP/www/healthz.json" >/dev/null
status=$(fetch "$IBBIS_URL$ASSET" "$TMP/www/asset.${ASSET##*.}")
if [ "$status" != 200 ]; then
	echo "bench: ibbis answered $status for $ASSET" >&2
	exit 1
fi
# The case reads (issue 4's goal): a demo database, a supervisor's session,
# and the JSON and HTML of one case as same-sized files for nginx.
CASE_PID=
if [ "$NCASES" -gt 0 ]; then
	CDIR=${BENCH_DIR:-$TMP}
	mkdir -p "$CDIR"
	if [ ! -f "$CDIR/cases-$NCASES.db" ]; then
		echo "bench: making a $NCASES-case demo database (about a minute for 100000)"
		"$BIN" demo-data --db "$CDIR/cases-$NCASES.db" --cases "$NCASES" \
			--accounts "$CDIR/cases-$NCASES.json" >/dev/null
	fi
	CASE_PORT=$(free_port)
	"$BIN" serve --listen "127.0.0.1:$CASE_PORT" --db "$CDIR/cases-$NCASES.db" --access-log=0 \
		2>"$TMP/cases.log" &
	CASE_PID=$!
	CASE_URL="http://127.0.0.1:$CASE_PORT"
	wait_up "$CASE_URL/healthz" "ibbis (cases)" "$CASE_PID" || exit 1
	# The same database with the page cache off: every answer built from
	# the database and rendered (docs/cache.md). Sessions live in the
	# database, so the supervisor's cookie works on both.
	COLD_PORT=$(free_port)
	"$BIN" serve --listen "127.0.0.1:$COLD_PORT" --db "$CDIR/cases-$NCASES.db" --access-log=0 \
		--page-cache=0 2>"$TMP/cold.log" &
	COLD_PID=$!
	COLD_URL="http://127.0.0.1:$COLD_PORT"
	wait_up "$COLD_URL/healthz" "ibbis (cases, cache off)" "$COLD_PID" || exit 1
	# login URL USER PASS: prints the session cookie.
	login() {
		node -e '
			const http = require("http");
			const body = JSON.stringify({ username: process.argv[2], password: process.argv[3] });
			const req = http.request(process.argv[1] + "/login", { method: "POST",
				headers: { "Content-Type": "application/json", "Content-Length": body.length } }, (res) => {
				const c = (res.headers["set-cookie"] || []).find((x) => x.startsWith("ibbis_session="));
				console.log(c ? c.split(";")[0] : "");
				res.resume();
			});
			req.end(body);' "$@"
	}
	# top_supervisor ACCOUNTS IDS_FILE: the supervisor with the most cases
	# (their team's cases are the ids); prints the user name and password.
	top_supervisor() {
		node -e '
			const a = require(process.argv[1]).filter((x) => x.role === "supervisor");
			a.sort((x, y) => y.cases.length - x.cases.length);
			require("fs").writeFileSync(process.argv[2], a[0].cases.join("\n") + "\n");
			console.log(a[0].username, a[0].password);' "$1" "$2"
	}
	# The supervisor with the most cases: their team's cases are the ids.
	read -r CUSER CPASS < <(top_supervisor "$CDIR/cases-$NCASES.json" "$TMP/ids.txt")
	CCOOKIE=$(login "$CASE_URL" "$CUSER" "$CPASS")
	[ -n "$CCOOKIE" ] || { echo "bench: the supervisor could not log in" >&2; exit 1; }
	CID=$(head -n 1 "$TMP/ids.txt")
	curl -fs -H "Cookie: $CCOOKIE" "$CASE_URL/api/v1/cases/$CID" >"$TMP/www/case.json"
	curl -fs -H "Cookie: $CCOOKIE" -H 'Accept: text/html' "$CASE_URL/cases/$CID" >"$TMP/www/case.html"
	CJSON_BYTES=$(wc -c <"$TMP/www/case.json")
	CHTML_BYTES=$(wc -c <"$TMP/www/case.html")
	# Insight (issue 16): the first team's supervisor reads the team dashboard
	# and the results of its open survey round (docs/insight.md).
	read -r IUSER IPASS < <(node -e '
		const a = require(process.argv[1]).find((x) => x.username === "suph1");
		console.log(a.username, a.password);' "$CDIR/cases-$NCASES.json")
	ICOOKIE=$(login "$CASE_URL" "$IUSER" "$IPASS")
	ITEAM=$(curl -fs -H "Cookie: $ICOOKIE" "$CASE_URL/api/v1/me" | node -e '
		let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => {
			const t = JSON.parse(s).teams; console.log((t[0] && (t[0].id || t[0])) || 1); });')
	IROUND=$(curl -fs -H "Cookie: $ICOOKIE" "$CASE_URL/api/v1/teams/$ITEAM/surveys" | node -e '
		let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => {
			console.log(JSON.parse(s).surveys[0].id); });')
	echo "$ITEAM/dashboard" >"$TMP/insight-dashboard.txt"
	echo "$IROUND/results" >"$TMP/insight-results.txt"
	curl -fs -H "Cookie: $ICOOKIE" "$CASE_URL/api/v1/teams/$ITEAM/dashboard" >"$TMP/www/dashboard.json"
	IDASH_BYTES=$(wc -c <"$TMP/www/dashboard.json")
	# The larger database (bench/bench_million.sh makes it): its cold JSON
	# read in the same run, with its own top supervisor's session.
	MORE=${BENCH_MORE_CASES:-0}
	if [ "$MORE" -gt 0 ] && [ -f "$CDIR/cases-$MORE.db" ]; then
		MORE_PORT=$(free_port)
		"$BIN" serve --listen "127.0.0.1:$MORE_PORT" --db "$CDIR/cases-$MORE.db" --access-log=0 \
			--page-cache=0 2>"$TMP/more.log" &
		MORE_PID=$!
		MORE_URL="http://127.0.0.1:$MORE_PORT"
		wait_up "$MORE_URL/healthz" "ibbis ($MORE cases, cache off)" "$MORE_PID" || exit 1
		read -r MUSER MPASS < <(top_supervisor "$CDIR/cases-$MORE.json" "$TMP/more-ids.txt")
		MCOOKIE=$(login "$MORE_URL" "$MUSER" "$MPASS")
		[ -n "$MCOOKIE" ] || { echo "bench: the $MORE-case supervisor could not log in" >&2; exit 1; }
	fi
fi
HEALTH_BYTES=$(wc -c <"$TMP/www/healthz.json")
ASSET_BYTES=$(wc -c <"$TMP/www/asset.${ASSET##*.}")
chmod -R a+rX "$TMP"

NGINX_PORT=$(free_port)
sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@ROOT@|$TMP/www|g" \
	-e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" bench/nginx.conf.in >"$TMP/nginx.conf"
"$NGINX" -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" 2>"$TMP/nginx-start.log" &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
if ! wait_up "$NGINX_URL/healthz.json" nginx "$NGINX_PID"; then
	cat "$TMP/nginx-start.log" "$TMP/nginx-error.log" >&2 2>/dev/null || true
	exit 1
fi

# Targets: name|url|the nginx row it is compared with (empty for nginx)|
# a case-read path prefix and Accept (wrk runs bench/case_read.lua over many
# case ids with the supervisor's session).
TARGETS=(
	"ibbis /healthz|$IBBIS_URL/healthz|nginx ${HEALTH_BYTES} B file|"
	"nginx ${HEALTH_BYTES} B file|$NGINX_URL/healthz.json||"
	"ibbis $ASSET|$IBBIS_URL$ASSET|nginx same file (${ASSET_BYTES} B)|"
	"nginx same file (${ASSET_BYTES} B)|$NGINX_URL/asset.${ASSET##*.}||"
)
if [ -n "$CASE_PID" ] && [ "${BENCH_COLD_ONLY:-0}" = 1 ]; then
	# Only the cold reads (issue 19) and their references.
	TARGETS=(
		"nginx ${CJSON_BYTES} B file|$NGINX_URL/case.json||"
		"nginx ${CHTML_BYTES} B file|$NGINX_URL/case.html||"
	)
fi
if [ -n "$CASE_PID" ] && [ "${BENCH_COLD_ONLY:-0}" != 1 ]; then
	TARGETS+=(
		"ibbis GET /api/v1/cases/{id}, $NCASES cases|$CASE_URL|nginx ${CJSON_BYTES} B file|/api/v1/cases/ application/json"
		"nginx ${CJSON_BYTES} B file|$NGINX_URL/case.json||"
		"ibbis HTML case page /cases/{id}|$CASE_URL|nginx ${CHTML_BYTES} B file|/cases/ text/html"
		"nginx ${CHTML_BYTES} B file|$NGINX_URL/case.html||"
		"  the same JSON, --page-cache=0|$COLD_URL|nginx ${CJSON_BYTES} B file|/api/v1/cases/ application/json"
		"  the same page, --page-cache=0|$COLD_URL|nginx ${CHTML_BYTES} B file|/cases/ text/html"
		"ibbis GET /api/v1/teams/{id}/dashboard, $NCASES cases|$CASE_URL|nginx ${IDASH_BYTES} B file|/api/v1/teams/ application/json $TMP/insight-dashboard.txt $ICOOKIE"
		"nginx ${IDASH_BYTES} B file|$NGINX_URL/dashboard.json||"
		"ibbis GET /api/v1/surveys/{id}/results|$CASE_URL|nginx ${IDASH_BYTES} B file|/api/v1/surveys/ application/json $TMP/insight-results.txt $ICOOKIE"
	)
elif [ -n "$CASE_PID" ]; then
	TARGETS+=(
		"  the same JSON, --page-cache=0|$COLD_URL|nginx ${CJSON_BYTES} B file|/api/v1/cases/ application/json"
		"  the same page, --page-cache=0|$COLD_URL|nginx ${CHTML_BYTES} B file|/cases/ text/html"
	)
fi
if [ -n "${MORE_PID:-}" ]; then
	TARGETS+=(
		"  the same JSON, cold, $MORE cases|$MORE_URL|nginx ${CJSON_BYTES} B file|/api/v1/cases/ application/json $TMP/more-ids.txt $MCOOKIE"
	)
fi

# to_ms VALUE: wrk's 123.45us / 1.23ms / 1.02s in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
		printf "%.3f", n }'
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
		if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# One wrk run; appends "rps p50 p99 errors" to the target's file.
run_wrk() {
	local idx=$1 url=$2 cases=$3 out
	local script=()
	if [ -n "$cases" ]; then
		# shellcheck disable=SC2206 # prefix and Accept, two words
		local pa=($cases)
		# prefix, Accept, and optionally the ids file and the session cookie
		script=(-s bench/case_read.lua "$url" -- "${pa[2]:-$TMP/ids.txt}" "${pa[3]:-$CCOOKIE}" "${pa[0]}" "${pa[1]}")
	else
		script=("$url")
	fi
	out=$(wrk -t1 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "${script[@]}" 2>&1) || {
		echo "$out" >&2
		return 1
	}
	local rps p50 p99 errs
	rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
	errs=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' <<<"$out")
	echo "$rps $p50 $p99 $errs" >>"$TMP/result.$idx"
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)
echo "bench: $("$BIN" version 2>/dev/null | head -n 1) vs nginx, wrk -t1 -c$CONNS -d${SECONDS_PER_RUN}s, $RUNS runs"
# A short warm-up, then the runs, interleaved so all targets share conditions.
for i in "${!TARGETS[@]}"; do
	IFS='|' read -r _ url _ cases <<<"${TARGETS[$i]}"
	[ -z "$cases" ] && { wrk -t1 -c"$CONNS" -d1s "$url" >/dev/null 2>&1 || true; }
done
# The cold server's memory while it is measured (issue 19: under 64 MB):
# VmRSS sampled five times a second, and its high-water mark at the end.
RSS_PID=
if [ -n "${COLD_PID:-}" ]; then
	(
		max=0
		while kill -0 "$COLD_PID" 2>/dev/null; do
			r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$COLD_PID/status" 2>/dev/null || echo 0)
			[ "${r:-0}" -gt "$max" ] && max=$r && echo "$max" >"$TMP/cold-rss"
			sleep 0.2
		done
	) &
	RSS_PID=$!
fi
for run in $(seq 1 "$RUNS"); do
	for i in "${!TARGETS[@]}"; do
		IFS='|' read -r name url _ cases <<<"${TARGETS[$i]}"
		echo "bench: run $run/$RUNS: $name"
		run_wrk "$i" "$url" "$cases"
	done
done

declare -A RPS
table=$(
	printf '%-44s %12s %10s %10s %9s\n' target req/s "p50 ms" "p99 ms" "vs nginx"
	for i in "${!TARGETS[@]}"; do
		IFS='|' read -r name _ _ _ <<<"${TARGETS[$i]}"
		RPS[$name]=$(awk '{ print $1 }' "$TMP/result.$i" | median)
	done
	for i in "${!TARGETS[@]}"; do
		IFS='|' read -r name _ ref _ <<<"${TARGETS[$i]}"
		f="$TMP/result.$i"
		rps=${RPS[$name]}
		p50=$(awk '{ print $2 }' "$f" | median)
		p99=$(awk '{ print $3 }' "$f" | median)
		errs=$(awk '{ n += $4 } END { print n + 0 }' "$f")
		if [ -n "$ref" ]; then
			ratio=$(awk -v a="$rps" -v b="${RPS[$ref]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		else
			ratio=1.00
		fi
		printf '%-44s %12.0f %10s %10s %9s' "$name" "$rps" "$p50" "$p99" "$ratio"
		# Issue 4's goal for the case reads: a quarter of nginx, p99 under 10 ms.
		case $name in
		"ibbis GET /api/v1/cases/"* | "ibbis HTML case page"*)
			if awk -v r="$ratio" -v p="$p99" 'BEGIN { exit !(r >= 0.25 && p < 10) }'; then
				printf '  goal met'
			else
				printf '  goal NOT met (>= 0.25, p99 < 10 ms)'
			fi
			;;
		# Issue 19's goals for the cold reads: every answer built and audited.
		"  the same JSON, --page-cache=0" | "  the same page, --page-cache=0")
			goal=0.25
			[ "$name" = "  the same page, --page-cache=0" ] && goal=0.15
			if awk -v r="$ratio" -v p="$p99" -v g="$goal" 'BEGIN { exit !(r >= g && p <= 10) }'; then
				printf '  goal met'
			else
				printf '  goal NOT met (>= %s, p99 <= 10 ms)' "$goal"
			fi
			;;
		"  the same JSON, cold, "*)
			printf '  %.2f of the %s-case figure (goal >= 0.80)' \
				"$(awk -v a="$rps" -v b="${RPS["  the same JSON, --page-cache=0"]:-0}" \
					'BEGIN { if (b > 0) printf "%.2f", a / b; else print 0 }')" "$NCASES"
			;;
		esac
		[ "$errs" -gt 0 ] && printf '  (%s non-2xx/socket errors!)' "$errs"
		printf '\n'
	done
)

COLD_MEM=
if [ -n "$RSS_PID" ]; then
	COLD_MEM="cold server (--page-cache=0, $NCASES cases): max RSS under load $(($(cat "$TMP/cold-rss" 2>/dev/null || echo 0) / 1024)) MB (sampled; goal < 64 MB); VmHWM $(($(awk '/^VmHWM:/ { print $2 }' "/proc/$COLD_PID/status") / 1024)) MB, which includes the one login's argon2id (64 MiB, freed after it)"
	kill "$RSS_PID" 2>/dev/null || true
fi

# The cached server's own count of hits and misses, logged when it stops.
CACHE_LINE=
if [ -n "$CASE_PID" ]; then
	kill -TERM "$CASE_PID" 2>/dev/null || true
	wait "$CASE_PID" 2>/dev/null || true
	CACHE_LINE=$(grep -o 'page cache: .*' "$TMP/cases.log" | tail -n 1)
	CASE_PID=
fi

stamp=$(date +%Y-%m-%d-%H%M)
mkdir -p bench/results
{
	echo "IBBIS benchmark $(date '+%Y-%m-%d %H:%M %Z')"
	echo "version: $("$BIN" version 2>/dev/null | head -n 1); git: $(git describe --always --dirty 2>/dev/null || echo -)"
	echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null); load average at start: $LOAD_AT_START (other work skews the numbers)"
	echo "wrk -t1 -c$CONNS -d${SECONDS_PER_RUN}s --latency; median of $RUNS runs (each column on its own); loopback"
	echo "vs nginx: ibbis req/s divided by nginx's for a file of the same size"
	echo
	echo "$table"
	[ -n "$COLD_MEM" ] && echo && echo "$COLD_MEM"
	if [ -n "$CACHE_LINE" ] && [ "${BENCH_COLD_ONLY:-0}" != 1 ]; then
		echo
		echo "case reads: the same session and case ids again and again, so after the first"
		echo "read of each id the answer comes from the page cache (docs/cache.md); the"
		echo "--page-cache=0 rows build every answer. The cached server's $CACHE_LINE"
	fi
} | tee "bench/results/$stamp.txt"
cp "bench/results/$stamp.txt" bench/results/latest.txt
echo "bench: saved bench/results/$stamp.txt and bench/results/latest.txt"
