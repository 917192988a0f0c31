#!/usr/bin/env bash
# run-fuzz-replay.sh BUILD: replays each stored corpus fuzz/corpus/NAME/
# through BUILD/fuzz/fuzz_NAME_replay (built by `make fuzz-replay`).
# Prints each target's result, then `N passed, N failed` counting inputs.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
passed=0
failed=0
targets=0
for src in fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin="$build/fuzz/fuzz_${name}_replay"
	corpus="fuzz/corpus/$name"
	targets=$((targets + 1))
	if [ ! -x "$bin" ]; then
		echo "fuzz-replay: $bin is missing (make fuzz-replay builds it)"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -d "$corpus" ]; then
		echo "fuzz-replay: $name has no stored corpus ($corpus): add seed inputs"
		failed=$((failed + 1))
		continue
	fi
	out=$("$bin" "$corpus" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^[0-9]* passed, [0-9]* failed$' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed*}
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	echo "-- $name: $p inputs passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done
if [ "$targets" -eq 0 ]; then
	echo "fuzz-replay: no fuzz targets (fuzz/fuzz_*.c) yet"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
