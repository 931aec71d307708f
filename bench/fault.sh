#!/usr/bin/env bash
# Fault run: a bounded load through the balancer while backends are killed, frozen and cut off.
#
#   bench/fault.sh [--duration 60] [--interval 1s] [--no-partition] [--no-record] [--help]
#
# Starts its own local cluster (1 lb + 3 echo + 3 ws) with run-local.sh, runs bench/FaultLoad.java
# through the balancer for DURATION seconds (new TCP connections, long TCP streams, GET /info, new
# WebSockets, every byte checked) and, on a schedule, SIGKILLs echo-1 and ws-1 (and restarts them),
# SIGSTOPs echo-2 and ws-2 for a while, and, as root, cuts off one more echo node that it runs in a
# network namespace of its own. Prints the failed new connections, the requests that waited longer
# than the health-check interval and the bytes lost in completed streams, appends them to
# docs/benchmarks-log.md, and stops everything it started. See docs/TESTING.md#fault-script.
#
# Exits 0 when it measured (whatever the figures), non-zero when the script itself broke.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/fault.sh [options]

  --duration S       seconds of load (default 60, at least 40); faults at 10%, 30% and 60% of it
  --interval D       health-check interval (default $LB_HEALTH_INTERVAL or 1s): the figure
                     "waited" counts requests slower than this; also passed to the balancer as
                     LB_HEALTH_INTERVAL (ignored by a balancer without active health checks)
  --freeze S         how long echo-2 and ws-2 stay SIGSTOPped (default 10)
  --cut S            how long the namespaced echo node is cut off (default 10)
  --restart-after S  seconds between SIGKILL and the restart of echo-1 and ws-1 (default 5)
  --timeout S        client timeout of every connection and request (default 20)
  --tcp-rate N       new TCP connections per second (default 50), --size B bytes each (4096)
  --streams N        long TCP streams held through the faults (default 20)
  --http-rate N      GET /info per second (default 20)
  --ws-rate N        new WebSockets per second (default 10)
  --no-partition     skip the partition (it needs root, ip netns, iptables and ss; skipped
                     without them)
  --no-record        print the result, do not append it to docs/benchmarks-log.md
  -h, --help         this text

Needs the shaded jars: ./mvnw -B -ntp -o -q -DskipTests package. Logs: .run-local/fault/.
EOF
}

die() {
  echo "fault: $*" >&2
  exit 1
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/cluster.sh
source bench/cluster.sh

VERSION=0.1.0-SNAPSHOT
LOG_DIR="$ROOT/.run-local/fault"
ARGS="$*"
duration=60
interval=${LB_HEALTH_INTERVAL:-1s}
freeze=10
cut=10
restart_after=5
timeout_s=20
tcp_rate=50
size=4096
streams=20
http_rate=20
ws_rate=10
partition=auto
record=1
while (($# > 0)); do
  case $1 in
    --duration | --interval | --freeze | --cut | --restart-after | --timeout | --tcp-rate | --size | \
      --streams | --http-rate | --ws-rate)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --duration) duration=$2 ;;
        --interval) interval=$2 ;;
        --freeze) freeze=$2 ;;
        --cut) cut=$2 ;;
        --restart-after) restart_after=$2 ;;
        --timeout) timeout_s=$2 ;;
        --tcp-rate) tcp_rate=$2 ;;
        --size) size=$2 ;;
        --streams) streams=$2 ;;
        --http-rate) http_rate=$2 ;;
        --ws-rate) ws_rate=$2 ;;
      esac
      shift 2
      ;;
    --no-partition) partition=no && shift ;;
    --no-record) record=0 && shift ;;
    -h | --help) usage && exit 0 ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
done

