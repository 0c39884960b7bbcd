#!/bin/sh
# test_model_cli.sh - `tsguard train` and `tsguard eval` as a user runs them:
# a synthetic corpus, a deterministic model file, the figures, a damaged
# model refused; with the corpus present, the shipped model on test.jsonl.
set -u
BIN=${TSGUARD_BIN:?}
SRC=${TSGUARD_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
R="--rules $SRC/tests/data/core.rules" # a small rule file: fast under ASan
ck() { # ck DESCRIPTION COMMAND...
	what=$1; shift
	if ! "$@"; then echo "test_model_cli.sh: FAILED: $what"; fail=1; fi
}

i=0
while [ $i -lt 30 ]; do
	cat >>"$T/train.jsonl" <<EOR
{"id":"s$i","channel":"sms","label":"scam","group":"s$((i % 5))","content":"Your computer is infected, call Microsoft support at 1-888-555-01$((i % 90 + 10)) now $i"}
{"id":"r$i","channel":"sms","label":"scam","group":"r$((i % 5))","content":"Your order of \$499 was charged, call our refund desk 1-877-555-01$((i % 90 + 10)) $i"}
{"id":"h$i","channel":"sms","label":"ham","group":"h$((i % 5))","content":"see you at lunch tomorrow $i, bring the photos"}
{"id":"k$i","channel":"sms","label":"ham","group":"k$((i % 5))","content":"the meeting moved to room $i, thanks"}
{"id":"p$i","channel":"sms","label":"spam","group":"p$((i % 5))","content":"WIN a free cruise $i, reply YES"}
EOR
	i=$((i + 1))
done
# a test split that repeats one train record: the leakage guard drops it
printf '%s\n' \
 '{"id":"t1","channel":"sms","label":"ham","content":"see you at lunch tomorrow 3, bring the photos"}' \
 '{"id":"t2","channel":"sms","label":"scam","content":"Your computer is infected, call Microsoft support at 1-888-555-0177 today"}' \
 '{"id":"t3","channel":"sms","label":"ham","content":"lunch tomorrow? bring the photos"}' >"$T/test.jsonl"

ck "train runs" "$BIN" train $R --bits 14 --out "$T/a.tsgm" \
	--exclude "$T/test.jsonl" "$T/train.jsonl" 2>"$T/train.log"
ck "leakage guard reports the duplicate" grep -q "dropped 1 duplicated in test" "$T/train.log"
ck "leakage guard names the record" grep -q "h3.*same normalised text" "$T/train.log"
ck "same seed, same bytes" sh -c "'$BIN' train $R --quiet --bits 14 --out '$T/b.tsgm' --exclude '$T/test.jsonl' '$T/train.jsonl' && cmp -s '$T/a.tsgm' '$T/b.tsgm'"
ck "another seed, other bytes" sh -c "'$BIN' train $R --quiet --bits 14 --seed 9 --out '$T/c.tsgm' '$T/train.jsonl' && ! cmp -s '$T/a.tsgm' '$T/c.tsgm'"
ck "eval --json" sh -c "'$BIN' eval $R --model '$T/a.tsgm' --json --errors '$T/test.jsonl' >'$T/eval.json'"
ck "eval JSON has AUC 1" grep -q '"auc": 1' "$T/eval.json"
ck "eval text table" sh -c "'$BIN' eval $R --model '$T/a.tsgm' --threshold 0.5 '$T/test.jsonl' | grep -q '^channel sms'"
printf 'old table\n<!-- notes: kept by make accuracy -->\nmy notes stay\n' >"$T/acc.md"
ck "eval --markdown" "$BIN" eval $R --model "$T/a.tsgm" --markdown "$T/acc.md" --command "make accuracy" "$T/test.jsonl"
ck "markdown keeps notes" grep -q "^my notes stay" "$T/acc.md"
ck "markdown drops the old table" sh -c "! grep -q 'old table' '$T/acc.md'"
ck "markdown names the corpus" grep -q "test.jsonl: 3 lines, sha256" "$T/acc.md"
ck "bad threshold refused" sh -c "! '$BIN' eval $R --threshold 2 '$T/test.jsonl' 2>/dev/null"

# a scan with the model explains itself
echo "URGENT your computer is infected call Microsoft support 1-888-555-0100" >"$T/msg.txt"
ck "scan with model" sh -c "'$BIN' scan $R --json --channel sms --model '$T/a.tsgm' '$T/msg.txt' >'$T/v.json'; [ \$? -le 1 ]"
ck "verdict has model_score" grep -q '"model_score"' "$T/v.json"

# damaged and foreign files are refused
head -c 100 "$T/a.tsgm" >"$T/trunc.tsgm"
echo "hello" >"$T/text.tsgm"
for f in trunc text; do
	"$BIN" scan $R --model "$T/$f.tsgm" "$T/msg.txt" >/dev/null 2>"$T/err"
	rc=$?
	ck "$f model: exit 2" [ $rc -eq 2 ]
	ck "$f model: says refused" grep -q "model file refused" "$T/err"
done

# the shipped model loads
if [ -f "$SRC/data/model.tsgm" ]; then
	ck "shipped model loads" sh -c "'$BIN' scan --model '$SRC/data/model.tsgm' '$T/msg.txt' >/dev/null; [ \$? -le 1 ]"
	CORPUS="$SRC/../shared/corpus"
	if [ -f "$CORPUS/test.jsonl" ]; then
		"$BIN" eval --model "$SRC/data/model.tsgm" --json "$CORPUS/test.jsonl" 2>/dev/null >"$T/corpus.json"
		ck "shipped model: test AUC >= 0.99" python3 -c "
import json,sys
d=json.load(open('$T/corpus.json'))
a=[s for s in d['slices'] if s['slice']=='all'][0]
print('test split: AUC', a['auc'], 'recall', a['recall'], 'FPR', a['fpr'])
sys.exit(0 if a['auc']>=0.99 else 1)"
		# the promise: a verdict that is not clean says why, and the model
		# alone never makes a scam
		"$BIN" scan --model "$SRC/data/model.tsgm" --jsonl --threads 2 \
			"$CORPUS/test.jsonl" 2>/dev/null >"$T/verdicts.jsonl"
		ck "shipped model: every flagged verdict has a reason" python3 -c "
import json,sys
n=bad=alone=0
for l in open('$T/verdicts.jsonl'):
    v=json.loads(l)
    if 'verdict' not in v or v['verdict']=='clean': continue
    n+=1
    rs=v.get('reasons',[])
    if not rs: bad+=1; print('no reason:', v.get('id'), v['verdict'], v.get('score'))
    if v['verdict']=='scam' and not any(r['rule']!='model.words' and r['weight']>0 for r in rs):
        alone+=1; print('scam on the model alone:', v.get('id'))
print('test split: %d flagged, %d without a reason, %d scam on the model alone' % (n,bad,alone))
sys.exit(1 if bad or alone or n==0 else 0)"
	fi
fi
exit $fail
