#!/usr/bin/env bash
# Roundhouse beside HAProxy and NGINX, on the same backends, on this machine.
#
# Starts a local cluster (run-local.sh: 1 lb + 3 echo + 3 ws), writes HAProxy and NGINX configs in
# a temp dir that point at the same echo and ws backends, runs both proxies in the foreground,
# measures TCP echo round trips, HTTP keep-alive GET /info, WebSocket echo and the memory each
# proxy spends per held idle connection, round by round, prints one table and writes it to
# docs/benchmarks.md in place of the previous one (which moves to docs/benchmarks-log.md). Stops
# only what it started.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/compare.sh [--rounds 3] [--duration 10s] [--hold 5000] [--ws-sockets 200]
                        [--warmup 20s] [--no-record] [--help]

Needs the jars built first (no Maven runs here):  ./mvnw -B -ntp -o -q -DskipTests package
Installs haproxy, nginx, libnginx-mod-stream and wrk with apt-get when missing (as root; service
autostart suppressed with a policy-rc.d that exits 101; the system services are never started).

Per round, for Roundhouse, then HAProxy, then NGINX (load generator pinned to core 0):
  TCP     bench/TcpRoundTrips.java, 64 connections, 64 B lines, closed loop: round trips/s, p99
  HTTP    wrk -t1 -c64 --latency GET /info (keep-alive): req/s, p99
  WS      bench/WsEcho.java, --ws-sockets sockets, one message each every 100 ms: msg/s, p99
Once, after the rounds: --hold idle TCP connections and --hold WebSocket tunnels through each
proxy (each echoes once), the proxy's RSS (VmRSS summed over its processes; the balancer JVM gets
jcmd GC.run first) and fds before and while held.

Options:
  --rounds N       rounds, interleaved across the proxies (default 3); the table shows medians
  --duration D     each measured run, e.g. 10s, 1m (default 10s)
  --hold K         idle connections / tunnels held per proxy, 1-9500 (default 5000)
  --ws-sockets N   WebSockets in the echo load (default 200)
  --warmup D       untimed TCP and HTTP load per proxy before the first round (default 20s; 0 = none)
  --no-record      print the section only; do not write it to docs/benchmarks.md

Environment:
  RUN_LOCAL_JAVA_OPTS   JVM options of the backends (default: -Xms256m -Xmx512m -XX:+UseParallelGC
                        -Djava.net.preferIPv4Stack=true, as bench/http-bench.sh)
  RUN_LOCAL_LB_JAVA_OPTS  the balancer's: run-local.sh's default (C2, as shipped) unless set
  HAPROXY_TCP_PORT (19000) HAPROXY_HTTP_PORT (18080) NGINX_TCP_PORT (29000) NGINX_HTTP_PORT (28080)
  LB_TCP_PORT (9000) LB_HTTP_PORT (8080) LB_ADMIN_PORT (8081), as run-local.sh
All traffic stays on 127.0.0.1; every run is bounded in time and in connections.
EOF
}

die() {
  echo "compare: $*" >&2
  exit 1
}
log() { echo "compare: $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

rounds=3
duration=10s
hold=5000
ws_sockets=200
warmup=20s
record=1
while (($# > 0)); do
  case $1 in
    --rounds | --duration | --hold | --ws-sockets | --warmup)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --rounds) rounds=$2 ;;
        --duration) duration=$2 ;;
        --hold) hold=$2 ;;
        --ws-sockets) ws_sockets=$2 ;;
        --warmup) warmup=$2 ;;
      esac
      shift 2
      ;;
    --no-record) record=0 && shift ;;
    -h | --help) usage && exit 0 ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
done

