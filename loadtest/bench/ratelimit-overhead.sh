#!/usr/bin/env bash
# Rate limiting overhead: the gateway's throughput, latency and CPU per request
# when every request is checked by the rate limiter, against the same gateway
# with limiting off, all on 127.0.0.1 with a tiny nginx upstream.
# Prints a markdown table and writes it into docs/benchmarks.md under
# "## Rate limiting overhead (wrk, small 200)" (replacing that section if present).
#
# Three gateway configurations, each with an X-API-Key header identity:
#   off    one route / without rate-limit
#   local  rate-limit { store = local }, the route limited to 1e9 requests / 60s
#   redis  rate-limit { store = redis } over two redis-server shards started here,
#          same quota
#   redis-base  as redis, run by the jar BASE_GATEWAY_JAR (another build): a before/after of
#          the limited path in the same run, rounds interleaved
# The quota is never reached, so nothing is denied: what is measured is the cost
# of the decision itself. wrk sends every request with X-API-Key set to one of
# USERS identities, drawn at random per request (a Lua request() hook, the same
# for every configuration, "off" included).
#
# The gateway has to restart to change its store, so a round is: start off,
# warm up, measure, stop; start local, ...; start redis, .... Round 1 runs the
# configurations in CONFIGS order, each later round rotates that order by one.
# Each row reports the median round by req/s (P50/P99/P99.9 from that same run),
# the min-max req/s over the rounds, the gateway's CPU time (utime+stime from
# /proc/PID/stat) per request and, for redis, the CPU time the Redis servers
# spent per decision (used_cpu_user+used_cpu_sys from INFO cpu, both shards).
# Before every redis round both shards are flushed, so each round starts empty.
#
# Env knobs (defaults in brackets):
#   CONFIGS          configurations to measure, in order ["off local redis"]; "off redis"
#                    for the two-shard Redis path against limiting off alone (its ratio is printed)
#   BASE_GATEWAY_JAR the redis-base configuration's jar [required with redis-base]
#   THREADS          wrk threads [2]
#   CONNECTIONS      wrk connections [64]
#   ROUNDS           measured runs per configuration, interleaved [2]
#   DURATION         measured seconds per configuration and round [15]
#   WARMUP           warm-up seconds after every gateway start (JIT), output discarded [30]; each
#                    round logs the JIT compiler threads' CPU in the measured run (about 1 µs a
#                    request after 30 s, 4.7 after 3 s)
#   USERS            distinct X-API-Key identities wrk draws from [100000]
#   JAVA_OPTS        JVM flags for the gateway ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   READY_TIMEOUT    seconds to wait for the gateway's /ready [60]
#   PORT_WAIT        seconds to wait for the fixed ports to be free (another run) [120]
#   DOCS_FILE        markdown file to update, relative to repo root [docs/benchmarks.md]
#   UPDATE_DOCS      set to 0 to only print the table [1]
#   GATEWAY_JAR      gateway jar; built with ./mvnw if it is the default and missing
#                    [gateway-server/target/gateway.jar]; copied into the temp dir at
#                    start, so a rebuild during the run cannot mix versions
#   KEEP_TMP         set to 1 to keep the temp dir (configs, logs, raw wrk output) [0]
#   REDIS_CPUS       move both Redis shards (every thread) to these CPUs (a taskset list) once
#                    started. With the script itself under `taskset -c` on other CPUs, Redis has
#                    cores of its own, as in a deployment, and the ratio is the gateway's own cost
#                    [unset: Redis shares the CPUs with everything else]
set -euo pipefail

BENCH_NAME=ratelimit-overhead
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
# Remember which knobs were set explicitly, to reproduce the command line.
CMD_ENV="$(explicit_knobs CONFIGS ROUNDS THREADS CONNECTIONS DURATION WARMUP USERS JAVA_OPTS READY_TIMEOUT REDIS_CPUS BASE_GATEWAY_JAR)"

CONFIGS="${CONFIGS:-off local redis}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-30}"
USERS="${USERS:-100000}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-120}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18080
PORT_GATEWAY=18083
PORT_ADMIN=19090
QUOTA_REQUESTS=1000000000
QUOTA_WINDOW=60s
REDIS_COMMAND_TIMEOUT=100ms
SECTION_HEADING="## Rate limiting overhead (wrk, small 200)"

setup_paths "${BASH_SOURCE[0]}"

