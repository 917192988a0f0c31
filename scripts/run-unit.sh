#!/usr/bin/env bash
# run-unit.sh BUILD BINARY...: runs each cmocka test binary from the
# repository root, prints its output and result, then one line
# `N passed, N failed` counting tests. Exit 1 on any failure.
#
# A binary that crashes, or exits non-zero (say, a leak report under
# AddressSanitizer) after its tests passed, counts one more failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
	echo "usage: scripts/run-unit.sh BUILD_DIR [BINARY...]" >&2
	exit 2
fi
build=$1
shift

# cmocka prints its summary on stdout in the default format.
unset CMOCKA_MESSAGE_OUTPUT CMOCKA_XML_FILE
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
bad_bins=()
if [ $# -eq 0 ]; then
	echo "run-unit: no unit test binaries in $build/tests"
fi
for bin in "$@"; do
	name=$(basename "$bin")
	echo "== $name"
	if [ ! -x "$bin" ]; then
		echo "run-unit: $bin is missing (did it build?)"
		failed=$((failed + 1))
		bad_bins+=("$name")
		continue
	fi
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed, or a sanitizer failed the run after the tests.
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "-- $name: ok ($p passed)"
	else
		echo "-- $name: FAILED ($p passed, $f failed, exit status $rc)"
		bad_bins+=("$name")
	fi
done

if [ ${#bad_bins[@]} -gt 0 ]; then
	echo "run-unit: failing: ${bad_bins[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
