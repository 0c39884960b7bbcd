#!/usr/bin/env python3
"""Black-box tests of `tsguard serve` over loopback: the API, the error
documents, the limits and hostile clients, metrics, SIGHUP reloads (good
and broken) under load, and the SIGTERM drain.

The verdicts are not hard-coded: the server must answer exactly what
`tsguard scan --jsonl` prints for the same record, so rule changes never
break this test while a server that answers differently always does.
"""
import base64
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
from tsgserver import Server, check, error_code, finish, status_of  # noqa: E402

SRC = os.environ.get("TSGUARD_SRC", ".")
BIN = os.environ.get("TSGUARD_BIN")

with open(os.path.join(SRC, "examples", "popup-microsoft.txt"), encoding="utf-8") as f:
    POPUP = f.read()

RECORDS = [
    {"id": "sms-1", "channel": "sms", "contact": "unsolicited",
     "content": "Your Apple ID has been locked due to suspicious activity. "
                "Call Apple Support at 1-844-555-0110 now to unlock it."},
    {"id": "sms-2", "channel": "sms",
     "content": "Hey, are we still on for dinner at 7? Bring the charger please."},
    {"id": "popup", "channel": "text", "contact": "unsolicited", "content": POPUP},
    {"id": 42, "content_base64": base64.b64encode(
        b"Call Micr\xffosoft supp\x00ort at 1-888-555-0199 \xc3\x28 now").decode()},
]


SMALL_RULES = """\
rule t.infected
  category  tech_support
  lang      any
  weight    0.9
  message   Says your computer is infected
  pattern   a  /\\b(infected|virus)\\b/
  match     a
  expect    your computer is infected
end
"""


def cli_verdicts(records):
    """What `tsguard scan --jsonl` says for the records, one line each."""
    data = "".join(json.dumps(r) + "\n" for r in records)
    p = subprocess.run([BIN, "scan", "--jsonl", "-"], input=data.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(os.environ, TSGUARD_DATA=SRC))
    return p.stdout.decode().splitlines()


def test_api(s):
    st, h, body = s.get("/healthz")
    check(st == 200, "healthz status %d" % st)
    hz = json.loads(body)
    check(hz.get("status") == "ok" and hz.get("engine_generation") == 1, "healthz body %r" % hz)
    check(h.get("content-type", "").startswith("application/json"), "healthz content type")

    want = cli_verdicts(RECORDS)
    check(len(want) == len(RECORDS), "cli gave %d lines" % len(want))
    for rec, line in zip(RECORDS, want):
        st, h, body = s.post_json("/v1/scan", rec)
        check(st == 200, "scan %s: status %d %r" % (rec["id"], st, body[:200]))
        check(body.decode().strip() == line, "scan %s: server and CLI differ:\n%s\n%s"
              % (rec["id"], body.decode().strip()[:300], line[:300]))
        v = json.loads(body)
        check(v.get("verdict") in ("clean", "suspicious", "scam"), "verdict field")
        check(isinstance(v.get("reasons"), list) and "advice" in v, "reasons/advice")

    # charset parameter on the media type is fine
    st, _, _ = s.post_json("/v1/scan", RECORDS[0], ctype="application/json; charset=utf-8")
    check(st == 200, "json with charset: %d" % st)

    # batch: JSONL in, JSONL out, in order, a bad line gets an error line
    lines = [json.dumps(RECORDS[0]), "{not json", "", json.dumps(RECORDS[1]),
             json.dumps({"id": "nocontent"}), json.dumps(RECORDS[2])]
    st, h, body = s.post_json("/v1/scan/batch", "\n".join(lines) + "\n",
                              ctype="application/x-ndjson")
    check(st == 200, "batch status %d" % st)
    check(h.get("content-type", "").startswith("application/x-ndjson"), "batch content type")
    out = body.decode().splitlines()
    check(len(out) == 5, "batch gave %d lines, want 5" % len(out))
    if len(out) == 5:
        check(out[0] == want[0] and out[2] == want[1] and out[4] == want[2],
              "batch verdicts differ from the CLI's")
        e1 = json.loads(out[1])
        check(e1.get("line") == 2 and e1["error"]["code"] == "invalid_json",
              "batch error line: %r" % e1)
        e2 = json.loads(out[3])
        check(e2.get("id") == "nocontent" and e2["error"]["code"] == "invalid_record",
              "batch record error: %r" % e2)
    st, _, body = s.post_json("/v1/scan/batch", "", ctype="application/jsonl")
    check(st == 200 and body == b"", "empty batch: %d %r" % (st, body))

    # the page
    st, h, body = s.get("/")
    check(st == 200 and h.get("content-type", "").startswith("text/html")
          and b"scan-form" in body, "index page")
    st, _, body = s.request("HEAD", "/healthz")
    check(st == 200 and body == b"", "HEAD healthz: %d" % st)


