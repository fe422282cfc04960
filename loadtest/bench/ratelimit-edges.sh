#!/usr/bin/env bash
# The rate limiter at its edges (issue 13's benchmarks), all on 127.0.0.1 with a tiny nginx
# upstream and two redis-server shards. Prints a markdown section for docs/benchmarks.md,
# "## Rate limiting at its edges (loadtest run, open loop)", and writes it there when UPDATE_DOCS=1.
#
#   calls   Redis script calls per request when half the traffic comes from identities over
#           their limit: two open-loop generators at RATE/2 each, one on /hot (HOT_USERS
#           identities, HOT_REQUESTS per 60s, so nearly all of it denied), one on /cold (COLD_USERS
#           identities, a quota never reached). EVALSHA calls (INFO commandstats, both shards,
#           reset after the warm-up) divided by the requests the gateway answered in the measured
#           run; also the decisions that reached a shard (gateway_ratelimit_store_duration_seconds
#           count), which batching makes more than the calls. The gateway has no switch for its
#           denial cache, so "without the cache" is not measured here (see the report).
#   memory  memory per identity at N = 100, T = 60s, resolution = 100ms: MEM_USERS identities
#           driven open loop at MEM_RATE/MEM_USERS requests/s each for MEM_SECONDS (at the default,
#           2/s for 60 s: each reaches its 100 in about 50 s, almost every request in a tick of
#           its own), then for the redis store `MEMORY USAGE`, `STRLEN` and the ring's record count
#           of MEM_SAMPLE keys and the used_memory growth per key; for the local store the JVM's
#           heap after a full GC (jcmd GC.run, GC.heap_info) against the same after the warm-up.
#
# The two-shard Redis path against limiting off (req/s ratio) is ratelimit-overhead.sh:
#   CONFIGS="off redis" bash loadtest/bench/ratelimit-overhead.sh
#
# Env knobs (defaults in brackets):
#   PARTS         what to run, in order ["calls memory"]
#   RATE          total requests/s of the calls part, half hot, half cold [4000]
#   DURATION      measured seconds of the calls part [30]
#   WARMUP        seconds of the same load first (JIT, hot identities going over), not counted [15]
#   HOT_USERS     identities over their limit [8]
#   HOT_REQUESTS  their quota per 60s [10]
#   COLD_USERS    identities under their limit [100000]
#   MEM_USERS     identities of the memory part [1000]
#   MEM_RATE      requests/s of the memory part, over all of them [2000]
#   MEM_SECONDS   seconds the memory part drives them [60]
#   MEM_SAMPLE    Redis keys sampled for MEMORY USAGE [200]
#   JAVA_OPTS     JVM flags for the gateway ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   LOADTEST_JAVA_OPTS JVM flags for each generator ["-Xmx256m"]
#   READY_TIMEOUT, PORT_WAIT, DOCS_FILE, UPDATE_DOCS [0], GATEWAY_JAR, LOADTEST_JAR, KEEP_TMP
#                 as in ratelimit-overhead.sh (UPDATE_DOCS defaults to 0 here: smoke runs print)
set -euo pipefail

BENCH_NAME=ratelimit-edges
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs PARTS RATE DURATION WARMUP HOT_USERS HOT_REQUESTS COLD_USERS MEM_USERS MEM_RATE MEM_SECONDS MEM_SAMPLE JAVA_OPTS)"

PARTS="${PARTS:-calls memory}"
RATE="${RATE:-4000}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-15}"
HOT_USERS="${HOT_USERS:-8}"
HOT_REQUESTS="${HOT_REQUESTS:-10}"
COLD_USERS="${COLD_USERS:-100000}"
MEM_USERS="${MEM_USERS:-1000}"
MEM_RATE="${MEM_RATE:-2000}"
MEM_SECONDS="${MEM_SECONDS:-60}"
MEM_SAMPLE="${MEM_SAMPLE:-200}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xmx256m}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-120}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-0}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18080
PORT_GATEWAY=18083
PORT_ADMIN=19090
REDIS_COMMAND_TIMEOUT=100ms
SECTION_HEADING="## Rate limiting at its edges (loadtest run, open loop)"

setup_paths "${BASH_SOURCE[0]}"
for p in $PARTS; do
  case "$p" in calls|memory) ;; *) die "unknown part '$p' in PARTS (known: calls memory)";; esac
