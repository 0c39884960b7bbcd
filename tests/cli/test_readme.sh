#!/bin/sh
# Runs the commands of the README's "Using it" block, as a new user would
# (servers, make targets and placeholders are left out), and checks that
# each exits 0 (clean / ok) or 1 (found), never 2 (error) or a crash, unless
# its comment says "exit 2".
set -u
SRC="${TSGUARD_SRC:?}"
T="${TSGUARD_BIN:?}"
export TSGUARD_DATA="$SRC" T
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^## Using it/{u=1} u && /^```sh$/{b=1; next} b && /^```$/{exit} b' \
	"$SRC/README.md" >"$tmp/block"
pass=0
fail=0
cd "$SRC" || exit 1
while IFS= read -r line; do
	case "$line" in
	'' | '#'* | export* | *' serve '* | *' milter '* | make*) continue ;;
	*' ID '*) continue ;;
	*../shared/corpus*) [ -d ../shared/corpus ] || continue ;;
	esac
	# Files the commands write go to the temporary folder.
	cmd=$(printf '%s' "$line" | sed -e "s|sqlite:reports.db|sqlite:$tmp/reports.db|g" \
		-e "s|> bundle.json|> $tmp/bundle.json|" -e 's/ *#.*$//')
	want=1
	case "$line" in *'exit 2'*) want=2 ;; esac
	sh -c "$cmd" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -le $want ] && { [ $want -eq 1 ] || grep -q '"error"' "$tmp/out"; }; then
		pass=$((pass + 1))
		echo "ok - $cmd"
	else
		fail=$((fail + 1))
		echo "not ok - $cmd (exit $rc)"
		tail -5 "$tmp/out"
	fi
done <"$tmp/block"
[ $pass -ge 10 ] || { echo "only $pass README commands found"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