# ---------------------------------------------------------------- parameters
whole() { # name value max
  if [[ ! $2 =~ ^[0-9]{1,6}$ ]] || ((10#$2 > $3)); then
    die "$1 must be a whole number from 0 to $3, got '$2'"
  fi
}
whole --duration "$duration" 600
whole --freeze "$freeze" 120
whole --cut "$cut" 120
whole --restart-after "$restart_after" 120
whole --timeout "$timeout_s" 120
whole --tcp-rate "$tcp_rate" 500
whole --size "$size" 1048576
whole --streams "$streams" 200
whole --http-rate "$http_rate" 500
whole --ws-rate "$ws_rate" 200
((size > 0 && timeout_s > 0)) || die "--size and --timeout must be positive"
case $interval in
  *ms) interval_ms=${interval%ms} ;;
  *s) interval_ms=$(awk -v s="${interval%s}" 'BEGIN { printf "%d", s * 1000 }') ;;
  *) interval_ms=$(awk -v s="$interval" 'BEGIN { printf "%d", s * 1000 }') ;;
esac
if [[ ! $interval_ms =~ ^[0-9]+$ ]] || ((interval_ms < 10 || interval_ms > 60000)); then
  die "--interval must be from 10ms to 60s (1s, 500ms, 0.5), got '$interval'"
fi
interval_s=$(awk -v ms="$interval_ms" 'BEGIN { printf "%g", ms / 1000 }')

# The schedule, in seconds from the start of the load.
kill_at=$((duration / 10))
restart_at=$((kill_at + restart_after))
freeze_at=$((duration * 3 / 10))
thaw_at=$((freeze_at + freeze))
cut_at=$((duration * 6 / 10))
heal_at=$((cut_at + cut))
((duration >= 40)) || die "--duration must be at least 40 s, for the faults to fit"
((restart_at < freeze_at)) || die "the restart (at ${restart_at} s) must come before the freeze (${freeze_at} s)"
((thaw_at < cut_at)) || die "the freeze must end (at ${thaw_at} s) before the partition (${cut_at} s)"
((heal_at + 2 <= duration)) || die "the partition must end (at ${heal_at} s) 2 s before the load does"

LB_TCP_PORT=${LB_TCP_PORT:-9000}
LB_HTTP_PORT=${LB_HTTP_PORT:-8080}
LB_ADMIN_PORT=${LB_ADMIN_PORT:-8081}
CLUSTER_PORT=${CLUSTER_PORT:-5701}
CLUSTER_PORT_COUNT=20
SHUTDOWN_GRACE=${SHUTDOWN_GRACE:-5s}
# A cluster name of its own: no other local cluster's members join this one, nor the reverse.
export CLUSTER_NAME="roundhouse-fault-$$"
export LB_TCP_PORT LB_HTTP_PORT LB_ADMIN_PORT CLUSTER_PORT SHUTDOWN_GRACE
export LB_HEALTH_INTERVAL="${interval_ms}ms"
read -r -a JAVA_OPTS <<<"${RUN_LOCAL_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true}"
SMALL_JVM=(-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true)

command -v java >/dev/null || die "java not found"
command -v curl >/dev/null || die "curl not found"
jar_of() { printf '%s/target/%s-%s-all.jar' "$1" "$1" "$VERSION"; }
for m in lb-service echo-service ws-service; do
  [[ -f $(jar_of "$m") ]] || die "$(jar_of "$m") is missing: build first (./mvnw -B -ntp -o -q -DskipTests package)"
done

partition_reason=""
if [[ $partition == no ]]; then
  partition_reason="--no-partition"
elif ((EUID != 0)); then
  partition_reason="not root"
else
  for tool in ip iptables ss; do
    command -v "$tool" >/dev/null || partition_reason="no $tool"
  done
fi
if [[ -z $partition_reason ]]; then partition=yes; else partition=no; fi

# ---------------------------------------------------------------- what we started, and cleanup
# Every process we signal or stop is identified by its PID and its start time (/proc/PID/stat),
# so a PID reused by someone else's process is never touched.
declare -A START=()  # pid -> start time
declare -A WHAT=()   # pid -> name, for messages
OWN=()               # processes this script started itself
frozen=()
cut_active=0
ns=""
veth_host=""
veth_ns=""
route_added=0
ns_created=0
veth_created=0
load_pid=""
cluster_pid=""

start_time_of() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086 # word splitting intended: the fields of /proc/PID/stat
  set -- $stat
  [[ $1 != Z ]] || return 1
  printf '%s\n' "${20}"
}

parent_of() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s\n' "$2"
}

