#!/usr/bin/env bash
# How many WebSocket tunnels one balancer process holds, and what each costs it.
# Starts its own local cluster (1 lb + 3 ws) with run-local.sh, opens COUNT WebSockets through the
# balancer (200 handshakes at a time), echoes once on each, records the balancer's RSS and fds
# while they are held and after they all closed, appends the result to docs/benchmarks-log.md, and
# stops what it started.
#
#   bench/ws-hold.sh [--count 9500]
#
# Each tunnel costs the balancer 2 fds; with this box's limit of 20,000 open files per process one
# balancer holds at most about 9,900. Load is bounded: COUNT connections, opened once, closed once.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/cluster.sh
source bench/cluster.sh
count=9500
while (($# > 0)); do
  case $1 in
    --count) count=$2; shift 2 ;;
    *) echo "usage: $0 [--count 9500]" >&2; exit 1 ;;
  esac
done

start_cluster --echo 0 --ws 3
lb_pid=$(sed -n 's/.*started lb-1 (pid \([0-9]*\)).*/\1/p' "$cluster_out" | head -n 1)
[[ -n $lb_pid ]] || { echo "bench: no lb-1 pid in run-local's output" >&2; exit 1; }
jar=$(ls ws-service/target/ws-service-*-all.jar | head -n 1)
lb_flags=$(tr '\0' ' ' <"/proc/$lb_pid/cmdline" | sed 's/^java //; s/ -jar .*//')

row=$(java -Xmx1g -cp "$jar" bench/WsHold.java "${LB_HTTP_PORT:-8080}" "${LB_ADMIN_PORT:-8081}" \
  "$lb_pid" "$count")
echo "$row"

{
  echo
  echo "## WebSocket tunnels held by one balancer process — $(date -u +%F) — commit $(git rev-parse --short HEAD)"
  echo
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; 1 lb + 3 ws (run-local.sh);"
  echo "balancer JVM: \`$lb_flags\`; \`ulimit -n\` $(ulimit -n); \`bench/ws-hold.sh --count $count\`."
  echo "Every tunnel echoed once while all were held. RSS per tunnel is the balancer's growth over"
  echo "its idle RSS divided by the count (heap not collected first, so an upper bound)."
  echo
  echo "| tunnels opened | held (LB count) | time to open | per node | LB fds idle → held → after close | LB RSS idle → held | RSS per tunnel |"
  echo "|---|---|---|---|---|---|---|"
  echo "$row"
} >>docs/benchmarks-log.md
echo "bench: appended to docs/benchmarks-log.md"