done
require_whole_numbers RATE DURATION WARMUP HOT_USERS HOT_REQUESTS COLD_USERS MEM_USERS MEM_RATE MEM_SECONDS MEM_SAMPLE READY_TIMEOUT PORT_WAIT
(( RATE >= 2 && DURATION > 0 && HOT_USERS > 0 && HOT_REQUESTS > 0 && COLD_USERS > 0 && MEM_USERS > 0 && MEM_RATE > 0 && MEM_SECONDS > 0 )) \
  || die "need RATE>=2 and the other counts > 0"
wants() { [[ " $PARTS " == *" $1 "* ]]; }
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"

install_cleanup_traps
init_pkg_install
ensure_pkg nginx nginx
ensure_pkg curl curl
ensure_pkg jq jq
ensure_pkg redis-server redis-server
ensure_pkg redis-cli redis-tools
command -v java >/dev/null || die "java not found"
command -v jcmd >/dev/null || log "note: no jcmd: the local store's heap per identity is not measured"
ensure_gateway_jar
ensure_loadtest_jar
wait_ports_free "$PORT_WAIT" "$PORT_UPSTREAM" "$PORT_GATEWAY" "$PORT_ADMIN"
make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
JAR="$TMP/gateway.jar"

start_upstream
log "starting two redis-server shards"
start_redis redis-1
start_redis redis-2
SHARDS="[ \"redis://$HOST:${REDIS_PORTS[0]}\", \"redis://$HOST:${REDIS_PORTS[1]}\" ]"

# ---------------------------------------------------------------- gateway
write_config() { # write_config NAME STORE ROUTES -> TMP/gateway-NAME.conf, checked with --check
  local name="$1" store="$2" routes="$3" out
  cat >"$TMP/gateway-$name.conf" <<EOF
gateway {
  listen { host = "$HOST", port = $PORT_GATEWAY }
  admin { host = "$HOST", port = $PORT_ADMIN }
  identity { sources = [ { type = header, name = "X-API-Key" } ] }
  rate-limit { $store }
  routes = [
$routes
  ]
}
EOF
  out="$(java -jar "$JAR" --config "$TMP/gateway-$name.conf" --check 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "$name: gateway --check refused $TMP/gateway-$name.conf"; }
  [[ "$out" == OK ]] || { printf '%s\n' "$out" >&2; die "$name: gateway --check did not print OK"; }
}
route() { # route ID QUOTA -> one route line to the upstream
  echo "    { id = $1, match { path-prefix = \"/$1\" }, upstreams = [ \"http://$HOST:$PORT_UPSTREAM\" ], rate-limit { $2 } }"
}
REDIS_STORE="store = redis, redis { shards = $SHARDS, command-timeout = $REDIS_COMMAND_TIMEOUT }"
MEM_QUOTA="requests = 100, window = 60s, resolution = 100ms"

start_gateway() { # start_gateway NAME
  local -a java_args
  read -r -a java_args <<<"$JAVA_OPTS"
  wait_ports_free "$PORT_WAIT" "$PORT_GATEWAY" "$PORT_ADMIN"
  log "$1: starting gateway: java $JAVA_OPTS -jar gateway.jar --config gateway-$1.conf"
  start_bg "gateway-$1" java "${java_args[@]}" -jar "$JAR" --config "$TMP/gateway-$1.conf"
  GW_PID="${SVC_PID[gateway-$1]}"
  wait_http "gateway-$1" "$GW_PID" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
}
stop_gateway() { [[ -z "$GW_PID" ]] || stop_group "$GW_PID" 20; GW_PID=""; }

metrics_snapshot() { # metrics_snapshot FILE: the request and rate-limit counters, "name{labels} value"
  curl -sf --max-time 5 "http://$HOST:$PORT_ADMIN/metrics" \
    | awk '/^(gateway_requests_total|gateway_ratelimit_decisions_total|gateway_ratelimit_store_errors_total|gateway_ratelimit_store_duration_seconds_count)[{ ]/ { print $1, $2 }' >"$1" \
    || die "no /metrics from the gateway"
}
metrics_sum() { # metrics_sum BEFORE AFTER REGEX -> the growth of the counters whose line matches REGEX
  awk -v re="$3" 'NR == FNR { b[$1] = $2; next } $1 ~ re { s += $2 - b[$1] } END { printf "%d", s }' "$1" "$2"
}
evalsha_calls() { # evalsha_calls -> EVALSHA calls since the last CONFIG RESETSTAT, both shards
  local p sum=0 n
  for p in "${REDIS_PORTS[@]}"; do
    n="$(rcli "$p" INFO commandstats | tr -d '\r' | awk -F'[:,=]' '$1 == "cmdstat_evalsha" { print $3 }')"
    sum=$((sum + ${n:-0}))
  done
  echo "$sum"
}

