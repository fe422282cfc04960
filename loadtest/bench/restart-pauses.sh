#!/usr/bin/env bash
# The first seconds after a restart: a fresh gateway gets wrk's load (-t2 -cCONNECTIONS) the moment
# /ready answers, for DURATION s, and its GC log says what it paused for in that time. Two variants,
# the same jar, ROUNDS times in turn (the order rotated each round): "settled", as bin/run starts it
# (GatewayMain's one full collection at start-up), and "unsettled", the same with
# -XX:+DisableExplicitGC, which turns that collection off. Per run: the time from the java command
# to /ready, the start-up collection, the young pauses under load (count, largest, total), and
# wrk's req/s and P99. Plain lines on stdout, medians at the end.
#
# Env knobs: ROUNDS [3], DURATION [30] s of load, CONNECTIONS [64]. Both variants run as
# ab_start_gateway starts a gateway (-Xms1g -Xmx1g, ParallelGC).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-30}"
ab_init restart-pauses
UP=18190; GW=18191; ADMIN=18192
ab_start_nginx "$UP"
ab_gateway_conf "$TMP/gw.conf" "$GW" "$ADMIN" "http://127.0.0.1:$UP"
log_line() { echo "[restart-pauses] $*"; }

# pauses GC-LOG -> "startup-ms under-load-count max-ms total-ms"
pauses() {
  awk '/Pause/ { ms = $NF; sub(/ms$/, "", ms)
         if ($0 ~ /System.gc/) { startup += ms; next }
         n++; total += ms; if (ms > max) max = ms }
       END { printf "%.1f %d %.1f %.1f\n", startup, n, max, total }' "$1"
}

declare -A RESULTS
run() { # run VARIANT ROUND
  local extra=() log="$TMP/gc-$1-$2.log" started ready_ms out p99
  [[ "$1" == unsettled ]] && extra=(-XX:+DisableExplicitGC)
  started="$(date +%s%N)"
  ab_start_gateway "$TMP/gw.conf" "$ADMIN" "${extra[@]}" "-Xlog:gc:file=$log"
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$GW/")"
  ab_stop
  read -r startup count max total <<<"$(pauses "$log")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  RESULTS[$1]+="$max $total $p99 "
  log_line "round $2, $1: ready after $ready_ms ms (start-up collection $startup ms); under load $count young pauses," \
    "largest $max ms, $total ms in all; $(awk '/Requests\/sec/ { print $2 }' <<<"$out") req/s, P99 $p99"
}

for r in $(seq "$ROUNDS"); do
  for v in $(rotated "$r" settled unsettled); do run "$v" "$r"; done
done
# Medians over the rounds of the largest pause and of the time paused; P99 by round (wrk's unit kept).
for v in settled unsettled; do
  read -r -a f <<<"${RESULTS[$v]}"
  largest=(); total=(); p99=()
  for ((i = 0; i < ${#f[@]}; i += 3)); do largest+=("${f[i]}"); total+=("${f[i + 1]}"); p99+=("${f[i + 2]}"); done
  log_line "$v, medians over $ROUNDS rounds: largest pause under load $(ab_median "${largest[@]}") ms," \
    "time paused under load $(ab_median "${total[@]}") ms; P99 by round ${p99[*]}"
done