# Remembers a PID as one of ours: its start time now, and a name.
remember() { # pid name
  local st
  st=$(start_time_of "$1") || die "$2 (pid $1) is not running"
  START[$1]=$st
  WHAT[$1]=$2
}

alive() { # pid: still the very process we remembered
  local st
  [[ -n ${START[$1]:-} ]] || return 1
  st=$(start_time_of "$1") || return 1
  [[ $st == "${START[$1]}" ]]
}

signal() { # SIG pid: a node that is gone by now is part of the result, not a broken script
  if alive "$2"; then
    kill -"$1" "$2"
  else
    event "${WHAT[$2]:-pid $2} (pid $2) was gone: no SIG$1"
  fi
}

# TERM, up to $1 seconds for all of them, then KILL; only PIDs we remembered and still alive.
stop_pids() { # grace pid...
  local grace=$1 pid left
  shift
  local -a targets=()
  for pid in "$@"; do
    alive "$pid" && targets+=("$pid")
  done
  ((${#targets[@]} > 0)) || return 0
  kill -TERM "${targets[@]}" 2>/dev/null || true
  local until=$((SECONDS + grace))
  while ((SECONDS < until)); do
    left=0
    for pid in "${targets[@]}"; do
      alive "$pid" && left=1
    done
    ((left)) || break
    sleep 0.2
  done
  for pid in "${targets[@]}"; do
    if alive "$pid"; then
      echo "fault: ${WHAT[$pid]} (pid $pid) still running after ${grace}s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${targets[@]}"; do
    if [[ $(parent_of "$pid" 2>/dev/null || true) == "$$" ]] || ! alive "$pid"; then
      wait "$pid" 2>/dev/null || true
    fi
  done
}

# The cut: the namespace's own firewall drops every packet to and from its veth. To the host, the
# node is silent (a SYN goes unanswered, data unacknowledged), as behind a dead link; TCP
# retransmits with its usual backoff on both sides, so streams resume once healed. (A queue of
# length 0 on the veth instead makes the sending kernel count local drops and time connections out
# within seconds, which a real partition does not.)
cut_off() {
  ip netns exec "$ns" iptables -w 5 -I INPUT 1 -i "$veth_ns" -j DROP
  ip netns exec "$ns" iptables -w 5 -I OUTPUT 1 -o "$veth_ns" -j DROP
  cut_active=1
}
heal() {
  ip netns exec "$ns" iptables -w 5 -D INPUT -i "$veth_ns" -j DROP 2>/dev/null || true
  ip netns exec "$ns" iptables -w 5 -D OUTPUT -o "$veth_ns" -j DROP 2>/dev/null || true
  cut_active=0
}

cleanup() {
  local rc=$? pid
  set +e
  trap '' INT TERM HUP
  [[ -n $load_pid ]] && stop_pids 10 "$load_pid"
  for pid in "${frozen[@]}"; do
    alive "$pid" && kill -CONT "$pid"
  done
  ((cut_active)) && heal
  stop_pids 20 "${OWN[@]}"
  if [[ -n $cluster_pid ]] && alive "$cluster_pid"; then
    echo "fault: stopping the cluster (run-local.sh, pid $cluster_pid)"
    # run-local stops its nodes within its own 15 s grace, then kills them.
    stop_pids 40 "$cluster_pid"
  fi
  # (not stop_cluster: its kill -0 could hit a reused PID once run-local is reaped)
  [[ -n ${cluster_out:-} ]] && cp "$cluster_out" "$LOG_DIR/run-local.out" 2>/dev/null
  [[ -n ${cluster_out:-} ]] && rm -f "$cluster_out"
  if ((ns_created)); then
    if [[ -n $(ip netns pids "$ns" 2>/dev/null) ]]; then
      echo "fault: processes left in namespace $ns: $(ip netns pids "$ns" | tr '\n' ' ')" >&2
      rc=1
    fi
    ip netns del "$ns" 2>/dev/null
    for _ in $(seq 1 50); do
      ip link show "$veth_host" >/dev/null 2>&1 || break
      sleep 0.2
    done
    ((veth_created)) && ip link show "$veth_host" >/dev/null 2>&1 && ip link del "$veth_host" 2>/dev/null
  fi
  ((route_added)) && ip route del unreachable 10.231.0.0/30 metric 4242 2>/dev/null
  local -a left=()
  for pid in "${!START[@]}"; do
    alive "$pid" && left+=("${WHAT[$pid]} (pid $pid)")
  done
  if ((${#left[@]} > 0)); then
    echo "fault: still running after cleanup: ${left[*]}" >&2
    rc=1
  fi
  exit "$rc"
}
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log "$LOG_DIR"/*.out "$LOG_DIR"/*.err "$LOG_DIR"/*.md

# ---------------------------------------------------------------- the cluster
# The machine may be shared: its load goes with the figures.
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
load_at_start=$(loadavg)
echo "fault: starting 1 lb + 3 echo + 3 ws with run-local.sh (cluster $CLUSTER_NAME)"
start_cluster --no-build --echo 3 --ws 3
trap cleanup EXIT # replaces start_cluster's: cleanup stops the cluster itself
remember "$cluster_pid" run-local.sh

declare -A PID_OF=()
while read -r name pid; do
  [[ $(parent_of "$pid") == "$cluster_pid" ]] || die "$name (pid $pid) is not a child of run-local.sh ($cluster_pid)"
  remember "$pid" "$name"
  PID_OF[$name]=$pid
done < <(sed -n 's/^  \(lb-1\|echo-[0-9]*\|ws-[0-9]*\) *\([0-9][0-9]*\) .*/\1 \2/p' "$cluster_out")
for name in lb-1 echo-1 echo-2 echo-3 ws-1 ws-2 ws-3; do
  [[ -n ${PID_OF[$name]:-} ]] || die "no pid for $name in run-local's output"
done

nodes_json() { curl -fsS --max-time 2 "http://127.0.0.1:$LB_ADMIN_PORT/api/nodes" 2>/dev/null; }
registered() { [[ $(nodes_json || true) == *"\"id\":\"$1\""* ]]; }

# Starts a node as run-local.sh does (same environment, JVM options and ports), as our child.
PDEATHSIG=()
if [[ $(setpriv --help 2>/dev/null || true) == *--pdeathsig* ]]; then
  PDEATHSIG=(setpriv --pdeathsig TERM)
fi
restart_node() { # name
  local name=$1 n=${1#*-}
  local -a vars=(NODE_ID="$name" CLUSTER_MODE=local CLUSTER_NAME="$CLUSTER_NAME" CLUSTER_HOST=127.0.0.1
    CLUSTER_PORT="$CLUSTER_PORT" CLUSTER_PORT_COUNT="$CLUSTER_PORT_COUNT" SHUTDOWN_GRACE="$SHUTDOWN_GRACE")
  case $name in
    echo-*) vars+=(ECHO_HOST=127.0.0.1 ECHO_PORT=$((7100 + n)) ECHO_ADMIN_PORT=$((7300 + n))) ;;
    *) vars+=(WS_HOST=127.0.0.1 WS_PORT=$((7200 + n))) ;;
  esac
  env "${vars[@]}" "${PDEATHSIG[@]}" java "${JAVA_OPTS[@]}" -jar "$(jar_of "${name%%-*}-service")" \
    >"$LOG_DIR/$name.restarted.log" 2>&1 </dev/null &
  OWN+=("$!")
  remember "$!" "$name (restarted)"
  PID_OF[$name]=$!
}

# ---------------------------------------------------------------- the partitioned node
# One more echo node in a network namespace of ours, reached over a veth pair (10.231.0.1 here,
# 10.231.0.2 there). The balancer dials its echo port across the veth. Its Hazelcast member and
# event bus use the namespace's own 127.0.0.1, like every other member's; FaultRelay.java on each
# side carries those ports across the veth. cut_off (above) drops every packet over the veth.
ns_node=echo-ns
ns_hz_port=$((CLUSTER_PORT + 98))
ns_eb_port=7398
port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c ': </dev/tcp/127.0.0.1/"$1"' _ "$1" 2>/dev/null
}
listening_ports_of() { # pid
  ss -Hltnp 2>/dev/null | awk -v p="pid=$1," '$0 ~ p { n = split($4, a, ":"); print a[n] }' | sort -un
}
wait_for_line() { # file text seconds pid what
  local until=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    alive "$4" || { tail -n 30 "$1" >&2; die "$5 exited while starting; see $1"; }
    ((SECONDS < until)) || { tail -n 30 "$1" >&2; die "$5 not ready within $3 s; see $1"; }
    sleep 0.3
  done
}

setup_partition() {
  ns="rhf$$"
  veth_host="rhf$$h"
  veth_ns="rhf$$n"
  [[ -z $(ip -o addr show to 10.231.0.0/30) && -z $(ip route show 10.231.0.0/30) ]] ||
    die "10.231.0.0/30 is already in use on this host (another fault run?); try --no-partition"
  port_in_use "$ns_hz_port" && die "127.0.0.1:$ns_hz_port is in use; try --no-partition"
  port_in_use "$ns_eb_port" && die "127.0.0.1:$ns_eb_port is in use; try --no-partition"
  # Should the veth vanish, traffic for the namespace fails here rather than taking the default route.
  ip route add unreachable 10.231.0.0/30 metric 4242
  route_added=1
  ip netns add "$ns"
  ns_created=1
  ip link add "$veth_host" type veth peer name "$veth_ns" netns "$ns"
  veth_created=1
  ip addr add 10.231.0.1/30 dev "$veth_host"
  ip link set "$veth_host" up
  ip -n "$ns" addr add 10.231.0.2/30 dev "$veth_ns"
  ip -n "$ns" link set "$veth_ns" up
  ip -n "$ns" link set lo up

  # The cluster's Hazelcast range (members started later bind there too) and its event-bus ports.
  local hz_last=$((CLUSTER_PORT + CLUSTER_PORT_COUNT - 1)) name port members=""
  local -a eb=() host_rules ns_rules
  for name in "${!PID_OF[@]}"; do
    for port in $(listening_ports_of "${PID_OF[$name]}"); do
      if ((port >= CLUSTER_PORT && port <= hz_last)); then
        members+="${members:+,}127.0.0.1:$port"
      elif ((port > 32767)); then
        eb+=("$port")
      fi
    done
  done
  [[ -n $members ]] || die "found no Hazelcast port of the cluster's members (ss)"
  host_rules=("10.231.0.1:$CLUSTER_PORT-$hz_last=127.0.0.1" "127.0.0.1:$ns_hz_port=10.231.0.2"
    "127.0.0.1:$ns_eb_port=10.231.0.2")
  ns_rules=("127.0.0.1:$CLUSTER_PORT-$hz_last=10.231.0.1" "10.231.0.2:$ns_hz_port=127.0.0.1"
    "10.231.0.2:$ns_eb_port=127.0.0.1")
  for port in "${eb[@]}"; do
    host_rules+=("10.231.0.1:$port=127.0.0.1")
    ns_rules+=("127.0.0.1:$port=10.231.0.1")
  done
  local jar
  jar=$(jar_of echo-service)
  ROUNDHOUSE_LOG_LEVEL=WARN java "${SMALL_JVM[@]}" -cp "$jar" bench/FaultRelay.java "${host_rules[@]}" \
    >"$LOG_DIR/relay-host.log" 2>&1 </dev/null &
  OWN+=("$!")
  remember "$!" "relay (host side)"
  local host_relay=$!
  ip netns exec "$ns" env ROUNDHOUSE_LOG_LEVEL=WARN java "${SMALL_JVM[@]}" -cp "$jar" \
    bench/FaultRelay.java "${ns_rules[@]}" \
    >"$LOG_DIR/relay-ns.log" 2>&1 </dev/null &
  OWN+=("$!")
  remember "$!" "relay (in $ns)"
  wait_for_line "$LOG_DIR/relay-host.log" "relay ready" 60 "$host_relay" "the host-side relay"
  wait_for_line "$LOG_DIR/relay-ns.log" "relay ready" 60 "$!" "the namespace's relay"

  ip netns exec "$ns" env NODE_ID="$ns_node" CLUSTER_MODE=static CLUSTER_MEMBERS="$members" \
    CLUSTER_NAME="$CLUSTER_NAME" CLUSTER_HOST=127.0.0.1 CLUSTER_PORT="$ns_hz_port" CLUSTER_PORT_COUNT=1 \
    EVENTBUS_PORT="$ns_eb_port" SHUTDOWN_GRACE="$SHUTDOWN_GRACE" ECHO_HOST=10.231.0.2 ECHO_PORT=7199 \
    ECHO_ADMIN_PORT=7399 "${PDEATHSIG[@]}" java "${JAVA_OPTS[@]}" -jar "$jar" \
    >"$LOG_DIR/$ns_node.log" 2>&1 </dev/null &
  OWN+=("$!")
  remember "$!" "$ns_node"
  PID_OF[$ns_node]=$!
  local until=$((SECONDS + 90))
  until registered "$ns_node"; do
    alive "${PID_OF[$ns_node]}" || { tail -n 30 "$LOG_DIR/$ns_node.log" >&2; die "$ns_node exited while starting"; }
    ((SECONDS < until)) || die "$ns_node did not register within 90 s; see $LOG_DIR/$ns_node.log"
    sleep 0.5
  done
  echo "fault: $ns_node is up in namespace $ns (10.231.0.2:7199), pid ${PID_OF[$ns_node]}"
}

if [[ $partition == yes ]]; then
  setup_partition
else
  echo "fault: no partition ($partition_reason)"
fi

# ---------------------------------------------------------------- the load and the schedule
phases="before any fault@0;SIGKILL echo-1, ws-1@$kill_at;SIGSTOP echo-2, ws-2@$freeze_at"
phases+=";after the freeze@$thaw_at"
if [[ $partition == yes ]]; then
  phases+=";$ns_node cut off@$cut_at;after the partition@$heal_at"
fi
ROUNDHOUSE_LOG_LEVEL=WARN java -Xmx384m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
  -cp "$(jar_of lb-service)" bench/FaultLoad.java --out "$LOG_DIR/result.md" --tcp-port "$LB_TCP_PORT" --http-port "$LB_HTTP_PORT" --duration "$duration" \
  --interval "$interval_s" --timeout "$timeout_s" --tcp-rate "$tcp_rate" --size "$size" \
  --streams "$streams" --http-rate "$http_rate" --ws-rate "$ws_rate" --phases "$phases" \
  >"$LOG_DIR/load.out" 2>"$LOG_DIR/load.err" </dev/null &
load_pid=$!
remember "$load_pid" FaultLoad
echo "fault: load started (pid $load_pid): ${duration} s; waiting for its long streams to open"
wait_for_line "$LOG_DIR/load.out" "FAULTLOAD READY" 120 "$load_pid" "FaultLoad"
t0_ms=$(sed -n 's/^FAULTLOAD READY \([0-9]*\)$/\1/p' "$LOG_DIR/load.out")
[[ -n $t0_ms ]] || die "FaultLoad printed no start time"

EVENTS=()
now_ms() { date +%s%3N; }
at() { # elapsed seconds, one decimal
  local d=$(($(now_ms) - t0_ms))
  printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100))
}
event() {
  EVENTS+=("$(at) s: $*")
  echo "fault: [$(at) s] $*"
}
# Nodes restarted but not yet listed by the balancer; until_s notes when each shows up.
awaiting=()
check_awaiting() {
  local name still=()
  for name in "${awaiting[@]}"; do
    if registered "$name"; then
      event "$name registered again"
    else
      still+=("$name")
    fi
  done
  awaiting=("${still[@]}")
}
# Sleeps until $1 s after the load started, making sure the load is still running.
until_s() {
  local polled=0
  while (($(now_ms) < t0_ms + $1 * 1000)); do
    alive "$load_pid" || die "FaultLoad exited during the load; see $LOG_DIR/load.err"
    if ((${#awaiting[@]} > 0 && SECONDS > polled)); then
      polled=$SECONDS
      check_awaiting
    fi
    sleep 0.1
  done
}

until_s "$kill_at"
signal KILL "${PID_OF[echo-1]}"
signal KILL "${PID_OF[ws-1]}"
event "SIGKILL echo-1 (pid ${PID_OF[echo-1]}) and ws-1 (pid ${PID_OF[ws-1]})"
until_s "$restart_at"
restart_node echo-1
restart_node ws-1
event "restarted echo-1 (pid ${PID_OF[echo-1]}) and ws-1 (pid ${PID_OF[ws-1]}), same ids and ports"
awaiting=(echo-1 ws-1)

until_s "$freeze_at"
frozen=("${PID_OF[echo-2]}" "${PID_OF[ws-2]}")
signal STOP "${PID_OF[echo-2]}"
signal STOP "${PID_OF[ws-2]}"
event "SIGSTOP echo-2 and ws-2"
until_s "$thaw_at"
signal CONT "${PID_OF[echo-2]}"
signal CONT "${PID_OF[ws-2]}"
frozen=()
event "SIGCONT echo-2 and ws-2 (frozen ${freeze} s)"

if [[ $partition == yes ]]; then
  until_s "$cut_at"
  cut_off
  event "cut off $ns_node: every packet over its veth dropped, both ways"
  until_s "$heal_at"
  heal
  event "partition healed (cut ${cut} s); $ns_node $(registered "$ns_node" && echo "still registered" || echo "not registered")"
fi

# FaultLoad stops starting work at DURATION, then waits at most TIMEOUT for what is in flight.
load_bound=$((duration + 3 * timeout_s + 90))
while alive "$load_pid"; do
  (($(now_ms) < t0_ms + load_bound * 1000)) || die "FaultLoad did not finish within ${load_bound} s"
  ((${#awaiting[@]} > 0)) && check_awaiting
  sleep 0.5
done
((${#awaiting[@]} == 0)) || event "never registered again during the load: ${awaiting[*]}"
load_at_end=$(loadavg)
load_rc=0
wait "$load_pid" || load_rc=$?
load_pid=""
((load_rc == 0)) || { tail -n 20 "$LOG_DIR/load.err" >&2; die "FaultLoad failed (exit $load_rc); see $LOG_DIR/load.err"; }
after=$(nodes_json | grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/' | sort | tr '\n' ' ' || true)
event "load done; the balancer lists: ${after:-nothing}"

# ---------------------------------------------------------------- the result
[[ -s $LOG_DIR/result.md ]] || die "FaultLoad wrote no result; see $LOG_DIR/load.out"
result=$(<"$LOG_DIR/result.md")
commit=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=" (with uncommitted changes)"
if [[ $partition == yes ]]; then
  topology="1 lb + 3 echo + 3 ws (run-local.sh) + 1 echo in a network namespace"
  faults="SIGKILL echo-1 and ws-1 at ${kill_at} s (restarted ${restart_after} s later), SIGSTOP echo-2"
  faults+=" and ws-2 at ${freeze_at} s for ${freeze} s, $ns_node cut off at ${cut_at} s for ${cut} s"
else
  topology="1 lb + 3 echo + 3 ws (run-local.sh)"
  faults="SIGKILL echo-1 and ws-1 at ${kill_at} s (restarted ${restart_after} s later), SIGSTOP echo-2"
  faults+=" and ws-2 at ${freeze_at} s for ${freeze} s; no partition ($partition_reason)"
fi
section=$(
  echo "## Fault run — $(date -u +%F) — commit $commit"
  echo
  echo "$(nproc) cores; $topology; \`bench/fault.sh${ARGS:+ $ARGS}\`: ${duration} s of load,"
  echo "health-check interval ${interval_ms} ms, client timeout ${timeout_s} s; per second ${tcp_rate} new TCP"
  echo "connections of ${size} B, ${http_rate} GET /info and ${ws_rate} new WebSockets, and ${streams} long"
  echo "TCP streams. Faults: ${faults}. Load average (1, 5, 15 min) before the cluster started:"
  echo "${load_at_start}; when the load ended: ${load_at_end}."
  echo
  echo "$result"
  echo
  echo "Timeline (seconds from the start of the load):"
  echo
  for e in "${EVENTS[@]}"; do
    echo "- $e"
  done
)
echo
echo "$section"
if ((record)); then
  printf '\n%s\n' "$section" >>docs/benchmarks-log.md
  echo
  echo "fault: appended to docs/benchmarks-log.md"
fi
