#!/bin/sh
# Black-box tests of the tsguard command: exit codes, batch order, bad lines,
# a 100 MB line, rule errors as file:line.  Uses the fixed core rule set.
set -u
T="${TSGUARD_BIN:?}"
SRC="${TSGUARD_SRC:?}"
RULES="$SRC/tests/data/core.rules"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

check() { # name, condition result (0 ok)
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		fails=$((fails + 1))
	fi
}

"$T" --version | grep -q '^tsguard [0-9]'
check "--version prints the version" $?
"$T" --help | grep -q 'scan'
check "--help lists commands" $?
"$T" nonsense >/dev/null 2>&1
[ $? -eq 2 ]
check "unknown command exits 2" $?

printf 'See you at lunch' >"$tmp/ham.txt"
printf 'Your PC is infected! Call Microsoft support' >"$tmp/scam.txt"
"$T" scan --rules "$RULES" --model "" "$tmp/ham.txt" >/dev/null
check "clean message exits 0" $?
"$T" scan --rules "$RULES" --model "" "$tmp/scam.txt" >"$tmp/out" 
[ $? -eq 1 ] && grep -q 'SCAM' "$tmp/out" && grep -q 'core.alert' "$tmp/out"
check "scam exits 1 with the rule cited" $?
printf 'you can pay with gift cards' >"$tmp/weak.txt"
"$T" scan --rules "$RULES" --model "" "$tmp/weak.txt" >"$tmp/out"
[ $? -eq 0 ] && grep -q 'CLEAN' "$tmp/out" &&
	grep -q 'noted, not enough for a warning' "$tmp/out" &&
	grep -q 'core.gift' "$tmp/out"
check "a clean verdict says its weak reasons are no warning" $?
"$T" scan --rules "$RULES" --model "" "$tmp/missing.txt" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'missing.txt' "$tmp/err"
check "missing file exits 2 naming it" $?
"$T" scan --rules "$RULES" --model "" --json - <"$tmp/scam.txt" | grep -q '"verdict": "scam"'
check "--json on stdin" $?
"$T" scan --channel fax "$tmp/ham.txt" 2>/dev/null
[ $? -eq 2 ]
check "bad --channel exits 2" $?

# Batch: order kept with threads, bad lines reported by line, batch goes on.
: >"$tmp/batch.jsonl"
i=0
while [ $i -lt 300 ]; do
	if [ $((i % 50)) -eq 10 ]; then
		echo "{\"id\":\"r$i\",\"content\":" >>"$tmp/batch.jsonl"
	elif [ $((i % 7)) -eq 3 ]; then
		echo "{\"id\":\"r$i\",\"content\":\"Your PC is infected\"}" >>"$tmp/batch.jsonl"
	else
		echo "{\"id\":\"r$i\",\"content\":\"hello $i\"}" >>"$tmp/batch.jsonl"
	fi
	i=$((i + 1))
done
"$T" scan --rules "$RULES" --model "" --jsonl --threads 3 "$tmp/batch.jsonl" >"$tmp/out1"
rc=$?
[ $rc -eq 2 ]
check "batch with bad lines exits 2" $?
[ "$(wc -l <"$tmp/out1")" -eq 300 ]
check "one output line per input line" $?
awk -F'"' '{print $4}' "$tmp/out1" >"$tmp/ids1"
i=0; : >"$tmp/ids0"; while [ $i -lt 300 ]; do echo "r$i" >>"$tmp/ids0"; i=$((i + 1)); done
# error lines carry id null (the JSON did not parse): compare the rest
grep -v '"error"' "$tmp/out1" | awk -F'"' '{print $4}' >"$tmp/ids1"
grep -v ',"content":$' "$tmp/batch.jsonl" | awk -F'"' '{print $4}' >"$tmp/ids0"
cmp -s "$tmp/ids0" "$tmp/ids1"
check "--threads keeps input order" $?
grep -q '"line":11,"error":"invalid JSON' "$tmp/out1"
check "bad line reported with its line number" $?
"$T" scan --rules "$RULES" --model "" --jsonl "$tmp/batch.jsonl" >"$tmp/out2"
cmp -s "$tmp/out1" "$tmp/out2"
check "threads and single thread give identical output" $?

# One 100 MB line, then a good line.
head -c 104857600 /dev/zero | tr '\0' 'a' >"$tmp/huge.jsonl"
printf '\n{"id":"after","content":"Your PC is infected"}\n' >>"$tmp/huge.jsonl"
"$T" scan --rules "$RULES" --model "" --jsonl "$tmp/huge.jsonl" >"$tmp/out3"
[ $? -eq 2 ] && grep -q '"line":1,"error":"line longer than' "$tmp/out3" &&
	grep -q '"id":"after","verdict":"suspicious"' "$tmp/out3"
