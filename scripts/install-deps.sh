#!/bin/sh
# Installs the Debian packages tsguard needs, and only those that are
# missing.  Safe to run again and again.  Run as root (or with sudo).
#
#   scripts/install-deps.sh          build and test dependencies
#   scripts/install-deps.sh --extra  also the tools for service tests and
#                                    comparisons (PostgreSQL server, wrk,
#                                    miltertest, chromium, rspamd, spamassassin)
set -eu

BASE="build-essential meson ninja-build pkg-config
libhyperscan-dev libicu-dev libjansson-dev libcmocka-dev
libglib2.0-dev libgmime-3.0-dev libidn2-dev libpsl-dev publicsuffix
libgumbo-dev libpoppler-glib-dev libsqlite3-dev libpq-dev
libmicrohttpd-dev libmilter-dev python3 python3-jsonschema"
EXTRA="postgresql wrk opendkim-tools miltertest chromium rspamd spamassassin spamc spamd curl python3"

pkgs="$BASE"
[ "${1:-}" = "--extra" ] && pkgs="$BASE $EXTRA"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
