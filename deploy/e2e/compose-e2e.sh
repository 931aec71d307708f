#!/usr/bin/env bash
# End-to-end test of the container deployment: builds the three images from their Dockerfiles,
# starts docker-compose.yml (with deploy/compose/host-network.yml) scaled to 3 echo and 3 ws nodes
# on a private Docker daemon, and checks that WebSocket and TCP clients of the balancer are spread
# over every node; then scales ws-service up by one (the new node must take its share) and stops
# that node (SIGTERM: it must deregister and exit). Leaves nothing running or mounted; logs stay
# in the log directory.
#
# No registry is needed: the base image eclipse-temurin:17-jre is stood in for by Debian bookworm
# with openjdk-17-jre-headless (debootstrap from the apt mirror this machine uses), cached for
# the day under ~/.cache/roundhouse.
#
# Needs: root, Debian's dockerd and docker (docker.io), docker-compose, debootstrap, python3,
# unshare, and the jars (./mvnw -B -q -DskipTests package). The daemon runs on a socket of its
# own, in a mount namespace of its own, with no iptables, no bridge and no forwarding; its data
# under /tmp/roundhouse-e2e-<pid>; containers use the host's network, on 127.0.0.1 only.
#
# Usage: deploy/e2e/compose-e2e.sh [--keep-work] [--no-cache]
# Environment:
#   E2E_LOG_DIR     logs (default: deploy-tests/target/compose-e2e)
#   E2E_CACHE_DIR   where the base rootfs is cached (default: ~/.cache/roundhouse; --no-cache: none)
#   E2E_MIRROR      Debian mirror (default: the first bookworm one in /etc/apt)
#   E2E_TIMEOUT     seconds for the run before it gives up (default: 300); the clean-up after
#                   that takes at most 100 s more
# The last line printed is the summary, "compose-e2e: PASS ..." or "compose-e2e: FAIL ...".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VERSION=0.1.0-SNAPSHOT
IMAGE_TAG=0.1.0
SERVICES=(echo-service ws-service lb-service)
ECHO_NODES=3
WS_NODES=3
CLIENTS=30 # of each kind: WebSockets and TCP connections

LOG_DIR=${E2E_LOG_DIR:-$ROOT/deploy-tests/target/compose-e2e}
CACHE_DIR=${E2E_CACHE_DIR:-${HOME:-/root}/.cache/roundhouse}
TIMEOUT_S=${E2E_TIMEOUT:-300}
WORK=/tmp/roundhouse-e2e-$$
PROJECT=roundhouse-e2e-$$
keep_work=0
use_cache=1
for arg in "$@"; do
  case $arg in
    --keep-work) keep_work=1 ;;
    --no-cache) use_cache=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
    *) echo "compose-e2e: unknown argument: $arg" >&2 && exit 2 ;;
  esac
done

START=$SECONDS
STEP_TIMES=()
dockerd_pid=""
compose_up=0
phase=preflight
summary=""

log() { printf 'compose-e2e [%3ds]: %s\n' $((SECONDS - START)) "$*"; }
# The summary is printed last, after the clean-up.
fail() {
  log "$*" >&2
  summary="compose-e2e: FAIL during $phase: $*"
  exit 1
}
timed() { # label start-seconds
  STEP_TIMES+=("$1 $((SECONDS - $2))s")
}
left() { # seconds left before the run's deadline, at least 1
  local l=$((START + TIMEOUT_S - SECONDS))
  echo $((l > 1 ? l : 1))
}

# ---------------------------------------------------------------- preflight
[[ $(id -u) == 0 ]] || fail "must run as root (debootstrap, dockerd)"
# Debian's client (docker.io) talks to Debian's daemon; another docker earlier on PATH may want
# BuildKit plugins it does not have.
DOCKER=/usr/bin/docker
[[ -x $DOCKER ]] || DOCKER=$(command -v docker || true)
for tool in dockerd "$DOCKER" docker-compose debootstrap python3 curl unshare; do
  [[ -n $tool ]] && command -v "$tool" >/dev/null || fail "missing: ${tool:-docker} (apt-get install docker.io docker-compose debootstrap)"
