#!/usr/bin/env bash
# Upstream failure: what clients see when one of a route's two upstream instances dies or freezes,
# through the gateway (retries on another instance, outlier detection, active health checks),
# nginx (passive max_fails, proxy_next_upstream) and HAProxy (active checks, retries with
# redispatch). A benchmark, not a test: it prints a markdown table and writes it to RESULTS_FILE.
#
# Per target, round and scenario: two fresh mock upstreams (loadtest.jar's MockUpstream, latency
# UPSTREAM_LATENCY, through upstream-failure/CountingUpstream.java, which adds a request counter
# on its standard output), a fresh proxy in front of them, and open-loop load at RATE req/s
# (loadtest.jar run) in three consecutive runs of DURATION/3 seconds each, one per phase:
#   before   both instances up (this run's generator warm-up is WARMUP seconds, for the JIT)
#   during   instance A is failed half a second into the recorded run:
#              kill    kill -9 (connections refused from then on)
#              freeze  kill -STOP (connections still accepted by the kernel, nothing answered)
#   after    instance A is back half a second into the recorded run: kill: a new process on the same port;
#            freeze: kill -CONT
# Phases 2 and 3 get a generator warm-up of PHASE_WARMUP seconds at the same rate, so load is
# flowing when the instance fails or comes back; between phases there is a gap of about half a
# second (the generator's JVM start) without load.
#
# Recorded per phase: failed requests (anything but 2xx, plus requests with no answer: refused,
# reset, timed out after CLIENT_TIMEOUT), P99 and P99.9 (from each request's intended send time).
# Recorded per case (the three phases together, the "whole run" issue 12's P99 target is about):
# requests, failed, P99 and P99.9, from `loadtest.jar merge` of the three runs' whole latency
# histograms (exact, as if one run had recorded them all; the gaps between phases are not in it;
# upstream-failure/whole-run.sh).
# With ROUNDS > 1 a summary follows: per scenario and target the median and min-max over rounds of
# the whole-run P99, P99.9 and failed, and the gateway's median whole-run P99 over nginx's and
# HAProxy's (issue 12's target: within 1.1x).
# "back after": seconds from instance A listening again (kill) or being thawed (freeze) until it
# serves the proxy's traffic again: the start of the first BACK_TICKS consecutive TICK_MS ticks in
# which A's own counter rose by at least BACK_MIN requests each (health checks alone never do; the
# requests a frozen instance finds queued when thawed are one burst, not BACK_TICKS ticks).
#
# The gateway's route: two upstreams, timeouts { connect = PER_TRY_TIMEOUT_MS, response = 2s },
# default outlier detection, plus GATEWAY_ROUTE_EXTRA (by default the retries and health-check
# below; set it to "" for a gateway without those keys):
#   retries { attempts = 2, on = [connect-failure, reset, timeout, 502, 503, 504], per-try-timeout = 300ms }
#   health-check { path = "/health", interval = 1s, timeout = 300ms, healthy-threshold = 1, unhealthy-threshold = 2 }
# nginx: both servers max_fails=1 fail_timeout=10s, keepalive, proxy_next_upstream error timeout,
# proxy_connect_timeout and proxy_read_timeout = PER_TRY_TIMEOUT_MS; no active checks (open source).
# HAProxy: roundrobin, option httpchk GET /health, check inter 1s fall 2 rise 1, retries 2,
# option redispatch 1 (every retry goes to another server, as the gateway's does),
# retry-on conn-failure empty-response response-timeout, timeout connect and server = PER_TRY_TIMEOUT_MS.
#
# Usage (from anywhere; short smoke run first):
#   DURATION=12 RATE=300 ROUNDS=1 GATEWAY_ROUTE_EXTRA= bash loadtest/bench/upstream-failure.sh
#   bash loadtest/bench/upstream-failure.sh        # defaults: 3 targets x 2 scenarios, ~9 minutes
#
# Env knobs (defaults in brackets):
#   TARGETS             in order ["gateway nginx haproxy"]
#   SCENARIOS           ["kill freeze"]
#   ROUNDS              rounds, interleaved: round r runs TARGETS rotated left by r-1 [1]
#   RATE                req/s, open loop [2000]
#   DURATION            seconds per scenario, split in three phases [60]
#   CONNECTIONS         generator connections [1000]: enough for RATE x the slowest answers
#                       (a frozen instance holds a request for a per-try timeout or more)
#   CLIENT_TIMEOUT      a request unanswered for this long fails (loadtest run --timeout) [10s]
#   WARMUP              generator warm-up before the first phase, seconds [10]
#   PHASE_WARMUP        generator warm-up before phases 2 and 3, seconds [1]
#   PER_TRY_TIMEOUT_MS  per-try timeout of every proxy, ms [300]
#   UPSTREAM_LATENCY    mock upstream latency SPEC [fixed:1ms]
#   GATEWAY_ROUTE_EXTRA extra HOCON inside the gateway's route [retries and health-check above]
#   TICK_MS BACK_MIN BACK_TICKS   the "back after" rule above [100 5 3]
#   JAVA_OPTS           gateway JVM flags ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   LOADTEST_JAVA_OPTS  generator JVM flags ["-Xms512m -Xmx512m -XX:+UseParallelGC"]
#   UPSTREAM_JAVA_OPTS  mock upstream JVM flags ["-Xms128m -Xmx128m -XX:+UseParallelGC"]
#   READY_TIMEOUT       seconds to wait for the gateway's /ready [60]
#   PORT_WAIT           seconds to wait for the fixed ports to be free (another run) [60]
#   RESULTS_FILE        where the table goes, relative to the repo root [target/bench/upstream-failure.md]
#   GATEWAY_JAR, LOADTEST_JAR  jars; built with ./mvnw if default and missing; copied into the temp dir
#   KEEP_TMP            set to 1 to keep the temp dir (configs, logs, counters, JSON of every run) [0]
set -euo pipefail

