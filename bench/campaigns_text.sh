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
	python3 - "$seed" "$tmp/w$seed.jsonl" "$tmp/c$seed.json" <<'PY'
import collections, json, sys
seed, world, camps = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
truth = {}
for line in open(world):
    o = json.loads(line)
    truth[o["id"]] = o["truth"]
lab = {}
for i, c in enumerate(camps):
    for r in c["reports"]:
        lab[r] = i
for r in truth:  # a report in no campaign is a campaign of its own
    lab.setdefault(r, "alone-" + r)
n = len(truth)
cell = collections.Counter((lab[r], truth[r]) for r in truth)
a = collections.Counter(lab[r] for r in truth)
b = collections.Counter(truth.values())
best = collections.defaultdict(int)
for (l, _), v in cell.items():
    best[l] = max(best[l], v)
c2 = lambda x: x * (x - 1) / 2
s = sum(c2(v) for v in cell.values())
sa, sb = sum(c2(v) for v in a.values()), sum(c2(v) for v in b.values())
e = sa * sb / c2(n)
print("seed %s: %d reports, %d campaigns, purity %.4f ARI %.4f"
      % (seed, n, len(camps), sum(best.values()) / n, (s - e) / ((sa + sb) / 2 - e)))
PY
done
