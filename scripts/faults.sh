#!/usr/bin/env bash
# faults.sh: the fault tests (tests/faults/, docs/operations.md "Faults"):
# kill -9 under write load, PostgreSQL restarted under load, a full disk.
# Runs them on SQLite, then on a private PostgreSQL cluster (scripts/pg.sh)
# where the tests for PostgreSQL run. Each run ends with node's summary;
# the last line is `N passed, N failed` counting the runs.
#   IBBIS_BIN   the binary (default build/ibbis)
#   FAULTS_SKIP_PG=1  SQLite only (no PostgreSQL installed)
set -uo pipefail
cd "$(dirname "$0")/.."

export IBBIS_BIN=${IBBIS_BIN:-$PWD/build/ibbis}
passed=0
failed=0
t0=$(date +%s)

run() {
	local name=$1
	shift
	echo "--- faults on $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "--- faults on $name: FAILED"
	fi
}

sqlite_run() {
	env -u IBBIS_TEST_PG_DIR node --test --test-concurrency=1 tests/faults/
}

pg_run() {
	local dir rc=0
	dir=$(mktemp -d /tmp/ibbis-pg-XXXXXX)
	if ! scripts/pg.sh start "$dir" >/dev/null; then
		rm -rf "$dir"
		return 1
	fi
	IBBIS_TEST_PG_DIR="$dir" node --test --test-concurrency=1 tests/faults/ || rc=1
	scripts/pg.sh stop "$dir" >/dev/null 2>&1
	rm -rf "$dir"
	return $rc
}

run sqlite sqlite_run
if [ "${FAULTS_SKIP_PG:-}" = 1 ]; then
	echo "--- faults on postgres: skipped (FAULTS_SKIP_PG=1)"
else
	run postgres pg_run
fi
echo "faults: $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
