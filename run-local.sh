#!/usr/bin/env bash
# Runs a Roundhouse cluster on this machine: one lb-service, N echo-service and M ws-service
# nodes, each its own JVM on 127.0.0.1, joined by Hazelcast in local mode. Ctrl-C stops them all.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./run-local.sh [--lb N] [--echo N] [--ws N] [--no-build] [--help]

Starts N lb-service balancers (default 1), N echo-service nodes (default 3) and M ws-service nodes (default 3) as
separate JVMs on 127.0.0.1, waits until the balancer lists every backend, prints where to connect,
and stays in the foreground. Ctrl-C or SIGTERM stops every process it started.

Options:
  --lb N       balancers, 1-9: every one binds the same TCP, HTTP and UDP ports (SO_REUSEPORT, so
               the kernel spreads clients over them), each its own admin port: LB_ADMIN_PORT+0..N-1
  --echo N     echo-service nodes, 0-99 (ports 7101.., admin and /metrics 7301..)
  --ws N       ws-service nodes, 0-99 (ports 7201.., /metrics on the same port)
               (the backends' ports move with PORT_BASE, below)
  --no-build   use the existing jars; by default ./mvnw -q -B -DskipTests package runs when a
               needed *-all.jar is missing or older than its sources or a pom.xml
  -h, --help   this text

Environment:
  LB_TCP_PORT (9000), LB_HTTP_PORT (8080), LB_ADMIN_PORT (8081)   balancer ports
  CLUSTER_NAME (roundhouse-local), CLUSTER_PORT (5701)            Hazelcast cluster
  PORT_BASE (7100)      backends' ports: echo PORT_BASE+n, ws PORT_BASE+100+n, echo admin
                        PORT_BASE+200+n; change it, the balancer ports and the cluster's to run
                        a second cluster beside the first
  RUN_LOCAL_JAVA_OPTS   the backends' JVM options (small and C1-only: many JVMs share the box),
                        default: -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
                        -Djava.net.preferIPv4Stack=true
  RUN_LOCAL_LB_JAVA_OPTS  the balancer's (C2, as shipped; heap for ~10k held connections),
                        default: -Xms64m -Xmx512m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true
  RUN_LOCAL_PARALLEL    backends starting at once (default: half the CPUs, at least 1)
  SHUTDOWN_GRACE        how long nodes drain open connections on Ctrl-C (default 5s here)
  MAVEN_ARGS            extra Maven arguments for the build, e.g. MAVEN_ARGS=-o
  Other service settings (LB_STRATEGY, ROUNDHOUSE_LOG_LEVEL, ...) pass through; see docs/CONFIGURATION.md.

Logs: .run-local/logs/<node>.log, one per node, truncated at every start.
EOF
}

die() {
  echo "run-local: $*" >&2
  exit 1
}

if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
  echo "run-local: needs bash 4.4 or newer (this is $BASH_VERSION)" >&2
  exit 1
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

VERSION=0.1.0-SNAPSHOT
LOG_DIR="$ROOT/.run-local/logs"
READY_TIMEOUT_S=90
# Each node drains open connections for SHUTDOWN_GRACE on Ctrl-C; the script waits a little longer.
SHUTDOWN_GRACE=${SHUTDOWN_GRACE:-5s}
STOP_GRACE_S=15