for c in $CONFIGS; do
  case "$c" in off|local|redis|redis-base) ;; *) die "unknown configuration '$c' in CONFIGS (known: off local redis redis-base)";; esac
done
[[ -n "${CONFIGS// /}" ]] || die "CONFIGS is empty"
require_whole_numbers ROUNDS THREADS CONNECTIONS DURATION WARMUP USERS READY_TIMEOUT PORT_WAIT
(( ROUNDS > 0 && DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS && USERS > 0 )) \
  || die "need ROUNDS>0, DURATION>0, THREADS>0, CONNECTIONS>=THREADS, USERS>0"
wants() { [[ " $CONFIGS " == *" $1 "* ]]; }
wants_redis() { wants redis || wants redis-base; }
if wants redis-base; then [[ -f "${BASE_GATEWAY_JAR:-}" ]] || die "redis-base needs BASE_GATEWAY_JAR, a gateway jar (got '${BASE_GATEWAY_JAR:-}')"; fi

# ---------------------------------------------------------------- cleanup
# State in bench-common.sh: PIDS = long-lived services (nginx upstream, redis
# shards), GW_PID = the gateway of the configuration being measured.
install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkg wrk wrk
ensure_pkg nginx nginx
ensure_pkg curl curl
if wants_redis; then
  ensure_pkg redis-server redis-server
  ensure_pkg redis-cli redis-tools
fi

command -v java >/dev/null || die "java not found (needed for the gateway)"
ensure_gateway_jar

wait_ports_free "$PORT_WAIT" "$PORT_UPSTREAM" "$PORT_GATEWAY" "$PORT_ADMIN"

make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
JAR="$TMP/gateway.jar"
if wants redis-base; then cp "$BASE_GATEWAY_JAR" "$TMP/gateway-base.jar"; fi
jar_of() { [[ "$1" == redis-base ]] && echo "$TMP/gateway-base.jar" || echo "$JAR"; }

# ---------------------------------------------------------------- start long-lived services
start_upstream

# Two Redis shards on free loopback ports, no persistence. Ports are picked from
# a random start in 20000-29999 (below the kernel's ephemeral range); if another
# process grabs one between the check and the bind, that shard is retried on another.
if wants_redis; then
  log "starting two redis-server shards"
  start_redis redis-1
  start_redis redis-2
  if [[ -n "${REDIS_CPUS:-}" ]]; then
    for shard in redis-1 redis-2; do
      pgrep -s "${SVC_PID[$shard]}" | xargs -r -n1 taskset -a -p -c "$REDIS_CPUS" >/dev/null
    done
    log "redis shards moved to CPU(s) $REDIS_CPUS"
  fi
fi

# ---------------------------------------------------------------- configs
write_config() { # write_config CONFIG -> TMP/gateway-CONFIG.conf
  local c="$1" store="" route_limit=""
  case "$c" in
    off) ;;
    local) store="  rate-limit { store = local }" ;;
    redis|redis-base) store="  rate-limit { store = redis, redis { shards = [ \"redis://$HOST:${REDIS_PORTS[0]}\", \"redis://$HOST:${REDIS_PORTS[1]}\" ], command-timeout = $REDIS_COMMAND_TIMEOUT } }" ;;
  esac
  [[ "$c" == off ]] || route_limit=", rate-limit { requests = $QUOTA_REQUESTS, window = $QUOTA_WINDOW }"
  {
    echo "gateway {"
    echo "  listen { host = \"$HOST\", port = $PORT_GATEWAY }"
    echo "  admin { host = \"$HOST\", port = $PORT_ADMIN }"
    echo "  identity { sources = [ { type = header, name = \"X-API-Key\" } ] }"
    if [[ -n "$store" ]]; then echo "$store"; fi
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UPSTREAM\" ]$route_limit } ]"
    echo "}"
  } >"$TMP/gateway-$c.conf"
  local out
  out="$(java -jar "$(jar_of "$c")" --config "$TMP/gateway-$c.conf" --check 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "$c: gateway --check refused $TMP/gateway-$c.conf"; }
  [[ "$out" == OK ]] || { printf '%s\n' "$out" >&2; die "$c: gateway --check did not print OK"; }
  log "$c: config checked OK ($TMP/gateway-$c.conf)"
}
read -r -a CLIST <<<"$CONFIGS"
for c in "${CLIST[@]}"; do write_config "$c"; done

