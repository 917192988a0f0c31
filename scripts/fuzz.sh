#!/usr/bin/env bash
# fuzz.sh [NAME...]: builds each fuzz/fuzz_NAME.c with clang and libFuzzer
# (-fsanitize=fuzzer,address,undefined) against the library sources (all
# src/**/*.c but src/main.c, and the generated build/gen/*.c), and runs
# each for FUZZ_SECONDS (default 60) over fuzz/corpus/NAME/. New inputs that
# reach new code are added to that folder; commit the useful ones. A crash
# leaves its input in build/fuzz-clang/artifacts/ and fails the script.
#
#   FUZZ_SECONDS  seconds per target (default 60; 0 only builds)
#   FUZZ_RUNS     executions per target instead (FUZZ_RUNS=10000000 is the
#                 figure issue 14 asks for); the time limit is lifted then
#   FUZZ_JOBS     parallel fuzzing processes per target (default 1)
# Each target's line ends with the executions libFuzzer reports.
set -uo pipefail
cd "$(dirname "$0")/.."

SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
CLANG=${CLANG:-clang}
OUT=build/fuzz-clang
RUNS=${FUZZ_RUNS:-}
# The libraries the Makefile links, read from it so the two never differ.
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG is missing (make deps installs clang)" >&2
	exit 1
fi

# Generated sources (embedded templates, SQL and catalogues; the version)
# come from the normal build.
make -s build/gen/embedded.c || exit 1
if grep -q '^$(BUILD)/gen/version.c:' Makefile; then
	make -s build/gen/version.c || exit 1
fi
# Same -I and pkg-config flags as the Makefile. -Werror is left to gcc: clang
# warns about other things and must not block fuzzing.
CFLAGS=(-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wshadow
	-Wno-unused-parameter -Isrc -pthread)
read -r -a PKG_CFLAGS <<<"$(pkg-config --cflags $PKGS)"
read -r -a PKG_LIBS <<<"$(pkg-config --libs $PKGS)"
LIB_SAN=-fsanitize=fuzzer-no-link,address,undefined
BIN_SAN=-fsanitize=fuzzer,address,undefined

mkdir -p "$OUT/obj" "$OUT/artifacts"

# The library, once, with coverage instrumentation.
objs=()
mapfile -t lib_src < <(find src -name '*.c' ! -path src/main.c | sort)
lib_src+=(build/gen/*.c)
for src in "${lib_src[@]}"; do
	obj="$OUT/obj/${src//\//_}.o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src -name '*.h' -newer "$obj" -print -quit)" ]; then
		"$CLANG" "${CFLAGS[@]}" "${PKG_CFLAGS[@]}" $LIB_SAN -c -o "$obj" "$src" || exit 1
	fi
	objs+=("$obj")
done

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for f in fuzz/fuzz_*.c; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .c)
		names+=("${n#fuzz_}")
	done
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets (fuzz/fuzz_*.c)"
	echo "0 passed, 0 failed"
	exit 0
fi

passed=0
failed=0
for name in "${names[@]}"; do
	src="fuzz/fuzz_$name.c"
	bin="$OUT/fuzz_$name"
	corpus="fuzz/corpus/$name"
	echo "== fuzz_$name: build"
	if ! "$CLANG" "${CFLAGS[@]}" "${PKG_CFLAGS[@]}" $BIN_SAN -o "$bin" "$src" "${objs[@]}" \
		"${PKG_LIBS[@]}" -lm; then
		failed=$((failed + 1))
		continue
	fi
	if [ "$SECS" = 0 ]; then
		echo "-- fuzz_$name: built $bin (FUZZ_SECONDS=0: not run)"
		passed=$((passed + 1))
		continue
	fi
	mkdir -p "$corpus"
	before=$(find "$corpus" -type f | wc -l)
	limit=(-max_total_time="$SECS")
	what="${SECS}s"
	if [ -n "$RUNS" ]; then
		limit=(-runs="$RUNS")
		what="$RUNS executions"
	fi
	echo "== fuzz_$name: $what over $corpus ($before inputs)"
	# One job runs in this process (its statistics land in our log);
	# more are libFuzzer's own processes, each logging to fuzz-N.log.
	par=()
	[ "$JOBS" -gt 1 ] && par=(-jobs="$JOBS" -workers="$JOBS")
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	# The first folder is where libFuzzer writes new inputs.
	if ASAN_OPTIONS=detect_leaks=1 "$bin" "$corpus" "${dict[@]}" "${limit[@]}" \
		"${par[@]}" -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/${name}-" >"$OUT/fuzz_$name.log" 2>&1; then
		after=$(find "$corpus" -type f | wc -l)
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz_$name.log" | tail -n 1)
		echo "-- fuzz_$name: ok, ${execs:-?} executions, $((after - before)) new inputs"
		passed=$((passed + 1))
	else
		tail -n 40 "$OUT/fuzz_$name.log"
		echo "-- fuzz_$name: FAILED (log: $OUT/fuzz_$name.log, inputs: $OUT/artifacts/)"
		failed=$((failed + 1))
	fi
	rm -f fuzz-*.log
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
