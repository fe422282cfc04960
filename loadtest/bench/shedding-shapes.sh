#!/usr/bin/env bash
# Load shedding across upstream shapes: the gateway with and without `load-shedding` in front of a
# mock upstream that queues (loadtest.jar upstream --workers K: K workers behind one FIFO queue, the
# latency shape being each request's service time), driven open-loop by loadtest.jar run at a
# multiple of what the upstream can serve. The queue is the upstream's, not the gateway's: the
# gateway's upstream pool is left at its defaults, so without shedding nothing but the upstream
# bounds latency. Prints one markdown table (and writes it to TMP/shedding-shapes.md).
#
# Shapes (SHAPES), each at every multiple of OVERLOADS, shedding off then on, a fresh upstream
# per run (so a degrading upstream starts its ramp with the run):
#   pool        WORKERS x POOL_LATENCY                      [8 x fixed:20ms: 400 req/s]
#   degrading   WORKERS x DEGRADING_LATENCY, measured after its ramp (the warm-up covers it)
#                                                           [8 x degrading:10ms:3x:20s: 800 -> 267 req/s]
#   heavy-tail  WORKERS x HEAVY_TAIL_LATENCY                [8 x heavy-tail:10ms:0.005:100ms-500ms: 699 req/s]
#   step        the pool at 0.5x for STEP_BEFORE s, 3x for STEP_OVER s, 0.5x for STEP_AFTER s, as
#               three back-to-back generator runs (a JVM start, about a second, between them);
#               reports the 3x phase and the last second of the last phase with a 5xx answer
# Targets (from the issue): accepted (2xx) P99 <= 1.25 x P99_ABOVE, goodput >= 90% of capacity; after
# the step, shedding stops within two windows.
#
# A bounded budget per run: without shedding the upstream's queue grows until every connection waits
# on it (CONNECTIONS / capacity seconds a request), each connection falls behind its share of the
# schedule, and at 4x the generator would need about 4 x the scheduled time to send it all, past its
# own wait (schedule + 2 x --timeout + 10 s), and give up. So each unshed phase gets a --timeout short
# enough that its connections finish even if every request waits the whole timeout (requests per
# connection x timeout <= schedule + 5 s): the generator records timeouts instead of giving up, and the
# row says which timeout it ran with and what share timed out. A phase that cannot finish even at
# MIN_TIMEOUT_MS is skipped with a note. Runs with shedding keep TIMEOUT (shed answers are quick).
#
# Env knobs (defaults in brackets):
#   SHAPES        ["pool degrading heavy-tail step"]; OVERLOADS ["1.5 2 4"]
#   WORKERS [8]; POOL_LATENCY [fixed:20ms]; DEGRADING_LATENCY [degrading:10ms:3x:20s]
#   HEAVY_TAIL_LATENCY [heavy-tail:10ms:0.005:100ms-500ms]
#   CAPACITY_POOL CAPACITY_DEGRADING CAPACITY_HEAVY_TAIL  req/s the upstream serves (after the ramp) [400 267 699]
#   DURATION      measured seconds per run [30]; WARMUP seconds before it [10; degrading: its ramp + 10]
#   STEP_BEFORE STEP_OVER STEP_AFTER   seconds of the step's phases [20 30 30]
#   CONNECTIONS   generator connections [2000]; GEN_THREADS [1]
#   TIMEOUT       generator --timeout in seconds, and the most an unshed phase gets [30]
#   MIN_TIMEOUT_MS  the least --timeout an unshed phase may be given before it is skipped [500]
#   P99_ABOVE WINDOW MIN_SAMPLES   load-shedding { p99-above, window, min-samples } [100ms 10s 100]
#   JAVA_OPTS LOADTEST_JAVA_OPTS UPSTREAM_JAVA_OPTS   JVM flags, as in suite.sh
#   GATEWAY_JAR, LOADTEST_JAR; KEEP_TMP=1 keeps the temp dir (configs, logs, JSON of every run)
# A smoke run: SHAPES=pool OVERLOADS=2 DURATION=10 WARMUP=5 bash loadtest/bench/shedding-shapes.sh
set -euo pipefail