# 10s, 10, 1m -> whole seconds
seconds_of() {
  local v=$1
  case $v in
    *m) v=${v%m} && [[ $v =~ ^[0-9]+$ ]] && echo $((10#$v * 60)) && return ;;
    *s) v=${v%s} ;;
  esac
  [[ $v =~ ^[0-9]+$ ]] || return 1
  echo $((10#$v))
}
dur_s=$(seconds_of "$duration") || die "--duration: not a duration: $duration"
warm_s=$(seconds_of "$warmup") || die "--warmup: not a duration: $warmup"
((dur_s >= 1 && dur_s <= 600)) || die "--duration must be 1s to 10m"
((warm_s <= 600)) || die "--warmup must be at most 10m"
in_range() { # value lo hi: a whole number from lo to hi
  [[ $1 =~ ^[0-9]{1,6}$ ]] || return 1
  ((10#$1 >= $2 && 10#$1 <= $3))
}
in_range "$rounds" 1 20 || die "--rounds must be 1 to 20"
in_range "$hold" 1 9500 ||
  die "--hold must be 1 to 9500 (2 fds per held connection in a proxy; the fd limit here is $(ulimit -n))"
in_range "$ws_sockets" 1 5000 || die "--ws-sockets must be 1 to 5000"

LB_TCP_PORT=${LB_TCP_PORT:-9000}
LB_HTTP_PORT=${LB_HTTP_PORT:-8080}
LB_ADMIN_PORT=${LB_ADMIN_PORT:-8081}
HAPROXY_TCP_PORT=${HAPROXY_TCP_PORT:-19000}
HAPROXY_HTTP_PORT=${HAPROXY_HTTP_PORT:-18080}
NGINX_TCP_PORT=${NGINX_TCP_PORT:-29000}
NGINX_HTTP_PORT=${NGINX_HTTP_PORT:-28080}
export LB_TCP_PORT LB_HTTP_PORT LB_ADMIN_PORT
export RUN_LOCAL_JAVA_OPTS=${RUN_LOCAL_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -Djava.net.preferIPv4Stack=true}

for m in lb-service echo-service ws-service; do
  compgen -G "$m/target/$m-*-all.jar" >/dev/null ||
    die "$m/target/$m-*-all.jar is missing: build first with ./mvnw -B -ntp -o -q -DskipTests package"
done
for c in java javac jcmd curl; do command -v "$c" >/dev/null || die "needs $c (a JDK 17+, curl)"; done

# ---------------------------------------------------------------- state and cleanup
tmp=""
created_policy=0
haproxy_pid=""
nginx_pid=""
nginx_workers=()
cluster_pid=""
cluster_out=""
hold_pid=""

# True while $1 is a live child of this shell (never true for someone else's process).
is_child() {
  local stat state ppid
  [[ -n $1 ]] || return 1
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  read -r state ppid _ <<<"$stat"
  [[ $state != Z && $ppid == "$$" ]]
}

# TERM, up to 10 s, then KILL; only a child of this shell.
stop_child() {
  local pid=$1
  is_child "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    is_child "$pid" || break
    sleep 0.2
  done
  if is_child "$pid"; then
    log "pid $pid did not stop on TERM, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

remove_policy() {
  if ((created_policy)); then
    rm -f /usr/sbin/policy-rc.d
    created_policy=0
  fi
}

cleanup() {
  local rc=$?
  set +e
  trap '' INT TERM HUP
  [[ -n $hold_pid ]] && stop_child "$hold_pid"
  [[ -n $haproxy_pid ]] && stop_child "$haproxy_pid"
  if [[ -n $nginx_pid ]]; then
    stop_child "$nginx_pid"
    # Workers outlive a master only if it was killed: end those we recorded, if still nginx's.
    local w
    for w in "${nginx_workers[@]}"; do
      [[ -e /proc/$w ]] || continue
      if [[ $(tr "\0" " " 2>/dev/null <"/proc/$w/cmdline") == "nginx: worker"* ]]; then
        kill -KILL "$w" 2>/dev/null
      fi
    done
  fi
  if [[ -n $cluster_pid ]] && kill -0 "$cluster_pid" 2>/dev/null; then
    log "stopping the cluster (run-local pid $cluster_pid)"
    kill -TERM "$cluster_pid"
    wait "$cluster_pid" 2>/dev/null
  fi
  [[ -n $cluster_out ]] && rm -f "$cluster_out"
  remove_policy
  [[ -n $tmp ]] && rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------- install (apt, only if missing)
need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx)
[[ -e /usr/lib/nginx/modules/ngx_stream_module.so ]] || need+=(libnginx-mod-stream)
command -v wrk >/dev/null || need+=(wrk)
if ((${#need[@]} > 0)); then
  (($(id -u) == 0)) || die "missing ${need[*]}: run as root, or apt-get install ${need[*]} first"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# bench/compare.sh: no service starts while it installs packages\nexit 101\n' \
      >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  log "installing ${need[*]} (apt-get; service autostart suppressed by /usr/sbin/policy-rc.d)"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
  remove_policy
fi
for c in haproxy nginx wrk taskset; do command -v "$c" >/dev/null || die "$c is missing"; done

tmp=$(mktemp -d /tmp/roundhouse-compare.XXXXXX)
chmod 755 "$tmp"

# ---------------------------------------------------------------- ports
port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c ': </dev/tcp/127.0.0.1/"$1"' _ "$1" 2>/dev/null
}
for p in "$HAPROXY_TCP_PORT" "$HAPROXY_HTTP_PORT" "$NGINX_TCP_PORT" "$NGINX_HTTP_PORT"; do
  in_range "$p" 1024 65535 || die "not a port from 1024 to 65535: $p"
  ! port_in_use "$p" || die "port $p is in use on 127.0.0.1: choose another (see --help)"
done

# ---------------------------------------------------------------- the cluster
log "starting the cluster (run-local.sh --echo 3 --ws 3 --no-build)"
cluster_out=$(mktemp)
./run-local.sh --echo 3 --ws 3 --no-build >"$cluster_out" 2>&1 &
cluster_pid=$!
for _ in $(seq 1 180); do
  grep -q "Roundhouse is up" "$cluster_out" && break
  kill -0 "$cluster_pid" 2>/dev/null || { cat "$cluster_out" >&2; die "run-local.sh failed"; }
  sleep 1
done
grep -q "Roundhouse is up" "$cluster_out" || { cat "$cluster_out" >&2; die "the cluster did not come up in 180 s"; }
lb_pid=$(sed -n 's/.*started lb-1 (pid \([0-9]*\)).*/\1/p' "$cluster_out" | head -n 1)
[[ -n $lb_pid && -d /proc/$lb_pid ]] || die "no lb-1 pid in run-local's output"
lb_flags=$(tr '\0' ' ' <"/proc/$lb_pid/cmdline" | sed 's/^[^ ]*java //; s/ -jar .*//')

# The backends, as the balancer lists them.
nodes=$(curl -fsS --max-time 5 "http://127.0.0.1:$LB_ADMIN_PORT/api/nodes")
backends_of() { # service -> host:port per line
  if command -v jq >/dev/null; then
    jq -r --arg s "$1" '.nodes[] | select(.service == $s) | "\(.host):\(.port)"' <<<"$nodes"
  else
    grep -o "\"service\":\"$1\",\"host\":\"[^\"]*\",\"port\":[0-9]*" <<<"$nodes" |
      sed 's/.*"host":"\([^"]*\)","port":\([0-9]*\)/\1:\2/'
  fi
}
mapfile -t echo_backends < <(backends_of echo)
mapfile -t ws_backends < <(backends_of ws)
((${#echo_backends[@]} > 0 && ${#ws_backends[@]} > 0)) || die "no backends in /api/nodes: $nodes"
for b in "${echo_backends[@]}" "${ws_backends[@]}"; do
  [[ $b == 127.* ]] || die "backend $b is not on loopback"
done
log "backends: echo ${echo_backends[*]}; ws ${ws_backends[*]}"

# ---------------------------------------------------------------- HAProxy
{
  cat <<EOF
global
    nbthread 2
    maxconn 9900

defaults
    timeout connect 5s
    timeout client 10m
    timeout server 10m
    timeout tunnel 1h
    maxconn 9900

frontend echo_in
    mode tcp
    bind 127.0.0.1:$HAPROXY_TCP_PORT
    default_backend echo

backend echo
    mode tcp
    balance roundrobin
EOF
  i=0
  for b in "${echo_backends[@]}"; do i=$((i + 1)) && echo "    server echo-$i $b"; done
  cat <<EOF

# HTTP mode: keep-alive on both sides, idle server connections shared; WebSocket upgrades become
# tunnels (timeout tunnel).
frontend web_in
    mode http
    bind 127.0.0.1:$HAPROXY_HTTP_PORT
    default_backend ws

backend ws
    mode http
    balance roundrobin
    http-reuse always
EOF
  i=0
  for b in "${ws_backends[@]}"; do i=$((i + 1)) && echo "    server ws-$i $b"; done
} >"$tmp/haproxy.cfg"

# ---------------------------------------------------------------- NGINX
mkdir -p "$tmp/nginx"
{
  cat <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 2;
worker_rlimit_nofile 19500;  # connections count both legs: 9,500 proxied in one worker need 19,000
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;

events {
    worker_connections 19000;
}

stream {
    upstream echo {
EOF
  for b in "${echo_backends[@]}"; do echo "        server $b;"; done
  cat <<EOF
    }
    server {
        listen 127.0.0.1:$NGINX_TCP_PORT reuseport;
        proxy_pass echo;
        proxy_connect_timeout 5s;
        proxy_timeout 10m;
    }
}

http {
    access_log off;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;

    # Upgrade for WebSockets; an empty Connection header otherwise, so upstream keep-alive works.
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ''      '';
    }
    upstream ws {
EOF
  for b in "${ws_backends[@]}"; do echo "        server $b;"; done
  cat <<EOF
        keepalive 64;
        keepalive_requests 100000;
    }
    server {
        listen 127.0.0.1:$NGINX_HTTP_PORT reuseport;
        keepalive_requests 100000;
        keepalive_timeout 10m;
        location / {
            proxy_pass http://ws;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_read_timeout 10m;
            proxy_send_timeout 10m;
        }
    }
}
EOF
} >"$tmp/nginx/nginx.conf"

nginx_cmd=(nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf")
haproxy -c -q -f "$tmp/haproxy.cfg" >&2 || die "HAProxy rejects $tmp/haproxy.cfg"
"${nginx_cmd[@]}" -t -q >&2 || die "NGINX rejects $tmp/nginx/nginx.conf"

wait_port() { # port pid what
  for _ in $(seq 1 50); do
    port_in_use "$1" && return 0
    is_child "$2" || die "$3 exited; see $tmp"
    sleep 0.2
  done
  die "$3 does not listen on $1"
}

haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 </dev/null &
haproxy_pid=$!
"${nginx_cmd[@]}" -g 'daemon off;' >"$tmp/nginx/stdout.log" 2>&1 </dev/null &
nginx_pid=$!
wait_port "$HAPROXY_TCP_PORT" "$haproxy_pid" HAProxy
wait_port "$HAPROXY_HTTP_PORT" "$haproxy_pid" HAProxy
wait_port "$NGINX_TCP_PORT" "$nginx_pid" NGINX
wait_port "$NGINX_HTTP_PORT" "$nginx_pid" NGINX
for _ in $(seq 1 25); do
  mapfile -t nginx_workers < <(pgrep -P "$nginx_pid" || true)
  ((${#nginx_workers[@]} >= 2)) && break
  sleep 0.2
done
haproxy_version=$(haproxy -v | head -n 1 | awk '{print $3}')
nginx_version=$(nginx -v 2>&1 | sed 's/.*nginx\///')
log "HAProxy $haproxy_version (pid $haproxy_pid), NGINX $nginx_version (pid $nginx_pid, workers ${nginx_workers[*]})"

# ---------------------------------------------------------------- load clients
javac -d "$tmp/classes" bench/TcpRoundTrips.java bench/WsEcho.java
gen=(taskset -c 0)
(($(nproc) > 1)) || gen=()

proxies=(roundhouse haproxy nginx)
declare -A tcp_port=([roundhouse]=$LB_TCP_PORT [haproxy]=$HAPROXY_TCP_PORT [nginx]=$NGINX_TCP_PORT)
declare -A http_port=([roundhouse]=$LB_HTTP_PORT [haproxy]=$HAPROXY_HTTP_PORT [nginx]=$NGINX_HTTP_PORT)
declare -A label=([roundhouse]=Roundhouse [haproxy]=HAProxy [nginx]=NGINX)
declare -A res=()

# wrk latency like 812.00us, 2.50ms, 1.02s -> ms
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

run_tcp() { # proxy seconds -> "rt_per_s p50 p99"
  timeout $(($2 + 60)) "${gen[@]}" java -Xmx256m -cp "$tmp/classes" TcpRoundTrips \
    127.0.0.1 "${tcp_port[$1]}" 64 "$2" 64
}
run_http() { # proxy seconds -> "req_per_s p99_ms"
  local out
  out=$(timeout $(($2 + 30)) "${gen[@]}" wrk -t1 -c64 -d"$2s" --latency "http://127.0.0.1:${http_port[$1]}/info")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    log "${label[$1]} HTTP: $(grep 'Non-2xx\|Socket errors' <<<"$out" | tr -s ' ')"
  fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
}
run_ws() { # proxy seconds -> "msg_per_s p50 p99 sent received"
  timeout $(($2 + 120)) "${gen[@]}" java -Xmx512m -cp "$tmp/classes" WsEcho \
    127.0.0.1 "${http_port[$1]}" "$ws_sockets" "$2"
}

if ((warm_s > 0)); then
  for p in "${proxies[@]}"; do
    log "warm-up ${label[$p]}: ${warm_s}s TCP, ${warm_s}s HTTP (not counted)"
    run_tcp "$p" "$warm_s" >/dev/null || die "${label[$p]}: TCP warm-up failed"
    run_http "$p" "$warm_s" >/dev/null || die "${label[$p]}: HTTP warm-up failed"
  done
fi

for ((r = 1; r <= rounds; r++)); do
  for p in "${proxies[@]}"; do
    out=$(run_tcp "$p" "$dur_s") || die "${label[$p]}: TCP run failed"
    read -r rt _ tp99 <<<"$out"
    out=$(run_http "$p" "$dur_s") || die "${label[$p]}: HTTP run failed"
    read -r rps hp99 <<<"$out"
    out=$(run_ws "$p" "$dur_s") || die "${label[$p]}: WebSocket run failed: $out"
    read -r msgs _ wp99 _ <<<"$out"
    log "round $r/$rounds ${label[$p]}: TCP $rt rt/s p99 $tp99 ms; HTTP $rps req/s p99 $hp99 ms; WS $msgs msg/s p99 $wp99 ms"
    res[$p, tcp_rt]+="$rt "
    res[$p, tcp_p99]+="$tp99 "
    res[$p, http_rps]+="$rps "
    res[$p, http_p99]+="$hp99 "
    res[$p, ws_p99]+="$wp99 "
    res[$p, ws_msgs]+="$msgs "
  done
done

# ---------------------------------------------------------------- held connections
pids_of() { # proxy -> its processes
  case $1 in
    roundhouse) echo "$lb_pid" ;;
    haproxy) echo "$haproxy_pid" ;;
    nginx) echo "$nginx_pid" "${nginx_workers[@]}" ;;
  esac
}
rss_kb() { # pids... -> summed VmRSS in kB
  local pid sum=0 v
  for pid in "$@"; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    sum=$((sum + v))
  done
  echo "$sum"
}
fd_count() { # pids... -> summed open fds
  local pid sum=0
  for pid in "$@"; do sum=$((sum + $(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l))); done
  echo "$sum"
}
settle() { # proxy: a full GC in the balancer JVM before reading its RSS
  if [[ $1 == roundhouse ]]; then
    jcmd "$lb_pid" GC.run >/dev/null
  fi
  sleep 1
}

# The balancer JVM's live heap in bytes (a class histogram runs a full GC first); 0 for the others.
# A JVM keeps the heap it committed, so its RSS growth under-counts once earlier load grew the heap.
live_heap() { # proxy
  if [[ $1 == roundhouse ]]; then
    jcmd "$lb_pid" GC.class_histogram | awk '/^Total/ { print $3 }'
  else
    echo 0
  fi
}

# Not in a subshell: the client is a coproc of this shell. Sets held_kb, held_fds.
hold_one() { # proxy kind(tcp|ws)
  local p=$1 kind=$2 line rss0 rss1 fd0 fd1 heap0 heap1
  local -a pids client
  read -r -a pids <<<"$(pids_of "$p")"
  if [[ $kind == tcp ]]; then
    client=(java -Xmx512m -cp "$tmp/classes" TcpRoundTrips --hold 127.0.0.1 "${tcp_port[$p]}" "$hold")
  else
    client=(java -Xmx1g -cp "$tmp/classes" WsEcho --hold 127.0.0.1 "${http_port[$p]}" "$hold")
  fi
  settle "$p"
  rss0=$(rss_kb "${pids[@]}")
  fd0=$(fd_count "${pids[@]}")
  heap0=$(live_heap "$p")
  coproc HOLD { exec timeout 600 "${gen[@]}" "${client[@]}"; }
  # shellcheck disable=SC2153 # set by coproc
  hold_pid=$HOLD_PID
  local out=${HOLD[0]} in=${HOLD[1]}
  if ! read -r -t 300 line <&"$out" || [[ $line != "held $hold" ]]; then
    stop_child "$hold_pid"
    hold_pid=""
    die "${label[$p]}: could not hold $hold $kind connections (got '${line:-nothing}')"
  fi
  sleep 2
  settle "$p"
  rss1=$(rss_kb "${pids[@]}")
  fd1=$(fd_count "${pids[@]}")
  heap1=$(live_heap "$p")
  echo >&"$in"
  read -r -t 120 line <&"$out" || true
  wait "$hold_pid" || log "${label[$p]} $kind hold client exited with $?"
  hold_pid=""
  log "${label[$p]} holding $hold $kind: RSS $rss0 -> $rss1 kB, fds $fd0 -> $fd1"
  held_kb=$(awk -v a="$rss0" -v b="$rss1" -v n="$hold" 'BEGIN { printf "%.1f", (b - a) / n }')
  held_fds="$fd0 → $fd1"
  held_heap_kb=$(awk -v a="$heap0" -v b="$heap1" -v n="$hold" 'BEGIN { printf "%.1f", (b - a) / n / 1024 }')
}

for p in "${proxies[@]}"; do
  for kind in tcp ws; do
    hold_one "$p" "$kind"
    res[$p, hold_$kind]=$held_kb
    res[$p, fds_$kind]=$held_fds
    res[$p, heap_$kind]=$held_heap_kb
    sleep 3 # let the closes settle before the next reading
  done
done

# ---------------------------------------------------------------- report
median() { # numbers... -> median
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fmt() { # value decimals
  [[ $1 == n/a || -z $1 ]] && { echo "n/a"; return; }
  printf "%.${2}f" "$1"
}
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "n/a") print "n/a"; else printf "%.2f", a / b }'
}
row() { # title key decimals
  local -a v=()
  local p vals
  for p in "${proxies[@]}"; do
    read -r -a vals <<<"${res[$p, $2]}"
    v+=("$(median "${vals[@]}")")
  done
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(fmt "${v[0]}" "$3")" "$(fmt "${v[1]}" "$3")" \
    "$(fmt "${v[2]}" "$3")" "$(ratio "${v[0]}" "${v[1]}")"
}

commit=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain --untracked-files=no) ]] || commit="$commit (with local changes)"
section=$(
  echo
  echo "## Roundhouse beside HAProxy and NGINX — $(date -u +%F) — commit $commit"
  echo
  echo "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
    "\`bench/compare.sh --rounds $rounds --duration ${dur_s}s --hold $hold --ws-sockets $ws_sockets --warmup ${warm_s}s\`."
  echo "Same backends for all three (run-local.sh: 3 echo-service, 3 ws-service), round-robin;" \
    "load generator pinned to core 0 (\`taskset -c 0\`), proxies and backends share the box."
  echo "Balancer JVM: \`$lb_flags\`. HAProxy $haproxy_version (\`nbthread 2\`, \`http-reuse always\`);" \
    "NGINX $nginx_version (\`worker_processes 2\`, upstream \`keepalive 64\`)."
  echo "TCP: bench/TcpRoundTrips.java, 64 connections, 64 B. HTTP: \`wrk -t1 -c64 --latency\` GET /info." \
    "WS: bench/WsEcho.java, $ws_sockets sockets, one message each per 100 ms."
  echo "Medians of $rounds round(s), interleaved; ${warm_s}s of untimed TCP and HTTP warm-up per proxy first." \
    "Held: $hold idle connections (one echo each), RSS summed over the proxy's processes, growth over idle divided by $hold;" \
    "the balancer JVM got \`jcmd GC.run\` before each reading, but a JVM's RSS does not shrink after a GC," \
    "so its WS figure (measured after the TCP hold) reuses heap the TCP hold had already touched."
  echo
  echo "| work | Roundhouse | HAProxy | NGINX | Roundhouse/HAProxy |"
  echo "|---|---|---|---|---|"
  row "TCP round trips/s" tcp_rt 0
  row "TCP p99 (ms)" tcp_p99 2
  row "HTTP req/s" http_rps 0
  row "HTTP p99 (ms)" http_p99 2
  row "WS p99 (ms)" ws_p99 2
  row "WS msg/s" ws_msgs 0
  row "RSS per held TCP conn (kB)" hold_tcp 1
  row "RSS per held WS tunnel (kB)" hold_ws 1
  echo
  echo "fds idle → holding $hold TCP / WS: Roundhouse ${res[roundhouse, fds_tcp]} / ${res[roundhouse, fds_ws]};" \
    "HAProxy ${res[haproxy, fds_tcp]} / ${res[haproxy, fds_ws]}; NGINX ${res[nginx, fds_tcp]} / ${res[nginx, fds_ws]}."
  echo "The balancer JVM's live heap (class histogram after a full GC) per held TCP connection:" \
    "${res[roundhouse, heap_tcp]} kB; per WebSocket tunnel: ${res[roundhouse, heap_ws]} kB" \
    "(its RSS growth under-counts once the throughput rounds have grown the heap)."
  echo "Ratios within one run are what count on a shared box."
)
echo "$section"
# docs/benchmarks.md holds the latest comparison between two markers; the one it replaces moves to
# the end of docs/benchmarks-log.md, the history.
if ((record)); then
  begin='<!-- compare:begin -->' end='<!-- compare:end -->'
  grep -qF "$begin" docs/benchmarks.md && grep -qF "$end" docs/benchmarks.md ||
    die "docs/benchmarks.md has no $begin ... $end block to replace"
  awk -v b="$begin" -v e="$end" '$0 == b { inside = 1; next } $0 == e { inside = 0; next } inside' \
    docs/benchmarks.md >"$tmp/previous.md"
  [[ -s $tmp/previous.md ]] && cat "$tmp/previous.md" >>docs/benchmarks-log.md
  printf '%s\n' "$section" >"$tmp/section.md"
  awk -v b="$begin" -v e="$end" -v f="$tmp/section.md" '
    $0 == b { print; while ((getline line < f) > 0) print line; skip = 1; next }
    $0 == e { skip = 0 }
    !skip' docs/benchmarks.md >"$tmp/benchmarks.md"
  cp "$tmp/benchmarks.md" docs/benchmarks.md
  log "wrote docs/benchmarks.md (the previous comparison moved to docs/benchmarks-log.md)"
fi
