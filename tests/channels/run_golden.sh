#!/bin/sh
# Golden tests for the channel parsers: every golden/NAME.{eml,html,json,txt}
# is scanned (channel detected unless the .expect gives args) and checked
# against golden/NAME.expect, whose lines are:
#   args ARGS...            extra arguments for `tsguard scan`
#   class clean|suspicious|scam|suspicious+   (suspicious+: not clean)
#   channel NAME            the channel the verdict reports
#   rule ID [turn N]        a reason that must be present (at turn N)
#   brand ID                a brand the verdict must claim
#   quote TEXT              an evidence line, as printed ("..." in SEGMENT)
# Prints one line per failed check as FILE:LINE and exits 1 on any failure.
# The learned model is left out (--model ''): these files pin down what the
# parsers and the rule pack decide; the model has its own tests.
set -u
: "${TSGUARD_BIN:?}" "${TSGUARD_SRC:?}"
dir="$TSGUARD_SRC/tests/channels/golden"
fail=0
n=0
for exp in "$dir"/*.expect; do
	name=${exp%.expect}
	input=
	for ext in eml html json txt; do
		[ -f "$name.$ext" ] && input="$name.$ext"
	done
	if [ -z "$input" ]; then
		echo "$exp:1: no input file beside it"
		fail=1
		continue
	fi
	args=$(sed -n 's/^args //p' "$exp")
	# shellcheck disable=SC2086
	out=$("$TSGUARD_BIN" scan --model "" $args "$input" 2>&1)
	head=$(printf '%s\n' "$out" | head -n 1)
	lineno=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		n=$((n + 1))
		set -- $line
		[ $# -ge 2 ] || continue
		ok=1
		case $1 in
		args) continue ;;
		class)
			want=$(printf '%s' "$2" | tr a-z A-Z)
			case $want in
			SUSPICIOUS+)
				case $head in *": SUSPICIOUS (score"* | *": SCAM (score"*) ;;
				*) ok=0 ;; esac ;;
			*)
				case $head in *": $want (score"*) ;; *) ok=0 ;; esac ;;
			esac ;;
		channel)
			case $head in *", $2, "??")") ;; *) ok=0 ;; esac ;;
		brand)
			case $head in *"claims "*"$2"*) ;; *) ok=0 ;; esac ;;
		quote)
			printf '%s\n' "$out" | grep -F -- "${line#quote }" >/dev/null || ok=0 ;;
		rule)
			pat="[$2]"
			[ $# -ge 4 ] && [ "$3" = turn ] && pat="[$2] (turn $4)"
			printf '%s\n' "$out" | grep -F -- "$pat" >/dev/null || ok=0 ;;
		*)
			echo "$exp:$lineno: unknown check '$1'"
			fail=1
			continue ;;
		esac
		if [ $ok -eq 0 ]; then
			echo "$exp:$lineno: expected '$line'; got:"
			printf '%s\n' "$out" | sed 's/^/    /'
			fail=1
		fi
	done <"$exp"
done
echo "channels golden: $n checks, $([ $fail -eq 0 ] && echo ok || echo FAILED)"
exit $fail