lb_count=1
echo_count=3
ws_count=3
build=1
while (($# > 0)); do
  case $1 in
    --echo | --ws)
      (($# >= 2)) || die "$1 needs a number"
      if [[ $1 == --echo ]]; then echo_count=$2; else ws_count=$2; fi
      shift 2
      ;;
    --lb)
      (($# >= 2)) || die "$1 needs a number"
      lb_count=$2
      shift 2
      ;;
    --lb=*) lb_count=${1#*=} && shift ;;
    --echo=*) echo_count=${1#*=} && shift ;;
    --ws=*) ws_count=${1#*=} && shift ;;
    --no-build) build=0 && shift ;;
    -h | --help) usage && exit 0 ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
done
for n in "$echo_count" "$ws_count"; do
  [[ $n =~ ^[0-9]{1,2}$ ]] || die "node counts must be whole numbers from 0 to 99, got '$n'"
done
[[ $lb_count =~ ^[1-9]$ ]] || die "--lb takes 1 to 9 balancers, got '$lb_count'"
echo_count=$((10#$echo_count))
ws_count=$((10#$ws_count))

LB_TCP_PORT=${LB_TCP_PORT:-9000}
LB_HTTP_PORT=${LB_HTTP_PORT:-8080}
LB_ADMIN_PORT=${LB_ADMIN_PORT:-8081}
CLUSTER_NAME=${CLUSTER_NAME:-roundhouse-local}
CLUSTER_PORT=${CLUSTER_PORT:-5701}
PORT_BASE=${PORT_BASE:-7100}
for p in "$LB_TCP_PORT" "$LB_HTTP_PORT" "$LB_ADMIN_PORT" "$CLUSTER_PORT"; do
  if [[ ! $p =~ ^[0-9]{1,5}$ ]] || ((10#$p < 1 || 10#$p > 65535)); then die "not a port: '$p'"; fi
done
if [[ ! $PORT_BASE =~ ^[0-9]{1,5}$ ]] || ((10#$PORT_BASE < 1 || 10#$PORT_BASE > 65235)); then
  die "PORT_BASE must be 1-65235 (its ws and admin ports go up to PORT_BASE+299): '$PORT_BASE'"
fi
# Every member needs a port of its own in the Hazelcast range (20 by default).
total_nodes=$((lb_count + echo_count + ws_count))
CLUSTER_PORT_COUNT=${CLUSTER_PORT_COUNT:-$((total_nodes > 20 ? total_nodes : 20))}
read -r -a JAVA_OPTS <<<"${RUN_LOCAL_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true}"
# The balancer is what users measure: it gets C2 (the JVM's tiered default) like the Dockerfile's,
# and a heap that holds ~10k proxied connections (about 14 kB of heap each today).
read -r -a LB_JAVA_OPTS <<<"${RUN_LOCAL_LB_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true}"

command -v java >/dev/null || die "java not found: install a JDK 17+"
command -v curl >/dev/null || die "curl not found: it is needed to see when the cluster is up"

# ---------------------------------------------------------------- processes we started
PIDS=()
NAMES=()
REPORTED=()

# True while $1 is a live (not zombie) child of this script; never true for someone else's process.
is_ours() {
  local pid=$1 stat state ppid
  if [[ -d /proc/$$ ]]; then
    # (not $(<file): under set -e its failure would end the script, || or not)
    { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    read -r state ppid _ <<<"$stat"
    [[ $state != Z && $ppid == "$$" ]]
  else
    kill -0 "$pid" 2>/dev/null
  fi
}

running_pids() {
  local pid
  for pid in "${PIDS[@]}"; do
    if is_ours "$pid"; then
      printf '%s\n' "$pid"
    fi
  done
}

# TERM to each PID we started, up to STOP_GRACE_S seconds for all of them, then KILL.
stop_all() {
  local -a targets left
  mapfile -t targets < <(running_pids)
  ((${#targets[@]} > 0)) || return 0
  echo "run-local: stopping ${#targets[@]} process(es): ${targets[*]}"
  kill -TERM "${targets[@]}" 2>/dev/null || true
  local until=$((SECONDS + STOP_GRACE_S))
  while ((SECONDS < until)); do
    mapfile -t left < <(running_pids)
    ((${#left[@]} > 0)) || break
    sleep 0.2
  done
  mapfile -t left < <(running_pids)
  if ((${#left[@]} > 0)); then
    echo "run-local: still running after ${STOP_GRACE_S}s, killing: ${left[*]}"
    kill -KILL "${left[@]}" 2>/dev/null || true
  fi
  wait "${targets[@]}" 2>/dev/null || true
}

on_signal() {
  set +e
  trap '' INT TERM HUP
  echo
  stop_all
  echo "stopped"
  exit 0
}

on_exit() {
  local rc=$?
  set +e
  trap '' INT TERM HUP
  stop_all
  exit "$rc"
}

trap on_signal INT TERM HUP
trap on_exit EXIT
# A closed stdout (./run-local.sh | head) fails a write instead of killing the script untrapped.
trap '' PIPE

# ---------------------------------------------------------------- build
jar_of() {
  printf '%s/target/%s-%s-all.jar' "$1" "$1" "$VERSION"
}

modules=(lb-service)
((echo_count > 0)) && modules+=(echo-service)
((ws_count > 0)) && modules+=(ws-service)

# A jar is stale when missing or older than its module's or common's sources or any pom.xml.
stale_jars() {
  local m jar
  for m in "${modules[@]}"; do
    jar=$(jar_of "$m")
    if [[ ! -f $jar ]] ||
      [[ -n $(find "$m/src/main" common/src/main ./*/pom.xml pom.xml -newer "$jar" -print -quit 2>/dev/null) ]]; then
      printf '%s\n' "$jar"
    fi
  done
}

mapfile -t stale < <(stale_jars)
if ((${#stale[@]} > 0)); then
  if ((build)); then
    echo "run-local: building (./mvnw -q -B -DskipTests package): ${stale[*]##*/} missing or out of date"
    ./mvnw -q -B -DskipTests package ||
      die "build failed; fix it, or start the existing jars with --no-build"
  else
    for jar in "${stale[@]}"; do
      [[ -f $jar ]] || die "$jar is missing: run without --no-build"
      echo "run-local: warning: $jar is older than its sources (--no-build)"
    done
  fi
fi
for m in "${modules[@]}"; do
  [[ -f $(jar_of "$m") ]] || die "$(jar_of "$m") is missing after the build"
done

# ---------------------------------------------------------------- ports
port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c ': </dev/tcp/127.0.0.1/"$1"' _ "$1" 2>/dev/null
}

check_free() { # port what
  if port_in_use "$1"; then
    die "port $1 ($2) is already in use on 127.0.0.1: is another cluster running? Stop it or choose another port."
  fi
}

check_free "$LB_TCP_PORT" "LB TCP, LB_TCP_PORT"
check_free "$LB_HTTP_PORT" "LB HTTP, LB_HTTP_PORT"
for ((i = 0; i < lb_count; i++)); do check_free $((LB_ADMIN_PORT + i)) "lb-$((i + 1)) admin, LB_ADMIN_PORT+$i"; done
for ((i = 1; i <= echo_count; i++)); do check_free $((PORT_BASE + i)) "echo-$i"; done
for ((i = 1; i <= ws_count; i++)); do check_free $((PORT_BASE + 100 + i)) "ws-$i"; done

# ---------------------------------------------------------------- start
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log
echo "run-local: logs in $LOG_DIR"

# Where util-linux has it, each JVM also gets SIGTERM should this script itself be killed (-9).
PDEATHSIG=()
if [[ $(setpriv --help 2>/dev/null || true) == *--pdeathsig* ]]; then
  PDEATHSIG=(setpriv --pdeathsig TERM)
fi

start_node() { # name jar [VAR=value...]
  local name=$1 jar=$2
  shift 2
  local log="$LOG_DIR/$name.log"
  local -a opts=("${JAVA_OPTS[@]}")
  [[ $name == lb-* ]] && opts=("${LB_JAVA_OPTS[@]}")
  local -a cmd=(env NODE_ID="$name" CLUSTER_MODE=local CLUSTER_NAME="$CLUSTER_NAME"
    CLUSTER_HOST=127.0.0.1 CLUSTER_PORT="$CLUSTER_PORT" CLUSTER_PORT_COUNT="$CLUSTER_PORT_COUNT"
    SHUTDOWN_GRACE="$SHUTDOWN_GRACE" "$@" "${PDEATHSIG[@]}" java "${opts[@]}" -jar "$jar")
  "${cmd[@]}" >"$log" 2>&1 </dev/null &
  PIDS+=("$!")
  NAMES+=("$name")
  REPORTED+=(0)
}

# Exits 1 with the tail of its log when a node we started has died.
fail_if_any_died() {
  local i rc
  for i in "${!PIDS[@]}"; do
    if ! is_ours "${PIDS[i]}"; then
      rc=0
      wait "${PIDS[i]}" 2>/dev/null || rc=$?
      echo "run-local: ${NAMES[i]} (pid ${PIDS[i]}) exited with code $rc while starting; last lines of its log:" >&2
      tail -n 40 "$LOG_DIR/${NAMES[i]}.log" | sed 's/^/    /' >&2
      exit 1
    fi
  done
}

nodes_json() {
  curl -fsS --max-time 2 "http://127.0.0.1:$LB_ADMIN_PORT/api/nodes" 2>/dev/null
}

started_at=$SECONDS
deadline=$((SECONDS + READY_TIMEOUT_S))

# The balancer first, so that the backends join its Hazelcast cluster rather than racing to form one.
start_node lb-1 "$(jar_of lb-service)" \
  LB_HOST=127.0.0.1 LB_TCP_PORT="$LB_TCP_PORT" LB_HTTP_PORT="$LB_HTTP_PORT" \
  LB_ADMIN_HOST=127.0.0.1 LB_ADMIN_PORT="$LB_ADMIN_PORT"
echo "run-local: started lb-1 (pid ${PIDS[0]}), waiting for its admin port $LB_ADMIN_PORT"
until nodes_json >/dev/null; do
  fail_if_any_died
  ((SECONDS < deadline)) || die "lb-1 did not answer on its admin port within ${READY_TIMEOUT_S}s; see $LOG_DIR/lb-1.log"
  sleep 0.5
done

# More balancers share lb-1's public ports (SO_REUSEPORT) and join its cluster, one at a time.
for ((i = 2; i <= lb_count; i++)); do
  admin=$((LB_ADMIN_PORT + i - 1))
  start_node "lb-$i" "$(jar_of lb-service)" \
    LB_HOST=127.0.0.1 LB_TCP_PORT="$LB_TCP_PORT" LB_HTTP_PORT="$LB_HTTP_PORT" \
    LB_ADMIN_HOST=127.0.0.1 LB_ADMIN_PORT="$admin"
  echo "run-local: started lb-$i (pid ${PIDS[i - 1]}), waiting for its admin port $admin"
  until curl -fsS --max-time 2 "http://127.0.0.1:$admin/health/ready" >/dev/null 2>&1; do
    fail_if_any_died
    ((SECONDS < deadline)) || die "lb-$i did not become ready within ${READY_TIMEOUT_S}s; see $LOG_DIR/lb-$i.log"
    sleep 0.5
  done
done

# Backends start a few at a time, each once an earlier one has registered: a JVM starved of CPU
# by many others starting beside it misses Hazelcast heartbeats and is dropped from the cluster.
start_backend() {
  case $1 in
    echo-*) start_node "$1" "$(jar_of echo-service)" ECHO_HOST=127.0.0.1 ECHO_PORT=$((PORT_BASE + ${1#echo-})) \
      ECHO_ADMIN_PORT=$((PORT_BASE + 200 + ${1#echo-})) ;;
    *) start_node "$1" "$(jar_of ws-service)" WS_HOST=127.0.0.1 WS_PORT=$((PORT_BASE + 100 + ${1#ws-})) ;;
  esac
}

expected=()
for ((i = 1; i <= echo_count; i++)); do expected+=("echo-$i"); done
for ((i = 1; i <= ws_count; i++)); do expected+=("ws-$i"); done
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
parallel=${RUN_LOCAL_PARALLEL:-$((cpus / 2 > 1 ? cpus / 2 : 1))}
[[ $parallel =~ ^[1-9][0-9]*$ ]] || die "RUN_LOCAL_PARALLEL must be a positive number, got '$parallel'"
echo "run-local: starting ${#expected[@]} backend(s), $parallel at a time, until lb-1 lists them all"

started=0
seen=-1
while :; do
  fail_if_any_died
  body=$(nodes_json) || body=""
  registered=0
  missing=()
  for ((i = 0; i < started; i++)); do
    if [[ $body == *"\"id\":\"${expected[i]}\""* ]]; then
      registered=$((registered + 1))
    else
      missing+=("${expected[i]}")
    fi
  done
  if ((registered != seen)); then
    seen=$registered
    echo "run-local: $registered/${#expected[@]} backends registered"
  fi
  ((registered == ${#expected[@]})) && break
  while ((started < ${#expected[@]} && started - registered < parallel)); do
    start_backend "${expected[started]}"
    started=$((started + 1))
  done
  if ((SECONDS >= deadline)); then
    die "not every backend registered within ${READY_TIMEOUT_S}s (missing: ${missing[*]:-} ${expected[*]:started}); see the logs in $LOG_DIR"
  fi
  sleep 0.5
done

# ---------------------------------------------------------------- summary
summary() {
  local i port
  echo
  echo "Roundhouse is up in $((SECONDS - started_at))s: $lb_count balancer(s), $echo_count echo, $ws_count ws" \
    "(cluster '$CLUSTER_NAME', Hazelcast from 127.0.0.1:$CLUSTER_PORT)"
  echo
  echo "  TCP echo via the LB   127.0.0.1:$LB_TCP_PORT -> echo-service"
  echo "  UDP echo via the LB   127.0.0.1:$LB_TCP_PORT (udp) -> echo-service, one flow per client port"
  echo "  HTTP/WS via the LB    http://127.0.0.1:$LB_HTTP_PORT -> ws-service: /ws  /ws/room/<name>  /info"
  echo "  Dashboard             http://127.0.0.1:$LB_ADMIN_PORT/   sockets: http://127.0.0.1:$LB_ADMIN_PORT/sockets.html"
  echo "  Admin API             http://127.0.0.1:$LB_ADMIN_PORT/api/stats  /api/nodes  /api/balancers  /api/connections  /api/sockets  /metrics"
  ((lb_count > 1)) && echo "  Balancers             lb-1..lb-$lb_count share the public ports; admin ports $LB_ADMIN_PORT-$((LB_ADMIN_PORT + lb_count - 1))"
  echo
  printf '  %-8s %-8s %-18s %s\n' node pid port log
  for i in "${!PIDS[@]}"; do
    case ${NAMES[i]} in
      lb-*) port="$LB_TCP_PORT,$LB_HTTP_PORT,$((LB_ADMIN_PORT + ${NAMES[i]#lb-} - 1))" ;;
      echo-*) port="$((PORT_BASE + ${NAMES[i]#echo-})),$((PORT_BASE + 200 + ${NAMES[i]#echo-}))" ;;
      *) port=$((PORT_BASE + 100 + ${NAMES[i]#ws-})) ;;
    esac
    printf '  %-8s %-8s %-18s %s\n' "${NAMES[i]}" "${PIDS[i]}" "$port" ".run-local/logs/${NAMES[i]}.log"
  done
  echo
  echo "Try:"
  ((echo_count > 0)) && echo "  nc -N 127.0.0.1 $LB_TCP_PORT <<< hello"
  ((echo_count > 0)) && echo "  echo hello | nc -u -w1 127.0.0.1 $LB_TCP_PORT"
  ((ws_count > 0)) && echo "  curl -s http://127.0.0.1:$LB_HTTP_PORT/info"
  echo "  curl -s http://127.0.0.1:$LB_ADMIN_PORT/api/nodes"
  echo "  curl -s http://127.0.0.1:$LB_ADMIN_PORT/api/connections"
  ((ws_count > 0)) && echo "  npx wscat -c ws://127.0.0.1:$LB_HTTP_PORT/ws"
  echo
  echo "Logs: $LOG_DIR"
  echo "Ctrl-C stops every node. Kill a backend by its pid to watch the balancer route around it."
}
summary

# ---------------------------------------------------------------- foreground
# Returns when a node exits (or a trapped signal arrives): backends may come and go, the balancer
# may not.
while :; do
  wait -n || true
  for i in "${!PIDS[@]}"; do
    if ((REPORTED[i] == 0)) && ! is_ours "${PIDS[i]}"; then
      REPORTED[i]=1
      rc=0
      wait "${PIDS[i]}" 2>/dev/null || rc=$?
      echo "run-local: ${NAMES[i]} (pid ${PIDS[i]}) exited with code $rc; see $LOG_DIR/${NAMES[i]}.log"
      if [[ ${NAMES[i]} == lb-* ]]; then
        tail -n 20 "$LOG_DIR/${NAMES[i]}.log" | sed 's/^/    /' >&2
        alive=0
        for j in "${!PIDS[@]}"; do
          [[ ${NAMES[j]} == lb-* ]] && is_ours "${PIDS[j]}" && alive=$((alive + 1))
        done
        ((alive > 0)) || die "every balancer is gone: stopping the cluster"
        echo "run-local: $alive balancer(s) still serve the public ports"
      fi
    fi
  done
done