BENCH_NAME=upstream-failure
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
# shellcheck source-path=SCRIPTDIR source=upstream-failure/whole-run.sh
. "$SCRIPT_DIR/upstream-failure/whole-run.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs TARGETS SCENARIOS ROUNDS RATE DURATION CONNECTIONS CLIENT_TIMEOUT WARMUP PHASE_WARMUP \
  PER_TRY_TIMEOUT_MS UPSTREAM_LATENCY GATEWAY_ROUTE_EXTRA TICK_MS BACK_MIN BACK_TICKS JAVA_OPTS LOADTEST_JAVA_OPTS UPSTREAM_JAVA_OPTS)"

TARGETS="${TARGETS:-gateway nginx haproxy}"
SCENARIOS="${SCENARIOS:-kill freeze}"
ROUNDS="${ROUNDS:-1}"
RATE="${RATE:-2000}"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-1000}"
CLIENT_TIMEOUT="${CLIENT_TIMEOUT:-10s}"
WARMUP="${WARMUP:-10}"
PHASE_WARMUP="${PHASE_WARMUP:-1}"
PER_TRY_TIMEOUT_MS="${PER_TRY_TIMEOUT_MS:-300}"
UPSTREAM_LATENCY="${UPSTREAM_LATENCY:-fixed:1ms}"
TICK_MS="${TICK_MS:-100}"
BACK_MIN="${BACK_MIN:-5}"
BACK_TICKS="${BACK_TICKS:-3}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
UPSTREAM_JAVA_OPTS="${UPSTREAM_JAVA_OPTS:--Xms128m -Xmx128m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-60}"
RESULTS_FILE="${RESULTS_FILE:-target/bench/upstream-failure.md}"
KEEP_TMP="${KEEP_TMP:-0}"
# Unset (not empty) means the default: GATEWAY_ROUTE_EXTRA= turns the new keys off.
if [[ -z "${GATEWAY_ROUTE_EXTRA+x}" ]]; then
  GATEWAY_ROUTE_EXTRA="retries { attempts = 2, on = [connect-failure, reset, timeout, 502, 503, 504], per-try-timeout = ${PER_TRY_TIMEOUT_MS}ms }
      health-check { path = \"/health\", interval = 1s, timeout = ${PER_TRY_TIMEOUT_MS}ms, healthy-threshold = 1, unhealthy-threshold = 2 }"
fi

# Fixed ports, apart from the other scripts' (18080-18084, 19090; suite.sh 18180-18186, 19190-19192).
HOST=127.0.0.1
PORT_UP_A=18280
PORT_UP_B=18281
PORT_NGINX=18282
PORT_HAPROXY=18283
PORT_GATEWAY=18284
PORT_ADMIN=19290

setup_paths "${BASH_SOURCE[0]}"

for t in $TARGETS; do
  case "$t" in gateway|nginx|haproxy) ;; *) die "unknown target '$t' in TARGETS (known: gateway nginx haproxy)";; esac
