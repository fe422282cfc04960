#!/usr/bin/env bash
# gRPC unary calls through the gateway against the same calls made to the service directly. The
# service is grpc-java (GrpcEchoServer.java beside this script, echoing a 16-byte message on its own
# event loop); the client is h2load over h2c (CONNECTIONS connections x STREAMS streams) posting one
# length-prefixed message with content-type application/grpc and te: trailers. Rounds alternate
# direct and through, a fresh gateway each time (route to h2c://); prints calls/s, P50/P99 and the
# gateway's CPU per call, then the medians and through against direct. Calls through the gateway
# are checked against gateway_grpc_responses_total: every one must have ended grpc-status 0.
#
# Knobs: ROUNDS [5], DURATION s [15], WARMUP s [10], CONNECTIONS [16], STREAMS [10].
set -euo pipefail
BENCH_NAME=grpc-unary
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ab_h2_init grpc-unary

# grpc-java's class path, from the version the tests use, through a throwaway pom.
grpc_version="$(sed -n 's:.*<grpc.version>\(.*\)</grpc.version>.*:\1:p' pom.xml)"
cat >"$TMP/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>grpc-echo</artifactId><version>0</version>
  <dependencies>
    <dependency><groupId>io.grpc</groupId><artifactId>grpc-netty-shaded</artifactId><version>$grpc_version</version></dependency>
    <dependency><groupId>io.grpc</groupId><artifactId>grpc-stub</artifactId><version>$grpc_version</version></dependency>
  </dependencies>
</project>
POM
./mvnw -q -B -ntp -f "$TMP/pom.xml" dependency:build-classpath -Dmdep.outputFile="$TMP/classpath.txt" >/dev/null
java -Xms512m -Xmx512m -cp "$(cat "$TMP/classpath.txt")" "$SCRIPT_DIR/grpc/GrpcEchoServer.java" 18396 >"$TMP/echo.log" 2>&1 &
AB_PIDS+=("$!"); ECHO_PID=$!
until grep -qs "grpc echo on" "$TMP/echo.log"; do kill -0 "$ECHO_PID"; sleep 0.2; done
# One message: not compressed, 16 bytes.
{ printf '\x00\x00\x00\x00\x10'; printf 'sixteen bytes!!!'; } >"$TMP/message"
GRPC=(-d "$TMP/message" -H "content-type: application/grpc" -H "te: trailers")
ab_gateway_conf "$TMP/gateway.conf" 18397 18398 "h2c://127.0.0.1:18396"
grpc_counts() { # grpc_counts -> "OK OTHER": calls the gateway counted with grpc-status 0, and with any other
  curl -s http://127.0.0.1:18398/metrics | awk '/^gateway_grpc_responses_total/ {
    if (index($0, "grpc_status=\"0\"")) ok += $2; else other += $2 } END { printf "%d %d\n", ok, other }'
}
MODES=(direct gateway)
declare -A RPS P50 P99 CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < ${#MODES[@]}; i++)); do
    mode="${MODES[$(((r - 1 + i) % ${#MODES[@]}))]}"
    url="http://127.0.0.1:18396/bench.Echo/Unary"
    if [[ $mode == gateway ]]; then
      ab_start_gateway "$TMP/gateway.conf" 18398
      url="http://127.0.0.1:18397/bench.Echo/Unary"
    fi
    ab_h2load "$WARMUP" "$url" "${GRPC[@]}"
    [[ $mode == gateway ]] && before="$(ticks_of "$AB_GW")"
    ab_h2load "$DURATION" "$url" "${GRPC[@]}"
    RPS[$mode,$r]="$H2_RPS"; P50[$mode,$r]="$H2_P50"; P99[$mode,$r]="$H2_P99"; CPU[$mode,$r]=NaN
    line="round $r, $mode: $H2_RPS calls/s, P50 $H2_P50 ms, P99 $H2_P99 ms, failed $H2_FAILED"
    if [[ $mode == gateway ]]; then
      after="$(ticks_of "$AB_GW")"
      CPU[$mode,$r]="$(cpu_us_per_request $((after - before)) "$H2_DONE")"
      read -r ok other < <(grpc_counts)
      line+=", gateway CPU ${CPU[$mode,$r]} us/call, grpc-status 0: $ok, other: $other"
      ab_stop
    fi
    echo "$line"
  done
done
declare -A M_RPS M_P50 M_P99
for mode in "${MODES[@]}"; do
  rps=(); p50=(); p99=()
  for ((r = 1; r <= ROUNDS; r++)); do rps+=("${RPS[$mode,$r]}"); p50+=("${P50[$mode,$r]}"); p99+=("${P99[$mode,$r]}"); done
  M_RPS[$mode]="$(median "${rps[@]}")"; M_P50[$mode]="$(median "${p50[@]}")"; M_P99[$mode]="$(median "${p99[@]}")"
  echo "spread $mode: calls/s $(printf '%s\n' "${rps[@]}" | sort -n | head -1) .. $(printf '%s\n' "${rps[@]}" | sort -n | tail -1)"
done
cpu=(); for ((r = 1; r <= ROUNDS; r++)); do cpu+=("${CPU[gateway,$r]}"); done
for mode in "${MODES[@]}"; do
  awk -v m="$mode" -v a="${M_RPS[$mode]}" -v b="${M_RPS[direct]}" -v p="${M_P50[$mode]}" -v q="${M_P99[$mode]}" \
    'BEGIN { printf "median %-7s %8.0f calls/s (x%.3f of direct), P50 %.2f ms, P99 %.2f ms\n", m, a, a / b, p, q }'
done
echo "median gateway CPU $(median "${cpu[@]}") us/call"
