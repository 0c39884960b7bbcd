#!/bin/sh
# `tsguard milter` driven by miltertest (Debian package miltertest), over
# loopback TCP and a unix socket, in each mode: tag, reject, quarantine.
# The expected verdict comes from `tsguard scan` on the same message, so the
# test checks the filter, not the rules.  Exits 77 without miltertest.
set -u
command -v miltertest >/dev/null 2>&1 || { echo "SKIP: miltertest not installed"; exit 77; }
: "${TSGUARD_BIN:?}" "${TSGUARD_SRC:?}"
HERE="$TSGUARD_SRC/tests/server"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tsg-milter.XXXXXX")
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

crlf() { awk '{ printf "%s\r\n", $0 }'; }
crlf > "$TMP/scam.eml" <<'MAIL'
From: Microsoft Security <alerts@micros0ft-support.example>
To: victim@example.org
Subject: Your computer is infected

WARNING: Your computer has been infected with a virus and your data is at risk.
Do not restart your computer. Call Microsoft Support immediately at 1-888-555-0199.
Our certified technician will connect with AnyDesk to remove the virus.
MAIL
crlf > "$TMP/ham.eml" <<'MAIL'
From: Anna <anna@example.org>
To: ben@example.org
Subject: Saturday

Hi Ben, are we still on for the hike on Saturday? I will bring sandwiches.
Anna
MAIL

expect=$("$TSGUARD_BIN" scan --json --channel email --contact unsolicited "$TMP/scam.eml" |
	sed -n 's/.*"verdict": *"\([a-z]*\)".*/\1/p' | head -n 1)
[ -n "$expect" ] || { echo "FAIL: tsguard scan gave no verdict"; exit 1; }
echo "tsguard scan says: $expect"

fails=0
run() { # mode socket
	mode=$1 sock=$2
	"$TSGUARD_BIN" milter --socket "$sock" --action "$mode" >"$TMP/milter.log" 2>&1 &
	PID=$!
	# the engine takes a while to load under sanitizers
	i=0
	while ! grep -q "listening on" "$TMP/milter.log" && [ $i -lt 600 ]; do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.5; i=$((i + 1))
	done
	if miltertest -s "$HERE/milter.lua" -D socket="$sock" -D mode="$mode" \
		-D expect="$expect" -D scam_eml="$TMP/scam.eml" -D ham_eml="$TMP/ham.eml"; then
		echo "ok: $mode over $sock"
	else
		echo "FAIL: $mode over $sock"; fails=$((fails + 1))
	fi
	kill -TERM "$PID"
	wait "$PID"; rc=$?
	PID=""
	if [ "$rc" -ne 0 ]; then echo "FAIL: milter exit status $rc"; fails=$((fails + 1)); fi
	if grep -q -e AddressSanitizer -e "runtime error" "$TMP/milter.log"; then
		echo "FAIL: sanitizer report"; fails=$((fails + 1))
	fi
	cat "$TMP/milter.log"
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 28991)
run tag "inet:$port@127.0.0.1"
run reject "unix:$TMP/milter.sock"
run quarantine "unix:$TMP/milter.sock"
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all milter checks passed"