BENCH_NAME=shedding-shapes
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

SHAPES="${SHAPES:-pool degrading heavy-tail step}"
OVERLOADS="${OVERLOADS:-1.5 2 4}"
WORKERS="${WORKERS:-8}"
POOL_LATENCY="${POOL_LATENCY:-fixed:20ms}"
DEGRADING_LATENCY="${DEGRADING_LATENCY:-degrading:10ms:3x:20s}"
HEAVY_TAIL_LATENCY="${HEAVY_TAIL_LATENCY:-heavy-tail:10ms:0.005:100ms-500ms}"
CAPACITY_POOL="${CAPACITY_POOL:-400}"
CAPACITY_DEGRADING="${CAPACITY_DEGRADING:-267}"
CAPACITY_HEAVY_TAIL="${CAPACITY_HEAVY_TAIL:-699}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
STEP_BEFORE="${STEP_BEFORE:-20}"
STEP_OVER="${STEP_OVER:-30}"
STEP_AFTER="${STEP_AFTER:-30}"
CONNECTIONS="${CONNECTIONS:-2000}"
GEN_THREADS="${GEN_THREADS:-1}"
TIMEOUT="${TIMEOUT:-30}"
MIN_TIMEOUT_MS="${MIN_TIMEOUT_MS:-500}"
P99_ABOVE="${P99_ABOVE:-100ms}"
WINDOW="${WINDOW:-10s}"
MIN_SAMPLES="${MIN_SAMPLES:-100}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
UPSTREAM_JAVA_OPTS="${UPSTREAM_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

# Fixed ports, apart from the other scripts'.
HOST=127.0.0.1
PORT_UP=18280
GW_PORTS=(18284 18285)    # shedding off, on
GW_ADMINS=(19290 19291)
RUN_SLACK=60

setup_paths "${BASH_SOURCE[0]}"
for s in $SHAPES; do
  [[ " pool degrading heavy-tail step " == *" $s "* ]] || die "unknown shape '$s' in SHAPES (known: pool degrading heavy-tail step)"
done
require_whole_numbers WORKERS CAPACITY_POOL CAPACITY_DEGRADING CAPACITY_HEAVY_TAIL DURATION WARMUP STEP_BEFORE STEP_OVER \
  STEP_AFTER CONNECTIONS GEN_THREADS MIN_SAMPLES READY_TIMEOUT TIMEOUT MIN_TIMEOUT_MS
