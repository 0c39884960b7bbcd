#!/bin/sh
# The main job on the bundled examples: scan each one and print the verdict
# with its reasons, then a JSONL batch, then the extracted indicators.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TSG="$BUILD/src/tsguard"
export TSGUARD_DATA="$ROOT"
cd "$ROOT"

echo "== tsguard scan examples/* (one verdict per message)"
for f in examples/*.txt examples/*.eml examples/*.html examples/*.json; do
	echo
	"$TSG" scan "$f"
done

echo
echo "== tsguard scan --jsonl examples/batch.jsonl (a batch, one verdict per line)"
"$TSG" scan --jsonl examples/batch.jsonl | cut -c1-200

echo
echo "== tsguard extract examples/popup-microsoft.txt"
"$TSG" extract examples/popup-microsoft.txt

# The investigators' side: file victim reports, group them into campaigns
# (call centers), look a number up, export STIX 2.1.
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
echo
echo "== tsguard ingest examples/reports.jsonl"
"$TSG" ingest --quiet --db "sqlite:$db/demo.db" examples/reports.jsonl
echo
echo "== tsguard campaigns"
"$TSG" campaigns --db "sqlite:$db/demo.db"
echo
echo "== tsguard lookup '(888) 555-0143'"
"$TSG" lookup --db "sqlite:$db/demo.db" '(888) 555-0143'
echo
echo "== tsguard lookup '\$RefundDeskUS' (a Cash App handle)"
"$TSG" lookup --db "sqlite:$db/demo.db" '$RefundDeskUS'
echo
echo "== tsguard export --format stix (first lines)"
"$TSG" export --db "sqlite:$db/demo.db" --format stix | head -c 600
echo
exit 0
