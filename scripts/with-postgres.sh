#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: a temp dir, a free loopback port, no
# fsync; stopped and removed on exit. Exports DATABASE_URL, MEDIA_ROOT and a test SECRET_KEY.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

dir=$(mktemp -d /tmp/greenmfg-pg.XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  (cd "$dir" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1) || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

cd "$dir"
"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE greenmfg LOGIN CREATEDB PASSWORD 'greenmfg'" \
  -c "CREATE DATABASE greenmfg OWNER greenmfg" >/dev/null
cd - >/dev/null

mkdir -p "$dir/media"
export DATABASE_URL="postgres://greenmfg:greenmfg@127.0.0.1:$port/greenmfg"
export MEDIA_ROOT="$dir/media"
export SECRET_KEY="${SECRET_KEY:-throwaway-test-key}"
set +e
"$@"
status=$?
set -e
exit $status
