#!/usr/bin/env bash
# A PostgreSQL server of a test's own, on 127.0.0.1 and a free port, that the test may stop and start again (a
# journal outage) without touching the shared server on 5432. Runs as the postgres user with the data in DIR/data.
#
#   scripts/pg-private.sh start DIR    # initdb on first use, start; prints the connection string (Database=akkadns_test)
#   scripts/pg-private.sh stop DIR     # immediate stop: connections break as when the database host dies
#   scripts/pg-private.sh resume DIR   # start again on the same port
#   scripts/pg-private.sh destroy DIR  # stop and remove DIR
set -euo pipefail
cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "pg-private: usage: pg-private.sh start|stop|resume|destroy DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "pg-private: no PostgreSQL binaries under /usr/lib/postgresql (apt install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  local port; port=$(cat "$dir/port")
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
}

case "$cmd" in
  start)
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    if [ ! -d "$dir/data" ]; then
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      pw=$(mktemp); echo akkadns >"$pw"; chmod 644 "$pw"
      as_pg "$bin/initdb" -D "$dir/data" -U akkadns --pwfile="$pw" -A scram-sha-256 >/dev/null
      rm -f "$pw"
      python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >"$dir/port"
    fi
    start
    port=$(cat "$dir/port")
    PGPASSWORD=akkadns psql -h 127.0.0.1 -p "$port" -U akkadns -d postgres -qtAc "select 1 from pg_database where datname='akkadns_test'" | grep -q 1 ||
      PGPASSWORD=akkadns psql -h 127.0.0.1 -p "$port" -U akkadns -d postgres -qc "create database akkadns_test" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Database=akkadns_test;Username=akkadns;Password=akkadns"
    ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null ;;
  resume) start ;;
  destroy)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "pg-private: unknown command '$cmd'" >&2; exit 2 ;;
esac
