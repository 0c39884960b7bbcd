#!/usr/bin/env python3
"""Purity and adjusted Rand index of `tsguard campaigns --json` against the
truth of a simulated world (tests/store/world.c).

    campaign_quality.py WORLD.jsonl CAMPAIGNS.json [MIN_PURITY MIN_ARI]

Prints "N reports, M campaigns, purity P ARI A"; with the two minimums,
exits 1 when either is missed.  A report in no campaign counts as a
campaign of its own."""
import collections
import json
import sys

truth = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    truth[o["id"]] = o["truth"]
camps = json.load(open(sys.argv[2]))
lab = {}
for i, c in enumerate(camps):
    assert c["id"].startswith("TSG-C-") and c["report_count"] == len(c["reports"])
    for r in c["reports"]:
        lab[r] = i
for r in truth:
    lab.setdefault(r, "alone-" + r)
n = len(truth)
cell = collections.Counter((lab[r], truth[r]) for r in truth)
a = collections.Counter(lab[r] for r in truth)
b = collections.Counter(truth.values())
best = collections.defaultdict(int)
for (l, _), v in cell.items():
    best[l] = max(best[l], v)
purity = sum(best.values()) / n
c2 = lambda x: x * (x - 1) / 2
s = sum(c2(v) for v in cell.values())
sa, sb = sum(c2(v) for v in a.values()), sum(c2(v) for v in b.values())
e = sa * sb / c2(n)
ari = (s - e) / ((sa + sb) / 2 - e)
print("%d reports, %d campaigns, purity %.4f ARI %.4f" % (n, len(camps), purity, ari))
if len(sys.argv) > 4:
    sys.exit(0 if purity >= float(sys.argv[3]) and ari >= float(sys.argv[4]) else 1)