check "100 MB line gets an error and the batch goes on" $?
rm -f "$tmp/huge.jsonl"

printf '{"id":"e","content":""}\n{"id":"n","content":"a\\u0000b"}\n{"id":"u","content_base64":"/w=="}\n{"id":"p","path":"nope.txt"}\n' >"$tmp/odd.jsonl"
"$T" scan --rules "$RULES" --model "" --jsonl "$tmp/odd.jsonl" >"$tmp/out4"
grep -q '"id":"e","verdict":"clean"' "$tmp/out4" &&
	grep -q '"id":"n","verdict":"clean"' "$tmp/out4" &&
	grep -q '"id":"u","verdict":"clean"' "$tmp/out4" &&
	grep -q '"id":"p","line":4,"error":"cannot open' "$tmp/out4"
check "empty, NUL, invalid UTF-8 and missing path records" $?

# Rule errors come as file:line.
printf 'rule x\n category other\n weight 3\n message m\n pattern p /a/\nend\n' >"$tmp/bad.rules"
"$T" rules check --rules "$tmp/bad.rules" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "bad.rules:3: weight must be" "$tmp/err"
check "rules check reports file:line" $?
"$T" scan --rules "$tmp/bad.rules" "$tmp/ham.txt" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad.rules:3:" "$tmp/err"
check "scan refuses broken rules with file:line" $?
"$T" rules test --rules "$RULES" --model "" | grep -q ', 0 failed'
check "rules test runs examples" $?
printf 'rule x\n category other\n weight 0.5\n message m\n pattern p /zebra/\n expect no stripes here\nend\n' >"$tmp/fail.rules"
"$T" rules test --rules "$tmp/fail.rules" >"$tmp/out5"
[ $? -eq 1 ] && grep -q "fail.rules:6: rule x: expected a match" "$tmp/out5"
check "rules test reports a failing example as file:line" $?

# A typo in the configuration is refused with the file and the key.
mkdir -p "$tmp/data"
cp -r "$SRC/data" "$SRC/rules" "$tmp/data/"
sed -i 's/^model.channels = .*/model.channels = email smss/' "$tmp/data/data/tsguard.conf"
"$T" scan --data "$tmp/data" "$tmp/ham.txt" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "tsguard.conf: model.channels: unknown channel 'smss'" "$tmp/err"
check "a bad model.channels is refused, naming file and key" $?
cp "$SRC/data/tsguard.conf" "$tmp/data/data/tsguard.conf"
sed -i 's/^model.floor.rules = .*/model.floor.rules = pay.giftcard_code/' "$tmp/data/data/tsguard.conf"
"$T" scan --data "$tmp/data" "$tmp/ham.txt" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "model.floor.rules: 'pay.giftcard_code' is neither" "$tmp/err"
check "a model.floor.rules name the rule pack lacks is refused" $?

# With the shipped rules and model: the brand policy's "never asks for
# gift cards or remote access" holds in French and German, whatever the
# model (trained on English scams) says (model.floor.rules), and numbers
# in a Spanish message are read as Spanish first.
printf "Bonjour, ici le service technique d'Apple. Votre iCloud a été piraté. Pour le débloquer, achetez des cartes Google Play de 500 euros et envoyez-nous les codes.\n" >"$tmp/fr.txt"
printf 'Guten Tag, hier ist der technische Support von Microsoft. Wir haben festgestellt, dass Ihr Computer gehackt wurde. Bitte installieren Sie TeamViewer und geben Sie mir die ID.\n' >"$tmp/de.txt"
for f in fr de; do
	"$T" scan --data "$SRC" "$tmp/$f.txt" >"$tmp/out-$f"
	[ $? -eq 1 ] && grep -q 'SCAM' "$tmp/out-$f" &&
		grep -q 'policy.forbidden_ask' "$tmp/out-$f"
	check "the brand policy holds against the model ($f)" $?
done
printf 'Su cuenta de PayPal ha sido suspendida. Llame al 900 123 456 o al (305) 555-0123.\n' |
	"$T" extract --data "$SRC" - >"$tmp/out-es"
grep -q '+34900123456' "$tmp/out-es" && grep -q '+13055550123' "$tmp/out-es"
check "a Spanish message's numbers are Spanish first, then the default region" $?

"$T" rules list --data "$SRC" --lang de >"$tmp/out-list"
grep -q '^alert.infected .*Behauptet' "$tmp/out-list" &&
	! grep -q '^alert.infected .*Says your' "$tmp/out-list"
check "rules list --lang de prints the German messages" $?
"$T" rules list --data "$SRC" --lang it >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- '--lang' "$tmp/err"
check "rules list --lang it exits 2 naming the option" $?

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