# Random identity per request; seeded per thread. P99.9 (microseconds) from done().
write_users_lua "$TMP/users.lua"

# ---------------------------------------------------------------- helpers for a run
# ---- CPU accounting: utime+stime (clock ticks) of the gateway's java process
# (ticks_of, below_setsid in bench-common.sh)

# ---- Redis figures, summed over the shards
evalsha_stats() { # evalsha_stats PORT -> "calls usec usec_per_call failed_calls" (0s when none)
  rcli "$1" INFO commandstats | tr -d '\r' | awk -F'[:,=]' '
    $1 == "cmdstat_evalsha" { for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
    END { printf "%d %d %.2f %d\n", v["calls"], v["usec"], v["usec_per_call"], v["failed_calls"] }'
}
redis_flush() { local p; for p in "${REDIS_PORTS[@]}"; do [[ "$(rcli "$p" FLUSHALL)" == OK ]] || die "redis :$p: FLUSHALL failed"; done; }
redis_dbsize_sum() { local p sum=0; for p in "${REDIS_PORTS[@]}"; do sum=$((sum + $(rcli "$p" DBSIZE))); done; echo "$sum"; }

# ---- gateway metrics: the rate-limit and request counters, to catch silent fail-open
metrics_snapshot() { # metrics_snapshot FILE -> "name{labels} value" lines of the counters we check
  curl -sf --max-time 5 "http://$HOST:$PORT_ADMIN/metrics" \
    | awk '/^(gateway_requests_total|gateway_ratelimit_decisions_total|gateway_ratelimit_store_errors_total|gateway_ratelimit_store_duration_seconds_(sum|count))[{ ]/ { print $1, $2 }' >"$1" \
    || : >"$1"
}
metrics_delta() { # metrics_delta BEFORE AFTER -> "name{labels} delta" for every counter that moved
  awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d != 0) printf "%s %.9g\n", $1, d }' "$1" "$2"
}

# ---- gateway start / stop
start_gateway() { # start_gateway CONFIG ROUND
  local c="$1" r="$2" name="gateway-$1-r$2"
  local -a java_args
  read -r -a java_args <<<"$JAVA_OPTS"
  wait_ports_free "$PORT_WAIT" "$PORT_GATEWAY" "$PORT_ADMIN"
  log "$c: starting gateway: java ${JAVA_OPTS} -jar $(basename "$(jar_of "$c")") --config gateway-$c.conf"
  start_bg "$name" java "${java_args[@]}" -jar "$(jar_of "$c")" --config "$TMP/gateway-$c.conf"
  GW_PID="${SVC_PID[$name]}"
  wait_http "$name" "$GW_PID" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
}
stop_gateway() {
  local pid="$GW_PID"
  [[ -n "$pid" ]] || return 0
  stop_group "$pid" 20
  GW_PID=""
}
probe_gateway() { # probe_gateway CONFIG: a request answers 200, with RateLimit-Policy unless off
  local c="$1" head code
  head="$(curl -sI --max-time 5 -H 'X-API-Key: bench-probe' "http://$HOST:$PORT_GATEWAY/" | tr -d '\r')" \
    || die "$c: no answer from the gateway on /"
  code="$(awk 'NR == 1 { print $2 }' <<<"$head")"
  [[ "$code" == 200 ]] || { printf '%s\n' "$head" >&2; die "$c: gateway answered HTTP $code on / (expected 200 from the upstream)"; }
  if [[ "$c" == off ]]; then
    if grep -qi '^ratelimit-policy:' <<<"$head"; then log "warning: off: the response carries RateLimit-Policy"; fi
  else
    grep -qi '^ratelimit-policy:' <<<"$head" || { printf '%s\n' "$head" >&2; die "$c: response has no RateLimit-Policy header"; }
    log "$c: probe 200, $(grep -i '^ratelimit-policy:' <<<"$head")"
  fi
  if [[ "$c" == redis* ]]; then
    (( $(redis_dbsize_sum) >= 1 )) || die "$c: the probe left no key in either shard (store not used?)"
  fi
}