for m in $OVERLOADS; do [[ "$m" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "OVERLOADS must be numbers, got '$m'"; done
P99_ABOVE_MS="$(awk -v d="$P99_ABOVE" 'BEGIN { v = d + 0; if (d ~ /ms$/) print v; else if (d ~ /s$/) print v * 1000; else print "" }')"
[[ -n "$P99_ABOVE_MS" ]] || die "P99_ABOVE must be a duration in ms or s, got '$P99_ABOVE'"
WINDOW_S="$(awk -v d="$WINDOW" 'BEGIN { v = d + 0; if (d ~ /ms$/) print v / 1000; else print v }')"

install_cleanup_traps
init_pkg_install
ensure_pkg jq jq
ensure_pkg curl curl
command -v java >/dev/null || die "java not found"
ensure_gateway_jar
ensure_loadtest_jar
wait_ports_free 120 "$PORT_UP" "${GW_PORTS[@]}" "${GW_ADMINS[@]}"
make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
cp "$LOADTEST_JAR" "$TMP/loadtest.jar"
LOADTEST_JAR="$TMP/loadtest.jar"
read -r -a JAVA_ARGS_GATEWAY <<<"$JAVA_OPTS"
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"
read -r -a JAVA_ARGS_UPSTREAM <<<"$UPSTREAM_JAVA_OPTS"

# ---------------------------------------------------------------- the two gateways
write_gateway() { # write_gateway SLOT SHEDDING-LINE
  { echo "gateway {"
    echo "  listen { host = \"$HOST\", port = ${GW_PORTS[$1]} }"
    echo "  admin { host = \"$HOST\", port = ${GW_ADMINS[$1]} }"
    if [[ -n "$2" ]]; then echo "  $2"; fi
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UP\" ] } ]"
    echo "}"; } >"$TMP/gateway-$1.conf"
  java -jar "$TMP/gateway.jar" --check --config "$TMP/gateway-$1.conf" >"$TMP/gateway-$1.check.log" 2>&1 \
    || { cat "$TMP/gateway-$1.check.log" >&2; die "gateway --check rejected $TMP/gateway-$1.conf"; }
}
SHEDDING="load-shedding { p99-above = $P99_ABOVE, window = $WINDOW, min-samples = $MIN_SAMPLES }"
write_gateway 0 ""
write_gateway 1 "$SHEDDING"

# A fresh gateway per run too: the shedder's state and the JIT start alike for every row.
start_gateway() { # start_gateway SLOT
  start_service "gateway-$1" java "${JAVA_ARGS_GATEWAY[@]}" -jar "$TMP/gateway.jar" --config "$TMP/gateway-$1.conf"
  wait_http "gateway-$1" "${SVC_PID[gateway-$1]}" "http://$HOST:${GW_ADMINS[$1]}/ready" "$READY_TIMEOUT"
}

# ---------------------------------------------------------------- one run
# budget_timeout_ms RATE CAPACITY SECONDS... -> the --timeout (ms) with which a run of these phases
# (warm-up, measured) finishes within the generator's own wait even with nothing shed; "skip" when
# not even MIN_TIMEOUT_MS would do. A phase whose slowest answers (the whole queue ahead: one request
# per connection, CONNECTIONS / CAPACITY seconds, plus a second) come in time anyway keeps TIMEOUT.
budget_timeout_ms() {
  local rate="$1" cap="$2"
  shift 2
  awk -v r="$rate" -v cap="$cap" -v c="$CONNECTIONS" -v t="$TIMEOUT" -v floor="$MIN_TIMEOUT_MS" -v phases="$*" 'BEGIN {
    n = split(phases, p, " "); best = t * 1000; skip = 0
    slowest = c / cap + 1
    for (i = 1; i <= n; i++) {
      s = p[i] + 0; if (s <= 0) continue
      per = int((r * s + c - 1) / c)
      if (per * slowest <= s + 2 * t + 5) continue
      bound = int(1000 * (s + 5) / per)
      if (bound < floor) skip = 1
      if (bound < best) best = bound
    }
    if (skip) print "skip"; else print best }'
}
# run_phase TAG SLOT RATE WARMUP_S DURATION_S TIMEOUT_MS: loadtest.jar run against slot SLOT; JSON in TMP/TAG.json
run_phase() {
  local tag="$1" slot="$2" rate="$3" warm="$4" dur="$5" timeout_ms="$6"
  local -a args=(--url "http://$HOST:${GW_PORTS[$slot]}/" --rate "$rate" --duration "${dur}s"
    --connections "$CONNECTIONS" --threads "$GEN_THREADS" --timeout "${timeout_ms}ms")
  if (( warm > 0 )); then args+=(--warmup "${warm}s"); fi
  log "$tag: loadtest.jar run ${args[*]}"
  # each generator run waits at most its schedule + 2 x timeout + 10 s, after up to 10 s connecting
  run_loadtest "$TMP/$tag.json" "$TMP/$tag.out" $((warm + dur + 2 * (2 * timeout_ms / 1000 + 22) + RUN_SLACK)) "${args[@]}"
}
# the --timeout of a run: TIMEOUT with shedding, the budget without (SLOT 0)
timeout_for() { # timeout_for SLOT RATE CAPACITY SECONDS...
  local slot="$1"
  shift
  if (( slot == 1 )); then echo $((TIMEOUT * 1000)); else budget_timeout_ms "$@"; fi
}
# summary JSON CAPACITY -> "2xx-P99-ms goodput goodput% non-2xx-share% timeout-share%"; goodput is 2xx
# answers over the run's elapsed time (to the last answer, so a queue that drains after the schedule
# counts at its pace)
summary() {
  jq -r --argjson cap "$2" '.runs[0] as $r
    | ([($r.statuses // {}) | to_entries[] | select(.key | startswith("2")) | .value] | add // 0) as $ok
    | (($r.failures // {}).timeout // 0) as $late
    | (if $r.elapsed_s > 0 then $ok / $r.elapsed_s else 0 end) as $good
    | "\($r.success_latency_ms.p99 // "n/a") \($good | floor) \(100 * $good / $cap | floor) \(if $r.requests > 0 then (100 * ($r.requests - $ok) / $r.requests | floor) else 0 end) \(if $r.requests > 0 then (100 * $late / $r.requests | floor) else 0 end)"' "$1"
}
fresh_pair() { # fresh_pair SPEC SLOT: a new upstream and gateway for one run
  start_mock_upstream upstream "$PORT_UP" "$1" --workers "$WORKERS" --seed 1
  start_gateway "$2"
}
end_pair() { stop_service "gateway-$1" 20; stop_service upstream 20; }

ROWS=()
row() { # row SHAPE OVERLOAD SHEDDING JSON CAPACITY TIMEOUT_MS
  local p99 good pct rejected late
  read -r p99 good pct rejected late < <(summary "$4" "$5")
  local ratio timeout
  ratio="$(awk -v p="$p99" -v t="$P99_ABOVE_MS" 'BEGIN { if (p == "n/a") print "n/a"; else printf "%.2f×", p / t }')"
  timeout="$(awk -v ms="$6" 'BEGIN { printf "%g s", ms / 1000 }')"
  local shown="$p99 ms"
  [[ "$p99" == n/a ]] && shown="n/a (no 2xx)"
  ROWS+=("| $1 | $2× | $3 | $shown | $ratio | $good of $5 ($pct%) | $rejected% | $timeout | $late% |")
  log "$1 at $2x, shedding $3: 2xx P99 $p99 ms ($ratio), goodput $good of $5 req/s ($pct%), non-2xx $rejected%, timed out $late% (timeout $timeout)"
}
skipped_row() { # skipped_row SHAPE OVERLOAD SHEDDING
  ROWS+=("| $1 | $2× | $3 | skipped | | | | | |")
  log "$1 at $2x, shedding $3: skipped (even a ${MIN_TIMEOUT_MS} ms timeout would not let the generator finish)"
}

for shape in $SHAPES; do
  [[ "$shape" == step ]] && continue
  case "$shape" in
    pool) spec="$POOL_LATENCY"; cap="$CAPACITY_POOL"; warm="$WARMUP" ;;
    degrading) spec="$DEGRADING_LATENCY"; cap="$CAPACITY_DEGRADING"
      ramp="$(awk -F: '{ v = $4 + 0; if ($4 ~ /ms$/) v /= 1000; else if ($4 ~ /m$/) v *= 60; print int(v + 0.999) }' <<<"$spec")"
      warm=$((ramp + WARMUP)) ;;
    heavy-tail) spec="$HEAVY_TAIL_LATENCY"; cap="$CAPACITY_HEAVY_TAIL"; warm="$WARMUP" ;;
  esac
  for m in $OVERLOADS; do
    rate="$(awk -v m="$m" -v c="$cap" 'BEGIN { printf "%d", m * c }')"
    for slot in 0 1; do
      label=off; (( slot == 1 )) && label=on
      timeout_ms="$(timeout_for "$slot" "$rate" "$cap" "$warm" "$DURATION")"
      if [[ "$timeout_ms" == skip ]]; then skipped_row "$shape ($WORKERS × \`$spec\`)" "$m" "$label"; continue; fi
      fresh_pair "$spec" "$slot"
      run_phase "$shape-$m-$label" "$slot" "$rate" "$warm" "$DURATION" "$timeout_ms"
      end_pair "$slot"
      row "$shape ($WORKERS × \`$spec\`)" "$m" "$label" "$TMP/$shape-$m-$label.json" "$cap" "$timeout_ms"
    done
  done
done

STEP_NOTES=()
if [[ " $SHAPES " == *" step "* ]]; then
  low="$(awk -v c="$CAPACITY_POOL" 'BEGIN { printf "%d", 0.5 * c }')"
  high=$((3 * CAPACITY_POOL))
  for slot in 0 1; do
    label=off; (( slot == 1 )) && label=on
    # one timeout for the three phases, the least any of them needs; the phase after the step starts
    # behind the queue the step left, so it is budgeted as if at the step's rate
    timeout_ms="$(timeout_for "$slot" "$high" "$CAPACITY_POOL" "$WARMUP" "$STEP_BEFORE" "$STEP_OVER" "$STEP_AFTER")"
    if [[ "$timeout_ms" == skip ]]; then skipped_row "step 0.5× → 3× → 0.5× (pool), the 3× phase" 3 "$label"; continue; fi
    fresh_pair "$POOL_LATENCY" "$slot"
    run_phase "step-before-$label" "$slot" "$low" "$WARMUP" "$STEP_BEFORE" "$timeout_ms"
    run_phase "step-over-$label" "$slot" "$high" 0 "$STEP_OVER" "$timeout_ms"
    run_phase "step-after-$label" "$slot" "$low" 0 "$STEP_AFTER" "$timeout_ms"
    end_pair "$slot"
    row "step 0.5× → 3× → 0.5× (pool), the 3× phase" 3 "$label" "$TMP/step-over-$label.json" "$CAPACITY_POOL" "$timeout_ms"
    last="$(jq -r '[.runs[0].intervals[] | select(.errors > 0) | .offset_s + .length_s] | max // 0' "$TMP/step-after-$label.json")"
    STEP_NOTES+=("- step, shedding $label: the last second with a 5xx in the 0.5× phase after the overload ends at ${last}s into it (target: within two windows, $(awk -v w="$WINDOW_S" 'BEGIN { print 2 * w }')s); the phase's $(summary "$TMP/step-after-$label.json" "$CAPACITY_POOL" | awk '{ print $4 }')% non-2xx.")
  done
fi

{
  echo "### Load shedding across upstream shapes"
  echo
  echo "Each upstream is \`loadtest.jar upstream --workers $WORKERS --latency SPEC\`: $WORKERS workers behind one FIFO queue, SPEC the service time. The gateway's route has no cap of its own (upstream pool at its defaults); \"on\" adds \`$SHEDDING\`. Open-loop, $CONNECTIONS connections, ${DURATION}s measured after a warm-up (for \`degrading\`, the warm-up covers its ramp). Targets: 2xx P99 ≤ 1.25 × $P99_ABOVE, goodput ≥ 90% of capacity."
  echo
  echo "Latency counts from each request's intended send time; goodput is 2xx answers over the run's elapsed time, to its last answer. Without shedding a phase's generator --timeout is cut to what lets it finish its schedule (the queue would otherwise outlast the generator's wait); timed-out requests count in non-2xx."
  echo
  echo "| shape | offered | shedding | 2xx P99 | vs p99-above | goodput, 2xx req/s of capacity | non-2xx | generator timeout | timed out |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  if (( ${#STEP_NOTES[@]} > 0 )); then echo; printf '%s\n' "${STEP_NOTES[@]}"; fi
} | tee "$TMP/shedding-shapes.md"
FAILED_LOGS=0
