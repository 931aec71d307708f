#!/usr/bin/env bash
# HTTP keep-alive throughput and latency through the balancer versus straight to one backend.
# Starts its own local cluster (1 lb + 3 ws) with run-local.sh, runs wrk against both paths for a
# fixed time on loopback, appends the results to docs/benchmarks-log.md, and stops what it started.
#
#   bench/http-bench.sh [--duration 15s] [--connections 64]
#
# Needs wrk (apt-get install wrk). Load is bounded: one wrk run per path, fixed duration.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/cluster.sh
source bench/cluster.sh
duration=15s
connections=64
while (($# > 0)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: $0 [--duration 15s] [--connections 64]" >&2; exit 1 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

export RUN_LOCAL_JAVA_OPTS="-Xms256m -Xmx512m -XX:+UseParallelGC -Djava.net.preferIPv4Stack=true"
start_cluster --echo 0 --ws 3

# The load generator gets one core, the cluster the rest.
gen=(wrk -t1 -c"$connections" -d"$duration" --latency)
gen_warm=(wrk -t1 -c"$connections" -d30s)
if command -v taskset >/dev/null && (($(nproc) > 1)); then
  gen=(taskset -c 0 "${gen[@]}")
  gen_warm=(taskset -c 0 "${gen_warm[@]}")
fi

run() { # name url
  local result
  # Warm-up: C2 needs tens of seconds of load on a 2-core box before numbers settle.
  "${gen_warm[@]}" "$2" >/dev/null 2>&1
  result=$("${gen[@]}" "$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$result")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$result")
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99"
}

rows=$(
  run "direct to ws-1 (no balancer)" "http://127.0.0.1:7201/info"
  run "through lb-service (round-robin over 3 ws)" "http://127.0.0.1:8080/info"
)

{
  echo
  echo "## HTTP keep-alive, GET /info — $(date -u +%Y-%m-%d) — commit $(git rev-parse --short HEAD)"
  echo
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t1 -c$connections -d$duration pinned to core 0;"
  echo "every JVM on the remaining core(s): this measures the balancer's cost on a shared box."
  echo "Vert.x's own meters (METRICS_VERTX): ${METRICS_VERTX:-false}."
  echo
  echo "| path | req/s | p50 | p99 |"
  echo "|---|---|---|---|"
  echo "$rows"
} | tee -a docs/benchmarks-log.md
