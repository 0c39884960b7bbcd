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
# a file of format version 1 (float weights), as older builds wrote
{ head -c 8 "$T/a.tsgm"; printf '\001\000\000\000'; tail -c +13 "$T/a.tsgm"; } >"$T/v1.tsgm"
for f in trunc text v1; do
	"$BIN" scan $R --model "$T/$f.tsgm" "$T/msg.txt" >/dev/null 2>"$T/err"
	rc=$?
	ck "$f model: exit 2" [ $rc -eq 2 ]
	ck "$f model: says refused" grep -q "model file refused" "$T/err"
done
ck "v1 model: says to retrain" grep -q "format version 1, this build reads version 2: retrain" "$T/err"

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
		# alone makes a scam only when sure and quoting the text
		# (model.alone.* in data/tsguard.conf)
		"$BIN" scan --model "$SRC/data/model.tsgm" --jsonl --threads 2 \
			"$CORPUS/test.jsonl" 2>/dev/null >"$T/verdicts.jsonl"
		ck "shipped model: every flagged verdict has a reason" python3 -c "
import json,sys
conf={}
for l in open('$SRC/data/tsguard.conf'):
    if '=' in l and not l.lstrip().startswith('#'):
        k,v=l.split('=',1); conf[k.strip()]=v.strip()
min_p=float(conf.get('model.alone.min_probability', 2))
min_q=int(float(conf.get('model.alone.min_quotes', 2)))
n=bad=alone=unquoted=0
for l in open('$T/verdicts.jsonl'):
    v=json.loads(l)
    if 'verdict' not in v or v['verdict']=='clean': continue
    n+=1
    rs=v.get('reasons',[])
    if not rs: bad+=1; print('no reason:', v.get('id'), v['verdict'], v.get('score'))
    if v['verdict']=='scam' and not any(r['rule']!='model.words' and r['weight']>0 for r in rs):
        alone+=1
        m=[r for r in rs if r['rule']=='model.words']
        quotes=[e for r in m for e in r.get('evidence',[]) if e.get('text')]
        if v.get('model_score',0) < min_p or len(quotes) < min_q:
            unquoted+=1; print('scam on the model alone, unsure or unquoted:', v.get('id'), v.get('model_score'), len(quotes))
print('test split: %d flagged, %d without a reason, %d scam on the model alone (%d unsure or unquoted)' % (n,bad,alone,unquoted))
sys.exit(1 if bad or unquoted or n==0 else 0)"
	fi
fi
exit $fail
