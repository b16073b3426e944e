#!/usr/bin/env bash
# Web Push benchmark: delivered messages/s and post-to-receipt latency for connected clients, on one node and across
# two (clients on node 2, posts to node 1), each against pgbench running the server's per-message SQL on the same
# database; then memory per idle push connection.
# Usage: bench/push/run.sh [all|one|two|idle] [seconds] [clients] [posters] [idle connections] [source addresses]
#   e.g. bench/push/run.sh all 10 1000 32 20000 4
# Needs: gateway/target/syncline.jar (mvn -B -q package -DskipTests), pgbench and psql (Debian: postgresql-client,
# postgresql-contrib), jcmd (the JDK), python3 (free ports).
set -euo pipefail
# Extra JVM options for each node, %n standing for the node's name (e.g. a flight recording to /tmp/%n.jfr).
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-}
cd "$(dirname "$0")/../.."
CASES=${1:-all}
SECONDS_PER_CASE=${2:-10}
CLIENTS=${3:-1000}
POSTERS=${4:-32}
IDLE=${5:-20000}
ADDRESSES=${6:-4}
JAR=gateway/target/syncline.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
for tool in pgbench psql jcmd python3; do
  command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# One endpoint key for the cluster, so node 1 opens the endpoints node 2 hands out.
KEYS="1:$(python3 -c 'import os,base64; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))')"
PG=$(free_port)
HZ1=$(free_port); HZ2=$(free_port)

# start_node NAME HTTP_PORT BACKEND_PORT HZ_PORT HEAP [extra env...]; sets NODE_PID
start_node() {
  local name=$1 http=$2 backend=$3 hz=$4 heap=$5
  shift 5
  env SYNCLINE_HTTP_HOST=127.0.0.1 SYNCLINE_HTTP_PORT="$http" SYNCLINE_BACKEND_PORT="$backend" \
    SYNCLINE_PUBLIC_URL="http://127.0.0.1:$http" \
    SYNCLINE_DATA_DIR="$WORK/$name" SYNCLINE_EMBEDDED_PG_PORT="$PG" \
    SYNCLINE_CLUSTER_NAME="pushbench-$$" SYNCLINE_CLUSTER_PORT="$hz" \
    SYNCLINE_CLUSTER_MEMBERS="127.0.0.1:$HZ1,127.0.0.1:$HZ2" \
    SYNCLINE_PUSH_ENDPOINT_KEYS="$KEYS" SYNCLINE_PUSH_MAX_QUEUE=10000 \
    SYNCLINE_PUSH_HELLO_TIMEOUT_SECONDS=60 SYNCLINE_PUSH_MAX_MESSAGE_BYTES=4096 "$@" \
    java "-Xmx$heap" ${NODE_JAVA_OPTS//%n/$name} -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$http/__heartbeat__" >/dev/null && return 0
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not come up" >&2; cat "$WORK/$name.log" >&2; exit 1
}

stop_nodes() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

echo "# $(date -u +%FT%TZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $CASES == all || $CASES == one || $CASES == two ]]; then
  H1=$(free_port); B1=$(free_port)
  start_node node1 "$H1" "$B1" "$HZ1" 1g SYNCLINE_PG_POOL_SIZE=32
  NODE1=$NODE_PID
  POSTMASTER=$(head -1 "$WORK/node1/pg/postmaster.pid")
  echo "# embedded PostgreSQL: synchronous_commit=$(psql -h 127.0.0.1 -p "$PG" -U postgres -Atc 'show synchronous_commit')," \
    "fsync=$(psql -h 127.0.0.1 -p "$PG" -U postgres -Atc 'show fsync'); node pool 32"
  if [[ $CASES == all || $CASES == one ]]; then
    PUSHBENCH_NODE_PIDS="$NODE1" PUSHBENCH_POSTMASTER="$POSTMASTER" java bench/push/PushBench.java throughput \
      "ws://127.0.0.1:$H1/push" "http://127.0.0.1:$H1" "$PG" "$CLIENTS" "$POSTERS" "$SECONDS_PER_CASE" one-node
    echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  fi
  if [[ $CASES == all || $CASES == two ]]; then
    H2=$(free_port); B2=$(free_port)
    start_node node2 "$H2" "$B2" "$HZ2" 1g SYNCLINE_PG_POOL_SIZE=32
    NODE2=$NODE_PID
    for _ in $(seq 1 60); do
      curl -s "http://127.0.0.1:$H1/__heartbeat__" | grep -q '"cluster_members":2' && break
      sleep 0.5
    done
    PUSHBENCH_NODE_PIDS="$NODE1 $NODE2" PUSHBENCH_POSTMASTER="$POSTMASTER" java bench/push/PushBench.java throughput \
      "ws://127.0.0.1:$H2/push" "http://127.0.0.1:$H1" "$PG" "$CLIENTS" "$POSTERS" "$SECONDS_PER_CASE" \
      "two-nodes(ws 2, post 1)"
    echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  fi
  stop_nodes
fi

if [[ $CASES == all || $CASES == idle ]]; then
  # A fresh node of its own. Every connection is a file descriptor on both ends; this container's hard limit may
  # be below what was asked (ulimit -n cannot be raised past it without CAP_SYS_RESOURCE).
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  LIMIT=$(ulimit -n)
  PG=$(free_port); HZ1=$(free_port); HZ2=$(free_port)
  H1=$(free_port); B1=$(free_port)
  start_node idle "$H1" "$B1" "$HZ1" 2g
  sleep 5
  NODE_FDS=$(ls "/proc/$NODE_PID/fd" | wc -l)
  CONNECTIONS=$IDLE
  if (( CONNECTIONS > LIMIT - NODE_FDS - 200 )); then
    CONNECTIONS=$(( (LIMIT - NODE_FDS - 200) / 100 * 100 ))
    echo "# open files limit $LIMIT (hard $(ulimit -Hn)), the node already holds $NODE_FDS:" \
      "measuring $CONNECTIONS connections instead of $IDLE"
  fi
  java bench/push/PushBench.java idle 127.0.0.1 "$H1" "$B1" "$NODE_PID" "$CONNECTIONS" "$ADDRESSES"
  echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_nodes
fi
