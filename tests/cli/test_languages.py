#!/usr/bin/env python3
"""Hand-written messages through the shipped engine.

usage: test_languages.py [NAME.tsv]   (a file of tests/data; languages.tsv)

Reads the file (EXPECT<TAB>LANG<TAB>TEXT), scans every text in one
`tsguard scan --jsonl` batch without telling it the language, and checks
that each comes out with the verdict and the language the line gives
(EXPECT scam, clean, or flagged: scam or suspicious).  LANG may name the
channel after a space ("en call"); the default is text.
languages.tsv holds Spanish, German and French messages: the corpus has no
real scams in these languages, so it guards the rules, the brand policy,
the language guess and the model's settings (model.languages,
model.floor.rules) together.  situations.tsv holds situations the corpus
lacks in any language (see its header).  Prints every miss; fails when
there is one.
"""
import json
import os
import subprocess
import sys

src = os.environ.get("TSGUARD_SRC", ".")
tsg = os.environ["TSGUARD_BIN"]
name = sys.argv[1] if len(sys.argv) > 1 else "languages.tsv"
cases = []
with open(os.path.join(src, "tests", "data", name), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        expect, lang, text = line.split("\t", 2)
        if expect not in ("scam", "clean", "flagged"):
            print(f"{name}:{n}: EXPECT must be scam, clean or flagged")
            sys.exit(1)
        lang, _, channel = lang.partition(" ")
        cases.append((n, expect, lang, channel or "text", text))

batch = "".join(json.dumps({"id": str(n), "channel": ch, "content": t}) +
                "\n" for n, _, _, ch, t in cases)
out = subprocess.run([tsg, "scan", "--jsonl", "-"], input=batch,
                     capture_output=True, text=True, check=False)
if out.returncode not in (0, 1):
    print("scan failed:", out.returncode, out.stderr[-2000:])
    sys.exit(1)
verdicts = [json.loads(l) for l in out.stdout.splitlines()]
if len(verdicts) != len(cases):
    print(f"{len(verdicts)} verdicts for {len(cases)} lines")
    sys.exit(1)

misses = 0
for (n, expect, lang, _, text), v in zip(cases, verdicts):
    want = ("scam", "suspicious") if expect == "flagged" else (expect,)
    ok = v.get("verdict") in want and v.get("lang") == lang
    print(f"{'ok' if ok else 'MISS'} {name}:{n} {lang} {expect}: "
          f"got {v.get('verdict')} {v.get('score')} ({v.get('lang')}) "
          f"{[r['rule'] for r in v.get('reasons', [])]}")
    misses += not ok
print(f"{len(cases) - misses} of {len(cases)} as expected")
sys.exit(1 if misses else 0)
