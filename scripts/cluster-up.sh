#!/usr/bin/env bash
# Starts a local AkkaDns cluster on 127.0.0.1: N nodes with role `zones` (every node is a seed; the first zones node forms the cluster) and M nodes with
# role `edge` (one datacenter each: dc-1 … dc-M), journal in a fresh PostgreSQL database of its own so that runs
# never collide. Returns once every node printed `ready` and the first zones node's admin API answers.
#
#   scripts/cluster-up.sh --zones N --edges M --dir DIR [--fault K=MODE]... [--gid K=GID]... [--config FILE] [--timeout SECONDS]
#
# Writes DIR/cluster.env (API, API_KEY, NODE_APIS, EDGE_DNS, NODE_ADDRESSES (each node's Akka address, same order as
# NODE_APIS: what `akkadns cluster down` and the shard statistics name), and DB for cluster-down.sh); per node K:
# DIR/nodeK/ (data), DIR/nodeK.out (stdout: listener lines, ready), DIR/nodeK.log (stderr: logs), DIR/nodeK.pid and
# DIR/nodeK.sh (the exact command that started it, so a test can kill -9 a node and start it again; extra
# environment given to nodeK.sh, e.g. AKKADNS_FAULT=none, wins over what cluster-up set).
# --fault K=MODE starts edge K (1-based, datacenter dc-K) with AKKADNS_FAULT=MODE (none|drop-deltas|delay-deltas).
# --gid K=GID starts edge K with GID as its primary group (uid unchanged): its sockets carry that group, so a test
# can cut exactly this node's cluster traffic with an nftables `meta skgid` rule (a partition) and keep its DNS open.
# --config FILE is a HOCON overlay given to every node (e.g. supervisor thresholds, resync interval).
# Environment variables (AKKADNS_PROPAGATION_MAX_LAG, …) given to cluster-up reach every node; AKKADNS_CLUSTER_PG
# (a connection string with Database=akkadns_test) picks the PostgreSQL server instead of the shared one.
# The binary is $AKKADNS_DLL, else src/Cluster/bin/${CONFIGURATION:-Debug}/net10.0/akkadns.dll (built if missing).
# Stop with scripts/cluster-down.sh --dir DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
zones=1 edges=1 dir="" timeout=120 overlay=""
declare -A faults=() gids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --zones) zones=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --fault) faults[${2%%=*}]=${2#*=}; shift 2 ;;
    --gid) gids[${2%%=*}]=${2#*=}; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --config) overlay=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); [ -f "$overlay" ] || { echo "cluster-up: --config $2: no such file" >&2; exit 2; }; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "cluster-up: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "cluster-up: --dir DIR is required" >&2; exit 2; }
[[ "$zones" =~ ^[1-9][0-9]*$ ]] || { echo "cluster-up: --zones must be >= 1 (got '$zones')" >&2; exit 2; }
[[ "$edges" =~ ^[0-9]+$ ]] || { echo "cluster-up: --edges must be a count (got '$edges')" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
if [ -f "$dir/cluster.env" ]; then echo "cluster-up: $dir/cluster.env exists: run cluster-down.sh --dir $dir first" >&2; exit 2; fi

dll=${AKKADNS_DLL:-$root/src/Cluster/bin/${CONFIGURATION:-Debug}/net10.0/akkadns.dll}
if [ ! -f "$dll" ]; then
  echo "cluster-up: building $dll" >&2
  dotnet build "$root/src/Cluster" -c "${CONFIGURATION:-Debug}" -v q -nologo >&2
fi

# A database of this cluster's own: one journal per run, dropped by cluster-down. The server is the shared one
# (scripts/pg-up.sh, 127.0.0.1:5432) unless AKKADNS_CLUSTER_PG names another (e.g. scripts/pg-private.sh's, which a
# test may stop for a journal outage).
base=${AKKADNS_CLUSTER_PG:-$("$root/scripts/pg-up.sh" | tail -1)}
pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$base"); pg_port=${pg_port:-5432}
db="akkadns_c$(date +%s)_$$_$RANDOM"
PGPASSWORD=akkadns psql -h 127.0.0.1 -p "$pg_port" -U akkadns -d postgres -qc "create database $db" >/dev/null
conn=${base/Database=akkadns_test/Database=$db}

total=$((zones + edges))
# Three ports per node (remote, API, DNS), all distinct and free now: held open together, then released.
read -r -a ports <<<"$(python3 - "$((total * 3))" <<'PY'
import socket, sys
n = int(sys.argv[1]); held = []
while len(held) < n:
    s = socket.socket(); s.bind(("127.0.0.1", 0))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try: u.bind(("127.0.0.1", s.getsockname()[1]))
    except OSError: s.close(); continue   # the DNS port needs UDP free too
    held += [(s, u)]
print(" ".join(str(s.getsockname()[1]) for s, _ in held))
PY
)"
# Every node is a seed, the first zones node first: it alone may form the cluster (after seed-node-timeout when no
# other seed answers, i.e. at first start). A restarted first node then joins the running cluster through any
# other member instead of forming a cluster of its own.
seeds=""
for k in $(seq 1 "$total"); do seeds+=" --seed akka.tcp://akkadns@127.0.0.1:${ports[$(((k - 1) * 3))]}"; done
api_key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

pids=() node_apis=() edge_dns=() node_addresses=()
for k in $(seq 1 "$total"); do
  i=$(((k - 1) * 3))
  remote=${ports[$i]} api=${ports[$((i + 1))]} dns=${ports[$((i + 2))]}
  if [ "$k" -le "$zones" ]; then role=zones dc="zones-$k"; else e=$((k - zones)); role=edge dc="dc-$e"; edge_dns+=("127.0.0.1:$dns"); fi
  fault=none
  prefix=""
  [ "$role" = edge ] && fault=${faults[$e]:-none}
  [ "$role" = edge ] && [ -n "${gids[$e]:-}" ] && prefix="setpriv --regid=${gids[$e]} --clear-groups "
  node_apis+=("http://127.0.0.1:$api")
  node_addresses+=("akka.tcp://akkadns@127.0.0.1:$remote")
  mkdir -p "$dir/node$k"
  cat >"$dir/node$k.sh" <<EOF
#!/usr/bin/env bash
# Starts node $k ($role, $dc) in the background; prints its PID. Environment given to this script wins.
cd "$root"
export AKKADNS_API_KEY=\${AKKADNS_API_KEY:-$api_key}
export AKKADNS_FAULT=\${AKKADNS_FAULT:-$fault}
nohup ${prefix}dotnet "$dll" run --data "$dir/node$k" --dns 127.0.0.1:$dns --api 127.0.0.1:$api --port $remote \\
  --roles $role --datacenter $dc --journal postgresql --connection "$conn"$seeds ${overlay:+--config "$overlay"} \\
  >>"$dir/node$k.out" 2>>"$dir/node$k.log" </dev/null &
echo \$! >"$dir/node$k.pid"
echo \$!
EOF
  chmod +x "$dir/node$k.sh"
  pids+=("$("$dir/node$k.sh")")
  # The seed first, alone, so the others join a cluster that exists.
  [ "$k" -eq 1 ] && sleep 1
done

cat >"$dir/cluster.env" <<EOF
API=${node_apis[0]}
API_KEY=$api_key
NODE_APIS="${node_apis[*]}"
NODE_ADDRESSES="${node_addresses[*]}"
EDGE_DNS="${edge_dns[*]}"
DB=$db
PG_PORT=$pg_port
CONNECTION="$conn"
NODES=$total
EOF

fail() {
  echo "cluster-up: $1" >&2
  for k in $(seq 1 "$total"); do echo "--- node$k.log (tail)" >&2; tail -n 15 "$dir/node$k.log" >&2 2>/dev/null || true; done
  "$here/cluster-down.sh" --dir "$dir" >&2 || true
  exit 1
}
deadline=$((SECONDS + timeout))
for k in $(seq 1 "$total"); do
  until grep -qx ready "$dir/node$k.out" 2>/dev/null; do
    kill -0 "${pids[$((k - 1))]}" 2>/dev/null || fail "node$k exited before ready (exit logged in $dir/node$k.log)"
    [ $SECONDS -lt $deadline ] || fail "node$k not ready within ${timeout}s"
    sleep 0.2
  done
done
until curl -fs -o /dev/null --max-time 5 -H "X-API-Key: $api_key" "${node_apis[0]}/api/v1/servers/localhost/zones"; do
  [ $SECONDS -lt $deadline ] || fail "the admin API ${node_apis[0]} did not answer within ${timeout}s"
  sleep 0.2
done
echo "cluster up: $zones zones + $edges edges, env in $dir/cluster.env"