done
for s in $SCENARIOS; do
  case "$s" in kill|freeze) ;; *) die "unknown scenario '$s' in SCENARIOS (known: kill freeze)";; esac
done
[[ -n "${TARGETS// /}" && -n "${SCENARIOS// /}" ]] || die "TARGETS and SCENARIOS must not be empty"
require_whole_numbers ROUNDS RATE DURATION CONNECTIONS WARMUP PHASE_WARMUP PER_TRY_TIMEOUT_MS TICK_MS BACK_MIN BACK_TICKS \
  READY_TIMEOUT PORT_WAIT
(( ROUNDS > 0 && RATE > 0 && DURATION >= 3 && CONNECTIONS > 0 && PHASE_WARMUP > 0 && PER_TRY_TIMEOUT_MS > 0 \
  && TICK_MS > 0 && BACK_TICKS > 0 )) \
  || die "need ROUNDS, RATE, CONNECTIONS, PHASE_WARMUP, PER_TRY_TIMEOUT_MS, TICK_MS, BACK_TICKS > 0 and DURATION >= 3"
PHASE=$((DURATION / 3))
EVENT_DELAY=0.5
PHASES=(before during after)

# ---------------------------------------------------------------- cleanup
# A frozen instance would ignore the TERM of the cleanup: thaw it first.
FROZEN=""
on_exit() {
  local rc=$?
  if [[ -n "$FROZEN" ]]; then kill -CONT "$FROZEN" 2>/dev/null || true; fi
  set +e # a failing (exit) must not end this trap under set -e; cleanup reads the status from $?
  (exit "$rc")
  cleanup
}
install_cleanup_traps
trap on_exit EXIT

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkg jq jq
ensure_pkg curl curl
ensure_pkg nginx nginx
ensure_pkg haproxy haproxy
command -v java >/dev/null || die "java not found"
command -v javac >/dev/null || die "javac not found (a JDK is needed to compile upstream-failure/CountingUpstream.java)"
ensure_gateway_jar
ensure_loadtest_jar
java -jar "$LOADTEST_JAR" merge --help >/dev/null 2>&1 \
  || die "$LOADTEST_JAR has no 'merge' command (the whole-run percentiles need it); rebuild it with ./mvnw -q -B -ntp -DskipTests package"

wait_ports_free "$PORT_WAIT" "$PORT_UP_A" "$PORT_UP_B" "$PORT_NGINX" "$PORT_HAPROXY" "$PORT_GATEWAY" "$PORT_ADMIN"

make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
cp "$LOADTEST_JAR" "$TMP/loadtest.jar"
GATEWAY_JAR_SHOWN="${GATEWAY_JAR#"$REPO_ROOT"/}"
LOADTEST_JAR="$TMP/loadtest.jar"
javac -d "$TMP/classes" -cp "$LOADTEST_JAR" "$SCRIPT_DIR/upstream-failure/CountingUpstream.java" \
  || die "cannot compile $SCRIPT_DIR/upstream-failure/CountingUpstream.java against $LOADTEST_JAR"
read -r -a JAVA_ARGS_GATEWAY <<<"$JAVA_OPTS"
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"
read -r -a JAVA_ARGS_UPSTREAM <<<"$UPSTREAM_JAVA_OPTS"
START=$SECONDS

# ---------------------------------------------------------------- configs (written once)
cat >"$TMP/gateway.conf" <<EOF
gateway {
  listen { host = "$HOST", port = $PORT_GATEWAY }
  admin { host = "$HOST", port = $PORT_ADMIN }
  routes = [
    {
      id = bench
      match { path-prefix = "/" }
      upstreams = [ "http://$HOST:$PORT_UP_A", "http://$HOST:$PORT_UP_B" ]
      timeouts { connect = ${PER_TRY_TIMEOUT_MS}ms, response = 2s }
      $GATEWAY_ROUTE_EXTRA
    }
  ]
}
EOF

