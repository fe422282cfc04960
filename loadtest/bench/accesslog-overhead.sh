#!/usr/bin/env bash
# Access log overhead: the gateway's throughput with the access log writing every request to a
# file, against the same gateway with it off (metrics are always on), through wrk to a tiny nginx
# upstream on 127.0.0.1. Rounds alternate off/on; prints req/s and the gateway's CPU per request
# (utime + stime of its process over the measured run, from /proc) per round, and the ratios of
# the medians. On a shared machine the CPU per request is the steadier of the two figures.
#
# Knobs: ROUNDS [5], DURATION s [15], WARMUP s [10], CONNECTIONS [64].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS="${ROUNDS:-5}"; DURATION="${DURATION:-15}"; WARMUP="${WARMUP:-10}"; CONNECTIONS="${CONNECTIONS:-64}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
[[ -f gateway-server/target/gateway.jar ]] || ./mvnw -q -B -ntp -DskipTests package
TMP="$(mktemp -d /tmp/accesslog-overhead.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; nginx -p "$TMP" -c "$TMP/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
cat >"$TMP/nginx.conf" <<NGINX
worker_processes 1; pid $TMP/nginx.pid; error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
       server { listen 127.0.0.1:18290; location / { return 200 "ok\n"; } } }
NGINX
nginx -p "$TMP" -c "$TMP/nginx.conf"
for mode in off on; do
  enabled=false; [[ "$mode" == on ]] && enabled=true
  cat >"$TMP/gateway-$mode.conf" <<CONF
gateway {
  listen { host = "127.0.0.1", port = 18291 }
  admin { host = "127.0.0.1", port = 18292 }
  access-log { enabled = $enabled, path = "$TMP/access.log" }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:18290"] } ]
}
CONF
done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK="$(getconf CLK_TCK)"
declare -A RPS CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for mode in off on; do
    java -Xms1g -Xmx1g -XX:+UseParallelGC -jar gateway-server/target/gateway.jar --config "$TMP/gateway-$mode.conf" >"$TMP/gw.log" 2>&1 &
    gw=$!; PIDS+=("$gw")
    until curl -sf http://127.0.0.1:18292/ready >/dev/null; do kill -0 "$gw"; sleep 0.2; done
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" http://127.0.0.1:18291/ >/dev/null
    before="$(cpu_ticks "$gw")"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" http://127.0.0.1:18291/)"
    after="$(cpu_ticks "$gw")"
    rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
    requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
    cpu="$(awk -v t="$((after - before))" -v hz="$TICK" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
    dropped="$(curl -s http://127.0.0.1:18292/metrics | awk '/^gateway_access_log_dropped_total/ { print $2 }')"
    RPS[$mode,$r]="$rps"; CPU[$mode,$r]="$cpu"
    echo "round $r, access log $mode: $rps req/s, gateway CPU $cpu us/request (dropped lines: $dropped)"
    kill "$gw"; wait "$gw" 2>/dev/null || true
    rm -f "$TMP/access.log"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
off=(); on=(); cpu_off=(); cpu_on=()
for ((r = 1; r <= ROUNDS; r++)); do
  off+=("${RPS[off,$r]}"); on+=("${RPS[on,$r]}"); cpu_off+=("${CPU[off,$r]}"); cpu_on+=("${CPU[on,$r]}")
done
m_off="$(median "${off[@]}")"; m_on="$(median "${on[@]}")"
c_off="$(median "${cpu_off[@]}")"; c_on="$(median "${cpu_on[@]}")"
awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "median req/s: off %.0f, on %.0f, on/off %.3f\n", b, a, a / b }'
awk -v a="$c_on" -v b="$c_off" 'BEGIN { printf "median gateway CPU us/request: off %.2f, on %.2f, off/on %.3f\n", b, a, b / a }'