# ---------------------------------------------------------------- measure
# Per-round results, keyed "config,round".
# R_RPS R_P50 R_P99 R_P999 R_REQS R_TICKS R_CPU R_ERRS are in bench-common.sh.
declare -A R_RCPU R_EVAL R_KEYS R_MEM R_DECIDED R_STORE_US R_JIT
WRK_CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s users.lua http://$HOST:$PORT_GATEWAY/"
MEASURE_START=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do
  read -r -a order <<<"$(rotated "$r" "${CLIST[@]}")"
  log "round $r/$ROUNDS: ${order[*]}"
  for c in "${order[@]}"; do
    k="$c,$r"
    mem0=0
    if [[ "$c" == redis* ]]; then
      redis_flush
      for p in "${REDIS_PORTS[@]}"; do mem0=$((mem0 + $(info_field "$p" memory used_memory))); done
    fi
    start_gateway "$c" "$r"
    probe_gateway "$c"
    jpid="$(below_setsid "$GW_PID")"
    if (( WARMUP > 0 )); then
      log "$c: round $r: warm-up ${WARMUP}s"
      metrics_snapshot "$TMP/metrics-$c-r$r.warm"
      run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$TMP/users.lua" "http://$HOST:$PORT_GATEWAY/"
      sleep 1
      metrics_snapshot "$TMP/metrics-$c-r$r.before"
      # Only logged: store errors or fail-open while the JIT warms up do not count, but say so.
      odd="$(metrics_delta "$TMP/metrics-$c-r$r.warm" "$TMP/metrics-$c-r$r.before" | awk '
        $1 ~ /^gateway_ratelimit_store_errors_total/ || ($1 ~ /^gateway_ratelimit_decisions_total/ && $1 !~ /decision="allowed"/) \
          || ($1 ~ /^gateway_requests_total/ && $1 !~ /code="200"/) { printf "%s +%s, ", $1, $2 }')"
      if [[ -n "$odd" ]]; then log "note: $c: round $r: during warm-up: ${odd%, }"; fi
    fi

    log "$c: round $r/$ROUNDS, measuring ${DURATION}s: $WRK_CMD (CPU of java pid $jpid)"
    out="$TMP/wrk-$c-r$r.txt"
    if (( WARMUP == 0 )); then metrics_snapshot "$TMP/metrics-$c-r$r.before"; fi
    if [[ "$c" == redis* ]]; then
      for p in "${REDIS_PORTS[@]}"; do rcli "$p" CONFIG RESETSTAT >/dev/null; done
      rc0="$(redis_cpu_s)"
    fi
    t0="$(ticks_of "$jpid")" || die "$c: the gateway (pid $jpid) vanished before the run"
    j0="$(jit_ticks_of "$jpid")" || j0=""
    run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/users.lua" "http://$HOST:$PORT_GATEWAY/"
    t1="$(ticks_of "$jpid")" || t1=""
    j1="$(jit_ticks_of "$jpid")" || j1=""
    if [[ "$c" == redis* ]]; then rc1="$(redis_cpu_s)"; fi
    metrics_snapshot "$TMP/metrics-$c-r$r.after"
    show_wrk_output "$out"

    parse_wrk "$out" "$k" "$c"
    if [[ -n "$t1" ]]; then
      R_TICKS[$k]=$((t1 - t0))
      R_CPU[$k]="$(cpu_us_per_request "${R_TICKS[$k]}" "${R_REQS[$k]}")"
      # Compiler threads that die during the run take their ticks with them: a lower bound.
      if [[ -n "$j0" && -n "$j1" ]] && (( j1 >= j0 )); then R_JIT[$k]="$(cpu_us_per_request $((j1 - j0)) "${R_REQS[$k]}")"; else R_JIT[$k]="NaN"; fi
      log "$c: round $r: JIT compiler threads ${R_JIT[$k]} µs CPU per request"
    else
      log "warning: $c: the gateway (pid $jpid) vanished during round $r; no CPU figure"
      R_TICKS[$k]=""; R_CPU[$k]="NaN"; R_JIT[$k]="NaN"
    fi

    # Anything but clean 200s and allowed decisions is worth a note.
    errs="$(wrk_errors "$out")"
    metrics_delta "$TMP/metrics-$c-r$r.before" "$TMP/metrics-$c-r$r.after" >"$TMP/metrics-$c-r$r.delta"
    odd="$(awk '
      $1 ~ /^gateway_requests_total/ && $1 !~ /code="200"/ { printf "%s +%s, ", $1, $2 }
      $1 ~ /^gateway_ratelimit_decisions_total/ && $1 !~ /decision="allowed"/ { printf "%s +%s, ", $1, $2 }
      $1 ~ /^gateway_ratelimit_store_errors_total/ { printf "%s +%s, ", $1, $2 }' "$TMP/metrics-$c-r$r.delta")"
    if [[ -n "$odd" ]]; then errs+="gateway metrics: ${odd%, }; "; fi
    R_DECIDED[$k]="$(awk '$1 ~ /^gateway_ratelimit_decisions_total/ && $1 ~ /decision="allowed"/ { s += $2 } END { printf "%d", s }' "$TMP/metrics-$c-r$r.delta")"
    decided="${R_DECIDED[$k]}"; reqs="${R_REQS[$k]}"
    if [[ "$c" != off ]] && (( decided < reqs * 99 / 100 )); then
      errs+="only $decided allowed decisions counted for $reqs requests; "
    fi

    R_RCPU[$k]="NaN"; R_EVAL[$k]=""; R_KEYS[$k]=""; R_MEM[$k]=""; R_STORE_US[$k]=""
    if [[ "$c" == redis* ]]; then
      R_RCPU[$k]="$(awk -v a="$rc0" -v b="$rc1" -v n="${R_REQS[$k]}" \
        'BEGIN { if (n + 0 > 0) printf "%.2f", (b - a) * 1e6 / n; else print "NaN" }')"
      ev=""; keys=""; mem1=0
      for p in "${REDIS_PORTS[@]}"; do
        ev+="$(evalsha_stats "$p");"
        keys+="$(rcli "$p" DBSIZE) "
        mem1=$((mem1 + $(info_field "$p" memory used_memory)))
      done
      R_EVAL[$k]="${ev%;}"; R_KEYS[$k]="${keys% }"; R_MEM[$k]=$((mem1 - mem0))
      R_STORE_US[$k]="$(awk '
        $1 ~ /^gateway_ratelimit_store_duration_seconds_sum/ { s += $2 }
        $1 ~ /^gateway_ratelimit_store_duration_seconds_count/ { n += $2 }
        END { if (n > 0) printf "%.0f", s / n * 1e6 }' "$TMP/metrics-$c-r$r.delta")"
      fails="$(awk -F';' '{ for (i = 1; i <= NF; i++) { split($i, f, " "); s += f[4] } } END { print s + 0 }' <<<"${R_EVAL[$k]}")"
      if (( fails > 0 )); then errs+="EVALSHA failed_calls: $fails; "; fi
      log "$c: round $r: ${R_RCPU[$k]} µs Redis CPU per request; EVALSHA per shard (calls usec usec/call failed): ${R_EVAL[$k]}; keys per shard: ${R_KEYS[$k]}; used_memory +${R_MEM[$k]} B; store round trip mean ${R_STORE_US[$k]:-?} µs"
    fi
    R_ERRS[$k]="${errs%; }"
    if [[ -n "${R_ERRS[$k]}" ]]; then log "warning: $c: round $r: ${R_ERRS[$k]}"; fi
    log_round "$c" "$r" "$k"
    check_services_alive "$c" "$r"
    kill -0 "$GW_PID" 2>/dev/null || die "the gateway died during the $c run (round $r)"
    stop_gateway
    sleep 1
  done
