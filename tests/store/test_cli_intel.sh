#!/bin/sh
# The intelligence commands end to end on a simulated world, through the
# real binary and the scan engine's extractors:
#   ingest (idempotent, bad lines by number) -> campaigns -> lookup ->
#   export stix|misp|csv -> casefile
# Prints purity and ARI of the campaigns found from the report texts.
# Needs TSGUARD_BIN, TSGUARD_SRC, WORLD_GEN; python3 for the JSON checks.
set -eu
: "${TSGUARD_BIN:?}" "${TSGUARD_SRC:?}" "${WORLD_GEN:?}"
T=$(mktemp -d /tmp/tsg-cli-intel.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="sqlite:$T/t.db"
B="$TSGUARD_BIN"
fail() { echo "FAIL: $*" >&2; exit 1; }
PY=""
for p in python3 /usr/bin/python3; do
	if $p -c 'import json' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "no python3: skipping"; exit 77; }

"$WORLD_GEN" 30 2000 1 "$T/w.jsonl"

"$B" ingest --quiet --db "$DB" "$T/w.jsonl" || fail "ingest"
"$B" ingest --db "$DB" "$T/w.jsonl" 2>"$T/again" || fail "second ingest"
grep -q "0 stored, 2000 already stored" "$T/again" || fail "not idempotent: $(cat "$T/again")"

# Bad lines are reported by number; the good ones still go in.
printf '%s\n' '{"id":"ok-1","content":"call 888-555-0100 now"}' 'not json' \
	'{"id":"no-content"}' '{"id":"ok-2","content":"x","victim":{"country":"usa1"}}' \
	'{"id":"ok-3","content":"fine","received_at":"2024-02-30T25:00:00Z"}' \
	'{"id":"ok-4","content":"fine too","victim":{"country":"de"}}' >"$T/bad.jsonl"
set +e
"$B" ingest --quiet --db "$DB" "$T/bad.jsonl" 2>"$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "ingest with bad lines exited $rc"
for n in 2 3 4 5; do
	grep -q "line $n" "$T/err" || fail "line $n not reported: $(cat "$T/err")"
done
grep -q "line 6" "$T/err" && fail "line 6 is valid"
"$B" lookup --db "$DB" 888-555-0100 >/dev/null || fail "ok-1 not stored"

"$B" campaigns --db "$DB" --json --min-reports 1 --stats >"$T/c.json" || fail "campaigns"
# The targets of docs/store.md, end to end: text -> extractors and brand
# registry -> store -> campaigns (test campaigns asserts them on the
# clustering core, over five worlds).
printf 'end to end (text -> extractors -> campaigns): '
"$PY" "$TSGUARD_SRC/tests/store/campaign_quality.py" "$T/w.jsonl" "$T/c.json" 0.99 0.97 ||
	fail "campaign quality below purity 0.99 / ARI 0.97"

# Campaigns are stable: running again changes no id.
"$B" campaigns --db "$DB" --json --min-reports 1 >"$T/c2.json"
cmp -s "$T/c.json" "$T/c2.json" || fail "campaign ids changed on a re-run"

