#!/bin/sh
# How `tsguard scan --jsonl` scales with --threads, end to end (reading,
# parsing, scanning, writing), on the corpus SMS records.  Median of 5 runs
# per thread count.  Usage: sh bench/scan_threads.sh [BUILD]
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T="$ROOT/$BUILD/src/tsguard"
CORPUS="$ROOT/../shared/corpus/train.jsonl"
[ -f "$CORPUS" ] || { echo "corpus not found; skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep '"channel": "sms"' "$CORPUS" >"$tmp/sms.jsonl"
# Four copies, so that a run lasts long enough to time.
cat "$tmp/sms.jsonl" "$tmp/sms.jsonl" "$tmp/sms.jsonl" "$tmp/sms.jsonl" >"$tmp/sms4.jsonl"
n=$(wc -l <"$tmp/sms4.jsonl")
export TSGUARD_DATA="$ROOT"
echo "scan --jsonl on $n SMS records ($(wc -c <"$tmp/sms4.jsonl") bytes), $(nproc) cores"
for t in 1 2 4; do
	times=""
	for r in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$T" scan --jsonl --threads "$t" "$tmp/sms4.jsonl" >/dev/null
		rc=$?
		e=$(date +%s.%N)
		# 0 clean, 1 something flagged; 2 is an error and no figure
		[ $rc -le 1 ] || { echo "tsguard failed (exit $rc)" >&2; exit 2; }
		times="$times $(awk "BEGIN {print $e - $s}")"
	done
	med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
	echo "threads $t: median $med s, $(awk "BEGIN {printf \"%d\", $n / $med}") msg/s"
done
