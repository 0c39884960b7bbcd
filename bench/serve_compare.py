#!/usr/bin/env python3
"""tsguard against rspamd and SpamAssassin on the same email corpus.

    bench/serve_compare.py [BUILD_DIR] [--ham N] [--spam N]

Takes every scam email of ../shared/corpus (train and test: call-center
impersonation, the label tsguard exists for), plus the first N ham and N
spam emails, and runs each filter over all of them, one message at a time:

  tsguard       `tsguard scan --jsonl --threads 1` (one core), flags = scam
  SpamAssassin  spamd from Debian, default configuration, one child
                (`-m 1`), driven by `spamc -c`; flags = spam.  Local tests
                only (`-L`): this machine has no network, and network tests
                would only add DNS timeouts.
  rspamd        rspamd from Debian, default configuration, driven by
                `rspamc` one message per call; flags = action other than
                "no action" / "greylist".

Messages per second per core = messages / CPU seconds the filter's
processes used (user + system, read from /proc; the clients' time is not
counted).  Prints a table; never asserts.  Needs spamassassin, spamc and
rspamd (scripts/install-deps.sh --extra); a missing one is skipped.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
HZ = os.sysconf("SC_CLK_TCK")


def cpu_of(pids):
    """CPU seconds (user+sys, children reaped included) of processes."""
    t = 0
    for p in pids:
        try:
            with open("/proc/%d/stat" % p) as f:
                f = f.read().rsplit(")", 1)[1].split()
            t += sum(int(x) for x in f[11:15])
        except OSError:
            pass
    return t / HZ


def group_pids(pgid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[2]) == pgid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, timeout=120):
    t = time.time() + timeout
    while time.time() < t:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def load_corpus(n_ham, n_spam):
    msgs = []
    counts = {"ham": 0, "spam": 0}
    for name in ("test.jsonl", "train.jsonl"):
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r.get("channel") != "email" or "path" not in r:
                    continue
                lab = r["label"]
                if lab in counts:
                    if counts[lab] >= (n_ham if lab == "ham" else n_spam):
                        continue
                    counts[lab] += 1
                msgs.append((r["id"], lab, os.path.join(CORPUS, r["path"])))
    return msgs


def run_tsguard(bin_, msgs, tmp):
    recs = os.path.join(tmp, "recs.jsonl")
    with open(recs, "w") as f:
        for mid, _, path in msgs:
            f.write(json.dumps({"id": mid, "channel": "email", "path": path,
                                "contact": "unsolicited"}) + "\n")
    env = dict(os.environ, TSGUARD_DATA=ROOT)
    # engine load time is not message time: measure an empty run and subtract
    empty = os.path.join(tmp, "empty.jsonl")
    open(empty, "w").close()
    t0 = os.times()
    subprocess.run([bin_, "scan", "--jsonl", "--threads", "1", empty], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = os.times()
    p = subprocess.run([bin_, "scan", "--jsonl", "--threads", "1", recs], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    t2 = os.times()
    load = (t1.children_user + t1.children_system) - (t0.children_user + t0.children_system)
    cpu = (t2.children_user + t2.children_system) - (t1.children_user + t1.children_system) - load
    flags = {}
    for line in p.stdout.decode().splitlines():
        v = json.loads(line)
        if "verdict" in v:
            flags[v["id"]] = v["verdict"] == "scam"
    return flags, cpu


def run_spamassassin(msgs, tmp):
    if not (shutil.which("spamd") and shutil.which("spamc")):
        return None, None, "spamd/spamc not installed"
    port = free_port()
    log = open(os.path.join(tmp, "spamd.log"), "w")
    user = ["-u", "nobody"] if os.getuid() == 0 else []
    p = subprocess.Popen(["spamd", "-L", "-m", "1", "--min-spare=1", "--max-spare=1",
                          "-i", "127.0.0.1", "-p", str(port), "-A", "127.0.0.1",
                          "--syslog=stderr", "-x"] + user,
                         stdout=log, stderr=log, start_new_session=True)
    try:
        if not wait_port(port):
            return None, None, "spamd did not start"
        # one warm-up message loads the rules in the child
        with open(msgs[0][2], "rb") as f:
            subprocess.run(["spamc", "-d", "127.0.0.1", "-p", str(port), "-c"], stdin=f,
                           stdout=subprocess.DEVNULL)
        c0 = cpu_of(group_pids(p.pid))
        flags = {}
        for mid, _, path in msgs:
            with open(path, "rb") as f:
                r = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", str(port), "-c"],
                                   stdin=f, stdout=subprocess.PIPE)
            flags[mid] = r.returncode == 1
        cpu = cpu_of(group_pids(p.pid)) - c0
        return flags, cpu, "spamd -L -m 1"
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait()


def run_rspamd(msgs, tmp):
    if not (shutil.which("rspamd") and shutil.which("rspamc")):
        return None, None, "rspamd/rspamc not installed"
    port = free_port()
    conf_dir = os.path.join(tmp, "rspamd")
    os.makedirs(os.path.join(conf_dir, "local.d"))
    # Default configuration; only where it listens and writes is changed so
    # that it runs beside anything else on the machine.
    with open(os.path.join(conf_dir, "local.d", "worker-normal.inc"), "w") as f:
        f.write('bind_socket = "127.0.0.1:%d";\ncount = 1;\n' % port)
    with open(os.path.join(conf_dir, "local.d", "worker-controller.inc"), "w") as f:
        f.write('bind_socket = "127.0.0.1:%d";\n' % free_port())
    with open(os.path.join(conf_dir, "local.d", "worker-proxy.inc"), "w") as f:
        f.write('bind_socket = "127.0.0.1:%d";\n' % free_port())
    with open(os.path.join(conf_dir, "local.d", "options.inc"), "w") as f:
        f.write('dbdir = "%s"; rundir = "%s";\n' % (conf_dir, conf_dir))
    with open(os.path.join(conf_dir, "local.d", "logging.inc"), "w") as f:
        f.write('type = "file"; filename = "%s/rspamd.log"; level = "error";\n' % conf_dir)
    main = "/etc/rspamd/rspamd.conf"
    env = dict(os.environ, RSPAMD_LOCAL_CONFDIR=conf_dir)
    user = []
    if os.getuid() == 0:
        user = ["-u", "_rspamd", "-g", "_rspamd"]
        shutil.chown(conf_dir, "_rspamd", "_rspamd")
        for d, _, fs in os.walk(conf_dir):
            shutil.chown(d, "_rspamd", "_rspamd")
            for x in fs:
                shutil.chown(os.path.join(d, x), "_rspamd", "_rspamd")
    log = open(os.path.join(tmp, "rspamd.out"), "w")
    p = subprocess.Popen(["rspamd", "-f", "-c", main, "--var=LOCAL_CONFDIR=" + conf_dir]
                         + user, stdout=log, stderr=log, env=env, start_new_session=True)
    try:
        if not wait_port(port):
            return None, None, "rspamd did not start (see %s)" % log.name
        subprocess.run(["rspamc", "-h", "127.0.0.1:%d" % port, msgs[0][2]],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        c0 = cpu_of(group_pids(p.pid))
        flags = {}
        for mid, _, path in msgs:
            r = subprocess.run(["rspamc", "-h", "127.0.0.1:%d" % port, path],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            m = re.search(rb"Action: ([a-z ]+)", r.stdout)
            action = m.group(1).decode().strip() if m else "?"
            flags[mid] = action not in ("no action", "greylist", "?")
        cpu = cpu_of(group_pids(p.pid)) - c0
        return flags, cpu, "rspamd, 1 normal worker"
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait()


def main():
    args = sys.argv[1:]
    build = "build-srv-rel"
    n_ham = n_spam = 200
    while args:
        a = args.pop(0)
        if a == "--ham":
            n_ham = int(args.pop(0))
        elif a == "--spam":
            n_spam = int(args.pop(0))
        else:
            build = a
    bin_ = os.path.join(ROOT, build, "src", "tsguard")
    if not os.path.isdir(CORPUS):
        print("no corpus at %s" % CORPUS)
        return 2
    msgs = load_corpus(n_ham, n_spam)
    by_label = {}
    for _, lab, _ in msgs:
        by_label[lab] = by_label.get(lab, 0) + 1
    print("corpus: %d emails (%s)" % (len(msgs), ", ".join("%d %s" % (n, l) for l, n in sorted(by_label.items()))))
    tmp = tempfile.mkdtemp(prefix="tsg-cmp-")
    os.chmod(tmp, 0o755)
    rows = []
    try:
        flags, cpu = run_tsguard(bin_, msgs, tmp)
        rows.append(("tsguard (scan --jsonl --threads 1)", flags, cpu))
        for fn in (run_spamassassin, run_rspamd):
            f, c, note = fn(msgs, tmp)
            if f is None:
                print("skipped: %s" % note)
            else:
                rows.append((note, f, c))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%-38s %12s %14s %14s %14s" % ("filter", "msgs/s/core", "scam flagged", "spam flagged",
                                           "ham flagged"))
    for name, flags, cpu in rows:
        def n(lab):
            return sum(1 for mid, l, _ in msgs if l == lab and flags.get(mid))
        rate = len(msgs) / cpu if cpu and cpu > 0 else float("nan")
        print("%-38s %12.1f %9d/%-4d %9d/%-4d %9d/%-4d" % (
            name, rate, n("scam"), by_label.get("scam", 0), n("spam"), by_label.get("spam", 0),
            n("ham"), by_label.get("ham", 0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
