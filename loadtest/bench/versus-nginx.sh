#!/usr/bin/env bash
# The gateway beside nginx and HAProxy with equal worker counts (issue 15's benchmark): for each
# worker count N in WORKERS, the gateway with `gateway.event-loops = N`, nginx with
# `worker_processes N` and HAProxy with `nbthread N`, each a reverse proxy to the same upstream
# (nginx, `return 200 "ok\n"`, on its own port and its own core), all on 127.0.0.1:
#
#   saturation   wrk -t THREADS -c CONNECTIONS --latency (P99.9 from a Lua done() hook): req/s,
#                P50/P99/P99.9, the proxy's CPU time per request (utime+stime from /proc/PID/stat)
#   open loop    loadtest.jar run at OPEN_PERCENTS (25% 50% 75%) of nginx's saturation rate at that
#                worker count, measured in this run (a calibration run of nginx just before the
#                rounds): P50/P99/P99.9/max from each request's intended send time
#   TLS and h2   a second, TLS-only process of each proxy (the same certificate, TLS 1.2/1.3, ALPN
#                h2 and http/1.1): h2load (H2_CONNECTIONS x H2_STREAMS streams) and wrk over TLS
#                (HTTP/1.1), req/s, P50/P99/P99.9, CPU per request
#   gateway-redis  the gateway with the rate limiter on two redis-server shards (a quota never
#                reached, every request decided; as ratelimit-overhead.sh), saturation only, for
#                reference against the plain gateway
#
# Every measurement runs on a fresh process: each round starts each target anew, warms it up,
# measures, and stops it (TLS: another fresh process). ROUNDS rounds run interleaved, round r
# going through TARGETS rotated left by r-1; each row is the median round (by req/s at
# saturation, by P99 in the open loop) with the range over all rounds.
#
# Cores (PIN=1): with C usable CPUs, the measured proxy is pinned (taskset) to the first N of them
# and everything else (the upstream nginx, the Redis shards, wrk, h2load, the open-loop generator,
# this script) to the others; when N >= C (2 workers on a 2-core machine) the proxy gets every CPU
# and the rest is pinned to the last one, which it then shares with the proxy's second worker.
#
# Summary lines: gateway/nginx at saturation per worker count (req/s, target >= 1.15x; P99, target
# <= 1x; CPU per request, target < 1x), open-loop P99 and P99.9 per rate (target <= 1x), TLS.
# Prints a markdown report and writes it to RESULTS_FILE; docs/benchmarks.md is not touched.
#
# Env knobs (defaults in brackets); the default run takes about 15 minutes (the script prints its
# estimate first). To shorten: WORKERS=1, ROUNDS=1, TARGETS="gateway nginx", OPEN_PERCENTS=50 or
# "", TLS=0, shorter SAT_DURATION / OPEN_DURATION / TLS_DURATION.
#   WORKERS            worker counts to compare ["1 2"]
#   TARGETS            ["gateway nginx haproxy gateway-redis"] (known: those four)
#   ROUNDS             rounds per worker count, interleaved [3]
#   THREADS CONNECTIONS  wrk -t / -c, plain and TLS HTTP/1.1 [2 64]
#   SAT_DURATION       seconds of each measured wrk saturation run [5]
#   WARMUP             wrk warm-up seconds after nginx / HAProxy start [1]
#   GATEWAY_WARMUP     wrk warm-up seconds after a gateway start (JIT) [5]
#   WARMUP_CHURN       then a second wrk warm-up of this many seconds on new connections, gateways
#                      only [5]: the first warm-up's connections closing deoptimises the hot path, and
#                      without it the JIT recompiles in the measured run (0: off)
#   OPEN_PERCENTS      open-loop rates, percent of nginx's saturation req/s ["25 50 75"]; "" skips
#   OPEN_DURATION      seconds per open-loop rate [5]
#   OPEN_CONNECTIONS   generator connections [128]; GEN_THREADS generator threads [1]
#   GEN_WARMUP         generator warm-up at the first rate, seconds, unrecorded [2]
#   CALIBRATION        seconds of the nginx saturation run that sets the open-loop rates [6]
#   TLS                1 runs the TLS and h2 measurements [1]
#   TLS_DURATION       seconds per TLS measurement (h2, HTTP/1.1) [4]
#   TLS_WARMUP         warm-up seconds per TLS protocol, nginx / HAProxy [1]; GATEWAY_TLS_WARMUP [3]
#   GATEWAY_H2_WARMUP_REQUESTS  h2 requests (h2load -n, same -c/-m) a gateway's TLS process serves after
#                      its timed warm-ups and before it is measured [100000]; 0 skips. Each h2 stream is a
#                      child channel whose set-up and teardown HTTP/1.1 pays once per connection, so C2
#                      keeps compiling that path for tens of thousands of requests; a few seconds at the
#                      cold rate (a few thousand req/s) measure the JIT instead of the proxy
#   H2_CONNECTIONS H2_STREAMS  h2load -c / -m [16 10]
#   USERS              X-API-Key identities for gateway-redis (random per request) [100000]
#   PIN                1 pins proxy and load to separate CPUs as above; 0 lets them float [1]
#   UPSTREAM_WORKERS   the upstream nginx's worker_processes [1]
#   TRANSPORT          gateway.transport (auto io-uring epoll nio); unset: the gateway's default
#   JAVA_OPTS          gateway JVM flags ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   LOADTEST_JAVA_OPTS generator JVM flags ["-Xms512m -Xmx512m -XX:+UseParallelGC"]
#   READY_TIMEOUT      seconds to wait for a gateway's /ready [60]
#   PORT_WAIT          seconds to wait for the fixed ports to be free [60]
#   RESULTS_FILE       markdown output, relative to the repo root [target/bench/versus-nginx.md]
#   GATEWAY_JAR LOADTEST_JAR  jars (built with ./mvnw if the default and missing; copied at start)
#   KEEP_TMP           1 keeps the temp dir (configs, logs, raw outputs) [0]
set -euo pipefail

BENCH_NAME=versus-nginx
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs WORKERS TARGETS ROUNDS THREADS CONNECTIONS SAT_DURATION WARMUP GATEWAY_WARMUP WARMUP_CHURN \
  OPEN_PERCENTS OPEN_DURATION OPEN_CONNECTIONS GEN_THREADS GEN_WARMUP CALIBRATION TLS TLS_DURATION TLS_WARMUP \
  GATEWAY_TLS_WARMUP GATEWAY_H2_WARMUP_REQUESTS H2_CONNECTIONS H2_STREAMS USERS PIN UPSTREAM_WORKERS TRANSPORT JAVA_OPTS LOADTEST_JAVA_OPTS)"

