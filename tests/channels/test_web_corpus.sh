#!/bin/sh
# Corpus test: every web page of train.jsonl and test.jsonl in
# ../shared/corpus is scanned as a web page; pages labelled scam must come
# out SCAM and pages labelled ham must come out CLEAN.  Skips (77) when the
# corpus is absent.
set -u
: "${TSGUARD_BIN:?}" "${TSGUARD_SRC:?}"
corpus="$TSGUARD_SRC/../shared/corpus"
[ -f "$corpus/train.jsonl" ] || { echo "corpus absent, skipping"; exit 77; }
tmp=${TMPDIR:-/tmp}/tsg-webcorpus.$$
trap 'rm -f "$tmp".*' EXIT
cat "$corpus/train.jsonl" "$corpus/test.jsonl" |
	grep '"channel": *"web"' |
	while IFS= read -r rec; do
		# Key order varies between records: take each field on its own.
		label=$(printf '%s' "$rec" | sed -n 's/.*"label": *"\([a-z]*\)".*/\1/p')
		path=$(printf '%s' "$rec" | sed -n 's/.*"path": *"\([^"]*\)".*/\1/p')
		[ -n "$label" ] && [ -n "$path" ] && printf '%s %s\n' "$label" "$path"
	done >"$tmp.list"
n=$(wc -l <"$tmp.list")
[ "$n" -gt 0 ] || { echo "no web records found"; exit 1; }
fail=0
scams=0
while read -r label path; do
	out=$("$TSGUARD_BIN" scan --channel web "$corpus/$path" 2>/dev/null | head -n 1)
	case $label in
	scam)
		scams=$((scams + 1))
		case $out in *": SCAM (score"*) ;; *) echo "FAIL scam page not SCAM: $out"; fail=1 ;; esac ;;
	ham)
		case $out in *": CLEAN (score"*) ;; *) echo "FAIL ham page not CLEAN: $out"; fail=1 ;; esac ;;
	esac
done <"$tmp.list"
[ "$scams" -gt 0 ] || { echo "FAIL no scam page in the corpus list"; fail=1; }
[ "$n" -gt "$scams" ] || { echo "FAIL no ham page in the corpus list"; fail=1; }
echo "web corpus: $n pages ($scams scam), $([ $fail -eq 0 ] && echo ok || echo FAILED)"
exit $fail
