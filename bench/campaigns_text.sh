#!/bin/sh
# Campaign quality end to end, from the report texts: for each seed, a
# simulated world of 30 centers and 2,000 victims (tests/store/world.c) is
# ingested by the real binary (scan engine extractors, brand registry) and
# clustered; prints campaigns, purity and ARI against the world's truth.
# Usage: sh bench/campaigns_text.sh [BUILD] [SEEDS...]   (default seeds 1-5)
set -u
BUILD=${1:-build}
[ $# -gt 0 ] && shift
SEEDS=${*:-1 2 3 4 5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T="$ROOT/$BUILD/src/tsguard"
GEN="$ROOT/$BUILD/tests/store/world_gen"
[ -x "$T" ] && [ -x "$GEN" ] || { echo "build $BUILD first (tsguard, world_gen)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 not found; skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TSGUARD_DATA="$ROOT"
for seed in $SEEDS; do
	"$GEN" 30 2000 "$seed" "$tmp/w$seed.jsonl" || exit 2
	"$T" ingest --quiet --db "sqlite:$tmp/t$seed.db" "$tmp/w$seed.jsonl" || exit 2
	"$T" campaigns --db "sqlite:$tmp/t$seed.db" --json --min-reports 1 \
		>"$tmp/c$seed.json" 2>/dev/null || exit 2
	printf 'seed %s: ' "$seed"
	python3 "$ROOT/tests/store/campaign_quality.py" "$tmp/w$seed.jsonl" "$tmp/c$seed.json"
done
