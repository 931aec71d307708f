# Sourced by the bench scripts: starts a local cluster with run-local.sh and stops it on exit.
#
#   start_cluster --echo 0 --ws 3    # returns once run-local says "Roundhouse is up"
#
# Sets cluster_pid (run-local's PID) and cluster_out (its output). Stops only what it started.

start_cluster() {
  cluster_out=$(mktemp)
  ./run-local.sh "$@" >"$cluster_out" 2>&1 &
  cluster_pid=$!
  trap stop_cluster EXIT
  for _ in $(seq 1 180); do
    grep -q "Roundhouse is up" "$cluster_out" && return 0
    kill -0 "$cluster_pid" 2>/dev/null || { cat "$cluster_out"; exit 1; }
    sleep 1
  done
  echo "bench: cluster did not come up" >&2
  cat "$cluster_out"
  exit 1
}

stop_cluster() {
  if kill -0 "$cluster_pid" 2>/dev/null; then
    kill -TERM "$cluster_pid"
    wait "$cluster_pid" || true
  fi
  rm -f "$cluster_out"
}
