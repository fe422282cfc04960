#!/usr/bin/env bash
# The benchmark suite: the gateway, nginx and HAProxy as reverse proxies to the same mock upstream
# (loadtest.jar upstream), driven by our open-loop generator (loadtest.jar run) at the same fixed
# rates and at saturation, plus the same load straight at the upstream ("direct"). Prints one
# markdown table per scenario and writes them all into docs/benchmarks.md under
# "## Benchmark suite (open-loop loadtest)", replacing that section on every run.
#
# Scenarios (SCENARIOS, run in this order):
#   plain            upstream --latency none; direct, gateway, nginx, haproxy at RATES and SATURATION_RATE
#   ratelimit-local  gateway with rate-limit { store = local }, a quota never reached, against the
#                    gateway without limiting and direct, every request with one of USERS X-API-Keys
#   ratelimit-redis  the same with store = redis over two redis-server shards started here
#                    (both ratelimit scenarios share one set of direct / no-limit runs)
#   hedge            two upstreams with heavy-tail latency; gateway without and with a route
#                    hedge { after = HEDGE_AFTER }, nginx and haproxy over both, direct to one
#   shed             upstream fixed:SHED_LATENCY_MS, every proxy capped at SHED_MAX_CONNECTIONS
#                    upstream connections (capacity = connections / latency), driven at 2x that;
#                    gateway without and with load-shedding, nginx (max_conns), haproxy (maxconn)
#
# Within a scenario every target runs at once on its own port (idle ones cost next to nothing),
# each gets one warm-up run, then the rates are measured in turn, each rate going through all
# targets, so a drift in machine load spreads over all of them. Every measured run is a fresh
# `loadtest.jar run` JVM. Latency counts from each request's intended send time (open loop).
#
# Env knobs (defaults in brackets):
#   SCENARIOS          ["plain ratelimit-local ratelimit-redis hedge shed"]
#   RATES              fixed rates, req/s, for plain and ratelimit-* ["5000 20000"]
#   SATURATION_RATE    a rate above capacity, for plain and ratelimit-*; 0: none [100000]
#   SATURATION_DURATION  seconds of schedule for the saturation runs [5]; the generator keeps
#                      sending what the schedule holds, so such a run lasts until the target has
#                      worked through it (or the generator's 30 s request timeout)
#   DURATION           seconds per measured run (plain, ratelimit-*) [10]
#   WARMUP             seconds of warm-up per target and scenario, at the scenario's first rate [5]
#   CONNECTIONS        generator connections (plain, ratelimit-*) [64]
#   GEN_THREADS        generator event-loop threads (loadtest run --threads) [1]
#   USERS              distinct X-API-Key identities (ratelimit-*) [100000]
#   HEDGE_RATE         req/s [200]; HEDGE_DURATION s [30]; HEDGE_CONNECTIONS [HEDGE_RATE x 5]
#   HEDGE_AFTER        the route's hedge { after } [100ms]; HEDGE_LATENCY the upstreams' SPEC
#                      [heavy-tail:50ms:0.02:500ms-5s]
#   SHED_LATENCY_MS    upstream latency, fixed [10]; SHED_MAX_CONNECTIONS upstream connections per
#                      proxy [20]; SHED_MAX_PENDING the gateway's max-pending and HAProxy's queue bound [200]
#   SHED_RATE          req/s [2 x capacity]; SHED_DURATION s [15]; SHED_CONNECTIONS [1000]
#   SHED_P99 SHED_WINDOW SHED_MIN_SAMPLES   load-shedding { p99-above, window, min-samples } [50ms 5s 100]
#   JAVA_OPTS          gateway JVM flags ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   LOADTEST_JAVA_OPTS generator JVM flags ["-Xms512m -Xmx512m -XX:+UseParallelGC"]
#   UPSTREAM_JAVA_OPTS mock upstream JVM flags ["-Xms256m -Xmx256m -XX:+UseParallelGC"]
#   READY_TIMEOUT      seconds to wait for a gateway's /ready [60]
#   PORT_WAIT          seconds to wait for the fixed ports to be free (another run) [120]
#   DOCS_FILE          markdown file to update, relative to repo root [docs/benchmarks.md]
#   UPDATE_DOCS        set to 0 to only print the tables [1]
#   GATEWAY_JAR, LOADTEST_JAR  jars; built with ./mvnw if default and missing; copied into the
#                      temp dir at start, so a rebuild during the run cannot mix versions
#   KEEP_TMP           set to 1 to keep the temp dir (configs, logs, JSON of every run) [0]
set -euo pipefail

BENCH_NAME=suite
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs SCENARIOS RATES SATURATION_RATE SATURATION_DURATION DURATION WARMUP CONNECTIONS GEN_THREADS USERS \
  HEDGE_RATE HEDGE_DURATION HEDGE_CONNECTIONS HEDGE_AFTER HEDGE_LATENCY \
  SHED_LATENCY_MS SHED_MAX_CONNECTIONS SHED_MAX_PENDING SHED_RATE SHED_DURATION SHED_CONNECTIONS \
  SHED_P99 SHED_WINDOW SHED_MIN_SAMPLES JAVA_OPTS LOADTEST_JAVA_OPTS UPSTREAM_JAVA_OPTS)"

