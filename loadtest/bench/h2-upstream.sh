#!/usr/bin/env bash
# HTTP/2 upstreams against HTTP/1.1 upstreams through the gateway: the same client load (h2load over
# h2c, CONNECTIONS connections x STREAMS streams) to a gateway whose route goes to one nginx worker
# over HTTP/1.1 (http://) or over h2c (h2c://). Rounds alternate the two, a fresh gateway each run;
# prints req/s, P50/P99 and the gateway's CPU per request per round, then the medians and h2 against
# http1.
#
# Knobs: ROUNDS [5], DURATION s [15], WARMUP s [10], CONNECTIONS [16], STREAMS [10].
set -euo pipefail
BENCH_NAME=h2-upstream
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ab_h2_init h2-upstream
ab_start_nginx 18390 \
  'server { listen 127.0.0.1:18393 http2; location / { return 200 "ok\n"; } }'
MODES=(http1 h2)
declare -A UPSTREAM=([http1]="http://127.0.0.1:18390" [h2]="h2c://127.0.0.1:18393")
for mode in "${MODES[@]}"; do ab_gateway_conf "$TMP/gateway-$mode.conf" 18391 18392 "${UPSTREAM[$mode]}"; done
declare -A RPS P50 P99 CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < ${#MODES[@]}; i++)); do
    mode="${MODES[$(((r - 1 + i) % ${#MODES[@]}))]}"
    ab_start_gateway "$TMP/gateway-$mode.conf" 18392
    ab_h2load "$WARMUP" "http://127.0.0.1:18391/"
    before="$(ticks_of "$AB_GW")"
    ab_h2load "$DURATION" "http://127.0.0.1:18391/"
    after="$(ticks_of "$AB_GW")"
    RPS[$mode,$r]="$H2_RPS"; P50[$mode,$r]="$H2_P50"; P99[$mode,$r]="$H2_P99"
    CPU[$mode,$r]="$(cpu_us_per_request $((after - before)) "$H2_DONE")"
    echo "round $r, upstream $mode: $H2_RPS req/s, P50 $H2_P50 ms, P99 $H2_P99 ms, failed $H2_FAILED, gateway CPU ${CPU[$mode,$r]} us/request"
    ab_stop
  done
done
declare -A M_RPS M_P50 M_P99 M_CPU
for mode in "${MODES[@]}"; do
  rps=(); p50=(); p99=(); cpu=()
  for ((r = 1; r <= ROUNDS; r++)); do
    rps+=("${RPS[$mode,$r]}"); p50+=("${P50[$mode,$r]}"); p99+=("${P99[$mode,$r]}"); cpu+=("${CPU[$mode,$r]}")
  done
  M_RPS[$mode]="$(median "${rps[@]}")"; M_P50[$mode]="$(median "${p50[@]}")"
  M_P99[$mode]="$(median "${p99[@]}")"; M_CPU[$mode]="$(median "${cpu[@]}")"
  echo "spread $mode: req/s $(printf '%s\n' "${rps[@]}" | sort -n | head -1) .. $(printf '%s\n' "${rps[@]}" | sort -n | tail -1)"
done
for mode in "${MODES[@]}"; do
  awk -v m="$mode" -v a="${M_RPS[$mode]}" -v b="${M_RPS[http1]}" -v p="${M_P50[$mode]}" -v q="${M_P99[$mode]}" \
    -v c="${M_CPU[$mode]}" -v d="${M_CPU[http1]}" \
    'BEGIN { printf "median %-5s %8.0f req/s (x%.3f of http1), P50 %.2f ms, P99 %.2f ms, gateway CPU %.2f us/request (x%.3f of http1)\n", m, a, a / b, p, q, c, c / d }'
done
