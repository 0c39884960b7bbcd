#!/bin/sh
# Runs the PostgreSQL store suites against a throwaway server.
#
#   scripts/pg-test.sh BUILD_DIR
#
# Installs PostgreSQL from Debian when it is missing, creates a cluster in
# a temporary folder (owned by the postgres user when run as root), starts
# it on 127.0.0.1 on a free port, runs `meson test --suite pg` with
# TSGUARD_PG_URL set, then stops the server and removes the folder.  Exits
# with the status of the tests.
set -eu

build=${1:?usage: scripts/pg-test.sh BUILD_DIR}
[ -d "$build" ] || { echo "pg-test: no build folder $build" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
	echo "pg-test: installing PostgreSQL from Debian"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends postgresql-common postgresql >/dev/null
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dir=$(mktemp -d /tmp/tsguard-pg.XXXXXX)
as_pg=""
if [ "$(id -u)" -eq 0 ]; then
	# The server refuses to run as root.
	id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
	chown postgres "$dir"
	as_pg="runuser -u postgres --"
fi

cleanup() {
	$as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# A free port: ask the kernel for one, then let the server take it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)

$as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
	--no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }
$as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	-o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 2; }
$as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres tsguard_test

TSGUARD_PG_URL="postgresql://postgres@127.0.0.1:$port/tsguard_test"
export TSGUARD_PG_URL
echo "pg-test: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

status=0
meson test -C "$build" --suite pg --print-errorlogs || status=$?
exit $status
