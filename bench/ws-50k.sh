#!/usr/bin/env bash
# 50,000 concurrent WebSockets through the balancers on one port: past one process's fd ceiling.
#
# Each tunnel costs a balancer 2 fds and this box allows 20,000 per process, so one balancer holds
# at most ~9,900. This starts a local cluster with several balancer JVMs sharing port 8080
# (run-local.sh --lb N, SO_REUSEPORT) and several ws nodes, then client JVMs, each from its own
# source address in 127.0.0.0/8 (each address has ~28k ephemeral ports toward one address:port).
# Once all are held it reads every balancer's count from /api/balancers, echoes once on every
# socket, closes them all, prints one table row and appends it to docs/benchmarks-log.md. Bounded:
# COUNT connections, opened once; every wait has a deadline. Stops only what it started.
#
#   bench/ws-50k.sh [--count 50000] [--lb 7] [--ws 4] [--clients 3]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/cluster.sh
source bench/cluster.sh
count=50000 lbs=7 wss=4 clients=3
while (($# > 0)); do
  case $1 in
    --count) count=$2; shift 2 ;;
    --lb) lbs=$2; shift 2 ;;
    --ws) wss=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    *) echo "usage: $0 [--count 50000] [--lb 7] [--ws 4] [--clients 3]" >&2; exit 1 ;;
  esac
done
per=$(((count + clients - 1) / clients))
count=$((per * clients))

# The ws nodes hold count/wss WebSockets each: heap for them, and C1 only (many JVMs, two cores).
export RUN_LOCAL_JAVA_OPTS=${RUN_LOCAL_JAVA_OPTS:--Xms256m -Xmx1500m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true}
# A slow start on a loaded box must not look like a dead member.
export CLUSTER_HEARTBEAT_TIMEOUT=${CLUSTER_HEARTBEAT_TIMEOUT:-60s}
start_cluster --lb "$lbs" --echo 0 --ws "$wss"

work=$(mktemp -d)
client_pids=()
cleanup_clients() {
  touch "$work/echo" "$work/close"
  for pid in "${client_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${client_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  stop_cluster
}
trap cleanup_clients EXIT

jar=$(ls ws-service/target/ws-service-*-all.jar | head -n 1)
started=$SECONDS
for ((i = 1; i <= clients; i++)); do
  java -Xms256m -Xmx1500m -cp "$jar" bench/WsHoldMany.java "${LB_HTTP_PORT:-8080}" "$per" \
    "127.0.0.$((10 + i))" "$work" "client-$i" >"$work/client-$i.log" 2>&1 &
  client_pids+=("$!")
done

wait_for() { # suffix what
  local deadline=$((SECONDS + 900)) n
  while :; do
    n=$(find "$work" -name "client-*.$1" | wc -l)
    ((n == clients)) && return 0
    for ((i = 1; i <= clients; i++)); do
      if [[ ! -e $work/client-$i.$1 ]] && ! kill -0 "${client_pids[i - 1]}" 2>/dev/null; then
        echo "bench: client-$i died before it $2:" >&2
        tail -n 20 "$work/client-$i.log" >&2
        exit 1
      fi
    done
    ((SECONDS < deadline)) || { echo "bench: clients not $2 within 900 s" >&2; exit 1; }
    sleep 1
  done
}

wait_for held "held its sockets"
open_s=$((SECONDS - started))
# The balancers report themselves once a second: wait (bounded) until the reports catch up.
for _ in $(seq 1 30); do
  balancers=$(curl -fsS "http://127.0.0.1:${LB_ADMIN_PORT:-8081}/api/balancers")
  read -r held per_lb <<<"$(python3 -c '
import json, sys
b = json.loads(sys.argv[1])["balancers"]
print(sum(x["webSockets"] for x in b), "/".join(str(x["webSockets"]) for x in sorted(b, key=lambda x: x["id"])))
' "$balancers")"
  ((held >= count)) && break
  sleep 1
done
lb_fds=$(for pid in $(sed -n 's/.*started lb-[0-9]* (pid \([0-9]*\)).*/\1/p' "$cluster_out"); do
  ls "/proc/$pid/fd" | wc -l
done | sort -n | tail -n 1)
touch "$work/echo"
wait_for echoed "echoed"
echoed=$(awk '{s += $1} END {print s}' "$work"/client-*.echoed)
touch "$work/close"
for pid in "${client_pids[@]}"; do wait "$pid" || { echo "bench: a client failed" >&2; exit 1; }; done
client_pids=()

row="| $count | $lbs | $held | $per_lb | $echoed | ${open_s} s | $lb_fds |"
echo "| WebSockets opened | balancers on :8080 | held (sum of /api/balancers) | per balancer | echoed at the end | time to open | most fds in one balancer |"
echo "|---|---|---|---|---|---|---|"
echo "$row"
{
  echo
  echo "## $count WebSockets through $lbs balancers on one port — $(date -u +%F) — commit $(git rev-parse --short HEAD)"
  echo
  echo "$(nproc) cores; \`bench/ws-50k.sh --count $count --lb $lbs --ws $wss --clients $clients\`; $clients client JVMs from 127.0.0.11.. ; \`ulimit -n\` $(ulimit -n) per process."
  echo
  echo "| WebSockets opened | balancers on :8080 | held (sum of /api/balancers) | per balancer | echoed at the end | time to open | most fds in one balancer |"
  echo "|---|---|---|---|---|---|---|"
  echo "$row"
} >>docs/benchmarks-log.md
((held == count && echoed == count)) || { echo "bench: held $held, echoed $echoed of $count" >&2; exit 1; }
