#!/usr/bin/env bash
# Tracing overhead: the gateway's throughput and CPU per request with gateway.tracing off, on with
# nothing recorded (sample-ratio = 0: only traceparent read and written), on at the default 1%, and
# on recording every request (sample-ratio = 1, a SERVER and a CLIENT span each, exported as OTLP
# JSON), through wrk to a tiny nginx upstream that also plays the OTLP collector (200 on /v1/traces).
# Requests carry no traceparent, so each starts a trace and the ratio decides. Rounds rotate the
# modes; prints req/s and the gateway's CPU per request (utime + stime of its process over the
# measured run, from /proc) per round, then the medians against off. On a shared machine the CPU per
# request is the steadier figure.
#
# Knobs: ROUNDS [5], DURATION s [15], WARMUP s [10], CONNECTIONS [64].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS="${ROUNDS:-5}"; DURATION="${DURATION:-15}"; WARMUP="${WARMUP:-10}"; CONNECTIONS="${CONNECTIONS:-64}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
[[ -f gateway-server/target/gateway.jar ]] || ./mvnw -q -B -ntp -DskipTests package
TMP="$(mktemp -d /tmp/tracing-overhead.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; nginx -p "$TMP" -c "$TMP/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
cat >"$TMP/nginx.conf" <<NGINX
worker_processes 1; pid $TMP/nginx.pid; error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_buffer_size 1m;
       server { listen 127.0.0.1:18390;
                location /v1/traces { default_type application/json; return 200 "{}"; }
                location / { return 200 "ok\n"; } } }
NGINX
nginx -p "$TMP" -c "$TMP/nginx.conf"
MODES=(off ratio-0 ratio-0.01 ratio-1)
for mode in "${MODES[@]}"; do
  tracing=""
  [[ "$mode" != off ]] && tracing="tracing { otlp-endpoint = \"http://127.0.0.1:18390/v1/traces\", sample-ratio = ${mode#ratio-} }"
  cat >"$TMP/gateway-$mode.conf" <<CONF
gateway {
  listen { host = "127.0.0.1", port = 18391 }
  admin { host = "127.0.0.1", port = 18392 }
  $tracing
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:18390"] } ]
}
CONF
done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
metric() { curl -s http://127.0.0.1:18392/metrics | awk -v m="$1" 'index($0, m) == 1 { s += $2 } END { print s + 0 }'; }
TICK="$(getconf CLK_TCK)"
declare -A RPS CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < ${#MODES[@]}; i++)); do
    mode="${MODES[$(((r - 1 + i) % ${#MODES[@]}))]}"
    java -Xms1g -Xmx1g -XX:+UseParallelGC -jar gateway-server/target/gateway.jar --config "$TMP/gateway-$mode.conf" >"$TMP/gw.log" 2>&1 &
    gw=$!; PIDS+=("$gw")
    until curl -sf http://127.0.0.1:18392/ready >/dev/null; do kill -0 "$gw"; sleep 0.2; done
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" http://127.0.0.1:18391/ >/dev/null
    before="$(cpu_ticks "$gw")"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" http://127.0.0.1:18391/)"
    after="$(cpu_ticks "$gw")"
    rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
    requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
    cpu="$(awk -v t="$((after - before))" -v hz="$TICK" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
    exported="$(metric gateway_tracing_spans_exported_total)"; dropped="$(metric gateway_tracing_spans_dropped_total)"
    RPS[$mode,$r]="$rps"; CPU[$mode,$r]="$cpu"
    echo "round $r, tracing $mode: $rps req/s, gateway CPU $cpu us/request (spans exported $exported, dropped $dropped)"
    kill "$gw"; wait "$gw" 2>/dev/null || true
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
declare -A M_RPS M_CPU
for mode in "${MODES[@]}"; do
  rps=(); cpu=()
  for ((r = 1; r <= ROUNDS; r++)); do rps+=("${RPS[$mode,$r]}"); cpu+=("${CPU[$mode,$r]}"); done
  M_RPS[$mode]="$(median "${rps[@]}")"; M_CPU[$mode]="$(median "${cpu[@]}")"
done
for mode in "${MODES[@]}"; do
  awk -v m="$mode" -v a="${M_RPS[$mode]}" -v b="${M_RPS[off]}" -v c="${M_CPU[$mode]}" -v d="${M_CPU[off]}" \
    'BEGIN { printf "median %-10s %8.0f req/s (x%.3f of off), gateway CPU %.2f us/request (off/this %.3f)\n", m, a, a / b, c, d / c }'
done