{
  echo "worker_processes 2;"
  nginx_common nginx
  echo "http {"
  nginx_http_common nginx
  cat <<EOF
    upstream backend {
        zone backend 64k;
        server $HOST:$PORT_UP_A max_fails=1 fail_timeout=10s;
        server $HOST:$PORT_UP_B max_fails=1 fail_timeout=10s;
        keepalive 256;
        keepalive_requests 10000000;
        keepalive_timeout 120s;
    }
    server {
        listen $HOST:$PORT_NGINX backlog=4096;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
            proxy_connect_timeout ${PER_TRY_TIMEOUT_MS}ms;
            proxy_read_timeout ${PER_TRY_TIMEOUT_MS}ms;
        }
    }
}
EOF
} >"$TMP/nginx.conf"

cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 2
    maxconn 8000
    pidfile $TMP/haproxy.pid

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect ${PER_TRY_TIMEOUT_MS}ms
    timeout server ${PER_TRY_TIMEOUT_MS}ms
    timeout client 60s
    timeout queue 10s
    timeout http-keep-alive 60s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend fe
    bind $HOST:$PORT_HAPROXY
    maxconn 8000
    default_backend be

backend be
    balance roundrobin
    option httpchk GET /health
    server a $HOST:$PORT_UP_A check inter 1s fall 2 rise 1
    server b $HOST:$PORT_UP_B check inter 1s fall 2 rise 1
EOF