SCENARIOS="${SCENARIOS:-plain ratelimit-local ratelimit-redis hedge shed}"
RATES="${RATES:-5000 20000}"
SATURATION_RATE="${SATURATION_RATE:-100000}"
SATURATION_DURATION="${SATURATION_DURATION:-5}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
GEN_THREADS="${GEN_THREADS:-1}"
USERS="${USERS:-100000}"
HEDGE_RATE="${HEDGE_RATE:-200}"
HEDGE_DURATION="${HEDGE_DURATION:-30}"
HEDGE_CONNECTIONS="${HEDGE_CONNECTIONS:-$((HEDGE_RATE * 5))}"
HEDGE_AFTER="${HEDGE_AFTER:-100ms}"
HEDGE_LATENCY="${HEDGE_LATENCY:-heavy-tail:50ms:0.02:500ms-5s}"
SHED_LATENCY_MS="${SHED_LATENCY_MS:-10}"
SHED_MAX_CONNECTIONS="${SHED_MAX_CONNECTIONS:-20}"
SHED_MAX_PENDING="${SHED_MAX_PENDING:-200}"
SHED_DURATION="${SHED_DURATION:-15}"
SHED_CONNECTIONS="${SHED_CONNECTIONS:-1000}"
SHED_P99="${SHED_P99:-50ms}"
SHED_WINDOW="${SHED_WINDOW:-5s}"
SHED_MIN_SAMPLES="${SHED_MIN_SAMPLES:-100}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
UPSTREAM_JAVA_OPTS="${UPSTREAM_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-120}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

# Fixed ports, apart from the other scripts' (18080-18084, 19090; Redis picks 20000-29999).
HOST=127.0.0.1
PORT_UP_A=18180
PORT_UP_B=18181
PORT_NGINX=18182
PORT_HAPROXY=18183
GW_PORTS=(18184 18185 18186)   # the scenario's 1st, 2nd, 3rd gateway
GW_ADMINS=(19190 19191 19192)
QUOTA_REQUESTS=1000000000
QUOTA_WINDOW=60s
REDIS_COMMAND_TIMEOUT=100ms
SECTION_HEADING="## Benchmark suite (open-loop loadtest)"

setup_paths "${BASH_SOURCE[0]}"

KNOWN_SCENARIOS="plain ratelimit-local ratelimit-redis hedge shed"
for s in $SCENARIOS; do
  [[ " $KNOWN_SCENARIOS " == *" $s "* ]] || die "unknown scenario '$s' in SCENARIOS (known: $KNOWN_SCENARIOS)"
done
[[ -n "${SCENARIOS// /}" ]] || die "SCENARIOS is empty"
[[ -n "${RATES// /}" ]] || die "RATES is empty"
for r in $RATES; do [[ "$r" =~ ^[1-9][0-9]*$ ]] || die "RATES must be whole numbers > 0, got '$r'"; done
require_whole_numbers SATURATION_RATE SATURATION_DURATION DURATION WARMUP CONNECTIONS GEN_THREADS USERS HEDGE_RATE HEDGE_DURATION \
  HEDGE_CONNECTIONS SHED_LATENCY_MS SHED_MAX_CONNECTIONS SHED_MAX_PENDING SHED_DURATION SHED_CONNECTIONS \
  SHED_MIN_SAMPLES READY_TIMEOUT PORT_WAIT
(( DURATION > 0 && SATURATION_DURATION > 0 && CONNECTIONS > 0 && GEN_THREADS > 0 && USERS > 0 && HEDGE_RATE > 0 && HEDGE_DURATION > 0 \
  && HEDGE_CONNECTIONS > 0 && SHED_LATENCY_MS > 0 && SHED_MAX_CONNECTIONS > 0 && SHED_DURATION > 0 \
  && SHED_CONNECTIONS > 0 )) || die "durations, rates, connections, USERS and SHED_* sizes must be > 0"
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }

# The gateway's upstream pool is split over its event loops (one per CPU it sees), each loop
# holding ceil(max-connections / loops); the peers hold max-connections in all.
GW_LOOPS="$(nproc)"
SHED_GW_CONNS=$((GW_LOOPS * ((SHED_MAX_CONNECTIONS + GW_LOOPS - 1) / GW_LOOPS)))
SHED_CAPACITY=$((SHED_MAX_CONNECTIONS * 1000 / SHED_LATENCY_MS))
SHED_GW_CAPACITY=$((SHED_GW_CONNS * 1000 / SHED_LATENCY_MS))
SHED_RATE="${SHED_RATE:-$((2 * SHED_CAPACITY))}"
require_whole_numbers SHED_RATE

# ---------------------------------------------------------------- prerequisites
install_cleanup_traps
init_pkg_install
ensure_pkg jq jq
ensure_pkg curl curl
ensure_pkg nginx nginx
ensure_pkg haproxy haproxy
if wants ratelimit-redis; then
  ensure_pkg redis-server redis-server
  ensure_pkg redis-cli redis-tools
fi
command -v java >/dev/null || die "java not found"
ensure_gateway_jar
ensure_loadtest_jar

wait_ports_free "$PORT_WAIT" "$PORT_UP_A" "$PORT_UP_B" "$PORT_NGINX" "$PORT_HAPROXY" "${GW_PORTS[@]}" "${GW_ADMINS[@]}"

make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
cp "$LOADTEST_JAR" "$TMP/loadtest.jar"
GW_JAR_DATE="$(date -u -r "$GATEWAY_JAR" '+%Y-%m-%d %H:%M UTC')"
LT_JAR_DATE="$(date -u -r "$LOADTEST_JAR" '+%Y-%m-%d %H:%M UTC')"
GATEWAY_JAR_SHOWN="${GATEWAY_JAR#"$REPO_ROOT"/}"
LOADTEST_JAR_SHOWN="${LOADTEST_JAR#"$REPO_ROOT"/}"
LOADTEST_JAR="$TMP/loadtest.jar"
read -r -a JAVA_ARGS_GATEWAY <<<"$JAVA_OPTS"
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"
read -r -a JAVA_ARGS_UPSTREAM <<<"$UPSTREAM_JAVA_OPTS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
SUITE_START=$SECONDS