done
for m in "${SERVICES[@]}"; do
  [[ -f $ROOT/$m/target/$m-$VERSION-all.jar ]] ||
    fail "$m/target/$m-$VERSION-all.jar is missing: run ./mvnw -B -q -DskipTests package"
done
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log
mkdir -p "$WORK"
export DOCKER_HOST=unix://$WORK/docker.sock
export DOCKER_CONFIG=$WORK/docker-config
export DOCKER_BUILDKIT=0
export COMPOSE_PROJECT_NAME=$PROJECT
COMPOSE=(docker-compose --ansi never -f "$WORK/compose.yml")

# ---------------------------------------------------------------- cleanup
# Mount points under $WORK, deepest first (/proc/self/mounts escapes spaces as \040; ours have none).
our_mounts() {
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r
}

# Processes our daemon left behind (containerd, shims), found by our private paths.
our_leftovers() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $cmd == *"$WORK/"* && ${p#/proc/} != "$$" ]] && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local rc=$? m pid i
  set +e
  trap '' INT TERM HUP
  if ((compose_up)); then
    log "stopping the compose project"
    timeout 15 "${COMPOSE[@]}" logs --no-color --timestamps >"$LOG_DIR/compose.log" 2>&1
    timeout 60 "${COMPOSE[@]}" down --timeout 20 >>"$LOG_DIR/compose-down.log" 2>&1 ||
      log "docker-compose down failed, see $LOG_DIR/compose-down.log"
  fi
  if [[ -n $dockerd_pid ]] && kill -0 "$dockerd_pid" 2>/dev/null; then
    log "stopping dockerd (pid $dockerd_pid)"
    kill -TERM "$dockerd_pid"
    for ((i = 0; i < 125; i++)); do
      kill -0 "$dockerd_pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$dockerd_pid" 2>/dev/null; then
      log "dockerd still running after 25s, killing it"
      kill -KILL "$dockerd_pid"
    fi
    wait "$dockerd_pid" 2>/dev/null
  fi
  for pid in $(our_leftovers); do
    log "killing leftover process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-120)"
    kill -KILL "$pid" 2>/dev/null
  done
  for m in $(our_mounts); do
    umount "$m" 2>/dev/null || umount -l "$m" || log "could not unmount $m"
  done
  if ((keep_work)); then
    log "kept $WORK"
  elif [[ -n $(our_mounts) ]]; then
    log "not removing $WORK: still mounted: $(our_mounts | tr '\n' ' ')"
  else
    rm -rf "$WORK"
  fi
  if ((rc == 0)); then
    echo "${summary:-compose-e2e: FAIL: no summary} (total ${SECONDS}s with clean-up: ${STEP_TIMES[*]})"
  else
    echo "${summary:-compose-e2e: FAIL: exit code $rc during $phase} (after ${SECONDS}s)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM HUP

# A command prefix: a new mount namespace with private, empty /run and /opt, so that what the
# command mounts, and what it writes under those two (dockerd's and containerd's fixed paths), is
# gone when it ends. unshare and sh exec, so the PID is the command's. mount -n: no utab.
PRIVATE_MOUNTS=(unshare --mount --propagation private -- sh -c '
  mount -n -t tmpfs -o mode=0755,size=64m roundhouse-e2e-run /run &&
    mount -n -t tmpfs -o mode=0755,size=16m roundhouse-e2e-opt /opt &&
    exec "$@"' private-mounts)

# ---------------------------------------------------------------- base image rootfs
phase="base rootfs"
debian_mirror() {
  if [[ -n ${E2E_MIRROR:-} ]]; then
    echo "$E2E_MIRROR"
    return
  fi
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # deb822: the first stanza naming the bookworm suite.
    uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
      /(^|\n)Suites:[^\n]*(^| )bookworm( |$|\n)/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, a, " "); print a[2]; exit }
      }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
  echo "http://deb.debian.org/debian"
}

t=$SECONDS
ROOTFS_TAR=""
rootfs_source=built
if ((use_cache)); then
  mkdir -p "$CACHE_DIR"
  ROOTFS_TAR=$CACHE_DIR/bookworm-openjdk17-jre-rootfs-$(date +%Y%m%d).tar
  # Older days' rootfs are stale; one is enough.
  find "$CACHE_DIR" -maxdepth 1 -name 'bookworm-openjdk17-jre-rootfs-*.tar' ! -path "$ROOTFS_TAR" -delete