def test_errors(s):
    cases = [
        ("malformed JSON", "POST", "/v1/scan", b'{"content": "abc', "application/json", 400, "invalid_json"),
        ("not an object", "POST", "/v1/scan", b'[1,2,3]', "application/json", 400, None),
        ("invalid UTF-8", "POST", "/v1/scan", b'{"content": "abc \xff\xfe def"}', "application/json", 400, "invalid_json"),
        ("no content", "POST", "/v1/scan", b'{"id": "x"}', "application/json", 400, "invalid_record"),
        ("path refused", "POST", "/v1/scan", b'{"path": "/etc/passwd"}', "application/json", 400, "invalid_record"),
        ("bad channel", "POST", "/v1/scan", b'{"content": "hi", "channel": "fax"}', "application/json", 400, "invalid_record"),
        ("NUL in JSON", "POST", "/v1/scan", b'{"content": "a\x00b"}', "application/json", 400, "invalid_json"),
        ("empty body", "POST", "/v1/scan", b'', "application/json", 400, "invalid_json"),
        ("form type", "POST", "/v1/scan", b'content=hi', "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("text type", "POST", "/v1/scan", b'{"content":"hi"}', "text/plain", 415, "unsupported_media_type"),
        ("no type", "POST", "/v1/scan", b'{"content":"hi"}', None, 415, "unsupported_media_type"),
        ("batch form type", "POST", "/v1/scan/batch", b'{}', "multipart/form-data; boundary=x", 415, "unsupported_media_type"),
        ("GET scan", "GET", "/v1/scan", None, None, 405, "method_not_allowed"),
        ("DELETE healthz", "DELETE", "/healthz", None, None, 405, "method_not_allowed"),
        ("unknown path", "GET", "/v2/nothing", None, None, 404, "not_found"),
        ("bad campaign id", "GET", "/v1/campaigns/..%2f..%2fetc", None, None, 404, "not_found"),
        ("reports no token", "POST", "/v1/reports", b'{"id":"r1","content":"x"}', "application/json", None, None),
    ]
    for name, method, path, body, ctype, want_st, want_code in cases:
        h = {"Content-Type": ctype} if ctype else {}
        st, hd, data = s.request(method, path, body, h)
        if want_st is None:
            check(400 <= st < 600, "%s: status %d" % (name, st))
        else:
            check(st == want_st, "%s: status %d, want %d (%r)" % (name, st, want_st, data[:200]))
        check(hd.get("content-type", "").startswith("application/json"), "%s: content type %r"
              % (name, hd.get("content-type")))
        code = error_code(data)
        check(code is not None, "%s: no JSON error document: %r" % (name, data[:200]))
        if want_code:
            check(code == want_code, "%s: code %r, want %r" % (name, code, want_code))
        if want_st == 405:
            check("allow" in hd, "%s: no Allow header" % name)
    check(s.healthy(), "server healthy after bad requests")


def test_limits(s, max_body):
    # declared too large: 413 without reading the body
    big = b'{"content": "' + b"a" * (max_body + 10) + b'"}'
    st, _, data = s.request("POST", "/v1/scan", big, {"Content-Type": "application/json"})
    check(st == 413 and error_code(data) == "body_too_large", "huge body: %d %r" % (st, data[:120]))

    # a Content-Length that promises a lot, with nothing behind it
    raw = s.raw(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 99999999999\r\n\r\n")
    check(status_of(raw) == 413, "absurd Content-Length: %r" % raw[:80])

    # chunked, too large: read and refused at the end
    chunk = b"b" * 8192
    body = b""
    for _ in range(max_body // len(chunk) + 2):
        body += b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    body += b"0\r\n\r\n"
    raw = s.raw(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
    check(status_of(raw) == 413 and b"body_too_large" in raw, "chunked huge body: %r" % raw[:120])

    # chunked, in limits: scanned
    rec = json.dumps(RECORDS[0]).encode()
    raw = s.raw(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + b"%x\r\n" % 10 + rec[:10] + b"\r\n" + b"%x\r\n" % (len(rec) - 10) + rec[10:]
                + b"\r\n0\r\n\r\n")
    check(status_of(raw) == 200 and b'"verdict"' in raw, "chunked scan: %r" % raw[:120])

    # header flood: more header bytes than a connection may hold
    flood = b"".join(b"X-Flood-%d: %s\r\n" % (i, b"y" * 100) for i in range(2000))
    raw = s.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + flood + b"\r\n")
    st = status_of(raw)
    check(st is not None and 400 <= st < 500, "header flood: %r" % raw[:80])
    # one enormous header line
    raw = s.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"z" * 200000 + b"\r\n\r\n")
    st = status_of(raw)
    check(st is None or 400 <= st < 500, "huge header line: %r" % raw[:80])
    # garbage instead of HTTP
    raw = s.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(200) + b"\r\n\r\n")
    st = status_of(raw)
    check(st is None or 400 <= st < 500, "binary garbage: %r" % raw[:80])
    # a batch over the record limit is refused whole
    check(s.healthy(), "server healthy after limit tests")


def test_slow_clients(s, request_timeout):
    """Slowloris: connections that trickle headers (never idle for long) are
    answered 408 and closed after the request timeout; meanwhile others are
    served."""
    results = {}

    def loris(i):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        t0 = time.time()
        got = b""
        try:
            sock.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n")
            for k in range(100):
                sock.sendall(b"X-Slow-%d: a\r\n" % k)
                time.sleep(0.25)
        except OSError:
            pass
        try:
            sock.settimeout(5)
            while True:
                b = sock.recv(4096)
                if not b:
                    break
                got += b
        except OSError:
            pass
        results[i] = (time.time() - t0, got)
        sock.close()

    def slow_body(i):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        t0 = time.time()
        got = b""
        try:
            sock.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n")
            for _ in range(200):
                sock.sendall(b" ")
                time.sleep(0.25)
        except OSError:
            pass
        try:
            sock.settimeout(5)
            while True:
                b = sock.recv(4096)
                if not b:
                    break
                got += b
        except OSError:
            pass
        results[i] = (time.time() - t0, got)
        sock.close()

    idle = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(20)]
    threads = [threading.Thread(target=loris, args=(i,)) for i in range(8)]
    threads += [threading.Thread(target=slow_body, args=(100 + i,)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    served = 0
    t_end = time.time() + request_timeout
    while time.time() < t_end:
        st, _, _ = s.post_json("/v1/scan", RECORDS[1])
        served += st == 200
    check(served > 5, "served only %d requests while slow clients held connections" % served)
    for t in threads:
        t.join(60)
    for i, (secs, got) in sorted(results.items()):
        check(secs < request_timeout + 3, "slow client %d held on for %.1fs" % (i, secs))
        check(status_of(got) == 408 and b"request_timeout" in got,
              "slow client %d got %r" % (i, got[:80]))
    for c in idle:
        c.close()
    check(s.healthy(), "server healthy after slow clients")
    st, _, body = s.get("/metrics")
    check(b"tsguard_slow_clients_dropped_total" in body, "slow drops metric")


def test_metrics(s):
    st, h, body = s.get("/metrics")
    text = body.decode()
    check(st == 200 and h.get("content-type", "").startswith("text/plain"), "metrics status/type")
    check('tsguard_http_requests_total{route="scan",status="200"}' in text, "scan 200 counter")
    check('tsguard_http_requests_total{route="scan",status="400"}' in text, "scan 400 counter")
    check('tsguard_http_request_duration_seconds_bucket{route="scan",le="+Inf"}' in text,
          "latency histogram")
    check('tsguard_verdicts_total{verdict="clean"}' in text, "verdict counter")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name_val = line.rsplit(" ", 1)
            check(len(name_val) == 2, "metric line %r" % line)
            try:
                float(name_val[1])
            except ValueError:
                check(False, "metric value in %r" % line)


def test_conn_limits(rules_dir):
    """--max-per-ip: connections beyond the limit from one address are
    refused; once the hogs leave, the same address is served again."""
    s = Server("--rules", rules_dir, "--threads", "2", "--max-per-ip", "4")
    try:
        hogs = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(4)]
        time.sleep(0.3)
        refused = False
        try:
            st, _, _ = s.get("/healthz", timeout=5)
        except OSError:
            refused = True
        check(refused, "a fifth connection from one address was served")
        for h in hogs:
            h.close()
        time.sleep(0.3)
        check(s.healthy(), "not served again after the hogs left")
    finally:
        rc = s.stop()
    check(rc == 0, "exit status %r" % rc)


def test_reload(rules_dir):
    """SIGHUP swaps the engine while requests run; a broken reload keeps the
    old engine and says why; no request fails meanwhile."""
    s = Server("--rules", rules_dir, "--threads", "2")
    try:
        stop = threading.Event()
        failures = []
        count = [0]

        def hammer():
            while not stop.is_set():
                try:
                    st, _, body = s.post_json("/v1/scan", RECORDS[2])
                    if st != 200:
                        failures.append((st, body[:200]))
                    count[0] += 1
                except Exception as e:  # noqa: BLE001
                    failures.append(repr(e))

        ts = [threading.Thread(target=hammer) for _ in range(4)]
        for t in ts:
            t.start()
        for i in range(3):
            n = s.nlog()
            s.signal(signal.SIGHUP)
            check(s.wait_log(r"reloaded: generation %d" % (i + 2), 60, n) is not None,
                  "reload %d not logged" % (i + 1))
        # break a rule file: the reload fails, the old engine stays
        victim = sorted(f for f in os.listdir(rules_dir) if f.endswith(".rules"))[-1]
        with open(os.path.join(rules_dir, victim), "a", encoding="utf-8") as f:
            f.write("\nrule broken.rule {\n  this is not a rule\n")
        n = s.nlog()
        s.signal(signal.SIGHUP)
        line = s.wait_log(r"reload failed", 60, n)
        check(line is not None, "broken reload not reported")
        check(any(victim in l for l in s.log[n:]), "the reason does not name %s" % victim)
        time.sleep(0.5)
        stop.set()
        for t in ts:
            t.join(60)
        check(not failures, "%d requests failed during reloads: %r" % (len(failures), failures[:3]))
        check(count[0] > 20, "only %d requests during reloads" % count[0])
        hz = json.loads(s.get("/healthz")[2])
        check(hz["engine_generation"] == 4, "generation after a failed reload: %r" % hz)
        st, _, _ = s.post_json("/v1/scan", RECORDS[0])
        check(st == 200, "scan after a failed reload: %d" % st)
        text = s.get("/metrics")[2].decode()
        check('tsguard_reloads_total{result="failed"} 1' in text, "failed reload counted")
        # mended, the next reload succeeds
        with open(os.path.join(rules_dir, victim), "w", encoding="utf-8") as f:
            f.write(SMALL_RULES)
        n = s.nlog()
        s.signal(signal.SIGHUP)
        check(s.wait_log(r"reloaded: generation 5", 60, n) is not None, "reload after mend")
        check('tsguard_reloads_total{result="ok"} 3' in text, "good reloads counted")
    finally:
        rc = s.stop()
    check(rc == 0, "exit status after reloads: %r\n%s" % (rc, s.logtext()[-2000:]))
    check("AddressSanitizer" not in s.logtext() and "runtime error" not in s.logtext(),
          "sanitizer report:\n" + s.logtext()[-3000:])


def test_drain(rules_dir):
    """SIGTERM while a long request runs: it completes, then the server
    exits 0 and no longer accepts connections."""
    s = Server("--threads", "2", "--rules", rules_dir)
    lines = "".join(json.dumps(dict(RECORDS[2], id="d%d" % i)) + "\n" for i in range(400))
    result = {}

    def long_batch():
        result["r"] = s.post_json("/v1/scan/batch", lines, ctype="application/x-ndjson",
                                  timeout=120)

    t = threading.Thread(target=long_batch)
    t0 = time.time()
    t.start()
    # wait until the request is in flight
    while time.time() - t0 < 30:
        m = s.get("/metrics")[2].decode()
        if "tsguard_http_requests_in_flight 2" in m:  # the batch and this scrape
            break
        time.sleep(0.01)
    s.signal(signal.SIGTERM)
    t.join(120)
    rc = s.proc.wait(60)
    st, _, body = result.get("r", (None, None, b""))
    check(st == 200, "request in flight during SIGTERM: %r" % st)
    check(body.count(b"\n") == 400, "drained batch has %d lines" % body.count(b"\n"))
    check(rc == 0, "exit status after drain: %r" % rc)
    s.stop()
    check("draining" in s.logtext() and "stopped" in s.logtext(), "drain logged")
    try:
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        check(False, "port still accepts after exit")
    except OSError:
        pass


def main():
    if not BIN:
        print("SKIP: TSGUARD_BIN not set")
        sys.exit(77)
    max_body = 256 * 1024
    tmp = tempfile.mkdtemp(prefix="tsg-serve-")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write("test-token-0123456789abcdef\n")
    s = Server("--max-body", str(max_body), "--request-timeout", "3",
               "--idle-timeout", "10", "--token-file", token, "--threads", "2")
    try:
        test_api(s)
        test_errors(s)
        st, _, body = s.request("POST", "/v1/reports", b'{"id":"r1","content":"x"}',
                                {"Content-Type": "application/json",
                                 "Authorization": "Bearer wrong-token-0123456789ab"})
        check(st == 401 and error_code(body) == "unauthorized", "wrong token: %d" % st)
        test_limits(s, max_body)
        test_slow_clients(s, 3)
        test_metrics(s)
    finally:
        rc = s.stop()
    check(rc == 0, "exit status %r" % rc)
    log = s.logtext()
    check("AddressSanitizer" not in log and "runtime error" not in log,
          "sanitizer report:\n" + log[-3000:])

    # A small rule pack keeps the reloads quick under sanitizers.
    rules_dir = os.path.join(tmp, "rules")
    os.mkdir(rules_dir)
    with open(os.path.join(rules_dir, "10-test.rules"), "w", encoding="utf-8") as f:
        f.write(SMALL_RULES)
    test_conn_limits(rules_dir)
    test_reload(rules_dir)
    test_drain(rules_dir)
    shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
