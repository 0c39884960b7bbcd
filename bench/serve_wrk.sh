#!/bin/sh
# Throughput and latency of `tsguard serve` under wrk, on 127.0.0.1:
#   1. POST /v1/scan with SMS-sized bodies (a rotating set of real-looking
#      SMS, scam and clean, 60-200 bytes of text each);
#   2. GET /v1/lookup?value=... against a store of N reports.
# Prints wrk's figures (requests/s, p50, p90, p99).  Figures, not
# assertions: nothing here fails on a slow machine.
#
#   bench/serve_wrk.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#
# BUILD_DIR defaults to build-srv-rel (meson setup build-srv-rel
# --buildtype=release).  Needs wrk (Debian package wrk).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-srv-rel}
secs=${2:-15}
conns=${3:-64}
bin="$root/$build/src/tsguard"
[ -x "$bin" ] || { echo "no $bin; build it first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
threads=$(nproc)
tmp=$(mktemp -d /tmp/tsg-wrk.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export TSGUARD_DATA="$root"

start() { # extra args...
	"$bin" serve --listen 127.0.0.1:0 --threads "$threads" "$@" 2>"$tmp/serve.log" &
	pid=$!
	i=0
	until grep -q "listening on" "$tmp/serve.log"; do
		sleep 0.2; i=$((i + 1)); [ $i -lt 600 ] || { cat "$tmp/serve.log"; exit 2; }
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/serve.log")
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }
# CPU seconds (user + system) the server has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' "/proc/$pid/stat"; }
# Runs wrk and adds what one core of the server does: requests per CPU
# second of the server process (wrk shares the machine's cores).
bench() { # lua-script
	c0=$(cpu)
	wrk -t "$threads" -c "$conns" -d "${secs}s" --latency -s "$1" "http://127.0.0.1:$port" > "$tmp/wrk.out"
	c1=$(cpu)
	sed -n '/Latency Distribution/,/Transfer/p;/Non-2xx/p;/Socket errors/p' "$tmp/wrk.out"
	awk -v c="$c1" -v c0="$c0" '/requests in/ { printf "Server CPU: %.1f s, %.0f requests per server CPU second\n", c - c0, $1 / (c - c0) }' "$tmp/wrk.out"
}

cat > "$tmp/scan.lua" <<'LUA'
-- Rotates through SMS-sized records; wrk's latency report is per request.
local msgs = {
  [[Your Apple ID has been locked due to suspicious activity. Call Apple Support at 1-844-555-0110 now to unlock it.]],
  [[Hey, are we still on for dinner at 7? Bring the charger please.]],
  [[AMAZON: A charge of $499.99 for an iPhone 15 was placed on your account. If this was not you call 1-888-555-0142 immediately.]],
  [[Your package is waiting at the depot, reschedule delivery at your convenience. Reply STOP to opt out.]],
  [[Microsoft Security Alert: your PC is infected with a Trojan. Call 1-866-555-0187 to speak to a certified technician now.]],
  [[Mum I dropped my phone, this is my new number, can you text me when you get this x]],
  [[PayPal: your account has been suspended. To restore access call our fraud department on 1-877-555-0123 today.]],
  [[Reminder: your dentist appointment is on Tuesday at 10:30. Call us on 020 7946 0958 to reschedule.]],
}
local bodies = {}
for i, m in ipairs(msgs) do
  bodies[i] = '{"id":"b' .. i .. '","channel":"sms","contact":"unsolicited","content":"' .. m .. '"}'
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/scan", {["Content-Type"] = "application/json"}, bodies[(n % #bodies) + 1])
end
LUA

cat > "$tmp/lookup.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/lookup?value=%2B1888555" .. string.format("%04d", n % 2000))
end
LUA

echo "== tsguard $("$bin" --version | cut -d' ' -f2), $threads server threads, wrk $threads threads x $conns connections, ${secs}s"
echo "== POST /v1/scan, SMS-sized bodies"
start
bench "$tmp/scan.lua"
stop

# A store of 2000 reports, each naming one number, for the lookups.
nrep=2000
awk -v n=$nrep 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"r%d\",\"received_at\":\"2024-05-02T10:00:00Z\",\"channel\":\"call\",\"contact\":\"unsolicited\",\"content\":\"Microsoft support said my PC has a virus, call back 1-888-555-%04d\"}\n", i, i }' > "$tmp/reports.jsonl"
"$bin" ingest --quiet --db "sqlite:$tmp/store.db" "$tmp/reports.jsonl" >/dev/null 2>&1
echo "== GET /v1/lookup?value=..., store of $nrep reports (SQLite)"
start --db "sqlite:$tmp/store.db"
bench "$tmp/lookup.lua"
curl -s "http://127.0.0.1:$port/v1/lookup?value=%2B18885550042"
stop
