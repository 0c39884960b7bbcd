#!/usr/bin/env python3
"""The page at `/` in headless Chromium (Debian's `chromium`).

Loads /#scan=TEXT, which fills the form and submits it through the same
handler as the Check button, lets the page fetch /v1/scan and render, and
reads the DOM back with --dump-dom.  Checks that the rendered verdict is
what `tsguard scan` says for the same text, that the evidence is marked in
the text and that the advice is shown.  Then files a report and checks the
Campaigns tab lists its campaign.  Exits 77 when chromium is missing.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsgserver import Server, check, finish, skip  # noqa: E402

TOKEN = "webui-test-token-0123456789"


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def dump_dom(chrome, url, profile):
    p = subprocess.run(
        [chrome, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--user-data-dir=" + profile, "--virtual-time-budget=30000",
         "--dump-dom", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    chrome = browser()
    if not chrome:
        skip("chromium is not installed")
    src = os.environ.get("TSGUARD_SRC", ".")
    text = ("Your computer has been infected with a virus! Do not restart it. "
            "Call Microsoft Support now at 1-888-555-0199 and give the technician "
            "remote access with AnyDesk.")
    rec = {"id": "web", "content": text, "contact": "unsolicited"}
    cli = subprocess.run([os.environ["TSGUARD_BIN"], "scan", "--jsonl", "-"],
                         input=(json.dumps(rec) + "\n").encode(), stdout=subprocess.PIPE,
                         env=dict(os.environ, TSGUARD_DATA=src))
    want = json.loads(cli.stdout.decode().splitlines()[0])

    tmp = tempfile.mkdtemp(prefix="tsg-webui-")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write(TOKEN + "\n")
    s = Server("--db", "sqlite:" + os.path.join(tmp, "store.db"), "--token-file", token,
               "--threads", "2")
    try:
        url = "http://127.0.0.1:%d/#scan=%s" % (s.port, urllib.parse.quote(text))
        rc, dom, err = dump_dom(chrome, url, os.path.join(tmp, "profile1"))
        check(rc == 0, "chromium exit %d: %s" % (rc, err[-500:]))
        check('data-state="done"' in dom, "the page never finished the check:\n" + dom[-1500:])
        m = re.search(r'<div id="verdict"[^>]*data-verdict="(\w+)"', dom) or \
            re.search(r'<div[^>]*data-verdict="(\w+)"[^>]*id="verdict"', dom)
        check(m is not None, "no rendered verdict in the DOM")
        if m:
            check(m.group(1) == want["verdict"], "page shows %s, scan says %s"
                  % (m.group(1), want["verdict"]))
        check(html.escape(want["advice"], quote=False)[:60] in dom, "advice not shown")
        marks = re.findall(r"<mark[^>]*>(.*?)</mark>", dom, re.S)
        ev = [e["text"] for r in want["reasons"] for e in r.get("evidence", [])]
        if ev:
            check(marks, "evidence is not marked in the text")
            check(any(html.unescape(mk) in text for mk in marks), "marked text %r not in the message" % marks[:3])
        for r in want["reasons"][:3]:
            check(html.escape(r["message"], quote=False) in dom, "reason %r not shown" % r["message"])

        # an investigator: file a report, then browse the campaigns
        st, _, body = s.request("POST", "/v1/reports", json.dumps(
            {"id": "web-rep-1", "received_at": "2024-05-02T10:00:00Z", "channel": "call",
             "contact": "unsolicited", "content": text}),
            {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
        check(st in (200, 201), "report intake: %d %r" % (st, body[:200]))
        if st in (200, 201):
            camps = json.loads(s.get("/v1/campaigns?min_reports=1")[2])["campaigns"]
            check(len(camps) == 1, "campaigns after one report: %r" % camps)
            rc, dom, err = dump_dom(chrome, "http://127.0.0.1:%d/#campaigns" % s.port,
                                    os.path.join(tmp, "profile2"))
            check(rc == 0, "chromium exit %d: %s" % (rc, err[-500:]))
            for c in camps:
                check(c["id"] in dom, "campaign %s not listed on the page" % c["id"])
    finally:
        rc = s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    check(rc == 0, "server exit status %r" % rc)
    finish()


if __name__ == "__main__":
    main()
