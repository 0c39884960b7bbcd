#!/bin/sh
# Builds every libFuzzer target with clang and runs each for SECONDS on its
# seed corpus (fuzz/corpus/NAME).  Prints "fuzz: N passed, N failed".
set -u
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang not found, skipping"
	exit 0
fi
if [ ! -f "$BUILD/build.ninja" ]; then
	CC=clang meson setup "$BUILD" -Dfuzz=true -Dwerror=true --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link >/dev/null || exit 1
fi
ninja -C "$BUILD" >/dev/null || { ninja -C "$BUILD"; exit 1; }
pass=0
fail=0
export TSGUARD_DATA="$ROOT"
# The fuzzers share one compiled rule database, built here once: compiling
# it inside a fuzzer would count against the per-input timeout.
mkdir -p "$BUILD/hs-cache"
TSGUARD_CACHE=$(cd "$BUILD/hs-cache" && pwd)
export TSGUARD_CACHE
if [ -x "$BUILD/src/tsguard" ]; then
	echo warm | "$BUILD/src/tsguard" scan - >/dev/null 2>&1 || true
fi
for bin in "$BUILD"/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin" | sed 's/^fuzz_//')
	work="$BUILD/fuzz-work/$name"
	mkdir -p "$work"
	seeds="$ROOT/fuzz/corpus/$name"
	[ -d "$seeds" ] || seeds=""
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=0 "$work" $seeds >"$work.log" 2>&1; then
		echo "fuzz $name: ok ($(grep -c . "$work.log") log lines)"
		pass=$((pass + 1))
	else
		echo "fuzz $name: FAILED (see $work.log)"
		tail -30 "$work.log"
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
