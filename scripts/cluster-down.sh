#!/usr/bin/env bash
# Stops a cluster started by scripts/cluster-up.sh: SIGTERM to every node by its PID (DIR/nodeK.pid), a bounded
# wait for a graceful leave, then kill -9 for any that is still there; drops the cluster's own database.
# Logs and data stay in DIR for reading; cluster.env is removed so DIR can be used again.
#
#   scripts/cluster-down.sh --dir DIR [--wait SECONDS]
set -uo pipefail
dir="" wait=15
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    *) echo "cluster-down: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -d "$dir" ] || { echo "cluster-down: --dir DIR (an existing folder) is required" >&2; exit 2; }

pids=()
for f in "$dir"/node*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  # Only our own node: the PID must still be a dotnet running akkadns (PIDs get reused).
  if kill -0 "$pid" 2>/dev/null && grep -q akkadns "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  fi
  rm -f "$f"
done
end=$((SECONDS + wait))
for pid in "${pids[@]}"; do
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then echo "cluster-down: $pid did not stop in ${wait}s: kill -9" >&2; kill -KILL "$pid" 2>/dev/null; fi
done

if [ -f "$dir/cluster.env" ]; then
  db=$(sed -n 's/^DB=//p' "$dir/cluster.env")
  pg_port=$(sed -n 's/^PG_PORT=//p' "$dir/cluster.env"); pg_port=${pg_port:-5432}
  if [ -n "$db" ]; then
    PGPASSWORD=akkadns psql -h 127.0.0.1 -p "$pg_port" -U akkadns -d postgres -qc "drop database if exists $db with (force)" >/dev/null 2>&1 ||
      echo "cluster-down: could not drop database $db" >&2
  fi
  rm -f "$dir/cluster.env"
fi
echo "cluster down: ${#pids[@]} nodes stopped"