done
MEASURE_SECS=$((SECONDS - MEASURE_START))

# ---- per configuration: the median round by req/s (lower middle one for an
# even ROUNDS), so each row is one real run; plus min-max req/s over all rounds.
declare -A RCPU
for c in "${CLIST[@]}"; do
  median_round "$c"
  RCPU[$c]="${R_RCPU[$c,${MED[$c]}]}"
  log "$c: req/s by round: $ROUND_RPS; gateway CPU µs/request by round: $ROUND_CPU; median round ${MED[$c]}"
done

# ---------------------------------------------------------------- report
label_of() {
  case "$1" in
    off) echo "off (no rate-limit)" ;; local) echo "local (in-memory store)" ;;
    redis) echo "redis (2 shards)" ;; redis-base) echo "redis (2 shards), base jar" ;;
  esac
}
redis_cell() { # redis_cell CONFIG -> the Redis CPU cell
  local c="$1"
  [[ "$c" == redis* ]] || { echo "–"; return; }
  local per
  per="$(awk -F';' '{ for (i = 1; i <= NF; i++) { split($i, f, " "); printf "%s%s", (i > 1 ? " / " : ""), f[3] } }' <<<"${R_EVAL[$c,${MED[$c]}]}")"
  echo "$(fmt_cpu "${RCPU[$c]}") (EVALSHA $per µs/call)"
}
describe_machine
V_REDIS=""
if wants_redis; then V_REDIS="; $(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"; fi
JAR_DATE="$(date -u -r "$GATEWAY_JAR" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"
COMMAND="${CMD_ENV}bash $SCRIPT_REL"

