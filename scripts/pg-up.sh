#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1:5432 (installing it if missing) and makes sure the
# role and database the tests use exist. Idempotent. Prints the connection string to use.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
name=$(pg_lsclusters -h | awk 'NR==1{print $2}')
if [ -z "$ver" ]; then
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1); name=main
  pg_createcluster "$ver" "$name" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $4}' | grep -q online; then
  pg_ctlcluster "$ver" "$name" start
fi
for i in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='akkadns'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role akkadns login createdb password 'akkadns'\""
for db in akkadns akkadns_test; do
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='$db'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create database $db owner akkadns\""
done
echo "Host=127.0.0.1;Port=5432;Database=akkadns_test;Username=akkadns;Password=akkadns"