fi
if [[ -n $ROOTFS_TAR && -s $ROOTFS_TAR ]]; then
  rootfs_source=cached
  log "base rootfs from the cache: $ROOTFS_TAR"
else
  mirror=$(debian_mirror)
  log "debootstrap bookworm minbase + openjdk-17-jre-headless from $mirror"
  "${PRIVATE_MOUNTS[@]}" timeout "$(left)" debootstrap --variant=minbase --include=openjdk-17-jre-headless \
    bookworm "$WORK/rootfs" "$mirror" >"$LOG_DIR/debootstrap.log" 2>&1 ||
    fail "debootstrap failed, see $LOG_DIR/debootstrap.log"
  # What an image does not need.
  rm -rf "$WORK"/rootfs/usr/share/{doc,man,info,locale}/* "$WORK"/rootfs/var/cache/apt/* \
    "$WORK"/rootfs/var/lib/apt/lists/* "$WORK"/rootfs/var/log/* "$WORK"/rootfs/tmp/*
  for m in $(our_mounts); do umount "$m"; done # debootstrap unmounts its /proc and /sys; be sure
  out=${ROOTFS_TAR:-$WORK/rootfs.tar}
  tar -C "$WORK/rootfs" --numeric-owner -cf "$out.tmp-$$" . && mv "$out.tmp-$$" "$out"
  ROOTFS_TAR=$out
  rm -rf "$WORK/rootfs"
fi
timed "rootfs($rootfs_source)" "$t"

# ---------------------------------------------------------------- private dockerd
phase=dockerd
t=$SECONDS
mkdir -p "$WORK/data" "$WORK/exec" "$DOCKER_CONFIG"
# The trust key dockerd 20.10 would otherwise write to /etc/docker/key.json.
printf '{"deprecated-key-path": "%s/key.json"}\n' "$WORK" >"$WORK/daemon.json"
log "starting dockerd on $WORK/docker.sock"
# In a mount namespace of its own, with fresh /run and /opt: its containerd (which it starts, as
# /run/containerd/containerd.sock is not there) keeps its shim sockets, plugin and runtime dirs
# in them, and every mount it makes vanishes with the namespace.
"${PRIVATE_MOUNTS[@]}" dockerd \
  --config-file "$WORK/daemon.json" \
  -H "unix://$WORK/docker.sock" \
  --data-root "$WORK/data" \
  --exec-root "$WORK/exec" \
  --pidfile "$WORK/dockerd.pid" \
  --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
  --userland-proxy=false \
  >"$LOG_DIR/dockerd.log" 2>&1 &
dockerd_pid=$!
until "$DOCKER" version >/dev/null 2>&1; do
  kill -0 "$dockerd_pid" 2>/dev/null || fail "dockerd exited, see $LOG_DIR/dockerd.log"
  ((SECONDS - t < 60)) || fail "dockerd did not answer within 60s, see $LOG_DIR/dockerd.log"
  sleep 0.2
done
timed dockerd "$t"

# ---------------------------------------------------------------- images
phase=images
t=$SECONDS
log "importing the base image as eclipse-temurin:17-jre"
"$DOCKER" import "$ROOTFS_TAR" eclipse-temurin:17-jre >"$LOG_DIR/import.log" 2>&1 ||
  fail "docker import failed, see $LOG_DIR/import.log"
"$DOCKER" run --rm --network=none eclipse-temurin:17-jre java -version >"$LOG_DIR/java-version.log" 2>&1 ||
  fail "the base image has no working java, see $LOG_DIR/java-version.log"
timed import "$t"
t=$SECONDS
for m in "${SERVICES[@]}"; do
  log "docker build --network=none -t roundhouse/$m:$IMAGE_TAG $m"
  timeout "$(left)" "$DOCKER" build --network=none -t "roundhouse/$m:$IMAGE_TAG" "$ROOT/$m" \
    >"$LOG_DIR/build-$m.log" 2>&1 || fail "building $m failed, see $LOG_DIR/build-$m.log"
done
timed build "$t"

# ---------------------------------------------------------------- ports
phase=ports
# Free ports from the kernel for the balancer, and a free range of 20 for Hazelcast; never the
# defaults, which someone else's cluster may use.
read -r LB_TCP_PORT LB_HTTP_PORT LB_ADMIN_PORT CLUSTER_PORT < <(python3 - <<'EOF'
import random, socket
held = []
def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s); return s.getsockname()[1]
ports = [free(), free(), free()]
for _ in range(200):
    base = random.randrange(20000, 30000)
    try:
        rng = []
        for p in range(base, base + 20):
            s = socket.socket(); s.bind(("127.0.0.1", p)); rng.append(s)
        held.extend(rng); print(*ports, base); break
    except OSError:
        for s in rng: s.close()
EOF
)
[[ -n ${CLUSTER_PORT:-} ]] || fail "found no free port range for Hazelcast"
export LB_TCP_PORT LB_HTTP_PORT LB_ADMIN_PORT CLUSTER_PORT CLUSTER_NAME=$PROJECT
log "balancer on 127.0.0.1: tcp $LB_TCP_PORT, http $LB_HTTP_PORT, admin $LB_ADMIN_PORT; Hazelcast from $CLUSTER_PORT"

# ---------------------------------------------------------------- compose up
phase="compose up"
t=$SECONDS
# docker-compose.yml with deploy/compose/host-network.yml, less the balancer's published ports,
# which docker-compose 1.29 refuses on the host network.
docker-compose --ansi never -f "$ROOT/docker-compose.yml" -f "$ROOT/deploy/compose/host-network.yml" \
  config >"$WORK/compose-merged.yml" 2>"$LOG_DIR/compose-config.log" ||
  fail "docker-compose config failed, see $LOG_DIR/compose-config.log"
python3 - "$WORK/compose-merged.yml" "$WORK/compose.yml" <<'PY' || fail "cannot use the merged compose file"
import sys
out, skipping = [], False
for line in open(sys.argv[1]).read().splitlines():
    if line == "    ports:":
        skipping = True
        continue
    if skipping and (line.startswith("    - ") or line.startswith("      ")):
        continue
    skipping = False
    out.append(line)
text = "\n".join(out) + "\n"
# Compose must create no network (a bridge) here: the default network is the host's.
if "networks:\n  default:\n    external: true\n    name: host\n" not in text:
    sys.exit("the merged file does not put the default network on the host network")
open(sys.argv[2], "w").write(text)
PY
cp "$WORK/compose.yml" "$LOG_DIR/compose-effective.yml"
log "docker-compose up -d --scale echo-service=$ECHO_NODES --scale ws-service=$WS_NODES"
compose_up=1
timeout "$(left)" "${COMPOSE[@]}" up -d --no-build \
  --scale echo-service=$ECHO_NODES --scale ws-service=$WS_NODES >"$LOG_DIR/compose-up.log" 2>&1 ||
  fail "docker-compose up failed, see $LOG_DIR/compose-up.log"
timed "compose up" "$t"
bridges=$("$DOCKER" network ls -q --filter driver=bridge)
[[ -z $bridges ]] || fail "a bridge network exists on the private daemon: $bridges"

phase="waiting for the cluster"
t=$SECONDS
nodes_json() { curl -fsS --max-time 2 "http://127.0.0.1:$LB_ADMIN_PORT/api/nodes" 2>/dev/null; }
count_nodes() { # json service -> healthy nodes of that service
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(sum(1 for n in d["nodes"] if n["service"]==sys.argv[2] and n["healthy"]))' "$1" "$2"
}
# Until the balancer lists exactly this many healthy nodes of each backend service.
wait_for_nodes() { # echo-count ws-count
  local body now seen=""
  while :; do
    body=$(nodes_json) || body=""
    if [[ -n $body ]]; then
      now="$(count_nodes "$body" echo) echo, $(count_nodes "$body" ws) ws"
      [[ $now != "$seen" ]] && log "balancer lists $now" && seen=$now
      [[ $now == "$1 echo, $2 ws" ]] && break
    fi
    ((SECONDS - START < TIMEOUT_S)) || fail "the balancer did not list $1 echo and $2 ws nodes (last: ${seen:-no answer})"
    sleep 1
  done
  echo "$body" >"$LOG_DIR/nodes-$1-echo-$2-ws.json"
}
spread_check() { # clients echo-nodes ws-nodes log-name
  python3 "$ROOT/deploy/e2e/spread-check.py" --host 127.0.0.1 \
    --http-port "$LB_HTTP_PORT" --tcp-port "$LB_TCP_PORT" --admin-port "$LB_ADMIN_PORT" \
    --clients "$1" --echo-nodes "$2" --ws-nodes "$3" \
    --timeout "$(left)" >"$LOG_DIR/$4.log" 2>&1 || {
    sed 's/^/    /' "$LOG_DIR/$4.log" >&2
    fail "connections were not spread over the nodes, see $LOG_DIR/$4.log"
  }
  sed 's/^/    /' "$LOG_DIR/$4.log"
}

wait_for_nodes "$ECHO_NODES" "$WS_NODES"
# The balancer's own health check, as Docker runs it from the image.
lb_container=$("${COMPOSE[@]}" ps -q lb-service)
until [[ $("$DOCKER" inspect -f '{{.State.Health.Status}}' "$lb_container") == healthy ]]; do
  ((SECONDS - START < TIMEOUT_S)) || fail "lb-service's container never became healthy"
  sleep 1
done
timed "cluster ready" "$t"
log "every node registered; lb-service's container is healthy"

# ---------------------------------------------------------------- traffic
phase=traffic
t=$SECONDS
log "$CLIENTS WebSockets and $CLIENTS TCP connections through the balancer"
spread_check "$CLIENTS" "$ECHO_NODES" "$WS_NODES" spread-check
timed traffic "$t"

# ---------------------------------------------------------------- scale up, stop one
phase="scale up"
t=$SECONDS
more=$((WS_NODES + 1))
log "docker-compose up -d --scale ws-service=$more: a new node joins and takes its share"
timeout "$(left)" "${COMPOSE[@]}" up -d --no-build --no-recreate \
  --scale echo-service=$ECHO_NODES --scale ws-service=$more >"$LOG_DIR/compose-scale.log" 2>&1 ||
  fail "docker-compose up --scale ws-service=$more failed, see $LOG_DIR/compose-scale.log"
wait_for_nodes "$ECHO_NODES" "$more"
spread_check $((more * 2)) "$ECHO_NODES" "$more" spread-check-scaled
timed "scale up" "$t"

phase="stopping a node"
t=$SECONDS
newest=$("$DOCKER" ps -q --filter "label=com.docker.compose.project=$PROJECT" \
  --filter label=com.docker.compose.service=ws-service \
  --filter "label=com.docker.compose.container-number=$more")
[[ -n $newest ]] || fail "no container ws-service_$more"
log "docker stop ws-service_$more: SIGTERM, it deregisters and exits"
"$DOCKER" stop -t 30 "$newest" >/dev/null || fail "docker stop failed"
code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$newest")
# 0 once the service exits 0 after an orderly stop; 143 is the JVM ending on SIGTERM; 137
# would be Docker's SIGKILL after the grace period.
[[ $code == 0 || $code == 143 ]] || fail "ws-service_$more exited with $code after SIGTERM"
log "ws-service_$more exited with $code after $((SECONDS - t))s"
wait_for_nodes "$ECHO_NODES" "$WS_NODES"
timed "stop one" "$t"

# ---------------------------------------------------------------- down
phase="compose down"
t=$SECONDS
"$DOCKER" stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}' >"$LOG_DIR/docker-stats.log" 2>&1 || true
timeout 15 "${COMPOSE[@]}" logs --no-color --timestamps >"$LOG_DIR/compose.log" 2>&1 || true
timeout "$(left)" "${COMPOSE[@]}" down --timeout 20 >"$LOG_DIR/compose-down.log" 2>&1 ||
  fail "docker-compose down failed, see $LOG_DIR/compose-down.log"
compose_up=0
exits=$("$DOCKER" ps -aq | wc -l)
((exits == 0)) || fail "containers left after docker-compose down: $exits"
timed "compose down" "$t"

summary="compose-e2e: PASS: $ECHO_NODES echo + $WS_NODES ws nodes registered, $CLIENTS WebSockets and $CLIENTS TCP connections spread evenly; one more ws node joined and took its share, and left on SIGTERM"
phase=clean-up
