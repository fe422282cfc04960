#!/usr/bin/env bash
# Access log overhead: the gateway's throughput with the access log writing every request to a
# file, against the same gateway with it off (metrics are always on), through wrk to a tiny nginx
# upstream on 127.0.0.1. Rounds alternate off/on; prints req/s and the gateway's CPU per request
# (utime + stime of its process over the measured run, from /proc) per round, and the ratios of
# the medians. On a shared machine the CPU per request is the steadier of the two figures.
#
# Knobs: ROUNDS [5], DURATION s [15], WARMUP s [10], CONNECTIONS [64].
set -euo pipefail
BENCH_NAME=accesslog-overhead
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ab_init accesslog-overhead
ab_start_nginx 18290
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
declare -A RPS CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for mode in off on; do
    ab_measure "$TMP/gateway-$mode.conf" 18291 18292
    rps="$AB_RPS"; cpu="$AB_CPU"
    dropped="$(curl -s http://127.0.0.1:18292/metrics | awk '/^gateway_access_log_dropped_total/ { print $2 }')"
    RPS[$mode,$r]="$rps"; CPU[$mode,$r]="$cpu"
    echo "round $r, access log $mode: $rps req/s, gateway CPU $cpu us/request (dropped lines: $dropped)"
    ab_stop
    rm -f "$TMP/access.log"
  done
done
off=(); on=(); cpu_off=(); cpu_on=()
for ((r = 1; r <= ROUNDS; r++)); do
  off+=("${RPS[off,$r]}"); on+=("${RPS[on,$r]}"); cpu_off+=("${CPU[off,$r]}"); cpu_on+=("${CPU[on,$r]}")
done
m_off="$(median "${off[@]}")"; m_on="$(median "${on[@]}")"
c_off="$(median "${cpu_off[@]}")"; c_on="$(median "${cpu_on[@]}")"
awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "median req/s: off %.0f, on %.0f, on/off %.3f\n", b, a, a / b }'
awk -v a="$c_on" -v b="$c_off" 'BEGIN { printf "median gateway CPU us/request: off %.2f, on %.2f, off/on %.3f\n", b, a, b / a }'
