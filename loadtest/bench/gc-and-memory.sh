#!/usr/bin/env bash
# The gateway's garbage collector and memory (issue 15, item 3), on 127.0.0.1 with a tiny nginx
# upstream (`return 200 "ok\n"`):
#
#   (a) GC     the gateway under each collector in GCS (-XX:+UseG1GC, -XX:+UseZGC,
#              -XX:+UseParallelGC; the same -Xms/-Xmx = HEAP), driven open loop (loadtest.jar run)
#              at LOAD_PERCENT (50%) of the gateway's own saturation rate, measured first in this
#              run with wrk (a fresh gateway under the first collector), or at RATE. Per collector:
#              P50/P99/P99.9/max, GC pauses in the measured window (count, total, longest, from
#              -Xlog:gc) and every safepoint's stop (from -Xlog:safepoint), the gateway's CPU per
#              request and its RSS at the end. ROUNDS rounds, interleaved, order rotated by one per
#              round, a fresh gateway for every run; each row is the round with the median P99.9.
#   (b) memory RSS and bytes per open connection at CONNS (10,000) idle keep-alive connections, the
#              gateway (under each collector in MEM_GCS) beside nginx, each with MEM_WORKERS workers:
#              a fresh server is warmed up with wrk (so its buffers, heap pages and code are in
#              place), its RSS read (VmRSS of its processes, summed; nginx: master and workers),
#              then idle-conns.py opens CONNS connections that each complete one GET and stay open
#              and silent; after MEM_SETTLE seconds the RSS is read again: bytes per connection =
#              (after - before) / the connections still open. For the gateway also the live Java
#              heap before and after (jcmd GC.class_histogram, which runs a full GC first).
#
# Limits: each process holding CONNS sockets needs that many file descriptors: the script raises
# its own `ulimit -n` to NOFILE (the gateway and the client inherit it; nginx gets
# worker_rlimit_nofile) and dies if it cannot. No sysctl needs changing: the client's CONNS ports
# come from net.ipv4.ip_local_port_range (28,232 on a default kernel) towards one server port at a
# time, and a batch of at most 256 connects at once stays far below net.core.somaxconn and the
# listen backlogs (4096). Kernel socket memory is not in RSS and is not counted.
#
# Nothing is pinned to a CPU: the collectors' own threads are part of what is measured.
# Prints a markdown report and writes it to RESULTS_FILE; docs/benchmarks.md is not touched.
# The default run takes about 9 minutes (the script prints its estimate first).
#
# Env knobs (defaults in brackets):
#   GCS                collectors for (a) ["G1 ZGC Parallel"] (known: G1 ZGC Parallel Serial); "" skips (a)
#   HEAP               -Xms and -Xmx of every gateway [1g]
#   EXTRA_JAVA_OPTS    more gateway JVM flags, for every run [""]
#   ROUNDS             rounds of (a), interleaved [3]
#   RATE               open-loop req/s for (a); unset: LOAD_PERCENT of the measured saturation
#   LOAD_PERCENT       [50]
#   SAT_WARMUP SAT_DURATION  wrk seconds of the saturation measurement (warm-up, measured) [10 10]
#   THREADS CONNECTIONS  wrk -t / -c for saturation and warm-ups [2 64]
#   WARMUP             seconds at RATE before each measured window (loadtest --warmup) [10]
#   DURATION           seconds of each measured open-loop window [30]
#   OPEN_CONNECTIONS   generator connections [128]; GEN_THREADS generator threads [1]
#   EVENT_LOOPS        gateway.event-loops for (a) [unset: the gateway's default, one per core]
#   MEMORY             1 runs (b) [1]
#   MEM_GCS            collectors of the gateway in (b) [the value of GCS, or G1 if GCS is empty]
#   MEM_ROUNDS         rounds of (b), interleaved [1]
#   CONNS              idle connections [10000]
#   MEM_WORKERS        nginx worker_processes and gateway.event-loops in (b) [2]
#   MEM_WARMUP         wrk seconds before the first RSS reading [5]
#   MEM_SETTLE         seconds between the last connection opening and the second reading [3]
#   NOFILE             the open-file limit to raise to [65536]; where the hard limit is lower and
#                      cannot be raised (no CAP_SYS_RESOURCE), the hard limit, if it is >= CONNS + 1024
#   LIVE_HEAP          1 reads the live heap with jcmd (forces two full GCs per gateway run) [1]
#   LOADTEST_JAVA_OPTS generator JVM flags ["-Xms512m -Xmx512m -XX:+UseParallelGC"]
#   READY_TIMEOUT PORT_WAIT  seconds [60 60]
#   RESULTS_FILE       markdown output, relative to the repo root [target/bench/gc-and-memory.md]
#   GATEWAY_JAR LOADTEST_JAR  jars (built with ./mvnw if the default and missing; copied at start)
#   KEEP_TMP           1 keeps the temp dir (configs, logs, GC logs, JSON) [0]
set -euo pipefail