# ---------------------------------------------------------------- targets of the current scenario
# TARGETS: names in table order; T_PORT / T_ADMIN / T_LABEL per name; SCEN_SVCS: services to stop
# when the scenario ends.
TARGETS=()
SCEN_SVCS=()
declare -A T_PORT T_ADMIN T_LABEL
add_target() { # add_target NAME PORT LABEL [ADMIN_PORT]
  TARGETS+=("$1"); T_PORT[$1]="$2"; T_LABEL[$1]="$3"; T_ADMIN[$1]="${4:-}"
}
end_scenario() {
  local i
  for ((i = ${#SCEN_SVCS[@]} - 1; i >= 0; i--)); do stop_service "${SCEN_SVCS[$i]}" 20; done
  SCEN_SVCS=(); TARGETS=(); REDIS_PORTS=()
  T_PORT=(); T_ADMIN=(); T_LABEL=()
}
scenario_service() { SCEN_SVCS+=("$1"); }

# ---- the peers' configurations
write_nginx() { # write_nginx SERVER-LINES...: TMP/nginx.conf, a proxy on PORT_NGINX to those upstream servers
  local s
  {
    echo "worker_processes 2;"
    nginx_common nginx
    echo "http {"
    nginx_http_common nginx
    echo "    upstream backend {"
    echo "        zone backend 64k;"
    for s in "$@"; do echo "        server $s;"; done
    cat <<EOF
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
        }
    }
}
EOF
  } >"$TMP/nginx.conf"
}
write_haproxy() { # write_haproxy BACKEND-LINES...: TMP/haproxy.cfg, a proxy on PORT_HAPROXY; the lines name the servers
  local s
  {
    cat <<EOF
global
    nbthread 2
    maxconn 8000
    pidfile $TMP/haproxy.pid

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout queue 10s
    timeout http-keep-alive 60s

frontend fe
    bind $HOST:$PORT_HAPROXY
    maxconn 8000
    default_backend be

backend be
    balance roundrobin
EOF
    for s in "$@"; do echo "    $s"; done
  } >"$TMP/haproxy.cfg"
}
start_peers() { # start_peers: nginx and haproxy from TMP/nginx.conf and TMP/haproxy.cfg
  log "starting nginx proxy on $HOST:$PORT_NGINX"
  start_nginx nginx "$PORT_NGINX"
  scenario_service nginx
  log "starting haproxy on $HOST:$PORT_HAPROXY"
  start_haproxy haproxy "$PORT_HAPROXY"
  scenario_service haproxy
}