camp=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/c.json")
phone=$("$PY" -c '
import json,sys
c = json.load(open(sys.argv[1]))[0]
print(next(i["value"] for i in c["indicators"] if i["kind"] == "phone" and i["links"]))' "$T/c.json")
"$B" lookup --db "$DB" --json "$phone" >"$T/l.json" || fail "lookup $phone"
grep -q "\"$camp\"" "$T/l.json" || fail "lookup did not name $camp: $(cat "$T/l.json")"
set +e
"$B" lookup --db "$DB" unknown-domain.example >/dev/null
rc=$?
set -e
[ $rc -eq 1 ] || fail "unknown value exited $rc"

# A payment-app handle links two reports that share nothing else, and a
# lookup finds it as written ($cashtag).
PDB="sqlite:$T/pay.db"
printf '%s\n' \
	'{"id":"pay-1","channel":"call","content":"This is Microsoft refund department. Send the difference on Cash App to $RefundDesk99 or call 1-888-555-0147"}' \
	'{"id":"pay-2","channel":"chat","content":"Amazon support here. Pay the extra refund back with Cash App, my cashtag is $RefundDesk99"}' \
	>"$T/pay.jsonl"
"$B" ingest --quiet --db "$PDB" "$T/pay.jsonl" || fail "ingest payment reports"
"$B" campaigns --db "$PDB" --json >"$T/pc.json" || fail "campaigns (payment)"
"$PY" -c '
import json,sys
c = json.load(open(sys.argv[1]))
assert len(c) == 1 and c[0]["report_count"] == 2, c
assert any(i["kind"] == "payment" and i["value"] == "cashapp:$refunddesk99"
           for i in c[0]["indicators"]), c[0]["indicators"]' "$T/pc.json" ||
	fail "the cashtag did not link the two reports: $(cat "$T/pc.json")"
"$B" lookup --db "$PDB" '$RefundDesk99' >"$T/pl.txt" || fail "lookup cashtag: $(cat "$T/pl.txt")"
grep -q "cashapp:\$refunddesk99" "$T/pl.txt" || fail "lookup cashtag: $(cat "$T/pl.txt")"
# ... and as the indicator's value, "service:handle", in any case
"$B" lookup --db "$PDB" 'CashApp:$RefundDesk99' >"$T/pl2.txt" || fail "lookup service:handle: $(cat "$T/pl2.txt")"
grep -q "(payment cashapp:\$refunddesk99): KNOWN" "$T/pl2.txt" || fail "lookup service:handle: $(cat "$T/pl2.txt")"

export SOURCE_DATE_EPOCH=1700000000
"$B" export --db "$DB" --format stix --out "$T/all.json" || fail "export stix"
"$B" export --db "$DB" --format stix --campaign "$camp" >"$T/one.json" || fail "export stix one"
"$B" export --db "$DB" --format misp --campaign "$camp" >"$T/misp.json" || fail "export misp"
"$B" export --db "$DB" --format misp >"$T/misp-all.json" || fail "export misp all"
"$B" export --db "$DB" --format csv >"$T/all.csv" || fail "export csv"
"$B" export --db "$DB" --format stix --campaign TSG-C-nope >/dev/null 2>&1 && fail "unknown campaign exported"
"$B" export --db "$DB" --format stix --out "$T/all2.json"
cmp -s "$T/all.json" "$T/all2.json" || fail "STIX export not reproducible"
"$PY" - "$T/misp.json" "$T/misp-all.json" "$T/all.csv" <<'PYEOF' || fail "misp/csv"
import csv, json, sys
ev = json.load(open(sys.argv[1]))["Event"]
names = {o["name"] for o in ev["Object"]}
assert "phone-number" in names, names
for o in ev["Object"]:
    assert o["Attribute"], o
json.load(open(sys.argv[2]))["response"]
rows = list(csv.reader(open(sys.argv[3], newline="")))
assert rows[0][0] == "campaign" and len(rows) > 10
print("misp: %d objects %s; csv: %d rows" % (len(ev["Object"]), sorted(names), len(rows)))
PYEOF

"$B" casefile --db "$DB" --campaign "$camp" --out "$T/case.html" || fail "casefile"
grep -q "<svg" "$T/case.html" || fail "no timeline"
grep -q "<mark" "$T/case.html" || fail "no evidence highlighted"
grep -qi "<script" "$T/case.html" && fail "script in case file"
grep -q "https\?://[a-z]" "$T/case.html" && grep -q '<link\|src="http' "$T/case.html" && fail "external resource"
echo "casefile: $(wc -c <"$T/case.html") bytes"

# Hostile text is escaped in the case file.
printf '%s\n' '{"id":"x<script>alert(1)</script>","content":"<script>alert(2)</script> call 888-555-0100 now","received_at":"2024-01-01"}' \
	'{"id":"x2","content":"<b>call</b> 888-555-0100","received_at":"2024-01-02"}' >"$T/evil.jsonl"
"$B" ingest --quiet --db "$DB" "$T/evil.jsonl"
"$B" campaigns --db "$DB" --json --min-reports 1 >"$T/c3.json"
evil=$("$PY" -c '
import json,sys
print(next(c["id"] for c in json.load(open(sys.argv[1])) if "x2" in c["reports"]))' "$T/c3.json")
"$B" casefile --db "$DB" --campaign "$evil" --out "$T/evil.html"
grep -qi "<script" "$T/evil.html" && fail "unescaped script"
grep -q "&lt;script&gt;" "$T/evil.html" || fail "escaped text missing"

# The STIX bundles validate against the OASIS schemas.
SCHEMAS="$TSGUARD_SRC/../shared/schemas/stix2.1/schemas"
if [ ! -d "$SCHEMAS" ]; then
	echo "no STIX schemas at $SCHEMAS: schema validation skipped"
	exit 0
fi
for py in /usr/bin/python3 python3; do
	set +e
	$py "$TSGUARD_SRC/tests/store/validate_stix.py" "$SCHEMAS" "$T/one.json" >"$T/v1" 2>&1
	rc=$?
	set -e
	[ $rc -eq 0 ] || [ $rc -eq 1 ] && break
done
cat "$T/v1"
[ $rc -eq 77 ] && { echo "no jsonschema module: STIX validation skipped"; exit 0; }
[ $rc -eq 0 ] || fail "STIX bundle for one campaign is invalid"
$py "$TSGUARD_SRC/tests/store/validate_stix.py" "$SCHEMAS" "$T/all.json" || fail "STIX bundle invalid"
echo "ok"