# ---------------------------------------------------------------- services
epoch_ms() { date +%s%3N; }
# start_instance SERVICE PORT NAME: a counting mock upstream; waits for its "listening" line and
# sets LISTEN_MS to the epoch millisecond it printed.
start_instance() {
  local svc="$1" port="$2" name="$3" deadline=$((SECONDS + 30))
  rm -f "$TMP/$svc.log" # start_bg truncates it only once the child runs: no stale "listening" line
  start_service "$svc" java "${JAVA_ARGS_UPSTREAM[@]}" -cp "$LOADTEST_JAR:$TMP/classes" CountingUpstream \
    "$port" "$UPSTREAM_LATENCY" "$name" "$TICK_MS"
  until LISTEN_MS="$(awk '$1 == "listening" { print $2; exit }' "$TMP/$svc.log" 2>/dev/null)" && [[ -n "$LISTEN_MS" ]]; do
    kill -0 "${SVC_PID[$svc]}" 2>/dev/null || die "$svc exited during startup (see $svc.log)"
    (( SECONDS < deadline )) || die "$svc not listening on $HOST:$port after 30s"
    sleep 0.05
  done
}
# warm_instance PORT: a couple of hundred requests straight to a fresh instance, so its JVM's first,
# slow answers reach no proxy: on a busy machine one of them can outlast PER_TRY_TIMEOUT_MS, and
# nginx (max_fails=1) then marks a cold instance down for its fail_timeout, 10 s, at the start of a case.
warm_instance() {
  curl -sf -o /dev/null --max-time 30 "http://$HOST:$1/warm[1-200]" || die "the instance on $HOST:$1 does not answer 200"
}
port_of() { case "$1" in gateway) echo "$PORT_GATEWAY" ;; nginx) echo "$PORT_NGINX" ;; haproxy) echo "$PORT_HAPROXY" ;; esac; }
label_of() { case "$1" in gateway) echo "gateway" ;; nginx) echo "nginx" ;; haproxy) echo "HAProxy" ;; esac; }
start_target() { # start_target TARGET
  case "$1" in
    gateway)
      java -jar "$TMP/gateway.jar" --check --config "$TMP/gateway.conf" >"$TMP/gateway.check.log" 2>&1 \
        || { cat "$TMP/gateway.check.log" >&2; die "gateway --check rejected $TMP/gateway.conf (set GATEWAY_ROUTE_EXTRA= for a gateway without retries/health-check)"; }
      start_service gateway java "${JAVA_ARGS_GATEWAY[@]}" -jar "$TMP/gateway.jar" --config "$TMP/gateway.conf"
      wait_http gateway "${SVC_PID[gateway]}" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
      ;;
    nginx) start_nginx nginx "$PORT_NGINX" ;;
    haproxy) start_haproxy haproxy "$PORT_HAPROXY" ;;
  esac
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$HOST:$(port_of "$1")/" || true)"
  [[ "$code" == 200 ]] || die "$1: probe answered HTTP ${code:-nothing} (expected 200 from the mock upstreams)"
}
gateway_counters() { # gateway_counters -> "retries reason=N ...; ejections reason=N ..." (what exists)
  curl -sf --max-time 5 "http://$HOST:$PORT_ADMIN/metrics" | awk '
    /^gateway_retries_total[{]/ || /^gateway_upstream_ejections_total[{]/ {
      r = $1; sub(/.*reason="/, "", r); sub(/".*/, "", r)
      k = ($1 ~ /^gateway_retries/ ? "retries" : "ejections") " " r; s[k] += $2 }
    END { for (k in s) if (s[k] > 0) printf "%s=%d, ", k, s[k] }' || true
}

# ---------------------------------------------------------------- one phase
# phase_run TAG WARMUP_S EVENT: one `loadtest.jar run` of PHASE seconds; EVENT (a function name, or
# "") runs once the generator has warmed up, EVENT_DELAY into the recorded run. Sets EVENT_MS.
phase_run() {
  local tag="$1" warm="$2" event="$3" json="$TMP/$1.json" out="$TMP/$1.out" rc=0 deadline
  rm -f "$json"
  timeout --kill-after=10 $((PHASE + warm + 120)) java "${JAVA_ARGS_LOADTEST[@]}" -jar "$LOADTEST_JAR" run \
    --url "http://$HOST:$CUR_PORT/" --rate "$RATE" --duration "${PHASE}s" --connections "$CONNECTIONS" \
    --timeout "$CLIENT_TIMEOUT" --warmup "${warm}s" --json "$json" >"$out" 2>&1 </dev/null &
  WRK_PID=$!
  EVENT_MS=""
  if [[ -n "$event" ]]; then
    deadline=$((SECONDS + 30))
    until grep -q '^warming up' "$out" 2>/dev/null; do
      kill -0 "$WRK_PID" 2>/dev/null || break
      (( SECONDS < deadline )) || die "$tag: the generator did not start warming up within 30s"
      sleep 0.02
    done
    sleep "$warm"
    sleep "$EVENT_DELAY" # past the recorded run's connection setup, so the run sees the event
    "$event"
  fi
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  if ! jq -e '.runs[0].latency_ms.p50 != null' "$json" >/dev/null 2>&1; then
    sed 's/^/    /' "$out" | tail -n 20 >&2
    die "$tag: loadtest run exited with status $rc and wrote no usable $json"
  fi
  local req fail p99 p999
  read -r req fail p99 p999 < <(jq -r '.runs[0] | [.requests,
      .requests - ([(.statuses // {}) | to_entries[] | select(.key | startswith("2")) | .value] | add // 0),
      .latency_ms.p99, .latency_ms.p99_9] | map(tostring) | join(" ")' "$json")
  R_REQ[$CASE,$tag]="$req"; R_FAIL[$CASE,$tag]="$fail"; R_P99[$CASE,$tag]="$p99"; R_P999[$CASE,$tag]="$p999"
  log "$CASE: $tag: $req requests, $fail failed, P99 $p99 ms, P99.9 $p999 ms"
}

fail_a() {
  local pid
  pid="$(below_setsid "${SVC_PID[up-a]}" up-a)"
  EVENT_MS="$(epoch_ms)"
  if [[ "$CUR_SCEN" == kill ]]; then
    kill -KILL "$pid"
    log "$CASE: instance A (pid $pid) killed with SIGKILL"
  else
    kill -STOP "$pid"; FROZEN="$pid"
    log "$CASE: instance A (pid $pid) frozen with SIGSTOP"
  fi
}
restore_a() {
  EVENT_MS="$(epoch_ms)"
  if [[ "$CUR_SCEN" == kill ]]; then
    stop_service up-a 1 # reaps the killed process
    start_instance up-a2 "$PORT_UP_A" a
    BACK_REF_MS="$LISTEN_MS"; BACK_LOG="$TMP/up-a2.log"
    log "$CASE: instance A restarted, listening $(( LISTEN_MS - EVENT_MS )) ms after the restart"
  else
    kill -CONT "$FROZEN"; FROZEN=""
    BACK_REF_MS="$EVENT_MS"; BACK_LOG="$TMP/up-a.log"
    log "$CASE: instance A thawed with SIGCONT"
  fi
}
# back_after LOG REF_MS END_MS -> seconds from REF_MS to the start of the first BACK_TICKS
# consecutive ticks with >= BACK_MIN requests each, or ">N" (N = END_MS - REF_MS) if none.
back_after() {
  awk -v ref="$2" -v end="$3" -v min="$BACK_MIN" -v need="$BACK_TICKS" '
    $1 == "listening" { next }
    NF == 2 && $1 + 0 >= ref {
      if (have) {
        if ($2 - pc >= min) { if (run == 0) start = pt; run++ } else run = 0
        if (run >= need) { s = (start - ref) / 1000; if (s < 0) s = 0; printf "%.1f", s; found = 1; exit }
      }
      pt = $1; pc = $2; have = 1; next
    }
    NF == 2 { pt = $1; pc = $2; have = 1 }
    END { if (!found) printf ">%.0f", (end - ref) / 1000 }' "$1"
}

# ---------------------------------------------------------------- one case: target x scenario x round
declare -A R_REQ R_FAIL R_P99 R_P999 R_BACK R_LISTEN R_NOTE R_WREQ R_WFAIL R_WP99 R_WP999
run_case() { # run_case TARGET SCENARIO ROUND
  CUR_SCEN="$2"; CUR_PORT="$(port_of "$1")"; CASE="$1,$2,$3"
  log "$CASE: starting two mock upstreams ($UPSTREAM_LATENCY) and $1"
  start_instance up-a "$PORT_UP_A" a
  start_instance up-b "$PORT_UP_B" b
  warm_instance "$PORT_UP_A"; warm_instance "$PORT_UP_B"
  start_target "$1"
  phase_run before "$WARMUP" ""
  phase_run during "$PHASE_WARMUP" fail_a
  phase_run after "$PHASE_WARMUP" restore_a
  local end_ms; end_ms="$(epoch_ms)"
  R_BACK[$CASE]="$(back_after "$BACK_LOG" "$BACK_REF_MS" "$end_ms")"
  R_LISTEN[$CASE]=""
  [[ "$2" == kill ]] && R_LISTEN[$CASE]="$(awk -v a="$BACK_REF_MS" -v b="$EVENT_MS" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
  R_NOTE[$CASE]=""
  if [[ "$1" == gateway ]]; then local c; c="$(gateway_counters)"; R_NOTE[$CASE]="${c%, }"; fi
  log "$CASE: instance A back after ${R_BACK[$CASE]} s${R_NOTE[$CASE]:+; ${R_NOTE[$CASE]}}"
  local f; for f in "${PHASES[@]}"; do mv "$TMP/$f.json" "$TMP/$1-$2-r$3-$f.json"; done
  whole_run "$1-$2-r$3"
  stop_service "$1" 20
  stop_service up-a2 5; stop_service up-a 5; stop_service up-b 5
  sleep 1
}

# ---------------------------------------------------------------- run
read -r -a TLIST <<<"$TARGETS"
read -r -a SLIST <<<"$SCENARIOS"
for ((r = 1; r <= ROUNDS; r++)); do
  read -r -a order <<<"$(rotated "$r" "${TLIST[@]}")"
  log "round $r/$ROUNDS: ${order[*]}"
  for t in "${order[@]}"; do
    for s in "${SLIST[@]}"; do run_case "$t" "$s" "$r"; done
  done
done
RUN_SECS=$((SECONDS - START))

# ---------------------------------------------------------------- report
describe_machine
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
fmt_phases() { # fmt_phases KEY ARRAY -> "before / during / after" latencies from ARRAY[KEY,phase]
  local k="$1" p out=""
  local -n arr="$2"
  for p in "${PHASES[@]}"; do out+="$(fmt_lat "${arr[$k,$p]}") / "; done
  echo "${out% / }"
}
fmt_lat() {
  awk -v v="$1" 'BEGIN { if (v == "" || v == "null") { print "n/a"; exit }
    if (v >= 1000) printf "%.2f s", v / 1000; else if (v >= 100) printf "%.0f ms", v
    else if (v >= 10) printf "%.1f ms", v; else printf "%.2f ms", v }'
}
{
  echo "| scenario | target | round | failed before / during / after | P99 before / during / after | P99.9 before / during / after | A back after | notes |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for s in "${SLIST[@]}"; do
    for t in "${TLIST[@]}"; do
      for ((r = 1; r <= ROUNDS; r++)); do
        k="$t,$s,$r"
        back="${R_BACK[$k]} s"; [[ -n "${R_LISTEN[$k]}" ]] && back+=" (listening ${R_LISTEN[$k]} s after the restart)"
        printf '| %s | %s | %s | %s / %s / %s | %s | %s | %s | %s |\n' "$s" "$(label_of "$t")" "$r" \
          "${R_FAIL[$k,before]}" "${R_FAIL[$k,during]}" "${R_FAIL[$k,after]}" \
          "$(fmt_phases "$k" R_P99)" "$(fmt_phases "$k" R_P999)" "$back" "${R_NOTE[$k]}"
      done
    done
  done
} >"$TMP/table.md"

whole_run_table >"$TMP/whole.md"
if (( ROUNDS > 1 )); then rounds_summary_table >"$TMP/summary.md"; fi

{
  echo "## Upstream failure (one of two instances killed or frozen)"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\` (took ${RUN_SECS}s)"
  echo "- Load: \`loadtest.jar run --rate $RATE --connections $CONNECTIONS --timeout $CLIENT_TIMEOUT\`, three runs of ${PHASE}s per scenario (before / during / after), warm-up ${WARMUP}s before the first and ${PHASE_WARMUP}s before the others; instance A fails half a second into the second run and comes back half a second into the third. Scenarios: kill = \`kill -9\`, then a new process; freeze = \`kill -STOP\`, then \`kill -CONT\`."
  echo "- Upstreams: two loadtest mock upstreams (\`$UPSTREAM_LATENCY\`, one event loop each), fresh for every target and scenario, as is the proxy."
  echo "- Gateway (\`java $JAVA_OPTS -jar $GATEWAY_JAR_SHOWN\`): route timeouts { connect = ${PER_TRY_TIMEOUT_MS}ms, response = 2s }, default outlier detection, and: \`$(tr -s ' \n' ' ' <<<"${GATEWAY_ROUTE_EXTRA:-(nothing more)}" | sed 's/ $//')\`"
  echo "- nginx: max_fails=1 fail_timeout=10s, proxy_next_upstream error timeout, proxy_connect_timeout / proxy_read_timeout ${PER_TRY_TIMEOUT_MS}ms. HAProxy: check inter 1s fall 2 rise 1 (GET /health), retries 2, option redispatch 1, retry-on conn-failure empty-response response-timeout, timeout connect / server ${PER_TRY_TIMEOUT_MS}ms."
  echo "- Date: $DATE; repo revision $GIT_REV; $NPROC CPUs ($CPU_MODEL), $MEM RAM, $KERNEL; $V_NGINX; $V_HAPROXY; $V_JAVA. Generator, upstreams and proxy share these cores."
  echo
  cat "$TMP/table.md"
  echo
  echo "Whole run: the three phases of each case together."
  echo
  cat "$TMP/whole.md"
  if (( ROUNDS > 1 )); then
    echo
    echo "Over the $ROUNDS rounds (issue 12's target: the gateway's whole-run P99 within 1.1× of nginx's and HAProxy's):"
    echo
    cat "$TMP/summary.md"
  fi
  echo
  echo "\"failed\": requests not answered 2xx (any other status, or no answer: refused, reset, or over ${CLIENT_TIMEOUT}). Latencies from each request's intended send time (open loop), failures included. \"A back after\": seconds from A listening again (kill) or thawed (freeze) until the first ${BACK_TICKS} consecutive ${TICK_MS} ms ticks in which A's own request counter rose by ${BACK_MIN} or more; \">N\" = not within the rest of the run. Gateway notes: retries and ejections by reason at the end of the case, from /metrics (when the gateway has them). Whole run: the requests of the three recorded runs together (not the generator warm-ups, nor the half-second gaps between runs); its percentiles come from the three runs' whole latency histograms added up (\`loadtest.jar merge\`), so they are exact (HdrHistogram, 3 significant digits), not an estimate from the phases' percentiles; \"failed\" is the sum of the three phases'. \"gateway's P99 ÷ this P99\": the gateway's whole-run P99 of the same scenario and round over this target's (over the rounds: of the medians; a median over an even number of rounds is the mean of the middle two)."
} >"$TMP/section.md"

echo
cat "$TMP/section.md"
results="$RESULTS_FILE"; [[ "$results" == /* ]] || results="$REPO_ROOT/$RESULTS_FILE"
mkdir -p "$(dirname "$results")"
cp "$TMP/section.md" "$results"
log "wrote $RESULTS_FILE"
FAILED_LOGS=0