WORKERS="${WORKERS:-1 2}"
TARGETS="${TARGETS:-gateway nginx haproxy gateway-redis}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
SAT_DURATION="${SAT_DURATION:-5}"
WARMUP="${WARMUP:-1}"
GATEWAY_WARMUP="${GATEWAY_WARMUP:-5}"
WARMUP_CHURN="${WARMUP_CHURN:-5}"
OPEN_PERCENTS="${OPEN_PERCENTS-25 50 75}"
OPEN_DURATION="${OPEN_DURATION:-5}"
OPEN_CONNECTIONS="${OPEN_CONNECTIONS:-128}"
GEN_THREADS="${GEN_THREADS:-1}"
GEN_WARMUP="${GEN_WARMUP:-2}"
CALIBRATION="${CALIBRATION:-6}"
TLS="${TLS:-1}"
TLS_DURATION="${TLS_DURATION:-4}"
TLS_WARMUP="${TLS_WARMUP:-1}"
GATEWAY_TLS_WARMUP="${GATEWAY_TLS_WARMUP:-3}"
GATEWAY_H2_WARMUP_REQUESTS="${GATEWAY_H2_WARMUP_REQUESTS:-100000}"
H2_CONNECTIONS="${H2_CONNECTIONS:-16}"
H2_STREAMS="${H2_STREAMS:-10}"
USERS="${USERS:-100000}"
PIN="${PIN:-1}"
UPSTREAM_WORKERS="${UPSTREAM_WORKERS:-1}"
TRANSPORT="${TRANSPORT:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-60}"
RESULTS_FILE="${RESULTS_FILE:-target/bench/versus-nginx.md}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18700
declare -A PORT=([gateway]=18701 [nginx]=18702 [haproxy]=18703 [gateway-redis]=18704)
declare -A TLS_PORT=([gateway]=18711 [nginx]=18712 [haproxy]=18713)
declare -A ADMIN=([gateway]=19701 [gateway-redis]=19704 [gateway-tls]=19711)
declare -A LABEL=([gateway]="gateway" [nginx]="nginx" [haproxy]="HAProxy" [gateway-redis]="gateway, Redis limiter (2 shards)")
QUOTA_REQUESTS=1000000000
QUOTA_WINDOW=60s
GAP=0.5 # seconds between steps, so closing connections do not overlap the next run