# ---- gateways
gateway_head() { # gateway_head SLOT: the config lines every gateway shares
  cat <<EOF
  listen { host = "$HOST", port = ${GW_PORTS[$1]} }
  admin { host = "$HOST", port = ${GW_ADMINS[$1]} }
EOF
}
start_gateway() { # start_gateway TARGET SLOT: runs TMP/TARGET.conf on slot SLOT's ports after --check
  local t="$1" slot="$2"
  java -jar "$TMP/gateway.jar" --check --config "$TMP/$t.conf" >"$TMP/$t.check.log" 2>&1 \
    || { cat "$TMP/$t.check.log" >&2; cat "$TMP/$t.conf" >&2; die "$t: gateway --check rejected $TMP/$t.conf"; }
  log "$t: starting gateway on $HOST:${GW_PORTS[$slot]} (admin ${GW_ADMINS[$slot]}): java $JAVA_OPTS -jar gateway.jar --config $t.conf"
  start_service "$t" java "${JAVA_ARGS_GATEWAY[@]}" -jar "$TMP/gateway.jar" --config "$TMP/$t.conf"
  scenario_service "$t"
  wait_http "$t" "${SVC_PID[$t]}" "http://$HOST:${GW_ADMINS[$slot]}/ready" "$READY_TIMEOUT"
}
metrics_snapshot() { # metrics_snapshot ADMIN_PORT FILE: the counters the notes are made of
  curl -sf --max-time 5 "http://$HOST:$1/metrics" \
    | awk '/^(gateway_requests_total|gateway_upstream_errors_total|gateway_ratelimit_decisions_total|gateway_ratelimit_store_errors_total|gateway_hedge_requests_total|gateway_hedge_wins_total|gateway_shed_requests_total)[{ ]/ { print $1, $2 }' >"$2" \
    || : >"$2"
}
metric_delta() { # metric_delta BEFORE AFTER NAME -> "label=value +N, ..." for NAME's series that moved
  awk -v name="$3" '
    NR == FNR { b[$1] = $2; next }
    index($1, name "{") == 1 || $1 == name {
      d = $2 - b[$1]; if (d == 0) next
      l = $1; sub(/^[^{]*[{]?/, "", l); sub(/[}]$/, "", l); gsub(/"/, "", l)
      gsub(/(route|method|upstream|shard)=[^,]*,?/, "", l); sub(/,$/, "", l)
      s[l] += d
    }
    END { for (l in s) printf "%s+%d, ", (l == "" ? "" : l " "), s[l] }' "$1" "$2"
}
metric_present() { grep -q "^$2[{ ]" "$1"; } # metric_present FILE NAME

services_alive() { # services_alive WHAT: dies naming any service of this script that is gone
  local n
  for n in "${!SVC_PID[@]}"; do
    kill -0 "${SVC_PID[$n]}" 2>/dev/null || die "$n (pid ${SVC_PID[$n]}) died during the run $1 (see $n.log)"
  done
}
probe() { # probe TARGET [HEADER]: one request answers 200
  local t="$1" code
  code="$(curl -s -o "$TMP/$t.probe" -w '%{http_code}' --max-time 10 ${2:+-H "$2"} "http://$HOST:${T_PORT[$t]}/" || true)"
  [[ "$code" == 200 ]] || die "$t: probe of http://$HOST:${T_PORT[$t]}/ answered HTTP ${code:-nothing} (expected 200 from the upstream)"
}

# ---------------------------------------------------------------- measuring
# Results keyed "SCENARIO,TARGET,RATE". A run may outlast its schedule by twice the generator's
# request timeout (30 s) plus its 10 s connect wait; past RUN_SLACK more, it is stopped as hung.
RUN_SLACK=120
declare -A M_ACH M_OK M_P50 M_P99 M_P999 M_ERR M_REQ M_NOTE M_HEDGED M_SHED M_HAS_HEDGE M_HAS_SHED
RUN_SECS=0
# measure SCEN TARGET RATE DURATION CONNECTIONS USERS(0: none) [warmup]
measure() {
  local scen="$1" t="$2" rate="$3" dur="$4" conns="$5" users="$6" kind="${7:-measured}"
  local k="$scen,$t,$rate" tag="$scen-$t-$rate" admin="${T_ADMIN[$t]}" url="http://$HOST:${T_PORT[$t]}/"
  local -a args=(--url "$url" --rate "$rate" --duration "${dur}s" --connections "$conns" --threads "$GEN_THREADS")
  (( users > 0 )) && args+=(--users "$users")
  if [[ "$kind" == warmup ]]; then
    log "$scen: $t: warm-up ${dur}s at $rate req/s"
    run_loadtest "$TMP/warm-$tag.json" "$TMP/warm-$tag.out" $((dur + RUN_SLACK)) "${args[@]}"
    return 0
  fi
  log "$scen: $t: ${dur}s at $rate req/s: loadtest.jar run ${args[*]}"
  if [[ -n "$admin" ]]; then metrics_snapshot "$admin" "$TMP/metrics-$tag.before"; fi
  local t0=$SECONDS
  run_loadtest "$TMP/run-$tag.json" "$TMP/run-$tag.out" $((dur + RUN_SLACK)) "${args[@]}"
  RUN_SECS=$((RUN_SECS + SECONDS - t0))
  services_alive "$scen: $t at $rate req/s"

  local f="$TMP/run-$tag.json" sep=$'\x1f'
  local req err ach sfb gfb p50 p99 p999 okp99 ok odd fails
  IFS="$sep" read -r req err ach sfb gfb p50 p99 p999 okp99 ok odd fails < <(jq -r '.runs[0] | [
      .requests, .errors, .achieved_rate, .server_fell_behind, .generator_fell_behind,
      .latency_ms.p50, .latency_ms.p99, .latency_ms.p99_9, .success_latency_ms.p99,
      ([(.statuses // {}) | to_entries[] | select(.key | startswith("2")) | .value] | add // 0),
      ([(.statuses // {}) | to_entries[] | select(.key | startswith("2") | not) | "\(.key) ×\(.value)"] | join(", ")),
      ([(.failures // {}) | to_entries[] | select(.value > 0) | "\(.key) ×\(.value)"] | join(", "))
    ] | map(tostring) | join("\u001f")' "$f") || die "$scen: $t: cannot read $f"
  [[ -n "$req" && "$req" != null && -n "$p99" && "$p99" != null ]] || die "$scen: $t: $f lacks requests or latency_ms"
  M_REQ[$k]="$req"; M_ERR[$k]="$err"; M_ACH[$k]="$ach"
  M_P50[$k]="$p50"; M_P99[$k]="$p99"; M_P999[$k]="$p999"
  M_OK[$k]="$(awk -v a="$ach" -v o="$ok" -v n="$req" 'BEGIN { printf "%.0f", (n > 0 ? a * o / n : 0) }')"

  local note=""
  [[ -n "$odd" && "$okp99" != null ]] && note+="2xx P99 $(fmt_lat "$okp99"); "
  [[ -n "$odd" ]] && note+="status $odd; "
  [[ -n "$fails" ]] && note+="no answer: $fails; "
  [[ "$sfb" == true ]] && note+="server fell behind; "
  [[ "$gfb" == true ]] && note+="generator fell behind; "
  if [[ -n "$admin" ]]; then
    local b="$TMP/metrics-$tag.before" a="$TMP/metrics-$tag.after" d
    metrics_snapshot "$admin" "$a"
    d="$(metric_delta "$b" "$a" gateway_upstream_errors_total)"; [[ -n "$d" ]] && note+="upstream errors: ${d%, }; "
    d="$(metric_delta "$b" "$a" gateway_ratelimit_decisions_total)"; [[ -n "$d" ]] && note+="limiter: ${d%, }; "
    d="$(metric_delta "$b" "$a" gateway_ratelimit_store_errors_total)"; [[ -n "$d" ]] && note+="store errors: ${d%, }; "
    M_HAS_HEDGE[$k]=0; M_HAS_SHED[$k]=0
    if metric_present "$a" gateway_hedge_requests_total; then
      M_HAS_HEDGE[$k]=1
      M_HEDGED[$k]="$(metric_delta "$b" "$a" gateway_hedge_requests_total | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')"
    fi
    if metric_present "$a" gateway_shed_requests_total; then
      M_HAS_SHED[$k]=1
      M_SHED[$k]="$(metric_delta "$b" "$a" gateway_shed_requests_total | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')"
    fi
    [[ -n "${M_HEDGED[$k]:-}" && "${M_HEDGED[$k]}" != 0 ]] && note+="hedged ${M_HEDGED[$k]}; "
    [[ -n "${M_SHED[$k]:-}" && "${M_SHED[$k]}" != 0 ]] && note+="shed ${M_SHED[$k]}; "
  fi
  M_NOTE[$k]="${note%; }"
  log "$scen: $t @ $rate: $(printf '%.0f' "$ach") req/s achieved (${M_OK[$k]} 2xx/s), P50 $p50 ms, P99 $p99 ms, P99.9 $p999 ms, $err errors of $req${note:+; ${note%; }}"
  sleep 1
}

# warm_and_measure SCEN DURATION CONNECTIONS USERS RATE...: a warm-up per target at the first rate,
# then each rate through all targets.
warm_and_measure() {
  local scen="$1" dur="$2" conns="$3" users="$4" t rate
  shift 4
  if (( WARMUP > 0 )); then
    for t in "${TARGETS[@]}"; do measure "$scen" "$t" "$1" "$WARMUP" "$conns" "$users" warmup; done
  fi
  local d
  for rate in "$@"; do
    d="$dur"; [[ "$rate" == "$SATURATION_RATE" ]] && d="$SATURATION_DURATION"
    for t in "${TARGETS[@]}"; do measure "$scen" "$t" "$rate" "$d" "$conns" "$users"; done
  done
}

# ---------------------------------------------------------------- tables
fmt_lat() { # fmt_lat MS -> "0.42 ms", "12.3 ms", "345 ms", "1.23 s"
  awk -v v="$1" 'BEGIN {
    if (v == "" || v == "null") { print "n/a"; exit }
    if (v >= 1000) printf "%.2f s", v / 1000; else if (v >= 100) printf "%.0f ms", v
    else if (v >= 10) printf "%.1f ms", v; else printf "%.2f ms", v }'
}
fmt_added() { # fmt_added MS DIRECT_MS -> "+0.31 ms" (or n/a)
  awk -v a="$1" -v d="$2" 'BEGIN {
    if (a == "" || d == "" || a == "null" || d == "null") { print "n/a"; exit }
    x = a - d; s = (x < 0 ? "−" : "+"); if (x < 0) x = -x
    if (x >= 1000) printf "%s%.2f s", s, x / 1000; else if (x >= 100) printf "%s%.0f ms", s, x
    else if (x >= 10) printf "%s%.1f ms", s, x; else printf "%s%.2f ms", s, x }'
}
fmt_errors() { # fmt_errors ERRORS REQUESTS -> "0" or "123 (1.2%)"
  awk -v e="$1" -v n="$2" 'BEGIN { if (e + 0 == 0) print "0"; else printf "%d (%.2g%%)", e, (n > 0 ? 100 * e / n : 0) }'
}
# table SCEN REF REF_LABEL SAT_RATE TARGET... -> markdown on stdout, rows by rate then target;
# RATES_OF_TABLE holds the rates. "added" is over the direct row at the same rate.
table() {
  local scen="$1" ref="$2" reflabel="$3" sat="$4" rate t k d r label
  shift 4
  echo "| target | rate req/s | achieved req/s | 2xx req/s | P50 | P99 | P99.9 | added P50 | added P99 | errors | req/s vs $reflabel | P99 vs $reflabel | notes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for rate in "${RATES_OF_TABLE[@]}"; do
    label="$rate"; [[ "$rate" == "$sat" ]] && label="$rate (saturation)"
    d="$scen,direct,$rate"; r="$scen,$ref,$rate"
    for t in "$@"; do
      k="$scen,$t,$rate"
      [[ -n "${M_REQ[$k]:-}" ]] || continue
      local added50="–" added99="–" p99ratio="–"
      if [[ "$rate" != "$sat" ]]; then p99ratio="$(ratio "${M_P99[$k]}" "${M_P99[$r]:-}")"; fi
      if [[ "$t" != direct && "$rate" != "$sat" && -n "${M_P50[$d]:-}" ]]; then
        added50="$(fmt_added "${M_P50[$k]}" "${M_P50[$d]}")"; added99="$(fmt_added "${M_P99[$k]}" "${M_P99[$d]}")"
      fi
      printf '| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "${T_LABEL_ALL[$scen,$t]}" "$label" "${M_ACH[$k]}" "${M_OK[$k]}" \
        "$(fmt_lat "${M_P50[$k]}")" "$(fmt_lat "${M_P99[$k]}")" "$(fmt_lat "${M_P999[$k]}")" \
        "$added50" "$added99" "$(fmt_errors "${M_ERR[$k]}" "${M_REQ[$k]}")" \
        "$(ratio "${M_ACH[$k]}" "${M_ACH[$r]:-}")" "$p99ratio" "${M_NOTE[$k]:-}"
    done
  done
}
declare -A T_LABEL_ALL # "SCEN,TARGET" -> label, kept after the scenario's targets are gone
remember_labels() { local t; for t in "${TARGETS[@]}"; do T_LABEL_ALL[$1,$t]="${T_LABEL[$t]}"; done; }
show_table() { # show_table NAME: print TMP/NAME.md on stdout
  echo; echo "### $1"; echo; cat "$TMP/table-$1.md"
}
ALL_RATES=()
for r in $RATES; do ALL_RATES+=("$r"); done
if (( SATURATION_RATE > 0 )); then ALL_RATES+=("$SATURATION_RATE"); fi
DONE_SCENARIOS=()

# ---------------------------------------------------------------- plain
if wants plain; then
  log "==== scenario plain"
  start_mock_upstream up-a "$PORT_UP_A" none; scenario_service up-a
  write_nginx "$HOST:$PORT_UP_A"
  write_haproxy "server up $HOST:$PORT_UP_A maxconn 1000"
  start_peers
  { echo "gateway {"; gateway_head 0
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UP_A\" ] } ]"
    echo "}"; } >"$TMP/gateway.conf"
  start_gateway gateway 0
  add_target direct "$PORT_UP_A" "direct (upstream)"
  add_target gateway "${GW_PORTS[0]}" "gateway" "${GW_ADMINS[0]}"
  add_target nginx "$PORT_NGINX" "nginx"
  add_target haproxy "$PORT_HAPROXY" "HAProxy"
  for t in "${TARGETS[@]}"; do probe "$t"; done
  remember_labels plain
  warm_and_measure plain "$DURATION" "$CONNECTIONS" 0 "${ALL_RATES[@]}"
  RATES_OF_TABLE=("${ALL_RATES[@]}")
  table plain nginx nginx "$SATURATION_RATE" direct gateway nginx haproxy >"$TMP/table-plain.md"
  show_table plain
  DONE_SCENARIOS+=(plain)
  end_scenario
fi

# ---------------------------------------------------------------- ratelimit-local, ratelimit-redis
if wants ratelimit-local || wants ratelimit-redis; then
  log "==== scenario ratelimit ($(wants ratelimit-local && echo "local ")$(wants ratelimit-redis && echo redis))"
  start_mock_upstream up-a "$PORT_UP_A" none; scenario_service up-a
  route="{ id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UP_A\" ]"
  limited="$route, rate-limit { requests = $QUOTA_REQUESTS, window = $QUOTA_WINDOW } }"
  identity="  identity { sources = [ { type = header, name = \"X-API-Key\" } ] }"
  { echo "gateway {"; gateway_head 0; echo "$identity"; echo "  routes = [ $route } ]"; echo "}"; } >"$TMP/gateway.conf"
  start_gateway gateway 0
  add_target direct "$PORT_UP_A" "direct (upstream)"
  add_target gateway "${GW_PORTS[0]}" "gateway, no limit" "${GW_ADMINS[0]}"
  if wants ratelimit-local; then
    { echo "gateway {"; gateway_head 1; echo "$identity"; echo "  rate-limit { store = local }"
      echo "  routes = [ $limited ]"; echo "}"; } >"$TMP/gateway-local.conf"
    start_gateway gateway-local 1
    add_target gateway-local "${GW_PORTS[1]}" "gateway, limit in memory" "${GW_ADMINS[1]}"
  fi
  if wants ratelimit-redis; then
    log "starting two redis-server shards"
    start_redis redis-1; scenario_service redis-1
    start_redis redis-2; scenario_service redis-2
    REDIS_SHARDS="[ \"redis://$HOST:${REDIS_PORTS[0]}\", \"redis://$HOST:${REDIS_PORTS[1]}\" ]"
    { echo "gateway {"; gateway_head 2; echo "$identity"
      echo "  rate-limit { store = redis, redis { shards = $REDIS_SHARDS, command-timeout = $REDIS_COMMAND_TIMEOUT } }"
      echo "  routes = [ $limited ]"; echo "}"; } >"$TMP/gateway-redis.conf"
    start_gateway gateway-redis 2
    add_target gateway-redis "${GW_PORTS[2]}" "gateway, limit in Redis (2 shards)" "${GW_ADMINS[2]}"
  fi
  for t in "${TARGETS[@]}"; do probe "$t" "X-API-Key: bench-probe"; done
  for t in gateway-local gateway-redis; do
    [[ -n "${T_PORT[$t]:-}" ]] || continue
    curl -sI --max-time 5 -H 'X-API-Key: bench-probe' "http://$HOST:${T_PORT[$t]}/" | grep -qi '^ratelimit-policy:' \
      || die "$t: the response has no RateLimit-Policy header (is the route limited?)"
  done
  remember_labels ratelimit
  warm_and_measure ratelimit "$DURATION" "$CONNECTIONS" "$USERS" "${ALL_RATES[@]}"
  RATES_OF_TABLE=("${ALL_RATES[@]}")
  if wants ratelimit-local; then
    table ratelimit gateway "no limit" "$SATURATION_RATE" direct gateway gateway-local >"$TMP/table-ratelimit-local.md"
    show_table ratelimit-local
    DONE_SCENARIOS+=(ratelimit-local)
  fi
  if wants ratelimit-redis; then
    V_REDIS="$(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"
    table ratelimit gateway "no limit" "$SATURATION_RATE" direct gateway gateway-redis >"$TMP/table-ratelimit-redis.md"
    show_table ratelimit-redis
    DONE_SCENARIOS+=(ratelimit-redis)
  fi
  end_scenario
fi

# ---------------------------------------------------------------- hedge
if wants hedge; then
  log "==== scenario hedge"
  start_mock_upstream up-a "$PORT_UP_A" "$HEDGE_LATENCY" --seed 1; scenario_service up-a
  start_mock_upstream up-b "$PORT_UP_B" "$HEDGE_LATENCY" --seed 2; scenario_service up-b
  write_nginx "$HOST:$PORT_UP_A" "$HOST:$PORT_UP_B"
  write_haproxy "server a $HOST:$PORT_UP_A maxconn 1000" "server b $HOST:$PORT_UP_B maxconn 1000"
  start_peers
  ups="[ \"http://$HOST:$PORT_UP_A\", \"http://$HOST:$PORT_UP_B\" ]"
  { echo "gateway {"; gateway_head 0
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = $ups } ]"; echo "}"; } >"$TMP/gateway.conf"
  { echo "gateway {"; gateway_head 1
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = $ups, hedge { after = $HEDGE_AFTER, max-extra-percent = 10 } } ]"
    echo "}"; } >"$TMP/gateway-hedge.conf"
  start_gateway gateway 0
  start_gateway gateway-hedge 1
  add_target direct "$PORT_UP_A" "direct (one upstream)"
  add_target gateway "${GW_PORTS[0]}" "gateway, no hedge" "${GW_ADMINS[0]}"
  add_target gateway-hedge "${GW_PORTS[1]}" "gateway, hedge after $HEDGE_AFTER" "${GW_ADMINS[1]}"
  add_target nginx "$PORT_NGINX" "nginx"
  add_target haproxy "$PORT_HAPROXY" "HAProxy"
  for t in "${TARGETS[@]}"; do probe "$t"; done
  remember_labels hedge
  warm_and_measure hedge "$HEDGE_DURATION" "$HEDGE_CONNECTIONS" 0 "$HEDGE_RATE"
  RATES_OF_TABLE=("$HEDGE_RATE")
  table hedge nginx nginx 0 direct gateway gateway-hedge nginx haproxy >"$TMP/table-hedge.md"
  show_table hedge
  DONE_SCENARIOS+=(hedge)
  end_scenario
fi

# ---------------------------------------------------------------- shed
if wants shed; then
  log "==== scenario shed: capacity $SHED_CAPACITY req/s (gateway: $SHED_GW_CAPACITY), driven at $SHED_RATE req/s"
  start_mock_upstream up-a "$PORT_UP_A" "fixed:${SHED_LATENCY_MS}ms"; scenario_service up-a
  write_nginx "$HOST:$PORT_UP_A max_conns=$SHED_MAX_CONNECTIONS"
  # HAProxy's queue is unbounded with one server (maxqueue only redispatches to others): bound it
  # like the gateway's max-pending, answering 503 beyond it.
  write_haproxy "http-request deny deny_status 503 if { queue() ge $SHED_MAX_PENDING }" \
    "server up $HOST:$PORT_UP_A maxconn $SHED_MAX_CONNECTIONS"
  start_peers
  capped="  upstream { max-connections = $SHED_MAX_CONNECTIONS, max-pending = $SHED_MAX_PENDING }"
  route="  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UP_A\" ] } ]"
  { echo "gateway {"; gateway_head 0; echo "$capped"; echo "$route"; echo "}"; } >"$TMP/gateway.conf"
  { echo "gateway {"; gateway_head 1; echo "$capped"
    echo "  load-shedding { p99-above = $SHED_P99, window = $SHED_WINDOW, min-samples = $SHED_MIN_SAMPLES }"
    echo "$route"; echo "}"; } >"$TMP/gateway-shed.conf"
  start_gateway gateway 0
  start_gateway gateway-shed 1
  add_target direct "$PORT_UP_A" "direct (upstream, uncapped)"
  add_target gateway "${GW_PORTS[0]}" "gateway, no shedding" "${GW_ADMINS[0]}"
  add_target gateway-shed "${GW_PORTS[1]}" "gateway, shed above P99 $SHED_P99" "${GW_ADMINS[1]}"
  add_target nginx "$PORT_NGINX" "nginx (max_conns)"
  add_target haproxy "$PORT_HAPROXY" "HAProxy (maxconn, queue bound)"
  for t in "${TARGETS[@]}"; do probe "$t"; done
  remember_labels shed
  warm_and_measure shed "$SHED_DURATION" "$SHED_CONNECTIONS" 0 "$SHED_RATE"
  RATES_OF_TABLE=("$SHED_RATE")
  table shed nginx nginx 0 direct gateway gateway-shed nginx haproxy >"$TMP/table-shed.md"
  show_table shed
  DONE_SCENARIOS+=(shed)
  end_scenario
fi

# ---------------------------------------------------------------- report
describe_machine
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
SUITE_SECS=$((SECONDS - SUITE_START))
COMMAND="${CMD_ENV}bash $SCRIPT_REL"
LT_CMD="java $LOADTEST_JAVA_OPTS -jar $LOADTEST_JAR_SHOWN run --url http://$HOST:PORT/ --rate R --duration D --connections C --threads $GEN_THREADS [--users U] --json FILE"

# what_it_measures FEATURE NOUN PARTICIPLE KEY: a sentence on what the row KEY (SCEN,TARGET,RATE)
# measures, from the gateway's counter gateway_FEATURE_requests_total over its run.
what_it_measures() {
  local feature="$1" noun="$2" done_="$3" k="$4" n present
  case "$feature" in
    hedge) n="${M_HEDGED[$k]:-0}"; present="${M_HAS_HEDGE[$k]:-0}" ;;
    shed) n="${M_SHED[$k]:-0}"; present="${M_HAS_SHED[$k]:-0}" ;;
  esac
  if (( n > 0 )); then
    echo "The gateway counted $n $done_ requests in the measured run (\`gateway_${feature}_requests_total\`), so this row measures $noun as implemented in this build."
  elif [[ "$present" == 1 ]]; then
    echo "The gateway's \`gateway_${feature}_requests_total\` did not move during the measured run: no request was $done_, so this row is the gateway with the keys set but not acting on them."
  else
    echo "**This build does no $noun yet**: the keys are parsed and validated, but nothing acts on them and \`/metrics\` has no \`gateway_${feature}_requests_total\` ($noun lands in a later issue). Today this row measures the gateway with the keys set, which should match the row without them; it will measure $noun once that lands."
  fi
}

{
  echo "$SECTION_HEADING"
  echo
  echo "Written by \`$SCRIPT_REL\`; every run replaces this section."
  echo
  echo "- Command: \`$COMMAND\` (scenarios: ${DONE_SCENARIOS[*]}); took ${SUITE_SECS}s, ${RUN_SECS}s of it in measured runs."
  echo "- Load: our open-loop generator, \`$LT_CMD\`, a fresh JVM per run, which first sends its own unrecorded 2 s warm-up (\`--warmup\` default) at the run's rate. It sends at the fixed rate whatever the answers do, and each latency counts from the request's intended send time (HdrHistogram), so a stall shows up in every request it delays (no coordinated omission). \"achieved req/s\" is requests sent per second of the time sending took (below the rate only when every connection was waiting on the target), \"2xx req/s\" the part of it answered 2xx; \"errors\" are 5xx answers plus requests with no answer."
  echo "- Method: within a scenario every target is up at once on its own port; each gets a ${WARMUP}s warm-up run at the scenario's first rate, then each rate is measured through all targets in table order before the next rate. One run per target and rate, no repetitions."
  echo "- Date: $DATE; repo revision $GIT_REV; gateway.jar built $GW_JAR_DATE, loadtest.jar built $LT_JAR_DATE"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL. The generator, the mock upstream(s), the proxy under test and the idle other targets all share these cores over loopback."
  echo "- **Noise:** other work was running on this machine during the run (load average $LOAD_START at the start, $LOAD_END at the end, for 2 cores), so the figures move between runs by more than the smaller differences in these tables (a tail of tens of milliseconds at 20000 req/s, or \"generator fell behind\" at modest rates, is usually a descheduled process, not the proxy); read them as orders of magnitude and shapes, not as exact ratios."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA${V_REDIS:+; $V_REDIS}"
  echo "- Peers: nginx = 2 workers, an \`upstream\` block with \`zone\` and \`keepalive 256\`, HTTP/1.1, access_log off (:$PORT_NGINX); HAProxy = \`nbthread 2\`, mode http, \`http-reuse always\`, \`balance roundrobin\`, no logging (:$PORT_HAPROXY); gateway = \`java $JAVA_OPTS -jar $GATEWAY_JAR_SHOWN\` (:${GW_PORTS[0]}, a second and third configuration on :${GW_PORTS[1]}, :${GW_PORTS[2]}); mock upstream = \`java $UPSTREAM_JAVA_OPTS -jar $LOADTEST_JAR_SHOWN upstream --latency SPEC\` (:$PORT_UP_A, a second one on :$PORT_UP_B)."
  echo "- Columns: \"added P50\" / \"added P99\" are the row's percentile minus the direct row's at the same rate (the same load straight at the upstream); \"vs nginx\" (or \"vs no limit\") is the ratio to that row at the same rate; notes list non-2xx statuses, requests without answer, whether the server or the generator fell behind the schedule (achieved under 95% of the rate; a send more than 10 ms late on a free connection, or the generator's loop as late on its 1 ms probe), and the gateway's own counters (upstream errors, limiter decisions, hedged and shed requests) from its \`/metrics\` before and after the run, so they include the generator's 2 s warm-up."
  for s in "${DONE_SCENARIOS[@]}"; do
    echo
    case "$s" in
      plain)
        echo "### Plain proxying (upstream \`--latency none\`)"
        echo
        echo "Direct, gateway, nginx and HAProxy to one mock upstream answering at once; $CONNECTIONS connections, ${DURATION}s per run, at ${RATES// /, } req/s$( (( SATURATION_RATE > 0 )) && echo " and at $SATURATION_RATE req/s, meant to be above every target's capacity here")."
        if (( SATURATION_RATE > 0 )); then
          echo "The saturation runs schedule ${SATURATION_DURATION}s of $SATURATION_RATE req/s and last until the target has answered them all (or the generator's 30 s request timeout), so their \"achieved req/s\" is the target's capacity under this load. Their latency is not the target's: it is mostly time spent in the queue of requests not yet sent, and grows with the schedule's length, so the table leaves their added latency and P99 ratio out."
        fi
        ;;
      ratelimit-local|ratelimit-redis)
        if [[ "$s" == ratelimit-local ]]; then
          echo "### Rate limiting in memory (\`store = local\`)"
        else
          echo "### Rate limiting in Redis (\`store = redis\`, two shards)"
        fi
        echo
        echo "The gateway with \`identity { sources = [ { type = header, name = \"X-API-Key\" } ] }\` and the route limited to $QUOTA_REQUESTS requests per $QUOTA_WINDOW, a quota never reached, so every request is decided and allowed: what the row adds over \"no limit\" (the same gateway without the limit) is the cost of the decision. Every run sends \`--users $USERS\`: each request carries one of $USERS identities as X-API-Key, for the direct and no-limit rows too. Same connections, durations and rates as the plain table; nginx and HAProxy have no equivalent and are not run."
        if [[ "$s" == ratelimit-redis ]]; then
          echo "Redis: two \`redis-server --save \"\" --appendonly no\` shards on loopback started by the script, \`command-timeout = $REDIS_COMMAND_TIMEOUT\`, default \`on-store-failure = fail-open\`: a \"limiter: fail_open\" note means decisions the store did not answer in time."
        fi
        echo "The direct and no-limit rows are one set of runs, shared with the other rate-limit table when both run."
        ;;
      hedge)
        echo "### Hedging (two upstreams, \`$HEDGE_LATENCY\`)"
        echo
        echo "Two mock upstream instances, each with \`--latency $HEDGE_LATENCY\` (seeds 1 and 2): about 2% of requests take 500 ms to 5 s, the rest about 50 ms. $HEDGE_RATE req/s for ${HEDGE_DURATION}s over $HEDGE_CONNECTIONS connections (enough for the slow answers to stay in flight without holding up the schedule). Every proxy balances round-robin over both instances; direct goes to the first one only. The hedged gateway's route has \`hedge { after = $HEDGE_AFTER, max-extra-percent = 10 }\`."
        echo "Achieved req/s is below the rate here, with \"server fell behind\", because a run ends with its last answer, up to 5 s after the schedule ends; every scheduled request was sent on time."
        what_it_measures hedge hedging hedged "hedge,gateway-hedge,$HEDGE_RATE"
        ;;
      shed)
        echo "### Load shedding at 2× overload"
        echo
        echo "One mock upstream with \`--latency fixed:${SHED_LATENCY_MS}ms\`; each proxy may hold $SHED_MAX_CONNECTIONS connections to it, so its capacity is $SHED_MAX_CONNECTIONS / ${SHED_LATENCY_MS} ms = $SHED_CAPACITY req/s (the gateway splits \`upstream { max-connections = $SHED_MAX_CONNECTIONS, max-pending = $SHED_MAX_PENDING }\` over its $GW_LOOPS event loops: $SHED_GW_CONNS connections, $SHED_GW_CAPACITY req/s), driven at $SHED_RATE req/s for ${SHED_DURATION}s over $SHED_CONNECTIONS connections. What each does with the excess: the gateway queues up to max-pending and answers 503 \`upstream_busy\` beyond; nginx (\`server ... max_conns=$SHED_MAX_CONNECTIONS\` in a shared \`zone\`, no queue in the open-source build) answers 502 at once; HAProxy (\`server ... maxconn $SHED_MAX_CONNECTIONS\`, and \`http-request deny deny_status 503 if { queue() ge $SHED_MAX_PENDING }\` since its queue has no bound of its own with one server) queues up to $SHED_MAX_PENDING and answers 503 beyond, like the gateway. The latency columns cover every request, rejected ones included: with about half of them rejected within a millisecond, P50 is mostly a rejection and P99 an admitted request that waited in the queue; \"2xx req/s\" is what got through. The shedding gateway adds \`load-shedding { p99-above = $SHED_P99, window = $SHED_WINDOW, min-samples = $SHED_MIN_SAMPLES }\`. Direct is the upstream without any cap, for the added-latency columns."
        what_it_measures shed shedding shed "shed,gateway-shed,$SHED_RATE"
        ;;
    esac
    echo
    cat "$TMP/table-$s.md"
  done
} >"$TMP/section.md"

echo
cat "$TMP/section.md"

if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