{
  echo "| config | req/s | req/s range | P50 | P99 | P99.9 | gateway CPU µs/request | Redis CPU µs/decision | req/s vs off |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for c in "${CLIST[@]}"; do
    printf '| %s | %s | %s–%s | %s | %s | %s | %s | %s | %s |\n' "$(label_of "$c")" "${RPS[$c]}" \
      "${RPS_MIN[$c]}" "${RPS_MAX[$c]}" \
      "$(fmt_ms "${P50[$c]}")" "$(fmt_ms "${P99[$c]}")" "$(fmt_ms "${P999[$c]}")" "$(fmt_cpu "${CPU[$c]}")" \
      "$(redis_cell "$c")" "$(ratio "${RPS[$c]}" "${RPS[off]:-}")"
  done
} >"$TMP/table.md"

{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`$COMMAND\`"
  echo "- Load: \`$WRK_CMD\` per configuration and round, where users.lua sets \`X-API-Key: user-<n>\` with n drawn uniformly from 1..$USERS per request (wrk's \`request()\` hook, seeded per thread; used for \"off\" too, so wrk's own cost is the same everywhere). The gateway is restarted for every configuration and round, warmed up with ${WARMUP}s of the same load, then measured; $ROUNDS rounds run interleaved, the order rotated by one per round (round 1: ${CLIST[*]}). This run measured for ${MEASURE_SECS}s, gateway starts and warm-ups included."
  echo "- Date: $DATE; repo revision $GIT_REV; gateway.jar built $JAR_DATE"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL. wrk, the upstream, the gateway and both Redis servers all share these cores over loopback."
  echo "- Versions: $V_NGINX; $V_JAVA; $V_WRK$V_REDIS"
  echo "- Setup: upstream = nginx, 1 worker, \`return 200 \"ok\\n\"\` on :$PORT_UPSTREAM; gateway = \`java $JAVA_OPTS -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\` on :$PORT_GATEWAY, \`identity { sources = [ { type = header, name = \"X-API-Key\" } ] }\`, one route / to the upstream; off = the route without rate-limit; local = \`rate-limit { store = local }\` (default algorithm sliding-log) and the route's \`rate-limit { requests = $QUOTA_REQUESTS, window = $QUOTA_WINDOW }\`, a quota never reached, so every request is decided and allowed; redis = \`store = redis\` over two \`redis-server --save \"\" --appendonly no\` shards on loopback, \`command-timeout = $REDIS_COMMAND_TIMEOUT\`, same quota, both shards flushed before every redis round$(wants redis-base && echo "; redis-base = redis run by \`${BASE_GATEWAY_JAR}\` (built $(date -u -r "$BASE_GATEWAY_JAR" '+%Y-%m-%d %H:%M UTC'))")."
  echo
  cat "$TMP/table.md"
  for c in "${CLIST[@]}"; do
    if [[ -n "${ERRS[$c]}" ]]; then printf '\nNote: %s had errors: %s.\n' "$(label_of "$c")" "${ERRS[$c]}"; fi
  done
  for c in redis redis-base; do
    if wants off && wants "$c"; then
      echo
      echo "Two-shard Redis-limited path ($(label_of "$c")) against limiting off, same run, rounds interleaved: $(ratio "${RPS[$c]}" "${RPS[off]}") the req/s of off (issue 13's target: at least 0.75×; $(awk -v a="${RPS[$c]}" -v b="${RPS[off]}" 'BEGIN { if (b + 0 > 0 && a / b >= 0.75) print "met"; else print "not met" }') in this run)."
      # Each round against off's round of the same number (minutes apart, not half an hour):
      # a drift of the host over the run moves both sides of a pair alike.
      pairs=""
      for ((r = 1; r <= ROUNDS; r++)); do
        pairs+="$(awk -v a="${R_RPS[$c,$r]:-}" -v b="${R_RPS[off,$r]:-}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "NaN" }') "
      done
      echo "By round, against off's round of the same number: ${pairs% } (median $(tr ' ' '\n' <<<"${pairs% }" | grep -v NaN | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'))."
    fi
  done
  echo
  echo "Each row is one real run: $(median_phrase) of the $ROUNDS rounds for that configuration ($(median_rounds "${CLIST[@]}")), with its own P50/P99/P99.9 and CPU figures; \"req/s range\" is the lowest–highest req/s over all $ROUNDS rounds; \"vs off\" is the ratio to the off row."
  echo "Latencies are wrk's (P50/P99 from \`--latency\`, P99.9 from a Lua \`done()\` hook)."
  echo "\"gateway CPU µs/request\" is the CPU time (utime+stime of the java process from \`/proc/PID/stat\`, all threads including GC, JIT and the Redis client's, in 1/${CLK_TCK}s ticks) during the measured run, divided by the requests wrk completed in it."
  if wants off; then
    extra=""
    for c in local redis redis-base; do
      wants "$c" || continue
      extra+="$c $(awk -v a="${CPU[$c]}" -v b="${CPU[off]}" 'BEGIN { if (a == "NaN" || b == "NaN") print "n/a"; else printf "%+.1f µs", a - b }'), "
    done
    if [[ -n "$extra" ]]; then echo "Gateway CPU per request over off: ${extra%, }."; fi
  fi
  jit=""
  for c in "${CLIST[@]}"; do
    v=""; for ((r = 1; r <= ROUNDS; r++)); do v+="${R_JIT[$c,$r]:-NaN} "; done
    jit+="$c ${v% }; "
  done
  echo "JIT compiler threads (\`C1/C2 CompilerThre*\` in \`/proc/PID/task\`) during the measured run, µs of CPU per request by round (a lower bound: a compiler thread that exits takes its ticks with it): ${jit%; }."
  if wants redis; then
    m="${MED[redis]}"
    read -r -a kps <<<"${R_KEYS[redis,$m]}"
    ktot=0; for n in "${kps[@]}"; do ktot=$((ktot + n)); done
    dist=""
    for i in "${!REDIS_PORTS[@]}"; do
      dist+="$(awk -v n="${kps[$i]}" -v t="$ktot" 'BEGIN { printf "%d (%.1f%%)", n, (t > 0 ? 100 * n / t : 0) }') on :${REDIS_PORTS[$i]}, "
    done
    bpi="$(awk -v m="${R_MEM[redis,$m]}" -v t="$ktot" 'BEGIN { if (t > 0) printf "%.0f", m / t; else print "n/a" }')"
    expected="$(awk -v u="$USERS" -v n="${R_REQS[redis,$m]}" 'BEGIN { printf "%.0f", u * (1 - exp(-n / u)) }')"
    calls="$(awk -F';' '{ for (i = 1; i <= NF; i++) { split($i, f, " "); s += f[1] } } END { print s + 0 }' <<<"${R_EVAL[redis,$m]}")"
    echo "\"Redis CPU µs/decision\" is the growth of \`used_cpu_user + used_cpu_sys\` (\`INFO cpu\`, all threads) over the measured run, summed over both shards, divided by the requests wrk completed (one decision each); in brackets, \`usec_per_call\` of EVALSHA from \`INFO commandstats\` of each shard (reset with \`CONFIG RESETSTAT\` just before the measured run): the script's own time per call, a call deciding every request one gateway event loop read for that shard in one wake-up (see the calls per request below), without the network and command handling that the CPU figure includes."
    echo "Redis after the redis row's run (round $m): $ktot keys, ${dist%, } (\`DBSIZE\`; about $expected of the $USERS identities are expected in the measured run alone, warm-up and the probe add the rest); \`used_memory\` grew by $(awk -v m="${R_MEM[redis,$m]}" 'BEGIN { printf "%.1f MiB", m / 1048576 }') from the flushed shards, about $bpi bytes per identity (key, sliding-log string and Redis's per-key overhead, roughly); $calls EVALSHA calls in the measured run for ${R_REQS[redis,$m]} requests ($(awk -v c="$calls" -v n="${R_REQS[redis,$m]}" 'BEGIN { if (c > 0) printf "%.1f", n / c; else print "n/a" }') decisions per call); mean store round trip seen by the gateway $( [[ -n "${R_STORE_US[redis,$m]}" ]] && echo "${R_STORE_US[redis,$m]} µs" || echo "n/a") (\`gateway_ratelimit_store_duration_seconds\`)."
  fi
} >"$TMP/section.md"

echo
cat "$TMP/section.md"

if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
