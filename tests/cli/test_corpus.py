#!/usr/bin/env python3
"""Corpus test of the shipped engine (rules, brands, channels, model).

Scans the corpus test split with `tsguard scan --jsonl` and checks the
figures the product promises: obvious tech-support scams are flagged with
reasons that quote the right text, and legitimate messages stay clean.
Prints every figure; fails when one falls below its floor.  Skips (77)
when the corpus is absent.
"""
import collections
import json
import os
import subprocess
import sys

src = os.environ.get("TSGUARD_SRC", ".")
tsg = os.environ["TSGUARD_BIN"]
corpus = os.path.join(src, "..", "shared", "corpus")
split = os.path.join(corpus, "test.jsonl")
if not os.path.exists(split):
    print("corpus not found; skipped")
    sys.exit(77)

labels = {}
with open(split, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        labels[r["id"]] = r

out = subprocess.run([tsg, "scan", "--jsonl", "--threads", "2", split],
                     capture_output=True, text=True, check=False)
if out.returncode not in (0, 1, 2):
    print("scan crashed:", out.returncode, out.stderr[-2000:])
    sys.exit(1)

verdicts = {}
errors = 0
for line in out.stdout.splitlines():
    v = json.loads(line)
    if "error" in v:
        errors += 1
        print("error:", v)
        continue
    verdicts[v["id"]] = v

tot = collections.Counter()
hit = collections.Counter()
for rid, r in labels.items():
    v = verdicts.get(rid)
    if v is None:
        continue
    key = (r["channel"], r["label"])
    tot[key] += 1
    if r["label"] == "scam":
        hit[key] += v["verdict"] in ("scam", "suspicious")
    else:
        hit[key] += v["verdict"] != "clean"

print("channel label   n     flagged  rate")
for key in sorted(tot):
    print(f"{key[0]:7} {key[1]:5} {tot[key]:6} {hit[key]:8}  {hit[key] / tot[key]:.4f}")

failures = []


def floor(name, value, minimum):
    ok = value >= minimum
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {value:.4f} (floor {minimum})")
    if not ok:
        failures.append(name)


def ceiling(name, value, maximum):
    ok = value <= maximum
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {value:.4f} (ceiling {maximum})")
    if not ok:
        failures.append(name)


def rate(key):
    return hit[key] / tot[key] if tot[key] else 0.0


# Every record gets a verdict.
ceiling("records with an error", errors, 0)
# Obvious tech-support scams: the call transcripts of support scams.
ts = [rid for rid, r in labels.items()
      if r["label"] == "scam" and r.get("category") == "tech_support"]
ts_hit = sum(1 for rid in ts if verdicts.get(rid, {}).get("verdict") in ("scam", "suspicious"))
floor("tech-support scams flagged", ts_hit / max(1, len(ts)), 0.90)
floor("call scams flagged", rate(("call", "scam")), 0.80)
ceiling("ham SMS flagged", rate(("sms", "ham")), 0.01)
ceiling("ham chat flagged", rate(("chat", "ham")), 0.02)
ceiling("ham support docs flagged", rate(("text", "ham")), 0.02)
ceiling("ham email flagged", rate(("email", "ham")), 0.02)

# Reasons cite the text: every flagged scam has a reason with evidence whose
# quote is non-empty.
cited = 0
flagged = 0
for rid, r in labels.items():
    v = verdicts.get(rid)
    if r["label"] == "scam" and v and v["verdict"] != "clean":
        flagged += 1
        if any(e.get("text") for reason in v["reasons"] for e in reason.get("evidence", [])):
            cited += 1
floor("flagged scams whose reasons quote text", cited / max(1, flagged), 0.99)

# A verdict that is not clean always says why.
unexplained = sum(1 for v in verdicts.values()
                  if v["verdict"] != "clean" and not v["reasons"])
ceiling("flagged verdicts without a reason", unexplained, 0)

if failures:
    print("failed:", ", ".join(failures))
    sys.exit(1)
print("corpus figures within bounds")
