"""Helpers for the black-box tests of `tsguard serve`.

Starts the real binary ($TSGUARD_BIN) on 127.0.0.1 with port 0, reads the
port it picked from its log line, and offers raw-socket and http.client
requests.  Each check prints file:line on failure and the test exits 1 at
the end (so one run shows every failure).
"""
import http.client
import inspect
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

FAILS = []


def check(cond, what):
    if not cond:
        fr = inspect.stack()[1]
        msg = "%s:%d: FAIL: %s" % (os.path.basename(fr.filename), fr.lineno, what)
        print(msg, flush=True)
        FAILS.append(msg)
    return cond


def finish():
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


class Server:
    """One `tsguard serve` process; the log is kept for inspection."""

    def __init__(self, *args, env=None):
        self.bin = os.environ.get("TSGUARD_BIN")
        if not self.bin:
            skip("TSGUARD_BIN is not set")
        e = dict(os.environ)
        e.setdefault("TSGUARD_DATA", os.environ.get("TSGUARD_SRC", "."))
        if env:
            e.update(env)
        self.log = []
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--listen", "127.0.0.1:0"] + list(args),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=e)
        self.port = None
        self._lines = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.time() + 300  # sanitizer builds load slowly
        with self._lines:
            while self.port is None and time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                self._lines.wait(0.2)
        if self.port is None:
            self.kill()
            raise RuntimeError("server did not start:\n" + self.logtext())

    def _read(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace")
            with self._lines:
                self.log.append(line)
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                self._lines.notify_all()

    def logtext(self):
        with self._lines:
            return "".join(self.log)

    def wait_log(self, pattern, timeout=30, start=0):
        """Waits for a log line matching `pattern` after line index `start`."""
        deadline = time.time() + timeout
        rx = re.compile(pattern)
        with self._lines:
            while time.time() < deadline:
                for line in self.log[start:]:
                    if rx.search(line):
                        return line
                self._lines.wait(0.1)
        return None

    def nlog(self):
        with self._lines:
            return len(self.log)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=60):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self._reader.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    # ---- requests ---------------------------------------------------------

    def request(self, method, path, body=None, headers=None, timeout=30):
        """Returns (status, headers dict lower-cased, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = dict(headers or {})
            if isinstance(body, str):
                body = body.encode()
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def post_json(self, path, obj_or_text, ctype="application/json", **kw):
        body = obj_or_text if isinstance(obj_or_text, (str, bytes)) else json.dumps(obj_or_text)
        return self.request("POST", path, body, {"Content-Type": ctype}, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def raw(self, data, timeout=10, shut=True):
        """Sends raw bytes on a new connection; returns what came back."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
                if shut:
                    s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server may answer and close before we finish
            out = b""
            while True:
                try:
                    b = s.recv(65536)
                except OSError:
                    break
                if not b:
                    break
                out += b
            return out
        finally:
            s.close()

    def healthy(self):
        try:
            st, _, body = self.get("/healthz", timeout=10)
            return st == 200 and json.loads(body)["status"] == "ok"
        except Exception:
            return False


def error_code(body):
    try:
        return json.loads(body)["error"]["code"]
    except Exception:
        return None


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None
