#!/usr/bin/env python3
"""Runs the curl examples of docs/api.md against a live server.

Every ```sh block is run in order (with the documented port replaced by
the real one); the block that follows it documents the answer:
  json / jsonl  the answer parses, has at least the documented fields at
                the top level (per line for jsonl), and agrees on the
                fields that carry meaning: verdict, known, stored, status,
                query_kind, canonical and error codes;
  text          each documented line, up to its last space, starts a line
                of the answer.
Exits 77 when curl is missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsgserver import Server, check, finish, skip  # noqa: E402

MEANINGFUL = ("verdict", "known", "stored", "status", "query_kind", "canonical")
TOKEN = "docs-example-token-0123"


def blocks(text):
    """Yields (lang, body, line) of each fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            start = i
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            yield m.group(1), "\n".join(body), start + 1
        i += 1


def compare_json(doc, got, where):
    if isinstance(doc, dict):
        if not check(isinstance(got, dict), "%s: answer is not an object: %r" % (where, got)):
            return
        missing = [k for k in doc if k not in got]
        check(not missing, "%s: answer lacks %s" % (where, missing))
        for k in MEANINGFUL:
            if k in doc and k in got:
                check(doc[k] == got[k], "%s: %s is %r, documented %r" % (where, k, got[k], doc[k]))
        if "error" in doc and isinstance(got.get("error"), dict):
            check(doc["error"].get("code") == got["error"].get("code"),
                  "%s: error code %r, documented %r" % (where, got["error"].get("code"),
                                                         doc["error"].get("code")))


def main():
    if not shutil.which("curl"):
        skip("curl is not installed")
    src = os.environ.get("TSGUARD_SRC", ".")
    with open(os.path.join(src, "docs", "api.md"), encoding="utf-8") as f:
        doc = f.read()
    tmp = tempfile.mkdtemp(prefix="tsg-docs-")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write(TOKEN + "\n")
    s = Server("--db", "sqlite:" + os.path.join(tmp, "store.db"), "--token-file", token,
               "--threads", "2")
    ran = 0
    try:
        pending = None
        for lang, body, line in blocks(doc):
            if lang == "sh":
                pending = (body, line)
                cmd = body.replace("http://127.0.0.1:8080", "http://127.0.0.1:%d" % s.port)
                p = subprocess.run(["sh", "-c", cmd], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=120)
                ran += 1
                check(p.returncode == 0, "api.md:%d: exit %d: %s" % (line, p.returncode,
                                                                     p.stderr.decode()[:300]))
                answer = p.stdout.decode("utf-8", "replace")
                continue
            if pending is None or lang not in ("json", "jsonl", "text"):
                pending = None
                continue
            where = "api.md:%d (answer documented at line %d)" % (pending[1], line)
            pending = None
            if lang == "json":
                try:
                    got = json.loads(answer)
                except ValueError:
                    check(False, "%s: answer is not JSON: %r" % (where, answer[:300]))
                    continue
                compare_json(json.loads(body), got, where)
            elif lang == "jsonl":
                want = [json.loads(x) for x in body.splitlines() if x.strip()]
                got_lines = [x for x in answer.splitlines() if x.strip()]
                check(len(want) == len(got_lines), "%s: %d lines, documented %d"
                      % (where, len(got_lines), len(want)))
                for k, (w, g) in enumerate(zip(want, got_lines)):
                    try:
                        compare_json(w, json.loads(g), "%s line %d" % (where, k + 1))
                    except ValueError:
                        check(False, "%s line %d is not JSON: %r" % (where, k + 1, g[:200]))
            else:
                got_lines = answer.splitlines()
                for w in body.splitlines():
                    if not w.strip():
                        continue
                    prefix = w.rsplit(" ", 1)[0] if " " in w else w
                    check(any(g.startswith(prefix) for g in got_lines),
                          "%s: no answer line starts with %r" % (where, prefix))
    finally:
        rc = s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    check(ran >= 10, "only %d examples found in docs/api.md" % ran)
    check(rc == 0, "server exit status %r" % rc)
    check("AddressSanitizer" not in s.logtext() and "runtime error" not in s.logtext(),
          "sanitizer report:\n" + s.logtext()[-3000:])
    print("%d examples run" % ran)
    finish()


if __name__ == "__main__":
    main()