BENCH_NAME="gc-and-memory"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs GCS HEAP EXTRA_JAVA_OPTS ROUNDS RATE LOAD_PERCENT SAT_WARMUP SAT_DURATION THREADS CONNECTIONS \
  WARMUP DURATION OPEN_CONNECTIONS GEN_THREADS EVENT_LOOPS MEMORY MEM_GCS MEM_ROUNDS CONNS MEM_WORKERS MEM_WARMUP MEM_SETTLE \
  NOFILE LIVE_HEAP LOADTEST_JAVA_OPTS)"

GCS="${GCS-G1 ZGC Parallel}"
HEAP="${HEAP:-1g}"
EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-}"
ROUNDS="${ROUNDS:-3}"
RATE="${RATE:-}"
LOAD_PERCENT="${LOAD_PERCENT:-50}"
SAT_WARMUP="${SAT_WARMUP:-10}"
SAT_DURATION="${SAT_DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WARMUP="${WARMUP:-10}"
DURATION="${DURATION:-30}"
OPEN_CONNECTIONS="${OPEN_CONNECTIONS:-128}"
GEN_THREADS="${GEN_THREADS:-1}"
EVENT_LOOPS="${EVENT_LOOPS:-}"
MEMORY="${MEMORY:-1}"
MEM_GCS="${MEM_GCS:-${GCS:-G1}}"
MEM_ROUNDS="${MEM_ROUNDS:-1}"
CONNS="${CONNS:-10000}"
MEM_WORKERS="${MEM_WORKERS:-2}"
MEM_WARMUP="${MEM_WARMUP:-5}"
MEM_SETTLE="${MEM_SETTLE:-3}"
NOFILE="${NOFILE:-65536}"
LIVE_HEAP="${LIVE_HEAP:-1}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-60}"
RESULTS_FILE="${RESULTS_FILE:-target/bench/gc-and-memory.md}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18800
PORT_GATEWAY=18801
PORT_ADMIN=19801
PORT_MEM_NGINX=18802
PORT_MEM_GATEWAY=18803
PORT_MEM_ADMIN=19803
GAP=1

setup_paths "${BASH_SOURCE[0]}"
read -r -a GLIST <<<"$GCS"
read -r -a MGLIST <<<"$MEM_GCS"
gc_flag() { # gc_flag NAME -> the JVM flag that selects it
  case "$1" in
    G1) echo "-XX:+UseG1GC" ;; ZGC) echo "-XX:+UseZGC" ;; Parallel) echo "-XX:+UseParallelGC" ;;
    Serial) echo "-XX:+UseSerialGC" ;; *) return 1 ;;
  esac
}
for g in "${GLIST[@]}" "${MGLIST[@]}"; do gc_flag "$g" >/dev/null || die "unknown collector '$g' (known: G1 ZGC Parallel Serial)"; done
[[ "$HEAP" =~ ^[0-9]+[kmgKMG]?$ ]] || die "HEAP must be a JVM size such as 1g, got '$HEAP'"
require_whole_numbers ROUNDS LOAD_PERCENT SAT_WARMUP SAT_DURATION THREADS CONNECTIONS WARMUP DURATION OPEN_CONNECTIONS \
  GEN_THREADS MEMORY MEM_ROUNDS CONNS MEM_WORKERS MEM_WARMUP MEM_SETTLE NOFILE LIVE_HEAP READY_TIMEOUT PORT_WAIT
if [[ -n "$RATE" ]]; then require_whole_numbers RATE; fi
if [[ -n "$EVENT_LOOPS" ]]; then require_whole_numbers EVENT_LOOPS; fi
(( ROUNDS > 0 && DURATION > 0 && SAT_DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS && CONNS > 0 \
  && MEM_ROUNDS > 0 && MEM_WORKERS > 0 && LOAD_PERCENT > 0 )) \
  || die "need ROUNDS, DURATION, SAT_DURATION, THREADS, CONNS, MEM_ROUNDS, MEM_WORKERS, LOAD_PERCENT > 0 and CONNECTIONS >= THREADS"
