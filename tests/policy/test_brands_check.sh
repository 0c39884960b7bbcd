#!/bin/sh
# `tsguard brands check` on the real registry and on a deliberately broken
# copy: each planted error must be reported as FILE:LINE at the line of the
# offending value, and the exit status must be 1.  The expected lines are
# found with grep in the broken copy, independently of the C code.
set -u
bin=${TSGUARD_BIN:?}
src=${TSGUARD_SRC:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$bin" brands check "$src/data/brands.json" >"$tmp/ok.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "FAIL: the shipped registry does not pass (exit $rc):"
	cat "$tmp/ok.out"
	fail=1
fi

bad="$tmp/brands.json"
# 1 amazon claims a Microsoft domain; 2 a phone that is not E.164;
# 3 a misspelt policy key; 4 a name claimed by two brands;
# 5 a language missing (renamed to an unknown one); 6 a free-mail domain.
sed -e '0,/"amazon.com",/s//"microsoft.com",/' \
    -e 's/"+18882804331"/"+1888BAD4331"/' \
    -e '0,/"never_initiates_contact"/s//"never_initiate_contact"/' \
    -e 's/"Google LLC"/"Google LLC", "Microsoft Support"/' \
    -e 's/"fr": \["Assistance Avast"\]/"xx": ["Assistance Avast"]/' \
    -e 's/"domains": \["avast.com"\]/"domains": ["avast.com", "gmail.com"]/' \
    "$src/data/brands.json" >"$bad"

"$bin" brands check "$bad" >"$tmp/bad.out" 2>&1
rc=$?
if [ "$rc" -ne 1 ]; then
	echo "FAIL: broken registry: expected exit 1, got $rc"
	fail=1
fi

# expect NEEDLE MESSAGE: the line of the first NEEDLE in the broken file,
# then a report "FILE:LINE: ...MESSAGE".
expect() {
	line=$(grep -n -F -m1 -- "$1" "$bad" | cut -d: -f1)
	if [ -z "$line" ]; then
		echo "FAIL: test setup: '$1' not in the broken copy"
		fail=1
		return
	fi
	if ! grep -F -q -- "$bad:$line: brand " "$tmp/bad.out" ||
	   ! grep -F -- "$bad:$line: " "$tmp/bad.out" | grep -F -q -- "$2"; then
		echo "FAIL: expected '$bad:$line: ...$2'"
		fail=1
	fi
}
expect '"microsoft.com", "amazon.co.uk"' "domain 'microsoft.com' overlaps 'microsoft.com' of brand 'microsoft'"
expect '"+1888BAD4331"' "phone '+1888BAD4331' is not E.164"
expect '"never_initiate_contact"' "policy: unknown key 'never_initiate_contact'"
expect '"Google LLC", "Microsoft Support"' "name 'microsoft support' is also a name of brand 'microsoft'"
expect '"xx": ["Assistance Avast"]' "names: unknown language 'xx'"
expect '"avast.com", "gmail.com"' "domain 'gmail.com' is a free-mail provider"

if [ "$fail" -ne 0 ]; then
	echo "--- brands check output:"
	cat "$tmp/bad.out"
	exit 1
fi
echo "ok: $(grep -c ': brand ' "$tmp/bad.out") problems reported with file:line"