# run_generators NAME SECONDS "ARGS-1" ["ARGS-2"]: loadtest runs side by side (each argument
# string one generator's `run` arguments), waited for; each writes TMP/NAME-i.json and .log.
run_generators() {
  local name="$1" secs="$2" i=0 pid rc
  shift 2
  local -a pids=() args
  for a in "$@"; do
    i=$((i + 1))
    read -r -a args <<<"$a"
    start_service "$name-$i" timeout --kill-after=10 $((secs + 60)) java "${JAVA_ARGS_LOADTEST[@]}" -jar "$LOADTEST_JAR" run \
      "${args[@]}" --duration "${secs}s" --warmup 0 --json "$TMP/$name-$i.json"
    pids+=("${SVC_PID[$name-$i]}")
  done
  i=0
  for pid in "${pids[@]}"; do
    i=$((i + 1)); rc=0
    wait "$pid" || rc=$?
    stop_service "$name-$i" 5
    jq -e '.runs[0]' "$TMP/$name-$i.json" >/dev/null 2>&1 \
      || { tail -n 20 "$TMP/$name-$i.log" >&2; die "$name: generator $i (status $rc) wrote no usable JSON"; }
  done
}

# ---------------------------------------------------------------- part: calls
CALLS_ROWS=""
CALLS_NOTE=""
measure_calls() {
  local half=$((RATE / 2)) before="$TMP/calls.before" after="$TMP/calls.after"
  write_config calls "$REDIS_STORE" "$(route hot "requests = $HOT_REQUESTS, window = 60s")
$(route cold "requests = 1000000000, window = 60s")"
  for p in "${REDIS_PORTS[@]}"; do rcli "$p" FLUSHALL >/dev/null; done
  start_gateway calls
  local hot="--url http://$HOST:$PORT_GATEWAY/hot --rate $half --users $HOT_USERS"
  local cold="--url http://$HOST:$PORT_GATEWAY/cold --rate $half --users $COLD_USERS"
  if (( WARMUP > 0 )); then
    log "calls: warm-up ${WARMUP}s at $half + $half req/s"
    run_generators calls-warm "$WARMUP" "$hot" "$cold"
  fi
  for p in "${REDIS_PORTS[@]}"; do rcli "$p" CONFIG RESETSTAT >/dev/null; done
  metrics_snapshot "$before"
  log "calls: measuring ${DURATION}s: hot $hot; cold $cold"
  run_generators calls "$DURATION" "$hot" "$cold"
  sleep 0.5
  metrics_snapshot "$after"
  local calls requests hot_reqs denied decided errors
  calls="$(evalsha_calls)"
  requests="$(metrics_sum "$before" "$after" '^gateway_requests_total')"
  hot_reqs="$(metrics_sum "$before" "$after" '^gateway_requests_total.*route="hot"')"
  denied="$(metrics_sum "$before" "$after" '^gateway_ratelimit_decisions_total.*decision="denied"')"
  decided="$(metrics_sum "$before" "$after" '^gateway_ratelimit_store_duration_seconds_count')"
  errors="$(metrics_sum "$before" "$after" '^gateway_ratelimit_store_errors_total')"
  (( requests > 0 )) || die "calls: the gateway counted no requests"
  log "calls: $requests requests ($hot_reqs hot), $denied denied, $calls EVALSHA calls, $decided decisions sent to Redis, $errors store errors"
  local sent=0 got=0 i
  for i in 1 2; do
    sent=$((sent + $(jq '.runs[0].requests // .runs[0].sent // 0' "$TMP/calls-$i.json")))
  done
  got="$(jq -r '[.runs[0].achieved_rate // empty] | map(tostring) | join(" + ")' "$TMP/calls-1.json" "$TMP/calls-2.json" | paste -sd' ' -)"
  CALLS_ROWS="| cache on (the only mode) | $requests | $(awk -v h="$hot_reqs" -v n="$requests" 'BEGIN { printf "%.1f%%", 100 * h / n }') | $(awk -v d="$denied" -v n="$requests" 'BEGIN { printf "%.1f%%", 100 * d / n }') | $calls | **$(awk -v c="$calls" -v n="$requests" 'BEGIN { printf "%.3f", c / n }')** | $(awk -v c="$decided" -v n="$requests" 'BEGIN { printf "%.3f", c / n }') | $errors |"
  CALLS_NOTE="Generators: ${half} req/s each, open loop (\`loadtest run --rate $half --warmup 0\`, 64 connections each); achieved rate: ${got:-n/a} req/s; the gateway counted $requests requests in the measured run."
  stop_gateway
}

