#!/bin/sh
# Runs every benchmark program and script under bench/ and prints figures.
# Usage: scripts/bench.sh [BUILD]   (the Makefile's `make bench`)
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export TSGUARD_SRC="$ROOT" TSGUARD_DATA="$ROOT" TSGUARD_BIN="$ROOT/$BUILD/src/tsguard"
for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || echo "(exit $?)"
done
for s in "$ROOT"/bench/*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s")"
	sh "$s" "$BUILD" || echo "(exit $?)"
done