setup_paths "${BASH_SOURCE[0]}"
read -r -a WLIST <<<"$WORKERS"
read -r -a TLIST <<<"$TARGETS"
read -r -a PLIST <<<"$OPEN_PERCENTS"
(( ${#WLIST[@]} > 0 )) || die "WORKERS is empty"
(( ${#TLIST[@]} > 0 )) || die "TARGETS is empty"
for t in "${TLIST[@]}"; do
  [[ -n "${PORT[$t]:-}" ]] || die "unknown target '$t' in TARGETS (known: gateway nginx haproxy gateway-redis)"
done
for w in "${WLIST[@]}"; do [[ "$w" =~ ^[1-9][0-9]*$ ]] || die "WORKERS: '$w' is not a worker count"; done
for p in "${PLIST[@]}"; do [[ "$p" =~ ^[1-9][0-9]*$ ]] || die "OPEN_PERCENTS: '$p' is not a whole percent"; done
require_whole_numbers ROUNDS THREADS CONNECTIONS SAT_DURATION WARMUP GATEWAY_WARMUP WARMUP_CHURN OPEN_DURATION OPEN_CONNECTIONS \
  GEN_THREADS GEN_WARMUP CALIBRATION TLS TLS_DURATION TLS_WARMUP GATEWAY_TLS_WARMUP GATEWAY_H2_WARMUP_REQUESTS H2_CONNECTIONS H2_STREAMS \
  USERS PIN UPSTREAM_WORKERS READY_TIMEOUT PORT_WAIT
(( ROUNDS > 0 && SAT_DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS && OPEN_DURATION > 0 \
  && CALIBRATION > 0 && TLS_DURATION > 0 && USERS > 0 )) \
  || die "need ROUNDS, SAT_DURATION, THREADS, OPEN_DURATION, CALIBRATION, TLS_DURATION, USERS > 0 and CONNECTIONS >= THREADS"
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
is_gateway() { [[ "$1" == gateway || "$1" == gateway-redis ]]; }
has_open() { [[ "$1" != gateway-redis ]] && (( ${#PLIST[@]} > 0 )); }
has_tls() { [[ "$1" != gateway-redis ]] && (( TLS )); }

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkgs wrk nginx curl jq
ensure_pkg taskset util-linux
if wants haproxy; then ensure_pkg haproxy haproxy; fi
if (( TLS )); then ensure_pkg h2load nghttp2-client; ensure_pkg openssl openssl; fi
if wants gateway-redis; then ensure_pkg redis-server redis-server; ensure_pkg redis-cli redis-tools; fi
command -v java >/dev/null || die "java not found (gateway and load generator)"
ensure_gateway_jar
if (( ${#PLIST[@]} > 0 )); then ensure_loadtest_jar; fi
read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"

need_ports=("$PORT_UPSTREAM" "${PORT[@]}" "${TLS_PORT[@]}" "${ADMIN[@]}")
wait_ports_free "$PORT_WAIT" "${need_ports[@]}"
make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
JAR="$TMP/gateway.jar"
if (( ${#PLIST[@]} > 0 )); then cp "$LOADTEST_JAR" "$TMP/loadtest.jar"; LOADTEST_JAR="$TMP/loadtest.jar"; fi

# ---------------------------------------------------------------- time estimate
# Seconds per step, from smoke runs on this 2-core machine: a gateway starts in about 3 s, nginx and
# HAProxy in about 1 (stopping included); the generator's JVM takes about 2 s to start and finish.
estimate_seconds() {
  awk -v targets="${TLIST[*]}" -v rounds="$ROUNDS" -v workers="${#WLIST[@]}" -v gap="$GAP" \
      -v sat="$SAT_DURATION" -v warm="$WARMUP" -v gwarm="$((GATEWAY_WARMUP + WARMUP_CHURN))" -v npct="${#PLIST[@]}" \
      -v open="$OPEN_DURATION" -v genwarm="$GEN_WARMUP" -v calib="$CALIBRATION" -v tls="$TLS" \
      -v tdur="$TLS_DURATION" -v twarm="$TLS_WARMUP" -v gtwarm="$GATEWAY_TLS_WARMUP" -v h2n="$GATEWAY_H2_WARMUP_REQUESTS" 'BEGIN {
    n = split(targets, t, " ")
    for (i = 1; i <= n; i++) {
      gw = (t[i] ~ /^gateway/)
      s = (gw ? 3 + gwarm : 1 + warm) + gap + sat + 2 * gap
      if (t[i] != "gateway-redis" && npct > 0) s += gap + 2 + genwarm + npct * open
      if (t[i] != "gateway-redis" && tls) s += (gw ? 3 + 2 * gtwarm + h2n / 5000 : 1 + 2 * twarm) + 2 * tdur + 4 * gap
      round += s
    }
    c = (npct > 0 ? 1 + warm + gap + calib + gap : 0)
    printf "%d\n", workers * (c + rounds * round) + 20 }'
}
EST="$(estimate_seconds)"
log "expected runtime about $((EST / 60)) min $((EST % 60)) s (${#WLIST[@]} worker count(s) x $ROUNDS round(s) x ${#TLIST[@]} target(s))"

# ---------------------------------------------------------------- CPUs
cpu_list() { # cpu_list "0-3,6" -> "0 1 2 3 6"
  local part a b out=()
  IFS=, read -r -a parts <<<"$1"
  for part in "${parts[@]}"; do
    if [[ "$part" == *-* ]]; then a="${part%-*}"; b="${part#*-}"; for ((i = a; i <= b; i++)); do out+=("$i"); done
    else out+=("$part"); fi
  done
  echo "${out[*]}"
}
read -r -a CPUS <<<"$(cpu_list "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)")"
(( ${#CPUS[@]} > 0 )) || die "cannot read this process's allowed CPUs"
set_cpus() { # set_cpus N: PROXY_CPUS and LOAD_CPUS (taskset lists) for N workers
  local n="$1" c="${#CPUS[@]}"
  if (( n < c )); then
    PROXY_CPUS="$(IFS=,; echo "${CPUS[*]:0:n}")"; LOAD_CPUS="$(IFS=,; echo "${CPUS[*]:n}")"
  else
    PROXY_CPUS="$(IFS=,; echo "${CPUS[*]}")"; LOAD_CPUS="${CPUS[c - 1]}"
  fi
}
describe_cpus() { # describe_cpus N -> a phrase for the report
  set_cpus "$1"
  if (( ! PIN )); then echo "no pinning"; return; fi
  if (( $1 < ${#CPUS[@]} )); then echo "taskset: proxy on CPU $PROXY_CPUS, upstream/Redis/load generators on CPU $LOAD_CPUS"
  else echo "taskset: proxy on CPUs $PROXY_CPUS (all), upstream/Redis/load generators on CPU $LOAD_CPUS (shared with the proxy)"; fi
}
pin_pids() { # pin_pids CPUS PID...: every thread of each pid
  local c="$1" p
  shift
  for p in "$@"; do taskset -a -p -c "$c" "$p" >/dev/null || die "taskset -a -p -c $c $p failed"; done
}
# The load side (this shell, so every wrk, h2load and generator it starts) and the long-lived
# services go to LOAD_CPUS; each proxy is started under taskset -c PROXY_CPUS.
pin_load_side() {
  (( PIN )) || return 0
  pin_pids "$LOAD_CPUS" $$
  # shellcheck disable=SC2046
  pin_pids "$LOAD_CPUS" $(nginx_pids nginx-upstream)
  local name
  for name in redis-1 redis-2; do
    if [[ -n "${SVC_PID[$name]:-}" ]]; then pin_pids "$LOAD_CPUS" "$(below_setsid "${SVC_PID[$name]}" "$name")"; fi
  done
}
proxy_prefix() { # PROXY_PREFIX: what a proxy's command line starts with (taskset when pinning)
  PROXY_PREFIX=()
  if (( PIN )); then PROXY_PREFIX=(taskset -c "$PROXY_CPUS"); fi
}

# ---------------------------------------------------------------- configs
if (( TLS )); then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TMP/tls.key" -out "$TMP/tls.crt" \
    -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null \
    || die "openssl could not make a test certificate"
  cat "$TMP/tls.crt" "$TMP/tls.key" >"$TMP/tls.pem"
fi

gateway_conf() { # gateway_conf NAME WORKERS LISTEN-BLOCK ADMIN-PORT [EXTRA-LINES] [ROUTE-EXTRA] -> TMP/NAME.conf
  {
    echo "gateway {"
    echo "  listen $3"
    echo "  admin { host = \"$HOST\", port = $4 }"
    echo "  event-loops = $2"
    if [[ -n "$TRANSPORT" ]]; then echo "  transport = $TRANSPORT"; fi
    if [[ -n "${5:-}" ]]; then echo "$5"; fi
    echo "  routes = [ { id = bench, match { path-prefix = \"/\" }, upstreams = [ \"http://$HOST:$PORT_UPSTREAM\" ]${6:-} } ]"
    echo "}"
  } >"$TMP/$1.conf"
  local out
  out="$(java -jar "$JAR" --config "$TMP/$1.conf" --check 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "gateway --check refused $TMP/$1.conf"; }
}
HAPROXY_TLS_FLOOR="ssl-default-bind-options ssl-min-ver TLSv1.2"
write_configs() { # write_configs W: every proxy's plain and TLS config for W workers
  local w="$1"
  nginx_proxy_conf "nginx-w$w" "$w" "listen $HOST:${PORT[nginx]} backlog=4096;"
  haproxy_conf "haproxy-w$w" "$w" 4096 "bind $HOST:${PORT[haproxy]}" "$HAPROXY_TLS_FLOOR"
  gateway_conf "gateway-w$w" "$w" "{ host = \"$HOST\", port = ${PORT[gateway]} }" "${ADMIN[gateway]}"
  if wants gateway-redis; then
    gateway_conf "gateway-redis-w$w" "$w" "{ host = \"$HOST\", port = ${PORT[gateway-redis]} }" "${ADMIN[gateway-redis]}" \
      "  identity { sources = [ { type = header, name = \"X-API-Key\" } ] }
  rate-limit { store = redis, redis { shards = [ \"redis://$HOST:${REDIS_PORTS[0]}\", \"redis://$HOST:${REDIS_PORTS[1]}\" ], command-timeout = 100ms } }" \
      ", rate-limit { requests = $QUOTA_REQUESTS, window = $QUOTA_WINDOW }"
  fi
  if (( TLS )); then
    nginx_proxy_conf "nginx-tls-w$w" "$w" "listen $HOST:${TLS_PORT[nginx]} ssl http2 backlog=4096;
        ssl_certificate $TMP/tls.crt; ssl_certificate_key $TMP/tls.key; ssl_protocols TLSv1.2 TLSv1.3;"
    haproxy_conf "haproxy-tls-w$w" "$w" 4096 "bind $HOST:${TLS_PORT[haproxy]} ssl crt $TMP/tls.pem alpn h2,http/1.1" "$HAPROXY_TLS_FLOOR"
    gateway_conf "gateway-tls-w$w" "$w" \
      "{ host = \"$HOST\", port = ${TLS_PORT[gateway]}, tls { cert-file = \"$TMP/tls.crt\", key-file = \"$TMP/tls.key\" } }" \
      "${ADMIN[gateway-tls]}"
  fi
}
p999_lua_hook >"$TMP/p999.lua"
if wants gateway-redis; then write_users_lua "$TMP/users.lua"; fi

# ---------------------------------------------------------------- long-lived services
set_cpus "${WLIST[0]}"
if (( PIN )); then pin_pids "$LOAD_CPUS" $$; fi
start_upstream "$UPSTREAM_WORKERS"
if wants gateway-redis; then
  log "starting two redis-server shards"
  start_redis redis-1
  start_redis redis-2
fi

# ---------------------------------------------------------------- one proxy process at a time
# PROXY (GW_PID in bench-common.sh, stopped on exit): the process being measured; CPU_PIDS: its
# processes whose utime+stime count (java; haproxy; nginx master and workers).
GATEWAY_LINE=""
wait_https() { # wait_https NAME PID URL TIMEOUT_S
  local deadline=$((SECONDS + $4))
  until curl -skf -o /dev/null --max-time 2 "$3"; do
    kill -0 "$2" 2>/dev/null || die "$1 exited during startup (see its log in $TMP)"
    (( SECONDS < deadline )) || die "$1 not ready at $3 after $4s"
    sleep 0.2
  done
}
start_proxy() { # start_proxy KIND(plain|tls) TARGET W ROUND: starts it, waits until it answers 200 through the upstream
  local kind="$1" t="$2" w="$3" r="$4" conf name url code scheme=http
  if [[ "$kind" == tls ]]; then conf="$t-tls-w$w"; url="https://$HOST:${TLS_PORT[$t]}/"; scheme=https
  else conf="$t-w$w"; url="http://$HOST:${PORT[$t]}/"; fi
  name="$conf-r$r"
  case "$t" in
    nginx)
      start_bg "$name" "${PROXY_PREFIX[@]}" nginx -e "$TMP/$conf.error.log" -p "$TMP" -c "$TMP/$conf.conf" -g 'daemon off;' ;;
    haproxy)
      haproxy -c -q -f "$TMP/$conf.cfg" >"$TMP/$name.check.log" 2>&1 || { cat "$TMP/$name.check.log" >&2; die "haproxy -c -f $TMP/$conf.cfg failed"; }
      start_bg "$name" "${PROXY_PREFIX[@]}" haproxy -db -f "$TMP/$conf.cfg" ;;
    gateway|gateway-redis)
      start_bg "$name" "${PROXY_PREFIX[@]}" java "${JAVA_ARGS[@]}" -jar "$JAR" --config "$TMP/$conf.conf" ;;
  esac
  GW_PID="${SVC_PID[$name]}"
  if is_gateway "$t"; then
    local admin="${ADMIN[$t]}"; [[ "$kind" == tls ]] && admin="${ADMIN[gateway-tls]}"
    wait_http "$name" "$GW_PID" "http://$HOST:$admin/ready" "$READY_TIMEOUT"
    [[ -n "$GATEWAY_LINE" ]] || GATEWAY_LINE="$(grep -m1 -o 'gateway listening on.*' "$TMP/$name.log" || true)"
  elif [[ "$scheme" == https ]]; then wait_https "$name" "$GW_PID" "$url" 15
  else wait_http "$name" "$GW_PID" "$url" 15; fi
  code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 -H 'X-API-Key: bench-probe' "$url" || true)"
  [[ "$code" == 200 ]] || die "$name answered HTTP $code on / (expected 200 from the upstream)"
  local pid
  pid="$(below_setsid "$GW_PID" "$name")"
  case "$t" in
    nginx) CPU_PIDS="$(nginx_pids "$conf")" ;;
    *) CPU_PIDS="$pid" ;;
  esac
}
stop_proxy() {
  [[ -n "$GW_PID" ]] || return 0
  stop_group "$GW_PID" 20
  GW_PID=""
}
check_alive() { # check_alive WHAT: the upstream and Redis still run, and so does the proxy
  check_services_alive "$1" 0
  [[ -z "$GW_PID" ]] || kill -0 "$GW_PID" 2>/dev/null || die "the proxy died during $1"
}

# ---------------------------------------------------------------- measurements
cpu_figures() { # cpu_figures KEY T0 T1 SECONDS: R_TICKS R_CPU [KEY], and R_CORES [KEY] = CPUs busy
  local k="$1"
  if [[ -n "$3" ]]; then
    R_TICKS[$k]=$(($3 - $2))
    R_CPU[$k]="$(cpu_us_per_request "${R_TICKS[$k]}" "${R_REQS[$k]}")"
    R_CORES[$k]="$(awk -v t="${R_TICKS[$k]}" -v hz="$CLK_TCK" -v s="$4" 'BEGIN { printf "%.2f", t / hz / s }')"
  else
    R_TICKS[$k]=""; R_CPU[$k]="NaN"; R_CORES[$k]="NaN"
  fi
}
declare -A R_CORES R_SYS R_STOLEN
sat_run() { # sat_run NAME ROUND URL LUA SECONDS: wrk saturation, results in R_* [NAME,ROUND]
  local n="$1" r="$2" url="$3" lua="$4" secs="$5" k="$1,$2" out t0 t1 s0 s1 st0 st1 errs
  local -a pids
  read -r -a pids <<<"$CPU_PIDS"
  out="$TMP/wrk-${n//:/-}-r$r.txt"
  t0="$(ticks_of "${pids[@]}")" || die "$n: a process of pid ${pids[*]} vanished before the run"
  s0="$(system_ticks_of "${pids[@]}")" || s0=""
  st0="$(steal_ticks "$PROXY_CPUS")"
  run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -s "$lua" "$url"
  st1="$(steal_ticks "$PROXY_CPUS")"
  t1="$(ticks_of "${pids[@]}")" || t1=""
  s1="$(system_ticks_of "${pids[@]}")" || s1=""
  parse_wrk "$out" "$k" "$n"
  cpu_figures "$k" "$t0" "$t1" "$secs"
  R_SYS[$k]=NaN
  if [[ -n "$s0" && -n "$s1" ]]; then R_SYS[$k]="$(cpu_us_per_request $((s1 - s0)) "${R_REQS[$k]}")"; fi
  R_STOLEN[$k]="$(steal_percent $((st1 - st0)) "$secs" "$PROXY_CPUS")"
  errs="$(wrk_errors "$out")"; R_ERRS[$k]="${errs%; }"
  log "$n: round $r: ${R_RPS[$k]} req/s, P50/P99/P99.9 $(fmt_ms "${R_P50[$k]}")/$(fmt_ms "${R_P99[$k]}")/$(fmt_ms "${R_P999[$k]}"), ${R_CPU[$k]} µs CPU/request (${R_SYS[$k]} in the kernel), ${R_CORES[$k]} CPUs busy, ${R_STOLEN[$k]}% of the proxy's CPUs stolen by the host${R_ERRS[$k]:+; ${R_ERRS[$k]}}"
}
h2_warm_requests() { # h2_warm_requests URL N: h2load until N requests are done, output discarded
  h2load -n "$2" -c "$H2_CONNECTIONS" -m "$H2_STREAMS" -t 1 "$1" >"$TMP/h2-warm.txt" 2>&1 </dev/null &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  (( rc == 0 )) || { sed 's/^/    /' "$TMP/h2-warm.txt" >&2; die "h2load -n $2 against $1 exited with status $rc"; }
}
h2_run() { # h2_run NAME ROUND URL SECONDS [LOG]: h2load, results in R_* [NAME,ROUND] (no LOG: warm-up)
  local n="$1" r="$2" url="$3" secs="$4" k="$1,$2" out reqlog t0 t1
  local -a pids
  read -r -a pids <<<"$CPU_PIDS"
  reqlog="$TMP/h2-${n//:/-}-r$r.log"; out="$TMP/h2-${n//:/-}-r$r.txt"
  rm -f "$reqlog"
  t0="$(ticks_of "${pids[@]}")" || die "$n: a process of pid ${pids[*]} vanished before the run"
  h2load -D "$secs" -c "$H2_CONNECTIONS" -m "$H2_STREAMS" -t 1 --log-file="$reqlog" "$url" >"$out" 2>&1 </dev/null &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  t1="$(ticks_of "${pids[@]}")" || t1=""
  (( rc == 0 )) || { sed 's/^/    /' "$out" >&2; die "h2load against $url exited with status $rc"; }
  grep -q '^Application protocol: h2' "$out" || { sed 's/^/    /' "$out" >&2; die "$n: h2load did not negotiate h2"; }
  [[ -n "${5:-}" ]] || return 0
  # "finished in 4.00s, 12345.67 req/s, ..." ; "requests: N total, N started, N done, N succeeded, F failed, ..."
  R_RPS[$k]="$(awk '/^finished in/ { gsub(",", "", $4); printf "%d", $4 + 0.5 }' "$out")"
  R_REQS[$k]="$(awk '/^requests:/ { print $6; exit }' "$out")"
  local failed non2xx
  failed="$(awk '/^requests:/ { print $10; exit }' "$out")"
  non2xx="$(awk '/^status codes:/ { print $5 + $7 + $9; exit }' "$out")"
  # --log-file's third column: microseconds from the request's start to the end of its response.
  read -r "R_P50[$k]" "R_P99[$k]" "R_P999[$k]" < <(cut -f3 "$reqlog" | sort -n | awk '
    { v[NR] = $1 }
    function at(p,   i) { i = int(NR * p + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] }
    END { if (NR == 0) print "NaN NaN NaN"; else printf "%.1f %.1f %.1f\n", at(0.50), at(0.99), at(0.999) }')
  [[ -n "${R_RPS[$k]}" && -n "${R_REQS[$k]}" ]] || die "$n: could not parse h2load output ($out)"
  cpu_figures "$k" "$t0" "$t1" "$secs"
  R_ERRS[$k]=""
  if (( ${failed:-0} > 0 || ${non2xx:-0} > 0 )); then R_ERRS[$k]="h2load: $failed failed, $non2xx non-2xx"; fi
  log "$n: round $r: ${R_RPS[$k]} req/s, P50/P99/P99.9 $(fmt_ms "${R_P50[$k]}")/$(fmt_ms "${R_P99[$k]}")/$(fmt_ms "${R_P999[$k]}"), ${R_CPU[$k]} µs CPU/request${R_ERRS[$k]:+; ${R_ERRS[$k]}}"
}
declare -A O_P50 O_P99 O_P999 O_MAX O_SENT O_NOTE
open_run() { # open_run T W ROUND URL: loadtest.jar run, one sweep over the W rates; O_* [open:T:W:PCT,ROUND]
  local t="$1" w="$2" r="$3" url="$4" tag="open-$1-w$2-r$3" i p n k rates=""
  for p in "${PLIST[@]}"; do rates+="${RATE[$w,$p]},"; done
  rates="${rates%,}"
  log "$t: round $r: open loop at $rates req/s ($(printf '%s%% ' "${PLIST[@]}")of nginx's ${BASE[$w]}), ${OPEN_DURATION}s each"
  run_loadtest "$TMP/$tag.json" "$TMP/$tag.out" $((GEN_WARMUP + ${#PLIST[@]} * (OPEN_DURATION + 40) + 30)) \
    --url "$url" --sweep "rate=$rates" --duration "${OPEN_DURATION}s" --connections "$OPEN_CONNECTIONS" \
    --threads "$GEN_THREADS" --warmup "${GEN_WARMUP}s"
  local sep=$'\x1f' p50 p99 p999 max ach gfb sfb errs bad
  for i in "${!PLIST[@]}"; do
    p="${PLIST[$i]}"; n="open:$t:$w:$p"; k="$n,$r"
    IFS="$sep" read -r p50 p99 p999 max ach gfb sfb errs bad < <(jq -r --argjson i "$i" '.runs[$i] | [
        .latency_ms.p50, .latency_ms.p99, .latency_ms.p99_9, .latency_ms.max, .achieved_rate,
        .generator_fell_behind, .server_fell_behind, .errors,
        ([(.statuses // {}) | to_entries[] | select(.key | startswith("2") | not) | "\(.key) ×\(.value)"]
          + [(.failures // {}) | to_entries[] | select(.value > 0) | "\(.key) ×\(.value)"] | join(", "))
      ] | map(tostring) | join("\u001f")' "$TMP/$tag.json") || die "$t: cannot read run $i of $TMP/$tag.json"
    [[ "$p50" != null ]] || die "$t: run $i of $TMP/$tag.json has no latency"
    O_P50[$k]="$(awk -v v="$p50" 'BEGIN { printf "%.1f", v * 1000 }')"
    O_P99[$k]="$(awk -v v="$p99" 'BEGIN { printf "%.1f", v * 1000 }')"
    O_P999[$k]="$(awk -v v="$p999" 'BEGIN { printf "%.1f", v * 1000 }')"
    O_MAX[$k]="$(awk -v v="$max" 'BEGIN { printf "%.1f", v * 1000 }')"
    O_SENT[$k]="$(awk -v a="$ach" 'BEGIN { printf "%.0f", a }')"
    O_NOTE[$k]=""
    [[ "$gfb" == true ]] && O_NOTE[$k]+="generator fell behind; "
    [[ "$sfb" == true ]] && O_NOTE[$k]+="server fell behind; "
    [[ -n "$bad" ]] && O_NOTE[$k]+="$bad; "
    O_NOTE[$k]="${O_NOTE[$k]%; }"
    log "$t: round $r: $p% = ${RATE[$w,$p]} req/s (sent ${O_SENT[$k]}): P50/P99/P99.9/max $(fmt_ms "${O_P50[$k]}")/$(fmt_ms "${O_P99[$k]}")/$(fmt_ms "${O_P999[$k]}")/$(fmt_ms "${O_MAX[$k]}")${O_NOTE[$k]:+; ${O_NOTE[$k]}}"
  done
}
redis_prepare() { # both shards empty before a redis round
  local p
  for p in "${REDIS_PORTS[@]}"; do [[ "$(rcli "$p" FLUSHALL)" == OK ]] || die "redis :$p: FLUSHALL failed"; done
}
redis_check() { # the probe request went through the limiter: RateLimit-Policy and a key in a shard
  local head p keys=0
  head="$(curl -sI --max-time 5 -H 'X-API-Key: bench-probe' "http://$HOST:${PORT[gateway-redis]}/" | tr -d '\r')"
  grep -qi '^ratelimit-policy:' <<<"$head" || { printf '%s\n' "$head" >&2; die "gateway-redis: no RateLimit-Policy header"; }
  for p in "${REDIS_PORTS[@]}"; do keys=$((keys + $(rcli "$p" DBSIZE))); done
  (( keys >= 1 )) || die "gateway-redis: the probe left no key in either shard (store not used?)"
}

# One target's turn in a round: a fresh plain process (saturation, then the open-loop rates), then
# a fresh TLS process (h2, then HTTP/1.1 over TLS).
plain_turn() { # plain_turn T W ROUND
  local t="$1" w="$2" r="$3" url="http://$HOST:${PORT[$1]}/" lua="$TMP/p999.lua" warm="$WARMUP"
  is_gateway "$t" && warm="$GATEWAY_WARMUP"
  if [[ "$t" == gateway-redis ]]; then redis_prepare; lua="$TMP/users.lua"; fi
  log "$t: workers $w, round $r/$ROUNDS: starting"
  start_proxy plain "$t" "$w" "$r"
  if [[ "$t" == gateway-redis ]]; then redis_check; fi
  if (( warm > 0 )); then run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${warm}s" -s "$lua" "$url"; sleep "$GAP"; fi
  if is_gateway "$t" && (( WARMUP_CHURN > 0 )); then
    # A second, short warm-up on new connections: the first one's closing took paths the JIT had
    # not seen, and the hot path it deoptimises is compiled again here, not in the measured run.
    run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_CHURN}s" -s "$lua" "$url"; sleep "$GAP"
  fi
  sat_run "sat:$t:$w" "$r" "$url" "$lua" "$SAT_DURATION"
  check_alive "$t saturation (workers $w, round $r)"
  if has_open "$t"; then
    sleep "$GAP"
    open_run "$t" "$w" "$r" "$url"
    check_alive "$t open loop (workers $w, round $r)"
  fi
  stop_proxy
  sleep "$GAP"
}
tls_turn() { # tls_turn T W ROUND
  local t="$1" w="$2" r="$3" url="https://$HOST:${TLS_PORT[$1]}/" warm="$TLS_WARMUP"
  is_gateway "$t" && warm="$GATEWAY_TLS_WARMUP"
  start_proxy tls "$t" "$w" "$r"
  if (( warm > 0 )); then
    h2_run "h2:$t:$w" "$r" "$url" "$warm"
    run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${warm}s" "$url"
    sleep "$GAP"
  fi
  if is_gateway "$t" && (( GATEWAY_H2_WARMUP_REQUESTS > 0 )); then h2_warm_requests "$url" "$GATEWAY_H2_WARMUP_REQUESTS"; sleep "$GAP"; fi
  h2_run "h2:$t:$w" "$r" "$url" "$TLS_DURATION" log
  sleep "$GAP"
  sat_run "h1tls:$t:$w" "$r" "$url" "$TMP/p999.lua" "$TLS_DURATION"
  check_alive "$t TLS (workers $w, round $r)"
  stop_proxy
  sleep "$GAP"
}

# ---------------------------------------------------------------- run
declare -A BASE RATE
MEASURE_START=$SECONDS
for w in "${WLIST[@]}"; do
  set_cpus "$w"
  proxy_prefix
  pin_load_side
  (( w <= ${#CPUS[@]} )) || log "warning: $w workers on ${#CPUS[@]} CPUs"
  log "workers $w: $(describe_cpus "$w")"
  write_configs "$w"
  if (( ${#PLIST[@]} > 0 )); then
    # The open-loop rates: nginx's saturation at this worker count, from a fresh nginx, now.
    start_proxy plain nginx "$w" 0
    if (( WARMUP > 0 )); then run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://$HOST:${PORT[nginx]}/"; sleep "$GAP"; fi
    sat_run "calib:nginx:$w" 0 "http://$HOST:${PORT[nginx]}/" "$TMP/p999.lua" "$CALIBRATION"
    stop_proxy
    BASE[$w]="${R_RPS[calib:nginx:$w,0]}"
    (( BASE[$w] > 0 )) || die "nginx calibration at $w workers gave 0 req/s"
    for p in "${PLIST[@]}"; do RATE[$w,$p]=$(( (BASE[$w] * p + 50) / 100 )); done
    log "workers $w: nginx calibration ${BASE[$w]} req/s; open-loop rates: $(for p in "${PLIST[@]}"; do printf '%s%%=%s ' "$p" "${RATE[$w,$p]}"; done)"
    sleep "$GAP"
  fi
  for ((r = 1; r <= ROUNDS; r++)); do
    read -r -a order <<<"$(rotated "$r" "${TLIST[@]}")"
    log "workers $w, round $r/$ROUNDS: ${order[*]}"
    for t in "${order[@]}"; do
      plain_turn "$t" "$w" "$r"
      if has_tls "$t"; then tls_turn "$t" "$w" "$r"; fi
    done
  done
done
MEASURE_SECS=$((SECONDS - MEASURE_START))
log "measured for ${MEASURE_SECS}s (estimate was ${EST}s)"

# ---------------------------------------------------------------- medians
declare -A CORES OM_P50 OM_P99 OM_P999 OM_MAX OM_SENT OM_LO OM_HI OM_NOTE
rows_median() { # rows_median NAME: median_round plus the CPUs-busy figure of that round
  median_round "$1"
  CORES[$1]="${R_CORES[$1,${MED[$1]}]}"
}
open_median() { # open_median NAME: the median round by P99 (lower middle for an even ROUNDS), P99 range
  local n="$1" sorted m r notes=""
  sorted="$(for ((r = 1; r <= ROUNDS; r++)); do echo "${O_P99[$n,$r]} $r"; done | sort -g -k1,1 -k2,2)"
  m="$(sed -n "$(((ROUNDS + 1) / 2))p" <<<"$sorted" | awk '{ print $2 }')"
  OM_P50[$n]="${O_P50[$n,$m]}"; OM_P99[$n]="${O_P99[$n,$m]}"; OM_P999[$n]="${O_P999[$n,$m]}"
  OM_MAX[$n]="${O_MAX[$n,$m]}"; OM_SENT[$n]="${O_SENT[$n,$m]}"
  OM_LO[$n]="$(sed -n 1p <<<"$sorted" | awk '{ print $1 }')"; OM_HI[$n]="$(sed -n '$p' <<<"$sorted" | awk '{ print $1 }')"
  for ((r = 1; r <= ROUNDS; r++)); do
    if [[ -n "${O_NOTE[$n,$r]}" ]]; then notes+="r$r: ${O_NOTE[$n,$r]}; "; fi
  done
  OM_NOTE[$n]="${notes%; }"
}
for w in "${WLIST[@]}"; do
  for t in "${TLIST[@]}"; do
    rows_median "sat:$t:$w"
    if has_tls "$t"; then rows_median "h2:$t:$w"; rows_median "h1tls:$t:$w"; fi
    if has_open "$t"; then for p in "${PLIST[@]}"; do open_median "open:$t:$w:$p"; done; fi
  done
done

# ---------------------------------------------------------------- report
describe_machine
NPROC="${#CPUS[@]}" # nproc now counts only the load side's CPUs (this shell is pinned)
V_HAPROXY="$( { haproxy -v 2>/dev/null || true; } | sed -n '1s/ - https:.*//p')"
V_H2LOAD="$( { h2load --version 2>/dev/null || true; } | sed -n 1p)"
V_OPENSSL="$(openssl version 2>/dev/null | sed 's/ (Library.*//')"
V_REDIS=""
if wants gateway-redis; then V_REDIS="; $(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"; fi
us_ms() { awk -v v="$1" 'BEGIN { if (v == "" || v == "NaN") print "n/a"; else printf "%.2f", v / 1000 }'; }
vs() { # vs A B -> ratio A/B, or – when B is the row itself or missing
  if [[ -z "$2" ]]; then echo "–"; else ratio "$1" "$2"; fi
}
verdict() { # verdict VALUE OP LIMIT -> met / not met / n/a (OP: ge, le, lt)
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "" || v == "NaN" || v == "n/a") { print "n/a"; exit }
    ok = (op == "ge" ? v >= l : (op == "le" ? v <= l : v < l)); print (ok ? "met" : "not met") }'
}
num_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN" || b + 0 == 0) print "NaN"; else printf "%.4f", a / b }'; }

{
  echo "### Saturation (wrk -t$THREADS -c$CONNECTIONS, ${SAT_DURATION}s)"
  echo
  echo "| workers | target | req/s | req/s range | P50 ms | P99 ms | P99.9 ms | CPU µs/request | of which kernel | CPUs busy | stolen | req/s vs nginx | P99 vs nginx | CPU vs nginx |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for w in "${WLIST[@]}"; do
    for t in "${TLIST[@]}"; do
      n="sat:$t:$w"; ref="sat:nginx:$w"; wants nginx || ref=""
      [[ "$t" == nginx ]] && ref=""
      printf '| %s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %s | %s%% | %s | %s | %s |\n' "$w" "${LABEL[$t]}" "${RPS[$n]}" \
        "${RPS_MIN[$n]}" "${RPS_MAX[$n]}" "$(us_ms "${P50[$n]}")" "$(us_ms "${P99[$n]}")" "$(us_ms "${P999[$n]}")" \
        "$(fmt_cpu "${CPU[$n]}")" "$(fmt_cpu "${R_SYS[$n,${MED[$n]}]:-NaN}")" "${CORES[$n]}" "${R_STOLEN[$n,${MED[$n]}]:-NaN}" \
        "$(vs "${RPS[$n]}" "${ref:+${RPS[$ref]}}")" \
        "$(vs "${P99[$n]}" "${ref:+${P99[$ref]}}")" "$(vs "${CPU[$n]}" "${ref:+${CPU[$ref]}}")"
    done
  done
  if (( ${#PLIST[@]} > 0 )); then
    echo
    echo "### Open loop (loadtest.jar run, ${OPEN_DURATION}s per rate, $OPEN_CONNECTIONS connections)"
    echo
    echo "| workers | rate | target | sent req/s | P50 ms | P99 ms | P99 range | P99.9 ms | max ms | P99 vs nginx | P99.9 vs nginx | notes |"
    echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for w in "${WLIST[@]}"; do
      for p in "${PLIST[@]}"; do
        for t in "${TLIST[@]}"; do
          has_open "$t" || continue
          n="open:$t:$w:$p"; ref="open:nginx:$w:$p"; wants nginx || ref=""
          [[ "$t" == nginx ]] && ref=""
          printf '| %s | %s%% (%s req/s) | %s | %s | %s | %s | %s–%s | %s | %s | %s | %s | %s |\n' "$w" "$p" "${RATE[$w,$p]}" \
            "${LABEL[$t]}" "${OM_SENT[$n]}" "$(us_ms "${OM_P50[$n]}")" "$(us_ms "${OM_P99[$n]}")" \
            "$(us_ms "${OM_LO[$n]}")" "$(us_ms "${OM_HI[$n]}")" "$(us_ms "${OM_P999[$n]}")" "$(us_ms "${OM_MAX[$n]}")" \
            "$(vs "${OM_P99[$n]}" "${ref:+${OM_P99[$ref]}}")" "$(vs "${OM_P999[$n]}" "${ref:+${OM_P999[$ref]}}")" "${OM_NOTE[$n]:-}"
        done
      done
    done
  fi
  if (( TLS )); then
    echo
    echo "### TLS: h2 (h2load -c$H2_CONNECTIONS -m$H2_STREAMS) and HTTP/1.1 over TLS (wrk -t$THREADS -c$CONNECTIONS), ${TLS_DURATION}s each"
    echo
    echo "| workers | protocol | target | req/s | req/s range | P50 ms | P99 ms | P99.9 ms | CPU µs/request | req/s vs nginx | P99 vs nginx | CPU vs nginx |"
    echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for w in "${WLIST[@]}"; do
      for proto in h2 h1tls; do
        for t in "${TLIST[@]}"; do
          has_tls "$t" || continue
          n="$proto:$t:$w"; ref="$proto:nginx:$w"; wants nginx || ref=""
          [[ "$t" == nginx ]] && ref=""
          printf '| %s | %s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %s | %s |\n' "$w" \
            "$([[ $proto == h2 ]] && echo h2 || echo "HTTP/1.1 + TLS")" "${LABEL[$t]}" "${RPS[$n]}" "${RPS_MIN[$n]}" "${RPS_MAX[$n]}" \
            "$(us_ms "${P50[$n]}")" "$(us_ms "${P99[$n]}")" "$(us_ms "${P999[$n]}")" "$(fmt_cpu "${CPU[$n]}")" \
            "$(vs "${RPS[$n]}" "${ref:+${RPS[$ref]}}")" "$(vs "${P99[$n]}" "${ref:+${P99[$ref]}}")" "$(vs "${CPU[$n]}" "${ref:+${CPU[$ref]}}")"
        done
      done
    done
  fi
} >"$TMP/tables.md"

# Summary lines: issue 15's targets, gateway against nginx.
{
  if wants gateway && wants nginx; then
    for w in "${WLIST[@]}"; do
      g="sat:gateway:$w"; x="sat:nginx:$w"
      rr="$(num_ratio "${RPS[$g]}" "${RPS[$x]}")"; pr="$(num_ratio "${P99[$g]}" "${P99[$x]}")"; cr="$(num_ratio "${CPU[$g]}" "${CPU[$x]}")"
      echo "- workers $w, saturation: gateway/nginx req/s $(ratio "${RPS[$g]}" "${RPS[$x]}") (target ≥ 1.15×: $(verdict "$rr" ge 1.15)), P99 $(ratio "${P99[$g]}" "${P99[$x]}") (target ≤ 1×: $(verdict "$pr" le 1)), CPU per request $(ratio "${CPU[$g]}" "${CPU[$x]}") (target < 1×: $(verdict "$cr" lt 1))"
      for p in "${PLIST[@]}"; do
        g="open:gateway:$w:$p"; x="open:nginx:$w:$p"
        p99r="$(num_ratio "${OM_P99[$g]}" "${OM_P99[$x]}")"; p999r="$(num_ratio "${OM_P999[$g]}" "${OM_P999[$x]}")"
        echo "- workers $w, open loop at $p% (${RATE[$w,$p]} req/s): gateway/nginx P99 $(ratio "${OM_P99[$g]}" "${OM_P99[$x]}") ($(verdict "$p99r" le 1)), P99.9 $(ratio "${OM_P999[$g]}" "${OM_P999[$x]}") ($(verdict "$p999r" le 1)) (target ≤ 1×)"
      done
      if (( TLS )); then
        echo "- workers $w, TLS: gateway/nginx h2 req/s $(ratio "${RPS[h2:gateway:$w]}" "${RPS[h2:nginx:$w]}"), P99 $(ratio "${P99[h2:gateway:$w]}" "${P99[h2:nginx:$w]}"), CPU $(ratio "${CPU[h2:gateway:$w]}" "${CPU[h2:nginx:$w]}"); HTTP/1.1 + TLS req/s $(ratio "${RPS[h1tls:gateway:$w]}" "${RPS[h1tls:nginx:$w]}"), P99 $(ratio "${P99[h1tls:gateway:$w]}" "${P99[h1tls:nginx:$w]}"), CPU $(ratio "${CPU[h1tls:gateway:$w]}" "${CPU[h1tls:nginx:$w]}")"
      fi
    done
  fi
  if wants gateway-redis && wants gateway; then
    for w in "${WLIST[@]}"; do
      echo "- workers $w, Redis-limited path: $(ratio "${RPS[sat:gateway-redis:$w]}" "${RPS[sat:gateway:$w]}") the plain gateway's req/s, CPU per request $(ratio "${CPU[sat:gateway-redis:$w]}" "${CPU[sat:gateway:$w]}")$(wants nginx && echo "; $(ratio "${RPS[sat:gateway-redis:$w]}" "${RPS[sat:nginx:$w]}") nginx's req/s")"
    done
  fi
} >"$TMP/summary.md"

{
  echo "## Gateway beside nginx and HAProxy, equal workers (versus-nginx.sh)"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\`"
  echo "- Date: $DATE; repo revision $GIT_REV; measured for ${MEASURE_SECS}s"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; everything on loopback."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA; $V_WRK; $V_H2LOAD; $V_OPENSSL$V_REDIS"
  cores=""; for w in "${WLIST[@]}"; do cores+="$w worker(s): $(describe_cpus "$w"); "; done
  echo "- Cores: ${cores%; }. \"CPUs busy\" = the proxy's CPU time / wall time of the run; \"stolen\" = the share of the proxy's CPUs' time that the host (this is a virtual machine) gave to something else while they had work (\`steal\` in /proc/stat), time in which no proxy could run."
  echo "- Upstream: nginx, $UPSTREAM_WORKERS worker(s), \`return 200 \"ok\\n\"\` on :$PORT_UPSTREAM, shared by every proxy. nginx: \`worker_processes N\`, upstream \`keepalive 64\`, HTTP/1.1, access_log off. HAProxy: \`nbthread N\`, mode http, \`http-reuse always\`, no logging. Gateway: \`java $JAVA_OPTS -jar gateway.jar\`, \`event-loops = N\`$([[ -n "$TRANSPORT" ]] && echo ", \`transport = $TRANSPORT\`"), one route / (the first gateway's start-up line: ${GATEWAY_LINE:-not seen}). gateway-redis: the same with \`rate-limit { store = redis }\` over two \`redis-server\` shards, \`X-API-Key\` identities drawn from $USERS per request (wrk Lua), a quota of $QUOTA_REQUESTS per $QUOTA_WINDOW (every request decided, none denied), shards flushed before each round."
  echo "- Rounds: per worker count, $ROUNDS rounds interleaved, round r going through the targets rotated left by r-1 (round 1: ${TLIST[*]}); in its turn each target is started fresh, warmed up (wrk ${WARMUP}s; gateway ${GATEWAY_WARMUP}s$( (( WARMUP_CHURN > 0 )) && echo ", then ${WARMUP_CHURN}s more on new connections, so that the JIT has recompiled what the first warm-up's connections closing deoptimised")), measured at saturation (\`wrk -t$THREADS -c$CONNECTIONS -d${SAT_DURATION}s --latency\`), then open loop at each rate, stopped; then a fresh TLS-only process of it is warmed up (${TLS_WARMUP}s h2 and ${TLS_WARMUP}s HTTP/1.1 over TLS; gateway ${GATEWAY_TLS_WARMUP}s each$( (( GATEWAY_H2_WARMUP_REQUESTS > 0 )) && echo ", then $GATEWAY_H2_WARMUP_REQUESTS h2 requests (\`h2load -n\`) so the JIT has compiled its h2 path")) and measured ${TLS_DURATION}s with each protocol."
  if (( ${#PLIST[@]} > 0 )); then
    echo "- Open-loop rates: $(printf '%s%%, ' "${PLIST[@]}" | sed 's/, $//') of nginx's saturation req/s at that worker count, from a calibration run of a fresh nginx (${CALIBRATION}s) just before the rounds: $(for w in "${WLIST[@]}"; do printf '%s worker(s) %s req/s (its saturation rows: median %s); ' "$w" "${BASE[$w]}" "${RPS[sat:nginx:$w]:-n/a}"; done)\`loadtest.jar run --sweep rate=... --duration ${OPEN_DURATION}s --connections $OPEN_CONNECTIONS --threads $GEN_THREADS --warmup ${GEN_WARMUP}s\`, latency from each request's intended send time."
  fi
  echo "- TLS: one self-signed P-256 certificate for all, TLS 1.2/1.3, ALPN h2 + http/1.1; nginx \`listen ... ssl http2\`, HAProxy \`bind ... ssl crt ... alpn h2,http/1.1\`, gateway \`listen.tls\`; every proxy forwards over HTTP/1.1 to the same upstream."
  echo
  echo "Summary (issue 15's targets):"
  echo
  if [[ -s "$TMP/summary.md" ]]; then cat "$TMP/summary.md"; else echo "- none: the summary compares the gateway with nginx, and TARGETS lacks one of them"; fi
  echo
  cat "$TMP/tables.md"
  echo
  echo "Each saturation and TLS row is one real run, $(median_phrase) of the $ROUNDS rounds, with its own latencies and CPU figure; \"req/s range\" is the lowest–highest over the rounds. Each open-loop row is the round with the median P99, with the P99 range over the rounds. Latencies: wrk's \`--latency\` (P99.9 from a Lua \`done()\` hook), h2load's per-request log (\`--log-file\`, time to the end of each response), loadtest's HdrHistogram. \"CPU µs/request\" = utime+stime from \`/proc/PID/stat\` (1/${CLK_TCK}s ticks) of the proxy's processes (java, all threads; haproxy; nginx master and workers) over the measured run, divided by the requests completed in it (\"of which kernel\": the stime part alone, the system calls and the loopback TCP work done on the proxy's behalf); the upstream's, Redis's and the load generators' CPU are not counted. \"vs nginx\" is the ratio to nginx's row at the same worker count (below 1 is fewer req/s, lower latency, less CPU)."
  for w in "${WLIST[@]}"; do
    for t in "${TLIST[@]}"; do
      for n in "sat:$t:$w" "h2:$t:$w" "h1tls:$t:$w"; do
        if [[ -n "${ERRS[$n]:-}" ]]; then printf '\nNote: %s, %s workers (%s): %s.\n' "${LABEL[$t]}" "$w" "${n%%:*}" "${ERRS[$n]}"; fi
      done
    done
  done
} >"$TMP/section.md"

publish_results
FAILED_LOGS=0