# ---------------------------------------------------------------- part: memory
MEM_LINES=()
heap_used_kb() { # heap_used_kb PID -> KiB used in the Java heap right after a full GC
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    /PSYoungGen|ParOldGen|garbage-first heap|def new generation|tenured generation/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
    END { printf "%d", s }'
}
drive_memory() { # drive_memory NAME: warm-up on /warm, then MEM_USERS identities on /mem
  local warm_secs=$(( WARMUP < 5 ? WARMUP : 5 ))
  if (( warm_secs > 0 )); then
    run_generators "$1-warm" "$warm_secs" "--url http://$HOST:$PORT_GATEWAY/warm --rate $MEM_RATE --users 100"
  fi
  if [[ -n "${MEM_BEFORE_DRIVE:-}" ]]; then eval "$MEM_BEFORE_DRIVE"; MEM_BEFORE_DRIVE=""; fi
  MEM_JPID="$(below_setsid "$GW_PID")"
  MEM_HEAP0=""
  if command -v jcmd >/dev/null; then MEM_HEAP0="$(heap_used_kb "$MEM_JPID")"; fi
  log "$1: driving $MEM_USERS identities at $MEM_RATE req/s for ${MEM_SECONDS}s"
  run_generators "$1" "$MEM_SECONDS" "--url http://$HOST:$PORT_GATEWAY/mem --rate $MEM_RATE --users $MEM_USERS"
}
measure_memory_redis() {
  write_config mem-redis "$REDIS_STORE" "$(route warm "$MEM_QUOTA")
$(route mem "$MEM_QUOTA")"
  local p mem0=0 mem1=0 keys0=0 keys1=0
  for p in "${REDIS_PORTS[@]}"; do rcli "$p" FLUSHALL >/dev/null; done
  start_gateway mem-redis
  MEM_BEFORE_DRIVE='for p in "${REDIS_PORTS[@]}"; do mem0=$((mem0 + $(info_field "$p" memory used_memory))); keys0=$((keys0 + $(rcli "$p" DBSIZE))); done'
  drive_memory mem-redis
  sleep 0.5
  for p in "${REDIS_PORTS[@]}"; do
    mem1=$((mem1 + $(info_field "$p" memory used_memory))); keys1=$((keys1 + $(rcli "$p" DBSIZE)))
  done
  local -a sample=()
  for p in "${REDIS_PORTS[@]}"; do
    mapfile -t -O "${#sample[@]}" sample < <(rcli "$p" --scan --pattern 'rl:{mem:*' | head -n $((MEM_SAMPLE / 2)) | sed "s/^/$p /")
  done
  local stats
  stats="$(for line in "${sample[@]}"; do
    read -r p key <<<"$line"
    rcli "$p" EVAL "local k = KEYS[1]; return { redis.call('MEMORY', 'USAGE', k), redis.call('STRLEN', k), (struct.unpack('>I3', redis.call('GETRANGE', k, 7, 9))) }" 1 "$key" | paste -sd' ' -
  done | awk '{ m += $1; l += $2; r += $3; n++; if ($3 >= 100) full++ } END { if (n) printf "%d %.0f %.0f %.1f %d", n, m / n, l / n, r / n, full }')"
  local mem_ids
  mem_ids="$(for p in "${REDIS_PORTS[@]}"; do rcli "$p" --scan --pattern 'rl:{mem:*'; done | wc -l)"
  read -r n avg_mem avg_len avg_rec full <<<"${stats:-0 0 0 0 0}"
  MEM_LINES+=("- **redis**: $((keys1 - keys0)) keys more after driving the /mem identities ($mem_ids found by \`SCAN rl:{mem:*\`); \`used_memory\` grew by $((mem1 - mem0)) B over that time (both shards; client buffers and allocator slack included): $(awk -v m=$((mem1 - mem0)) -v k=$((keys1 - keys0)) 'BEGIN { if (k > 0) printf "%.0f", m / k; else print "n/a" }') B per identity. A sample of $n keys: \`MEMORY USAGE\` $avg_mem B on average, \`STRLEN\` $avg_len B (57-byte header and the ring's capacity in 8-byte records), $avg_rec records live on average ($full of $n with 100).")
  stop_gateway
}
measure_memory_local() {
  write_config mem-local "store = local" "$(route warm "$MEM_QUOTA")
$(route mem "$MEM_QUOTA")"
  start_gateway mem-local
  drive_memory mem-local
  if [[ -n "$MEM_HEAP0" ]]; then
    local heap1 ids
    heap1="$(heap_used_kb "$MEM_JPID")"
    ids="$(curl -sf "http://$HOST:$PORT_ADMIN/metrics" | awk '$1 == "gateway_ratelimit_local_identities" { printf "%d", $2 }')"
    MEM_LINES+=("- **local**: heap used after a full GC (\`jcmd GC.run\`, then \`GC.heap_info\`, $(sed -n 's/.*\(-XX:+Use[A-Za-z]*GC\).*/\1/p' <<<"$JAVA_OPTS")) grew from $MEM_HEAP0 KiB to $heap1 KiB while the /mem identities came in; gateway_ratelimit_local_identities = ${ids:-?} (the 100 warm-up ones included): $(awk -v a="$MEM_HEAP0" -v b="$heap1" -v n="$MEM_USERS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }') B per identity (everything else the gateway kept meanwhile included; the heap after a full GC moves by a few MiB on its own, so this means something only when MEM_USERS × 1 KiB is well above that).")
  else
    MEM_LINES+=("- **local**: not measured (no jcmd).")
  fi
  stop_gateway
}

