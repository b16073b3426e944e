#!/usr/bin/env bash
# Live fan-out benchmark: one change delivered to 1, 100 and 2,000 WebSocket subscribers spread over two Syncline
# nodes, through a data subscription (datasync) and a pub/sub channel, against nginx + nchan fanning the same
# messages out to the same number of WebSocket subscribers on loopback.
# Usage: bench/live/run.sh [seconds-per-case] ["N:RATE ..."]    e.g. bench/live/run.sh 8 "1:500 100:200 2000:50"
#   N subscribers, RATE changes (records written / messages published) per second.
# Needs: gateway/target/syncline.jar (mvn -B -q package -DskipTests), python3 (free ports), curl, and nginx with
# the nchan module (Debian: apt-get install nginx-light libnginx-mod-nchan). Installs nothing itself.
set -euo pipefail
# Extra JVM options for each node, %n standing for the node's name (e.g. a flight recording to /tmp/%n.jfr).
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-}
cd "$(dirname "$0")/../.."
SECONDS_PER_CASE=${1:-8}
CASES=${2:-"1:500 100:200 2000:50"}
JAR=gateway/target/syncline.jar
NCHAN_MODULE=${NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
for tool in python3 curl; do
  command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ] || [ ! -f "$NCHAN_MODULE" ]; then
  echo "nginx with nchan not found; install it with: apt-get install nginx-light libnginx-mod-nchan" >&2
  exit 2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# Every subscriber is a descriptor in this shell's children (client, nodes, nginx).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

SECRET=bench-secret-bench-secret-bench-secret
KEY=bench-backend-key-0123456789abcdef
CHANNELS='[{"pattern":"bench.*","subscribe":"everyone","publish":"authenticated"}]'
PG=$(free_port); HZ1=$(free_port); HZ2=$(free_port)

# start_node NAME HTTP_PORT BACKEND_PORT HZ_PORT
start_node() {
  local name=$1 http=$2 backend=$3 hz=$4
  env SYNCLINE_HTTP_HOST=127.0.0.1 SYNCLINE_HTTP_PORT="$http" SYNCLINE_BACKEND_PORT="$backend" \
    SYNCLINE_PUBLIC_URL="http://127.0.0.1:$http" \
    SYNCLINE_DATA_DIR="$WORK/$name" SYNCLINE_EMBEDDED_PG_PORT="$PG" SYNCLINE_PG_POOL_SIZE=16 \
    SYNCLINE_CLUSTER_NAME="livebench-$$" SYNCLINE_CLUSTER_PORT="$hz" \
    SYNCLINE_CLUSTER_MEMBERS="127.0.0.1:$HZ1,127.0.0.1:$HZ2" \
    SYNCLINE_JWT_SECRET="$SECRET" SYNCLINE_BACKEND_KEY="$KEY" SYNCLINE_LIVE_CHANNELS="$CHANNELS" \
    SYNCLINE_LIVE_MAX_QUEUE_BYTES=67108864 \
    java -Xmx1g ${NODE_JAVA_OPTS//%n/$name} -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$http/__heartbeat__" >/dev/null && return 0
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not come up" >&2; cat "$WORK/$name.log" >&2; exit 1
}

echo "# $(date -u +%FT%TZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)," \
  "open files limit $(ulimit -n)"
H1=$(free_port); B1=$(free_port); H2=$(free_port); B2=$(free_port)
start_node node1 "$H1" "$B1" "$HZ1"
NODE1=$NODE_PID
start_node node2 "$H2" "$B2" "$HZ2"
NODE2=$NODE_PID
POSTMASTER=$(head -1 "$WORK/node1/pg/postmaster.pid" 2>/dev/null || echo 0)
for _ in $(seq 1 60); do
  curl -s "http://127.0.0.1:$H1/__heartbeat__" | grep -q '"cluster_members":2' && break
  sleep 0.5
done
echo "# cluster: $(curl -s "http://127.0.0.1:$H1/__heartbeat__")"

# nginx + nchan: one channel, a publisher location and a WebSocket subscriber location, as many workers as cores.
NP=$(free_port)
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
load_module $NCHAN_MODULE;
daemon off;
master_process on;
worker_processes auto;
worker_rlimit_nofile 65536;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  nchan_shared_memory_size 256m;
  server {
    listen 127.0.0.1:$NP;
    location = /pub { nchan_publisher; nchan_channel_id bench; nchan_message_buffer_length 100; }
    location = /sub { nchan_subscriber websocket; nchan_channel_id bench; }
  }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 1 40); do
  curl -s -o /dev/null "http://127.0.0.1:$NP/pub" && break
  sleep 0.25
done
echo "# nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') with nchan, $(nproc) workers, on 127.0.0.1:$NP"

# The client prints each case's CPU use by these processes (and its own).
LIVEBENCH_NODE_PIDS="$NODE1 $NODE2" LIVEBENCH_POSTMASTER="$POSTMASTER" LIVEBENCH_NGINX="$NGINX_PID" \
  java -Xmx1g bench/live/LiveBench.java "$H1" "$H2" "$B1" "$SECRET" "$KEY" "$NP" "$SECONDS_PER_CASE" $CASES
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
