#!/usr/bin/env bash
# TLS and HTTP/2 at the edge: the gateway against nginx, each terminating TLS in front of the same
# tiny nginx upstream on 127.0.0.1 and forwarding over HTTP/1.1 keep-alive connections.
#   h2:      h2load over TLS with ALPN h2, CONNECTIONS connections x STREAMS concurrent streams;
#            P50/P99 from h2load's per-request log (--log-file).
#   https/1: wrk over TLS (HTTP/1.1), CONNECTIONS_H1 connections, P99 from wrk --latency.
# Every target gets a warm-up run first; then ROUNDS rounds run alternating the targets' order, and
# the median round of each is reported with the ratio gateway/nginx. Prints a Markdown table, with
# each proxy's CPU per request (utime + stime from /proc over the run: the gateway's process, or
# nginx's master and workers).
#
# Knobs: ROUNDS [3], DURATION s [15], WARMUP s [10], CONNECTIONS [16], STREAMS [10], CONNECTIONS_H1 [64].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-15}"; WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-16}"; STREAMS="${STREAMS:-10}"; CONNECTIONS_H1="${CONNECTIONS_H1:-64}"
for tool in wrk nginx h2load openssl; do
  command -v "$tool" >/dev/null || apt-get install -y -qq "$([[ $tool == h2load ]] && echo nghttp2-client || echo "$tool")" >/dev/null
done
[[ -f gateway-server/target/gateway.jar ]] || ./mvnw -q -B -ntp -DskipTests package
TMP="$(mktemp -d /tmp/edge-protocols.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for conf in upstream front; do nginx -p "$TMP" -c "$TMP/$conf.conf" -s stop 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TMP/tls.key" -out "$TMP/tls.crt" \
  -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
cat >"$TMP/upstream.conf" <<NGINX
worker_processes 1; pid $TMP/upstream.pid; error_log $TMP/upstream-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
       server { listen 127.0.0.1:18500; location / { return 200 "ok\n"; } } }
NGINX
cat >"$TMP/front.conf" <<NGINX
worker_processes 2; pid $TMP/front.pid; error_log $TMP/front-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
       upstream backend { server 127.0.0.1:18500; keepalive 64; }
       server { listen 127.0.0.1:18501 ssl http2;
                ssl_certificate $TMP/tls.crt; ssl_certificate_key $TMP/tls.key;
                ssl_protocols TLSv1.2 TLSv1.3;
                location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
cat >"$TMP/gateway.conf" <<CONF
gateway {
  listen { host = "127.0.0.1", port = 18502, tls { cert-file = "$TMP/tls.crt", key-file = "$TMP/tls.key" } }
  admin { host = "127.0.0.1", port = 18503 }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:18500"] } ]
}
CONF
nginx -p "$TMP" -c "$TMP/upstream.conf"
nginx -p "$TMP" -c "$TMP/front.conf"
java -Xms1g -Xmx1g -XX:+UseParallelGC -jar gateway-server/target/gateway.jar --config "$TMP/gateway.conf" >"$TMP/gateway.log" 2>&1 &
PIDS+=("$!")
until curl -sf http://127.0.0.1:18503/ready >/dev/null; do sleep 0.2; done
declare -A PORT=([nginx]=18501 [gateway]=18502)
GATEWAY_PID="${PIDS[0]}"
TICK="$(getconf CLK_TCK)"
cpu_ticks() { # cpu_ticks NAME -> utime + stime of the proxy's processes
  local pids
  if [[ $1 == gateway ]]; then pids="$GATEWAY_PID"; else
    local master; master="$(cat "$TMP/front.pid")"; pids="$master $(pgrep -P "$master" | paste -sd' ')"; fi
  for p in $pids; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s }'
}

# h2 NAME SECONDS [LOG] -> "req/s p50_ms p99_ms errors requests"
h2() {
  local log="${3:-$TMP/h2.log}" out
  rm -f "$log"
  out="$(h2load -D "$2" -c "$CONNECTIONS" -m "$STREAMS" -t 1 --log-file="$log" "https://127.0.0.1:${PORT[$1]}/")"
  local rps errors done
  rps="$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' <<<"$out")"
  errors="$(awk '/^requests:/ { print $10 }' <<<"$out")"
  done="$(awk '/^requests:/ { print $8 }' <<<"$out")"
  # The log's third column: microseconds from the request's start to the end of its response.
  read -r p50 p99 < <(cut -f3 "$log" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.5)] / 1000, v[int(NR * 0.99)] / 1000 }')
  echo "$rps $p50 $p99 $errors $done"
}

# h1 NAME SECONDS -> "req/s p50_ms p99_ms errors requests"
h1() {
  local out
  out="$(wrk -t2 -c"$CONNECTIONS_H1" -d"$2s" --latency "https://127.0.0.1:${PORT[$1]}/")"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /Requests\/sec/ { rps = $2 }
    /Non-2xx|Socket errors/ { err = err $0 } /requests in/ { n = $1 }
    END { printf "%s %.2f %.2f %s %s\n", rps, p50, p99, (err == "" ? 0 : "yes"), n }' <<<"$out"
}

for name in nginx gateway; do h2 "$name" "$WARMUP" >/dev/null; h1 "$name" "$WARMUP" >/dev/null; done
declare -A RES
for ((r = 1; r <= ROUNDS; r++)); do
  order=(nginx gateway); ((r % 2 == 0)) && order=(gateway nginx)
  for name in "${order[@]}"; do
    for proto in h2 h1; do
      before="$(cpu_ticks "$name")"
      result="$("$proto" "$name" "$DURATION")"
      after="$(cpu_ticks "$name")"
      RES[$proto,$name,$r]="$result $(awk -v t="$((after - before))" -v hz="$TICK" -v n="$(cut -d' ' -f5 <<<"$result")" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
    done
    echo "round $r $name: h2 ${RES[h2,$name,$r]} | https/1.1 ${RES[h1,$name,$r]} (req/s P50 P99 errors requests CPU-µs/request)" >&2
  done
done

# median_round PROTO NAME -> the round whose req/s is the median
median_round() {
  for ((r = 1; r <= ROUNDS; r++)); do echo "$(cut -d' ' -f1 <<<"${RES[$1,$2,$r]}") $r"; done | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { print $2 }'
}
echo "| protocol | target | req/s (median round) | P50 ms | P99 ms | errors | CPU µs/request | req/s all rounds |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
declare -A MED
for proto in h2 h1; do
  for name in nginx gateway; do
    r="$(median_round "$proto" "$name")"
    read -r rps p50 p99 err _ cpu <<<"${RES[$proto,$name,$r]}"
    MED[$proto,$name]="$rps"
    all="$(for ((i = 1; i <= ROUNDS; i++)); do cut -d' ' -f1 <<<"${RES[$proto,$name,$i]}"; done | paste -sd' ')"
    label="$([[ $proto == h2 ]] && echo "h2 (TLS, ${CONNECTIONS}×${STREAMS} streams)" || echo "HTTP/1.1 over TLS (${CONNECTIONS_H1} conns)")"
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$label" "$name" "$rps" "$p50" "$p99" "$err" "$cpu" "$all"
  done
done
for proto in h2 h1; do
  awk -v p="$proto" -v g="${MED[$proto,gateway]}" -v n="${MED[$proto,nginx]}" 'BEGIN { printf "%s: gateway/nginx req/s %.2f\n", p, g / n }'
done