# ---------------------------------------------------------------- run
MEASURE_START=$SECONDS
if wants calls; then measure_calls; fi
if wants memory; then measure_memory_redis; measure_memory_local; fi
MEASURE_SECS=$((SECONDS - MEASURE_START))

# ---------------------------------------------------------------- report
describe_machine
V_REDIS="$(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"
{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\` (${MEASURE_SECS}s)"
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; generators, upstream, gateway and both Redis shards share these cores over loopback."
  echo "- Versions: $V_NGINX; $V_JAVA; $V_REDIS"
  echo "- Setup: nginx upstream (1 worker, \`return 200\`), gateway \`java $JAVA_OPTS\` with \`identity\` from \`X-API-Key\`, \`store = redis\` over two \`redis-server --save \"\" --appendonly no\` shards (\`command-timeout = $REDIS_COMMAND_TIMEOUT\`), or \`store = local\`."
  if wants calls; then
    echo
    echo "### Redis calls per request, half the traffic over its limit"
    echo
    echo "/hot: $HOT_USERS identities limited to $HOT_REQUESTS per 60s; /cold: $COLD_USERS identities, a quota never reached; each at $((RATE / 2)) req/s, measured ${DURATION}s after ${WARMUP}s of the same load. Target (issue 13): under 0.55 script calls per request."
    echo
    echo "| denial cache | requests | hot share | denied | EVALSHA calls | calls / request | decisions sent to Redis / request | store errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "$CALLS_ROWS"
    echo
    echo "$CALLS_NOTE"
    echo "EVALSHA calls are \`cmdstat_evalsha\` calls in \`INFO commandstats\` of both shards, reset after the warm-up; one call decides every request an event loop read for that shard in one wake-up, so calls can be fewer than the decisions sent to Redis (\`gateway_ratelimit_store_duration_seconds\` count: a decision answered by the denial cache never reaches a shard). Without the cache: not measured; the gateway has no setting to turn it off (only \`RedisRateLimitStore.withoutDenialCache()\`, package-private, for tests). Without it every decision would reach Redis: decisions sent / request 1.000, and calls / request about the cold half's figure doubled."
  fi
  if wants memory; then
    echo
    echo "### Memory per identity, N = 100, T = 60s, resolution = 100ms"
    echo
    echo "$MEM_USERS identities on /mem (\`rate-limit { $MEM_QUOTA }\`), $MEM_RATE req/s over them for ${MEM_SECONDS}s, open loop, uniform: $(awk -v r="$MEM_RATE" -v u="$MEM_USERS" 'BEGIN { printf "%.1f", r / u }') req/s each, so $(awk -v r="$MEM_RATE" -v u="$MEM_USERS" -v s="$MEM_SECONDS" 'BEGIN { n = r / u * s; printf "%.0f", (n < 100 ? n : 100) }') allowed each if the run is long enough, few of them in the same 100 ms tick. The bound: 100 records of 8 bytes."
    echo
    printf '%s\n' "${MEM_LINES[@]}"
  fi
} >"$TMP/section.md"
echo
cat "$TMP/section.md"
if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
