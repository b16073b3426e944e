#!/usr/bin/env bash
# Storage benchmark: Syncline's HTTP API against pgbench running the same SQL on the same database.
# Usage: bench/storage/run.sh [seconds-per-case] [concurrency list]    e.g. bench/storage/run.sh 5 "1 8 32"
# Needs: gateway/target/syncline.jar (mvn -B -q package -DskipTests) and pgbench (Debian: postgresql-contrib).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_CASE=${1:-5}
CONCURRENCY=${2:-"1 8 32"}
JAR=gateway/target/syncline.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
command -v pgbench >/dev/null || { echo "pgbench not found (apt-get install postgresql-contrib)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d)
HTTP=$(free_port); BACKEND=$(free_port); PG=$(free_port); HZ=$(free_port)
SECRET=bench-secret-bench-secret-bench-secret
SYNCLINE_HTTP_HOST=127.0.0.1 SYNCLINE_HTTP_PORT=$HTTP SYNCLINE_BACKEND_PORT=$BACKEND \
SYNCLINE_DATA_DIR=$WORK SYNCLINE_EMBEDDED_PG_PORT=$PG SYNCLINE_PG_POOL_SIZE=32 \
SYNCLINE_CLUSTER_NAME=bench-$$ SYNCLINE_CLUSTER_PORT=$HZ SYNCLINE_CLUSTER_MEMBERS=127.0.0.1:$HZ \
SYNCLINE_JWT_SECRET=$SECRET SYNCLINE_BATCH_MAX_REQUESTS=25 SYNCLINE_MAX_FETCH_SIZE=10000 \
  java -jar "$JAR" > "$WORK/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP/__heartbeat__" >/dev/null && break
  sleep 0.5
done
java bench/storage/StorageBench.java "http://127.0.0.1:$HTTP" "$SECRET" "$PG" "$SECONDS_PER_CASE" $CONCURRENCY
