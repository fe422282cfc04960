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
BENCH_NAME=tracing-overhead
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ab_init tracing-overhead
ab_start_nginx 18390 "client_body_buffer_size 1m;" 'location /v1/traces { default_type application/json; return 200 "{}"; }'
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
metric() { curl -s http://127.0.0.1:18392/metrics | awk -v m="$1" 'index($0, m) == 1 { s += $2 } END { print s + 0 }'; }
declare -A RPS CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < ${#MODES[@]}; i++)); do
    mode="${MODES[$(((r - 1 + i) % ${#MODES[@]}))]}"
    ab_measure "$TMP/gateway-$mode.conf" 18391 18392
    rps="$AB_RPS"; cpu="$AB_CPU"
    exported="$(metric gateway_tracing_spans_exported_total)"; dropped="$(metric gateway_tracing_spans_dropped_total)"
    RPS[$mode,$r]="$rps"; CPU[$mode,$r]="$cpu"
    echo "round $r, tracing $mode: $rps req/s, gateway CPU $cpu us/request (spans exported $exported, dropped $dropped)"
    ab_stop
  done
done
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
