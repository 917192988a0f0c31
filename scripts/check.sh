#!/usr/bin/env bash
# check.sh: build, then run every suite; exit non-zero if any failed.
# `make check` runs scripts/deps.sh first. Every suite ends with a summary
# line (cmocka's, node's test runner's, or `N passed, N failed`); the last
# line here is `N passed, N failed` counting suites.
#
# Suites: build, unit, fuzz-replay, timeline examples, api, the sanitized
# build with its unit and api suites, pg (the store tests and the API suite
# on PostgreSQL), faults (kill -9, PostgreSQL restarted, a full disk; on
# SQLite and PostgreSQL), multinode (two nodes behind nginx), sqlmap, e2e (browser),
# ops (make install, the systemd units, nginx with TLS), lint (and its
# self-test).
# CHECK_SKIP="e2e sanitize" (space-separated suite names) skips suites, for
# quick local runs; CI never sets it.
set -uo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
SHARED=${IBBIS_SHARED:-../shared}
SAN=address,undefined
SAN_BUILD=build-address-undefined
# Leak checking stays on for the sanitized suites (see docs/testing.md).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -f tests/lsan.supp ] && [ -z "${LSAN_OPTIONS:-}" ]; then
	export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
fi

passed=0
failed=0
failures=()
start_all=$(date +%s)

# A word in CHECK_SKIP skips the suite of that name and NAME-* (so
# "sanitize" skips sanitize-build, sanitize-unit and sanitize-api).
skipped() {
	local w
	for w in ${CHECK_SKIP:-}; do
		case "$1" in "$w" | "$w"-*) return 0 ;; esac
	done
	return 1
}

# counted NAME RC T0: counts a finished suite and prints its last line.
counted() {
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "=== $1: ok ($(($(date +%s) - $3)) s)"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "=== $1: FAILED (exit status $2, $(($(date +%s) - $3)) s)"
	fi
}

# suite NAME COMMAND...: runs one suite and counts it.
suite() {
	local name=$1
	shift
	if skipped "$name"; then
		echo "=== $name: skipped (CHECK_SKIP)"
		return 0
	fi
	echo
	echo "=== $name: $*"
	local t0 rc
	t0=$(date +%s)
	"$@"
	rc=$?
	counted "$name" "$rc" "$t0"
}

# suite_beside NAME COMMAND...: starts a suite in the background, its output
# kept in a file; suite_join prints it and counts it. The API suites spend
# most of their time waiting on one server process at a time, so two of
# them (PostgreSQL's beside the sanitized one) share the two cores and CI
# stays under its 30 minutes. They use different builds, databases and
# ports (tests/api/lib/server.js starts a server again on another port if
# its port was taken meanwhile).
beside_name=
beside_pid=
beside_log=
beside_t0=
suite_beside() {
	local name=$1
	shift
	if skipped "$name"; then
		echo "=== $name: skipped (CHECK_SKIP)"
		return 0
	fi
	beside_name=$name
	beside_log=$(mktemp /tmp/ibbis-check-"$name".XXXXXX)
	beside_t0=$(date +%s)
	echo
	echo "=== $name: $* (in the background; its output follows when it ends)"
	"$@" >"$beside_log" 2>&1 &
	beside_pid=$!
}

suite_join() {
	[ -n "$beside_pid" ] || return 0
	local rc
	wait "$beside_pid"
	rc=$?
	echo
	echo "=== $beside_name: output"
	cat "$beside_log"
	rm -f "$beside_log"
	counted "$beside_name" "$rc" "$beside_t0"
	beside_pid=
}

timeline_check() {
	local bin=build/ibbis rc=0 n=0 f
	for f in "$SHARED/spec/timeline-examples.json" tests/timeline/own-cases.json; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		echo "-- ibbis timeline --check $f"
		if ! "$bin" timeline --check "$f"; then
			rc=1
		fi
	done
	if [ "$n" -eq 0 ]; then
		echo "timeline: no example file found (looked in $SHARED/spec)"
		return 1
	fi
	return $rc
}

# The PostgreSQL suites on a private cluster: the store's own tests, the
# whole API suite again, and backup/restore with pg_dump.
pg_suites() {
	local dir rc=0
	dir=$(mktemp -d /tmp/ibbis-pg-XXXXXX)
	if ! scripts/pg.sh start "$dir" >/dev/null; then
		rm -rf "$dir"
		return 1
	fi
	IBBIS_TEST_PG="$(scripts/pg.sh url "$dir")" build/tests/test_store_pg || rc=1
	IBBIS_TEST_PG_DIR="$dir" make api || rc=1
	scripts/pg.sh stop "$dir" >/dev/null
	rm -rf "$dir"
	return $rc
}

suite build make -j"$JOBS"
suite unit make -j"$JOBS" unit
suite fuzz-replay make -j"$JOBS" fuzz-replay
suite timeline timeline_check
suite api make api
suite_beside pg pg_suites
suite sanitize-build make -j"$JOBS" SANITIZE=$SAN
suite sanitize-unit make -j"$JOBS" SANITIZE=$SAN unit
suite sanitize-api make SANITIZE=$SAN api
suite_join
suite faults make faults
suite multinode env IBBIS_TEST_MULTINODE=1 IBBIS_BIN="$PWD/build/ibbis" node --test tests/api/multinode.test.js
suite sqlmap scripts/sqlmap.sh
suite e2e make e2e
suite ops make ops
suite lint scripts/lint.sh
suite lint-selftest scripts/lint.sh --self-test

echo
echo "check: $(($(date +%s) - start_all)) s; sanitized binaries in $SAN_BUILD/"
if [ ${#failures[@]} -gt 0 ]; then
	echo "check: failed suites: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
