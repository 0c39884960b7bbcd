#!/usr/bin/env python3
"""Report intake under faults, black box.

1. kill -9 during intake: clients post reports as fast as they can; the
   server is killed with SIGKILL mid-stream; a new server on the same store
   must already hold every report that was acknowledged (2xx): posting each
   again answers "duplicate": true.
2. PostgreSQL stopped mid-run (only when a PostgreSQL server binary is
   installed; the test runs its own throwaway cluster on 127.0.0.1): intake
   answers 503 store_unavailable, scans keep working, and intake recovers
   once PostgreSQL is back.
"""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsgserver import Server, check, error_code, finish  # noqa: E402

TOKEN = "intake-test-token-0123456789"
HDRS = {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN}


def report(i):
    return json.dumps({
        "id": "kill-%05d" % i, "received_at": "2024-05-02T10:00:00Z", "channel": "call",
        "contact": "unsolicited",
        "content": "Microsoft support called: my computer has a virus, install AnyDesk "
                   "and call back 1-888-555-%04d. Report %d." % (i % 10000, i)})


def test_kill9(tmp, token):
    db = "sqlite:" + os.path.join(tmp, "kill.db")
    s = Server("--db", db, "--token-file", token, "--threads", "2")
    acked = []
    lock = threading.Lock()
    counter = [0]
    stop = threading.Event()

    def client():
        while not stop.is_set():
            with lock:
                i = counter[0]
                counter[0] += 1
            try:
                st, _, body = s.request("POST", "/v1/reports", report(i), HDRS, timeout=30)
            except OSError:
                return  # the server died under us: this one was not acknowledged
            if st in (200, 201):
                with lock:
                    acked.append(i)

    ts = [threading.Thread(target=client) for _ in range(6)]
    for t in ts:
        t.start()
    t0 = time.time()
    while len(acked) < 150 and time.time() - t0 < 120:
        time.sleep(0.05)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait()
    stop.set()
    for t in ts:
        t.join(60)
    check(len(acked) >= 50, "only %d reports acknowledged before the kill" % len(acked))

    s2 = Server("--db", db, "--token-file", token, "--threads", "2")
    try:
        lost = []
        for i in acked:
            st, _, body = s2.request("POST", "/v1/reports", report(i), HDRS)
            if st != 200 or not json.loads(body).get("duplicate"):
                lost.append((i, st))
        check(not lost, "%d of %d acknowledged reports were lost: %r"
              % (len(lost), len(acked), lost[:5]))
        print("kill -9: %d acknowledged, %d sent in all, none lost" % (len(acked), counter[0]))
    finally:
        s2.stop()


def free_port():
    so = socket.socket()
    so.bind(("127.0.0.1", 0))
    p = so.getsockname()[1]
    so.close()
    return p


def test_pg(tmp, token):
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        print("SKIP (part): no PostgreSQL server installed")
        return
    pgbin = os.path.dirname(bins[-1])
    d = tempfile.mkdtemp(prefix="tsg-pg-")
    as_pg = []
    if os.getuid() == 0:  # the server refuses to run as root
        if subprocess.run(["id", "postgres"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0:
            print("SKIP (part): running as root without a postgres user")
            return
        shutil.chown(d, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = os.path.join(d, "data")

    def pg(*args, check_rc=True):
        p = subprocess.run(as_pg + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if check_rc and p.returncode != 0:
            raise RuntimeError(" ".join(args) + ": " + p.stdout.decode()[-800:])
        return p

    def pg_start():
        pg(pgbin + "/pg_ctl", "-D", data, "-l", os.path.join(d, "server.log"), "-w",
           "-o", "-h 127.0.0.1 -p %d -k %s -c fsync=off" % (port, d), "start")

    def pg_stop():
        pg(pgbin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop", check_rc=False)

    s = None
    try:
        pg(pgbin + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
           "--no-locale")
        pg_start()
        pg(pgbin + "/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "tsg")
        url = "postgresql://postgres@127.0.0.1:%d/tsg" % port
        s = Server("--db", url, "--token-file", token, "--threads", "2")
        scan = {"content": "Call Microsoft support now, your PC is infected: 1-888-555-0199"}
        st, _, body = s.request("POST", "/v1/reports", report(90001), HDRS)
        check(st == 201, "PG intake: %d %r" % (st, body[:200]))
        pg_stop()
        st, _, body = s.request("POST", "/v1/reports", report(90002), HDRS)
        check(st == 503 and error_code(body) == "store_unavailable",
              "intake with PostgreSQL down: %d %r" % (st, body[:200]))
        st, _, body = s.post_json("/v1/scan", scan)
        check(st == 200, "scan with PostgreSQL down: %d" % st)
        st, _, body = s.get("/healthz")
        check(json.loads(body).get("store") == "unavailable", "healthz store state: %r" % body)
        pg_start()
        ok = False
        for _ in range(50):
            st, _, body = s.request("POST", "/v1/reports", report(90002), HDRS)
            if st == 201:
                ok = True
                break
            time.sleep(0.2)
        check(ok, "intake did not recover after PostgreSQL came back: %d %r" % (st, body[:200]))
        # Every worker thread's connection was cut: each must reconnect by
        # itself, so no request after the recovery may fail.
        for i in range(8):
            st, _, body = s.request("POST", "/v1/reports", report(90001), HDRS)
            check(st == 200 and json.loads(body).get("duplicate"),
                  "report stored before the outage, request %d after the recovery: %d %r"
                  % (i, st, body[:200]))
        print("PostgreSQL outage: 503 while down, scans served, intake recovered")
    finally:
        if s:
            s.stop()
        pg_stop()
        shutil.rmtree(d, ignore_errors=True)


def main():
    tmp = tempfile.mkdtemp(prefix="tsg-intake-")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write(TOKEN + "\n")
    try:
        test_kill9(tmp, token)
        test_pg(tmp, token)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