(( ${#GLIST[@]} > 0 || MEMORY )) || die "nothing to do: GCS is empty and MEMORY=0"

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkgs wrk nginx curl jq python3
command -v java >/dev/null || die "java not found"
if (( MEMORY && LIVE_HEAP )); then command -v jcmd >/dev/null || die "jcmd not found (LIVE_HEAP=1 needs the JDK's jcmd; or LIVE_HEAP=0)"; fi
ensure_gateway_jar
if (( ${#GLIST[@]} > 0 )); then ensure_loadtest_jar; fi
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"
read -r -a EXTRA_ARGS <<<"$EXTRA_JAVA_OPTS"

if (( MEMORY )); then
  # Every process holding CONNS sockets inherits this; nginx's workers get worker_rlimit_nofile.
  need_fds=$((CONNS + 1024))
  (( NOFILE >= need_fds )) || NOFILE="$need_fds"
  ulimit -n "$NOFILE" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (( $(ulimit -n) >= need_fds )) || die "ulimit -n is $(ulimit -n) and cannot be raised to $need_fds (CONNS=$CONNS needs it; run as root or lower CONNS)"
  NOFILE="$(ulimit -n)" # what nginx's workers may have too (worker_rlimit_nofile cannot pass the hard limit)
  log "ulimit -n $NOFILE"
fi

wait_ports_free "$PORT_WAIT" "$PORT_UPSTREAM" "$PORT_GATEWAY" "$PORT_ADMIN" "$PORT_MEM_NGINX" "$PORT_MEM_GATEWAY" "$PORT_MEM_ADMIN"
make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
JAR="$TMP/gateway.jar"
if (( ${#GLIST[@]} > 0 )); then cp "$LOADTEST_JAR" "$TMP/loadtest.jar"; LOADTEST_JAR="$TMP/loadtest.jar"; fi

# ---------------------------------------------------------------- time estimate
# A gateway starts in about 3 s and stops in about 1; the generator's JVM adds about 2 s.
EST=20
if (( ${#GLIST[@]} > 0 )); then
  [[ -n "$RATE" ]] || EST=$((EST + 4 + SAT_WARMUP + SAT_DURATION + 2 * GAP))
  EST=$((EST + ROUNDS * ${#GLIST[@]} * (6 + WARMUP + DURATION + GAP)))
fi
if (( MEMORY )); then EST=$((EST + MEM_ROUNDS * (${#MGLIST[@]} + 1) * (8 + MEM_WARMUP + 2 * GAP + CONNS / 2000 + MEM_SETTLE))); fi
log "expected runtime about $((EST / 60)) min $((EST % 60)) s"

# ---------------------------------------------------------------- configs
gateway_conf() { # gateway_conf FILE PORT ADMIN_PORT [EXTRA-LINES]
  {
    echo "gateway {"
    echo "  listen { host = \"$HOST\", port = $2 }"
    echo "  admin { host = \"$HOST\", port = $3 }"
    if [[ -n "${4:-}" ]]; then echo "$4"; fi
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UPSTREAM\" ] } ]"
    echo "}"
  } >"$1"
  local out
  out="$(java -jar "$JAR" --config "$1" --check 2>&1)" || { printf '%s\n' "$out" >&2; die "gateway --check refused $1"; }
}
gateway_conf "$TMP/gateway.conf" "$PORT_GATEWAY" "$PORT_ADMIN" "${EVENT_LOOPS:+  event-loops = $EVENT_LOOPS}"
# (b): the idle connections must outlive the hold, so the idle timeouts are far longer than it.
MEM_IDLE=600s
gateway_conf "$TMP/gateway-mem.conf" "$PORT_MEM_GATEWAY" "$PORT_MEM_ADMIN" "  event-loops = $MEM_WORKERS
  limits { idle-timeout = $MEM_IDLE }"
{
  echo "worker_processes $MEM_WORKERS;"
  echo "worker_rlimit_nofile $NOFILE;"
  echo "pid $TMP/nginx-mem.pid;"
  echo "error_log $TMP/nginx-mem.error.log warn;"
  echo "events { worker_connections $((CONNS + 1024)); multi_accept on; }"
  echo "http {"
  nginx_http_common nginx-mem | sed 's/keepalive_timeout 120s;/keepalive_timeout 600s;/'
  cat <<EOF
    upstream backend {
        server $HOST:$PORT_UPSTREAM;
        keepalive 64;
    }
    server {
        listen $HOST:$PORT_MEM_NGINX backlog=4096;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
} >"$TMP/nginx-mem.conf"

# ---------------------------------------------------------------- upstream
start_upstream 1

# ---------------------------------------------------------------- helpers
SERVER="" # the start_bg name of the server being measured; its pid is GW_PID (stopped on exit)
start_gateway() { # start_gateway NAME CONF ADMIN_PORT GC [MORE-JVM-ARGS...]
  local name="$1" conf="$2" admin="$3" gc="$4"
  shift 4
  local -a args=("-Xms$HEAP" "-Xmx$HEAP" "$(gc_flag "$gc")" "${EXTRA_ARGS[@]}" "$@")
  log "$name: java ${args[*]} -jar gateway.jar --config $(basename "$conf")"
  start_bg "$name" java "${args[@]}" -jar "$JAR" --config "$conf"
  GW_PID="${SVC_PID[$name]}"; SERVER="$name"
  wait_http "$name" "$GW_PID" "http://$HOST:$admin/ready" "$READY_TIMEOUT"
}
stop_server() {
  [[ -n "$GW_PID" ]] || return 0
  stop_group "$GW_PID" 20
  GW_PID=""; SERVER=""
}
probe() { # probe URL: dies unless it answers 200
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true)"
  [[ "$code" == 200 ]] || die "$SERVER answered HTTP $code on $1 (expected 200 from the upstream)"
}
jvm_uptime() { # jvm_uptime PID -> seconds since the process started (the JVM's log uptime, near enough)
  awk -v hz="$CLK_TCK" -v st="$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat")" \
    '{ printf "%.3f", $1 - st / hz }' /proc/uptime
}
rss_kb() { # rss_kb PID... -> summed VmRSS in kB
  local pid sum=0 kb
  for pid in "$@"; do
    kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    sum=$((sum + ${kb:-0}))
  done
  echo "$sum"
}
live_heap_bytes() { # live_heap_bytes PID -> bytes of live objects (jcmd GC.class_histogram runs a full GC first)
  jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3; found = 1 } END { if (!found) print "NaN" }'
}
# gc_window LOG FROM_S -> "pauses total_ms max_ms safepoints sp_total_ms sp_max_ms" for log lines at uptime >= FROM_S
gc_window() {
  awk -v from="$2" '
    { up = $1; sub(/^\[/, "", up); sub(/s\].*$/, "", up); up += 0 }
    up < from { next }
    /GC\([0-9]+\) Pause .*[0-9.]+ms$/ {
      v = $NF; sub(/ms$/, "", v); v += 0; n++; t += v; if (v > m) m = v; next }
    /\[safepoint *\]/ && /Total: [0-9]+ ns/ {
      s = $0; sub(/^.*Total: /, "", s); sub(/ ns.*$/, "", s); s /= 1e6; sn++; st += s; if (s > sm) sm = s }
    END { printf "%d %.2f %.2f %d %.2f %.2f\n", n, t, m, sn, st, sm }' "$1"
}

# ---------------------------------------------------------------- (a) collectors, open loop
declare -A A_P50 A_P99 A_P999 A_MAX A_SENT A_NOTE A_GC A_CPU A_RSS
SAT_RPS=""; SAT_LINE=""
if (( ${#GLIST[@]} > 0 )); then
  if [[ -z "$RATE" ]]; then
    g="${GLIST[0]}"
    start_gateway "gateway-sat" "$TMP/gateway.conf" "$PORT_ADMIN" "$g"
    probe "http://$HOST:$PORT_GATEWAY/"
    p999_lua_hook >"$TMP/p999.lua"
    log "saturation ($g): wrk warm-up ${SAT_WARMUP}s, then ${SAT_DURATION}s measured"
    if (( SAT_WARMUP > 0 )); then run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${SAT_WARMUP}s" "http://$HOST:$PORT_GATEWAY/"; sleep "$GAP"; fi
    run_wrk "$TMP/wrk-sat.txt" -t"$THREADS" -c"$CONNECTIONS" -d"${SAT_DURATION}s" --latency -s "$TMP/p999.lua" "http://$HOST:$PORT_GATEWAY/"
    show_wrk_output "$TMP/wrk-sat.txt"
    parse_wrk "$TMP/wrk-sat.txt" sat gateway
    SAT_RPS="${R_RPS[sat]}"
    errs="$(wrk_errors "$TMP/wrk-sat.txt")"
    SAT_LINE="the gateway's saturation under $g: $SAT_RPS req/s (\`wrk -t$THREADS -c$CONNECTIONS -d${SAT_DURATION}s\` after ${SAT_WARMUP}s of warm-up, a fresh gateway)${errs:+; wrk: ${errs%; }}"
    (( SAT_RPS > 0 )) || die "the saturation run gave 0 req/s"
    RATE=$(( (SAT_RPS * LOAD_PERCENT + 50) / 100 ))
    stop_server
    sleep "$GAP"
    log "open-loop rate: $LOAD_PERCENT% of $SAT_RPS = $RATE req/s"
  else
    SAT_LINE="RATE given: $RATE req/s (no saturation run)"
  fi

  gc_run() { # gc_run GC ROUND
    local g="$1" r="$2" k="$1,$2" name="gateway-$1-r$2" pid gclog mark_s t_mark t1 json
    gclog="$TMP/gc-$g-r$r.log"
    start_gateway "$name" "$TMP/gateway.conf" "$PORT_ADMIN" "$g" "-Xlog:gc*,safepoint:file=$gclog:uptime,tags"
    probe "http://$HOST:$PORT_GATEWAY/"
    pid="$(below_setsid "$GW_PID" "$name")"
    json="$TMP/open-$g-r$r.json"
    log "$g: round $r/$ROUNDS: loadtest run --rate $RATE --warmup ${WARMUP}s --duration ${DURATION}s"
    # The measured window starts when the warm-up ends: its CPU ticks and JVM uptime are read then.
    local out="$TMP/open-$g-r$r.out"
    rm -f "$out"
    (
      for ((i = 0; i < 300; i++)); do grep -qs '^warming up' "$out" && break; sleep 0.1; done
      sleep "$WARMUP"
      echo "$(ticks_of "$pid") $(jvm_uptime "$pid")" >"$TMP/mark-$g-r$r"
    ) &
    local marker=$!
    run_loadtest "$json" "$out" $((WARMUP + DURATION + 90)) --url "http://$HOST:$PORT_GATEWAY/" \
      --rate "$RATE" --duration "${DURATION}s" --warmup "${WARMUP}s" --connections "$OPEN_CONNECTIONS" --threads "$GEN_THREADS"
    wait "$marker" 2>/dev/null || true
    t1="$(ticks_of "$pid")" || die "$g: the gateway (pid $pid) vanished during round $r"
    A_RSS[$k]="$(rss_kb "$pid")"
    read -r t_mark mark_s <"$TMP/mark-$g-r$r" || die "$g: no warm-up mark"
    check_services_alive "$g" "$r"
    kill -0 "$GW_PID" 2>/dev/null || die "the gateway died during the $g run (round $r)"
    stop_server # stopping flushes the GC log

    local sep=$'\x1f' p50 p99 p999 max ach reqs gfb bad
    IFS="$sep" read -r p50 p99 p999 max ach reqs gfb bad < <(jq -r '.runs[0] | [
        .latency_ms.p50, .latency_ms.p99, .latency_ms.p99_9, .latency_ms.max, .achieved_rate, .requests,
        .generator_fell_behind,
        ([(.statuses // {}) | to_entries[] | select(.key | startswith("2") | not) | "\(.key) ×\(.value)"]
          + [(.failures // {}) | to_entries[] | select(.value > 0) | "\(.key) ×\(.value)"] | join(", "))
      ] | map(tostring) | join("\u001f")' "$json") || die "$g: cannot read $json"
    A_P50[$k]="$p50"; A_P99[$k]="$p99"; A_P999[$k]="$p999"; A_MAX[$k]="$max"
    A_SENT[$k]="$(awk -v a="$ach" 'BEGIN { printf "%.0f", a }')"
    A_CPU[$k]="$(cpu_us_per_request $((t1 - t_mark)) "$reqs")"
    A_GC[$k]="$(gc_window "$gclog" "$mark_s")"
    A_NOTE[$k]=""
    [[ "$gfb" == true ]] && A_NOTE[$k]+="generator fell behind; "
    [[ -n "$bad" ]] && A_NOTE[$k]+="$bad; "
    A_NOTE[$k]="${A_NOTE[$k]%; }"
    local n tot mx
    read -r n tot mx _ <<<"${A_GC[$k]}"
    log "$g: round $r: P50/P99/P99.9/max $p50/$p99/$p999/$max ms, sent ${A_SENT[$k]} req/s, $n GC pauses ($tot ms, longest $mx ms), ${A_CPU[$k]} µs CPU/request, RSS $((A_RSS[$k] / 1024)) MiB${A_NOTE[$k]:+; ${A_NOTE[$k]}}"
  }

  A_START=$SECONDS
  run_rounds "" "$ROUNDS" "$GAP" gc_run "${GLIST[@]}"
  A_SECS=$((SECONDS - A_START))
fi

# ---------------------------------------------------------------- (b) memory per idle connection
declare -A M_BEFORE M_AFTER M_OPEN M_FAILED M_ESTAB M_PER M_HEAP0 M_HEAP1 M_HEAP_PER M_OPEN_S
mem_run() { # mem_run TARGET ROUND (TARGET: nginx or a collector name)
  local t="$1" r="$2" k="$1,$2" port pids status stop name i
  if [[ "$t" == nginx ]]; then
    name="nginx-mem-r$r"; port="$PORT_MEM_NGINX"
    nginx -t -q -e "$TMP/nginx-mem.error.log" -p "$TMP" -c "$TMP/nginx-mem.conf" >"$TMP/$name.check.log" 2>&1 \
      || { cat "$TMP/$name.check.log" >&2; die "nginx -t failed for $TMP/nginx-mem.conf"; }
    start_bg "$name" nginx -e "$TMP/nginx-mem.error.log" -p "$TMP" -c "$TMP/nginx-mem.conf" -g 'daemon off;'
    GW_PID="${SVC_PID[$name]}"; SERVER="$name"
    wait_http "$name" "$GW_PID" "http://$HOST:$port/" 10
  else
    name="gateway-mem-$t-r$r"; port="$PORT_MEM_GATEWAY"
    start_gateway "$name" "$TMP/gateway-mem.conf" "$PORT_MEM_ADMIN" "$t"
  fi
  probe "http://$HOST:$port/"
  if [[ "$t" == nginx ]]; then
    pids="$(nginx_pids nginx-mem)"
  else
    pids="$(below_setsid "$GW_PID" "$name")"
  fi
  local -a plist
  read -r -a plist <<<"$pids"
  log "$t: memory round $r: wrk warm-up ${MEM_WARMUP}s"
  if (( MEM_WARMUP > 0 )); then run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${MEM_WARMUP}s" "http://$HOST:$port/"; fi
  sleep "$GAP"
  M_HEAP0[$k]="NaN"; M_HEAP1[$k]="NaN"
  if [[ "$t" != nginx ]] && (( LIVE_HEAP )); then M_HEAP0[$k]="$(live_heap_bytes "${plist[0]}")"; sleep "$GAP"; fi
  M_BEFORE[$k]="$(rss_kb "${plist[@]}")"

  status="$TMP/idle-$t-r$r.status"; stop="$TMP/idle-$t-r$r.stop"
  rm -f "$status" "$stop"
  log "$t: RSS $((M_BEFORE[$k] / 1024)) MiB; opening $CONNS idle keep-alive connections"
  start_service "idle-$t-r$r" python3 "$SCRIPT_DIR/idle-conns.py" --host "$HOST" --port "$port" --count "$CONNS" \
    --status-file "$status" --stop-file "$stop" --max-hold 600
  local client="${SVC_PID[idle-$t-r$r]}" deadline=$((SECONDS + 120))
  until [[ -s "$status" ]] && jq -e '.done' "$status" >/dev/null 2>&1; do
    kill -0 "$client" 2>/dev/null || { tail -5 "$TMP/idle-$t-r$r.log" >&2; die "idle-conns.py exited before opening its connections"; }
    (( SECONDS < deadline )) || die "idle-conns.py did not open $CONNS connections within 120s"
    sleep 0.5
  done
  sleep "$MEM_SETTLE"
  M_AFTER[$k]="$(rss_kb "${plist[@]}")"
  M_ESTAB[$k]="$(ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l)"
  if [[ "$t" != nginx ]] && (( LIVE_HEAP )); then M_HEAP1[$k]="$(live_heap_bytes "${plist[0]}")"; fi
  read -r "M_OPEN[$k]" "M_FAILED[$k]" "M_OPEN_S[$k]" < <(jq -r '"\(.open_now) \(.failed) \(.open_seconds)"' "$status")
  touch "$stop"
  for ((i = 0; i < 50; i++)); do kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
  stop_service "idle-$t-r$r" 5
  check_services_alive "$t memory" "$r"
  kill -0 "$GW_PID" 2>/dev/null || die "$t died holding the idle connections"
  stop_server
  M_PER[$k]="$(awk -v a="${M_AFTER[$k]}" -v b="${M_BEFORE[$k]}" -v n="${M_OPEN[$k]}" 'BEGIN { if (n > 0) printf "%.0f", (a - b) * 1024 / n; else print "NaN" }')"
  M_HEAP_PER[$k]="$(awk -v a="${M_HEAP1[$k]}" -v b="${M_HEAP0[$k]}" -v n="${M_OPEN[$k]}" 'BEGIN { if (a == "NaN" || b == "NaN" || n + 0 == 0) print "NaN"; else printf "%.0f", (a - b) / n }')"
  log "$t: RSS $((M_BEFORE[$k] / 1024)) -> $((M_AFTER[$k] / 1024)) MiB with ${M_OPEN[$k]} idle connections open (opened in ${M_OPEN_S[$k]}s, ${M_FAILED[$k]} failed; server side established: ${M_ESTAB[$k]}): ${M_PER[$k]} bytes per connection; live heap ${M_HEAP0[$k]} -> ${M_HEAP1[$k]} B (${M_HEAP_PER[$k]} B per connection)"
}
MTLIST=(nginx "${MGLIST[@]}")
if (( MEMORY )); then
  M_START=$SECONDS
  run_rounds "memory " "$MEM_ROUNDS" "$GAP" mem_run "${MTLIST[@]}"
  M_SECS=$((SECONDS - M_START))
fi

# ---------------------------------------------------------------- report
describe_machine
ms() { awk -v v="$1" 'BEGIN { if (v == "" || v == "null" || v == "NaN") print "n/a"; else printf "%.2f", v }'; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
{
  echo "## GC and memory (gc-and-memory.sh)"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\`"
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; load generator, gateway and upstream share these cores over loopback, nothing pinned."
  echo "- Versions: $V_NGINX; $V_JAVA; $V_WRK; Python $(python3 -c 'import platform; print(platform.python_version())')"
  echo "- Upstream: nginx, 1 worker, \`return 200 \"ok\\n\"\` on :$PORT_UPSTREAM. Gateway: \`java -Xms$HEAP -Xmx$HEAP <collector> ${EXTRA_JAVA_OPTS:+$EXTRA_JAVA_OPTS }-jar gateway.jar\`, one route /."
  if (( ${#GLIST[@]} > 0 )); then
    echo
    echo "### (a) Collectors at $LOAD_PERCENT% load (open loop, $RATE req/s)"
    echo
    echo "- Rate: $SAT_LINE; $LOAD_PERCENT% of it = $RATE req/s."
    echo "- Each run: a fresh gateway with \`-Xlog:gc*,safepoint\`, ${EVENT_LOOPS:+\`event-loops = $EVENT_LOOPS\`, }then \`loadtest.jar run --rate $RATE --warmup ${WARMUP}s --duration ${DURATION}s --connections $OPEN_CONNECTIONS --threads $GEN_THREADS\`; only the ${DURATION}s after the warm-up are measured (latency from each request's intended send time). $ROUNDS rounds interleaved, order rotated by one per round (round 1: ${GLIST[*]}); measured for ${A_SECS}s."
    echo
    echo "| collector | flag | P50 ms | P99 ms | P99.9 ms | P99.9 range | max ms | GC pauses | pause total ms | longest pause ms | safepoints | stopped total ms | longest stop ms | CPU µs/request | RSS MiB | notes |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for g in "${GLIST[@]}"; do
      sorted="$(for ((r = 1; r <= ROUNDS; r++)); do echo "${A_P999[$g,$r]} $r"; done | sort -g -k1,1 -k2,2)"
      m="$(sed -n "$(((ROUNDS + 1) / 2))p" <<<"$sorted" | awk '{ print $2 }')"
      lo="$(sed -n 1p <<<"$sorted" | awk '{ print $1 }')"; hi="$(sed -n '$p' <<<"$sorted" | awk '{ print $1 }')"
      read -r n tot mx sn st sm <<<"${A_GC[$g,$m]}"
      notes=""
      for ((r = 1; r <= ROUNDS; r++)); do [[ -z "${A_NOTE[$g,$r]}" ]] || notes+="r$r: ${A_NOTE[$g,$r]}; "; done
      # shellcheck disable=SC2016 # the backquotes are markdown
      printf '| %s | `%s` | %s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$g" "$(gc_flag "$g")" \
        "$(ms "${A_P50[$g,$m]}")" "$(ms "${A_P99[$g,$m]}")" "$(ms "${A_P999[$g,$m]}")" "$(ms "$lo")" "$(ms "$hi")" \
        "$(ms "${A_MAX[$g,$m]}")" "$n" "$tot" "$mx" "$sn" "$st" "$sm" "$(fmt_cpu "${A_CPU[$g,$m]}")" \
        "$(mib "${A_RSS[$g,$m]}")" "${notes%; }"
    done
    echo
    echo "Each row is the round with the median P99.9 of its collector, with the P99.9 range over the $ROUNDS rounds. GC pauses: \`GC(n) Pause ...\` lines of \`-Xlog:gc*\` in the measured window (G1 and Parallel: young, mixed, remark, cleanup and full collections; ZGC: its Mark Start, Mark End and Relocate Start pauses). Safepoints: every \`-Xlog:safepoint\` stop in the window (GC or not), from reaching the safepoint to leaving it. CPU µs/request = the java process's utime+stime (\`/proc/PID/stat\`) over the measured window / the requests in it. RSS = VmRSS at the end of the run."
  fi
  if (( MEMORY )); then
    echo
    echo "### (b) Memory at $CONNS idle keep-alive connections"
    echo
    echo "- Each server fresh, $MEM_WORKERS workers (nginx \`worker_processes $MEM_WORKERS\`, \`worker_connections $((CONNS + 1024))\`, \`keepalive_timeout 600s\`; gateway \`event-loops = $MEM_WORKERS\`, \`limits.idle-timeout = $MEM_IDLE\`), warmed up with \`wrk -t$THREADS -c$CONNECTIONS -d${MEM_WARMUP}s\`; RSS read; then \`idle-conns.py\` (Python, standard library) opens $CONNS connections, at most 256 at a time, each sending one \`GET /\` and reading its whole 200 before staying open and silent; RSS read again ${MEM_SETTLE}s after the last one opened. $MEM_ROUNDS round(s), order rotated; measured for ${M_SECS}s."
    echo "- Limits: \`ulimit -n $(ulimit -n)\` (raised by the script; inherited by the gateway and the client; nginx \`worker_rlimit_nofile $NOFILE\`); no sysctl changed (\`net.ipv4.ip_local_port_range\` = $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range), \`net.core.somaxconn\` = $(cat /proc/sys/net/core/somaxconn))."
    echo
    echo "| server | round | RSS before MiB | RSS after MiB | connections open | failed | established (ss) | bytes per connection (RSS) | live heap before MiB | live heap after MiB | live heap bytes per connection |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for t in "${MTLIST[@]}"; do
      for ((r = 1; r <= MEM_ROUNDS; r++)); do
        k="$t,$r"
        label="$t"; [[ "$t" == nginx ]] || label="gateway, $t"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$r" "$(mib "${M_BEFORE[$k]}")" "$(mib "${M_AFTER[$k]}")" \
          "${M_OPEN[$k]}" "${M_FAILED[$k]}" "${M_ESTAB[$k]}" "${M_PER[$k]}" \
          "$(awk -v b="${M_HEAP0[$k]}" 'BEGIN { if (b == "NaN") print "–"; else printf "%.1f", b / 1048576 }')" \
          "$(awk -v b="${M_HEAP1[$k]}" 'BEGIN { if (b == "NaN") print "–"; else printf "%.1f", b / 1048576 }')" \
          "$([[ "${M_HEAP_PER[$k]}" == NaN ]] && echo "–" || echo "${M_HEAP_PER[$k]}")"
      done
    done
    echo
    echo "RSS = VmRSS (\`/proc/PID/status\`) summed over the server's processes (java; nginx master and workers, whose shared pages are counted in each). Bytes per connection = (RSS after - RSS before) / connections still open when the second reading was taken (the client watches each one). Live heap = the \`Total\` bytes of \`jcmd PID GC.class_histogram\` (live objects after a full GC), read just before the first RSS reading and just after the second. Kernel socket buffers are not process memory and are in neither figure."
  fi
} >"$TMP/section.md"

publish_results
FAILED_LOGS=0
