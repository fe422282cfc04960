#!/usr/bin/env bash
# Proxy baseline: wrk against a tiny nginx upstream directly, and through
# nginx (reverse proxy), HAProxy and our gateway, all on 127.0.0.1.
# Prints a markdown table and writes it into docs/benchmarks.md under
# "## Proxy baseline (wrk, small 200)" (replacing that section if present).
#
# Every target is warmed up once, then measured ROUNDS times, interleaved:
# round 1 runs the targets in TARGETS order, each later round rotates that
# order by one (direct nginx haproxy gateway, nginx haproxy gateway direct, ...),
# so slow drifts in machine load spread over all targets. Each row reports the
# median round by req/s (P50/P99/P99.9 from that same run) plus the min-max
# req/s over the rounds, and the CPU time (utime+stime from /proc/PID/stat) the
# target's own processes spent per request, which is much less sensitive than
# req/s to other load on a shared machine.
#
# Env knobs (defaults in brackets):
#   TARGETS          targets to measure, in order ["direct nginx haproxy gateway"]
#   THREADS          wrk threads [2]
#   CONNECTIONS      wrk connections [64]
#   ROUNDS           measured runs per target, interleaved across targets [3]
#   DURATION         measured seconds per target and round [15]
#                    (was 20 with a single run; 4 targets x 3 rounds x 15s plus
#                    warm-ups keeps the default run near 4 minutes)
#   WARMUP           warm-up seconds per target, output discarded [10]
#   GATEWAY_WARMUP   warm-up seconds for the gateway (JIT) [15]
#   JAVA_OPTS        JVM flags for the gateway ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   READY_TIMEOUT    seconds to wait for the gateway's /ready [60]
#   DOCS_FILE        markdown file to update, relative to repo root [docs/benchmarks.md]
#   UPDATE_DOCS      set to 0 to only print the table [1]
#   GATEWAY_JAR      gateway jar; built with ./mvnw if it is the default and missing
#                    [gateway-server/target/gateway.jar]
#   KEEP_TMP         set to 1 to keep the temp dir (configs, logs, raw wrk output) [0]
set -euo pipefail

# ---------------------------------------------------------------- settings
# Remember which knobs were set explicitly, to reproduce the command line.
shq() { # quote for a shell command line, readably
  if [[ "$1" =~ ^[A-Za-z0-9_.,:/=+-]+$ ]]; then printf '%s' "$1"
  else local v="${1//\\/\\\\}"; v="${v//\"/\\\"}"; v="${v//\$/\\\$}"; v="${v//\`/\\\`}"; printf '"%s"' "$v"; fi
}
KNOBS=(TARGETS ROUNDS THREADS CONNECTIONS DURATION WARMUP GATEWAY_WARMUP JAVA_OPTS READY_TIMEOUT)
CMD_ENV=""
for k in "${KNOBS[@]}"; do
  if [[ -n "${!k+x}" ]]; then CMD_ENV+="$k=$(shq "${!k}") "; fi
done

TARGETS="${TARGETS:-direct nginx haproxy gateway}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-10}"
GATEWAY_WARMUP="${GATEWAY_WARMUP:-15}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18080
PORT_NGINX=18081
PORT_HAPROXY=18082
PORT_GATEWAY=18083
PORT_ADMIN=19090
SECTION_HEADING="## Proxy baseline (wrk, small 200)"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
SCRIPT_REL="${SCRIPT_DIR#"$REPO_ROOT"/}/$(basename "${BASH_SOURCE[0]}")"
if [[ -n "${GATEWAY_JAR:-}" && "$GATEWAY_JAR" != /* ]]; then GATEWAY_JAR="$PWD/$GATEWAY_JAR"; fi
cd "$REPO_ROOT"
GATEWAY_JAR="${GATEWAY_JAR:-$REPO_ROOT/gateway-server/target/gateway.jar}"

log() { printf '[proxy-baseline] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for t in $TARGETS; do
  case "$t" in direct|nginx|haproxy|gateway) ;; *) die "unknown target '$t' in TARGETS (known: direct nginx haproxy gateway)";; esac
done
[[ -n "${TARGETS// /}" ]] || die "TARGETS is empty"
for n in ROUNDS THREADS CONNECTIONS DURATION WARMUP GATEWAY_WARMUP READY_TIMEOUT; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( ROUNDS > 0 && DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS )) \
  || die "need ROUNDS>0, DURATION>0, THREADS>0, CONNECTIONS>=THREADS"
wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- cleanup
TMP=""
PIDS=()
WRK_PID=""
FAILED_LOGS=1
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid i
  if [[ -n "$WRK_PID" ]]; then kill -TERM "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
  # Each service runs in its own session (setsid), so pid == process group:
  # signalling the group also reaches nginx workers.
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop on TERM, sending KILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$TMP" && -d "$TMP" ]]; then
    if (( rc != 0 && FAILED_LOGS )); then
      local f
      for f in "$TMP"/*.log; do
        [[ -s "$f" ]] || continue
        log "---- tail of $(basename "$f") ----"
        tail -n 20 "$f" >&2 || true
      done
    fi
    if [[ "$KEEP_TMP" == 1 ]]; then log "kept temp dir $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- prerequisites
SUDO=""
if (( EUID != 0 )); then
  command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install"
  SUDO="sudo"
fi
APT_UPDATED=0
ensure_pkg() { # ensure_pkg COMMAND PACKAGE
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  log "installing $2 (apt-get)"
  if (( ! APT_UPDATED )); then $SUDO apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >&2
}
export PATH="$PATH:/usr/sbin:/sbin"
ensure_pkg wrk wrk
ensure_pkg nginx nginx
ensure_pkg haproxy haproxy
ensure_pkg curl curl

if wants gateway; then
  command -v java >/dev/null || die "java not found (needed for the gateway target)"
  if [[ ! -f "$GATEWAY_JAR" && "$GATEWAY_JAR" == "$REPO_ROOT/gateway-server/target/gateway.jar" ]]; then
    log "building gateway ($GATEWAY_JAR missing): ./mvnw -q -DskipTests package"
    ./mvnw -q -DskipTests package
  fi
  [[ -f "$GATEWAY_JAR" ]] || die "gateway jar $GATEWAY_JAR does not exist"
fi

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
need_ports=("$PORT_UPSTREAM")
wants nginx && need_ports+=("$PORT_NGINX")
wants haproxy && need_ports+=("$PORT_HAPROXY")
wants gateway && need_ports+=("$PORT_GATEWAY" "$PORT_ADMIN")
for p in "${need_ports[@]}"; do port_free "$p" || die "port $HOST:$p is already in use"; done

TMP="$(mktemp -d -t proxy-baseline.XXXXXX)"
log "temp dir $TMP"

# ---------------------------------------------------------------- configs
# nginx temp paths inside TMP, so nothing under /var/lib/nginx is touched.
nginx_common() {
  cat <<EOF
pid $TMP/$1.pid;
error_log $TMP/$1.error.log warn;
events { worker_connections 4096; multi_accept on; }
EOF
}
nginx_http_common() {
  cat <<EOF
    access_log off;
    default_type text/plain;
    keepalive_timeout 120s;
    keepalive_requests 10000000;
    client_body_temp_path $TMP/$1.client_body;
    proxy_temp_path $TMP/$1.proxy;
    fastcgi_temp_path $TMP/$1.fastcgi;
    uwsgi_temp_path $TMP/$1.uwsgi;
    scgi_temp_path $TMP/$1.scgi;
EOF
}

{
  echo "worker_processes 1;"
  nginx_common nginx-upstream
  echo "http {"
  nginx_http_common nginx-upstream
  cat <<EOF
    server {
        listen $HOST:$PORT_UPSTREAM backlog=4096;
        location / { return 200 "ok\n"; }
    }
}
EOF
} >"$TMP/nginx-upstream.conf"

{
  echo "worker_processes 2;"
  nginx_common nginx-proxy
  echo "http {"
  nginx_http_common nginx-proxy
  cat <<EOF
    upstream backend {
        server $HOST:$PORT_UPSTREAM;
        keepalive 64;
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
} >"$TMP/nginx-proxy.conf"

cat >"$TMP/haproxy.cfg" <<EOF
global
    nbthread 2
    maxconn 4096
    pidfile $TMP/haproxy.pid

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend fe
    bind $HOST:$PORT_HAPROXY
    default_backend be

backend be
    http-reuse always
    server up $HOST:$PORT_UPSTREAM maxconn 1000
EOF

cat >"$TMP/gateway.conf" <<EOF
gateway {
  listen { host = "$HOST", port = $PORT_GATEWAY }
  admin { host = "$HOST", port = $PORT_ADMIN }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = [ "http://$HOST:$PORT_UPSTREAM" ] } ]
}
EOF

cat >"$TMP/p999.lua" <<'EOF'
-- wrk prints P50..P99 with --latency; add P99.9 (microseconds).
done = function(summary, latency, requests)
  io.write(string.format("LUA_P999_US %d\n", latency:percentile(99.9)))
end
EOF

# ---------------------------------------------------------------- start services
declare -A SVC_PID
start_bg() { # start_bg NAME CMD... ; runs in its own session, logs to TMP/NAME.log
  local name="$1"; shift
  setsid "$@" >"$TMP/$name.log" 2>&1 </dev/null &
  PIDS+=("$!")
  SVC_PID[$name]=$!
}
wait_http() { # wait_http NAME PID URL TIMEOUT_S
  local name="$1" pid="$2" url="$3" timeout="$4" deadline=$((SECONDS + $4))
  until curl -sf -o /dev/null --max-time 2 "$url"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup (see $name logs)"
    (( SECONDS < deadline )) || die "$name not ready at $url after ${timeout}s"
    sleep 0.2
  done
}

start_nginx() { # start_nginx NAME PORT
  nginx -t -q -e "$TMP/$1.error.log" -p "$TMP" -c "$TMP/$1.conf" >"$TMP/$1.log" 2>&1 \
    || { cat "$TMP/$1.log" >&2; die "$1: nginx -t failed"; }
  start_bg "$1" nginx -e "$TMP/$1.error.log" -p "$TMP" -c "$TMP/$1.conf" -g 'daemon off;'
  wait_http "$1" "${SVC_PID[$1]}" "http://$HOST:$2/" 10
}

log "starting nginx upstream on $HOST:$PORT_UPSTREAM"
start_nginx nginx-upstream "$PORT_UPSTREAM"
[[ "$(curl -s "http://$HOST:$PORT_UPSTREAM/")" == "ok" ]] || die "upstream did not answer 'ok'"

if wants nginx; then
  log "starting nginx proxy on $HOST:$PORT_NGINX"
  start_nginx nginx-proxy "$PORT_NGINX"
fi

if wants haproxy; then
  log "starting haproxy on $HOST:$PORT_HAPROXY"
  haproxy -c -q -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>&1 \
    || { cat "$TMP/haproxy.log" >&2; die "haproxy -c failed"; }
  start_bg haproxy haproxy -db -f "$TMP/haproxy.cfg"
  wait_http haproxy "${SVC_PID[haproxy]}" "http://$HOST:$PORT_HAPROXY/" 10
fi

if wants gateway; then
  read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
  log "starting gateway on $HOST:$PORT_GATEWAY: java ${JAVA_OPTS} -jar ${GATEWAY_JAR#"$REPO_ROOT"/} --config $TMP/gateway.conf"
  start_bg gateway java "${JAVA_ARGS[@]}" -jar "$GATEWAY_JAR" --config "$TMP/gateway.conf"
  wait_http gateway "${SVC_PID[gateway]}" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
  code="$(curl -s -o "$TMP/gateway.probe" -w '%{http_code}' "http://$HOST:$PORT_GATEWAY/" || true)"
  [[ "$code" == 200 ]] || die "gateway answered HTTP $code on / (expected 200 proxied from upstream)"
  [[ "$(cat "$TMP/gateway.probe")" == "ok" ]] || log "warning: gateway body differs from upstream's 'ok'"
fi

# ---------------------------------------------------------------- measure
port_of() {
  case "$1" in
    direct) echo "$PORT_UPSTREAM" ;; nginx) echo "$PORT_NGINX" ;;
    haproxy) echo "$PORT_HAPROXY" ;; gateway) echo "$PORT_GATEWAY" ;;
  esac
}
label_of() {
  case "$1" in
    direct) echo "direct (nginx upstream, no proxy)" ;; nginx) echo "nginx proxy" ;;
    haproxy) echo "HAProxy" ;; gateway) echo "gateway" ;;
  esac
}

# to_us VALUE_WITH_UNIT -> microseconds (wrk prints e.g. 210.00us, 1.23ms, 2.00s, 1.00m)
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000
    else if (u == "m") f = 60000000; else if (u == "h") f = 3600000000; else { print "NaN"; exit }
    printf "%.1f", n * f }'
}
fmt_ms() { awk -v us="$1" 'BEGIN { if (us == "NaN" || us == "") print "n/a"; else printf "%.2f ms", us / 1000 }'; }

# wrk runs in the background and we `wait` for it, so INT/TERM traps fire at once.
run_wrk() { # run_wrk OUTFILE WRK-ARGS...
  local out="$1"; shift
  wrk "$@" >"$out" </dev/null &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  (( rc == 0 )) || die "wrk $* exited with status $rc"
}

# ---- CPU accounting: utime+stime (clock ticks) of the processes serving a target
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
[[ "$CLK_TCK" =~ ^[1-9][0-9]*$ ]] || CLK_TCK=100

children_of() { # children_of PID -> pids whose parent is PID, one a line
  local f st
  local -a fl
  for f in /proc/[0-9]*/stat; do
    st="$(cat "$f" 2>/dev/null)" || continue
    st="${st##*) }"                       # fields from 3 (state) on; comm may hold ") "
    read -r -a fl <<<"$st"
    [[ "${fl[1]}" == "$1" ]] && { f="${f#/proc/}"; echo "${f%/stat}"; }
  done
  return 0
}
service_pid() { # service_pid NAME -> pid of the program started by start_bg (past setsid if it forked)
  local pid="${SVC_PID[$1]}" kids
  if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == setsid ]]; then
    kids="$(children_of "$pid")"
    [[ -n "$kids" && "$kids" != *$'\n'* ]] || die "$1: cannot find the process below setsid pid $pid"
    pid="$kids"
  fi
  echo "$pid"
}
nginx_workers() { # nginx_workers NAME -> worker pids (children of the master in TMP/NAME.pid)
  local master
  master="$(cat "$TMP/$1.pid" 2>/dev/null)" || die "$1: no pid file $TMP/$1.pid"
  [[ "$master" =~ ^[0-9]+$ ]] || die "$1: bad pid file $TMP/$1.pid"
  children_of "$master"
}
cpu_pids_of() { # cpu_pids_of TARGET -> pids whose CPU time is charged to TARGET (space separated)
  local pids
  case "$1" in
    direct) pids="$(nginx_workers nginx-upstream)" || exit 1 ;;
    nginx) pids="$(nginx_workers nginx-proxy)" || exit 1 ;;
    haproxy) pids="$(service_pid haproxy)" || exit 1 ;;
    gateway) pids="$(service_pid gateway)" || exit 1 ;;
  esac
  [[ -n "$pids" ]] || die "$1: found no processes to measure CPU time of"
  echo "${pids//$'\n'/ }"
}
ticks_of() { # ticks_of PID... -> sum of utime+stime in clock ticks; fails if a pid is gone
  local pid st sum=0
  local -a fl
  for pid in "$@"; do
    st="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    st="${st##*) }"
    read -r -a fl <<<"$st"
    sum=$((sum + fl[11] + fl[12]))        # fields 14 (utime) and 15 (stime)
  done
  echo "$sum"
}

# ---- warm-up: each target once, in TARGETS order
read -r -a TLIST <<<"$TARGETS"
NT=${#TLIST[@]}
for t in "${TLIST[@]}"; do
  warm="$WARMUP"; [[ "$t" == gateway ]] && warm="$GATEWAY_WARMUP"
  if (( warm > 0 )); then
    log "$t: warm-up ${warm}s"
    run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${warm}s" "http://$HOST:$(port_of "$t")/"
    sleep 1
  fi
done

# ---- measured rounds, interleaved; round r runs TARGETS rotated left by r-1
# Per-round results, keyed "target,round".
declare -A R_RPS R_P50 R_P99 R_P999 R_REQS R_TICKS R_CPU R_ERRS
WRK_CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s p999.lua http://$HOST:<port>/"
MEASURE_START=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do
  order=()
  for ((i = 0; i < NT; i++)); do order+=("${TLIST[$(((r - 1 + i) % NT))]}"); done
  log "round $r/$ROUNDS: ${order[*]}"
  for t in "${order[@]}"; do
    k="$t,$r"
    url="http://$HOST:$(port_of "$t")/"
    cpid_list="$(cpu_pids_of "$t")" || exit 1 # cpu_pids_of has logged why
    read -r -a cpids <<<"$cpid_list"
    log "$t: round $r/$ROUNDS, measuring ${DURATION}s: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency $url (CPU of pid ${cpids[*]})"
    out="$TMP/wrk-$t-r$r.txt"
    t0="$(ticks_of "${cpids[@]}")" || die "$t: a process of pid ${cpids[*]} vanished before the run"
    run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/p999.lua" "$url"
    t1="$(ticks_of "${cpids[@]}")" || t1=""
    sed 's/^/    /' "$out" | grep -v '^    LUA_' >&2

    R_RPS[$k]="$(awk '/^Requests\/sec:/ { printf "%d", $2 + 0.5 }' "$out")"
    R_REQS[$k]="$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$out")"
    p50="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "50%" { print $2; exit }' "$out")"
    p99="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "99%" { print $2; exit }' "$out")"
    [[ -n "${R_RPS[$k]}" && -n "${R_REQS[$k]}" && -n "$p50" && -n "$p99" ]] \
      || die "$t: could not parse wrk output ($out)"
    R_P50[$k]="$(to_us "$p50")"
    R_P99[$k]="$(to_us "$p99")"
    R_P999[$k]="$(awk '$1 == "LUA_P999_US" { print $2; exit }' "$out")"
    [[ -n "${R_P999[$k]}" ]] || R_P999[$k]="NaN"
    if [[ -n "$t1" ]]; then
      R_TICKS[$k]=$((t1 - t0))
      R_CPU[$k]="$(awk -v d="${R_TICKS[$k]}" -v hz="$CLK_TCK" -v n="${R_REQS[$k]}" \
        'BEGIN { if (n + 0 > 0) printf "%.2f", d / hz * 1e6 / n; else print "NaN" }')"
    else
      log "warning: $t: a process of pid ${cpids[*]} vanished during round $r; no CPU figure"
      R_TICKS[$k]=""; R_CPU[$k]="NaN"
    fi
    errs=""
    se="$(awk '/^ *Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")"
    if [[ -n "$se" ]]; then errs+="socket errors: $se; "; fi
    nx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    if [[ -n "$nx" ]]; then errs+="non-2xx/3xx: $nx; "; fi
    R_ERRS[$k]="${errs%; }"
    if [[ -n "${R_ERRS[$k]}" ]]; then log "warning: $t: round $r: ${R_ERRS[$k]}"; fi
    log "$t: round $r: ${R_RPS[$k]} req/s, ${R_REQS[$k]} requests, ${R_TICKS[$k]:-?} CPU ticks (1/${CLK_TCK}s) = ${R_CPU[$k]} µs/request"
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a server (pid $pid) died during the $t run (round $r)"; done
    sleep 1
  done
done
MEASURE_SECS=$((SECONDS - MEASURE_START))

# ---- per target: the median round by req/s (lower middle one for an even
# ROUNDS), so each row is one real run; plus min-max req/s over all rounds.
declare -A MED RPS P50 P99 P999 CPU RPS_MIN RPS_MAX ERRS
for t in "${TLIST[@]}"; do
  sorted="$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R_RPS[$t,$r]} $r"; done | sort -n -k1,1 -k2,2)"
  m="$(sed -n "$(((ROUNDS + 1) / 2))p" <<<"$sorted" | awk '{ print $2 }')"
  MED[$t]="$m"
  RPS[$t]="${R_RPS[$t,$m]}"; P50[$t]="${R_P50[$t,$m]}"; P99[$t]="${R_P99[$t,$m]}"
  P999[$t]="${R_P999[$t,$m]}"; CPU[$t]="${R_CPU[$t,$m]}"
  RPS_MIN[$t]="$(sed -n '1p' <<<"$sorted" | awk '{ print $1 }')"
  RPS_MAX[$t]="$(sed -n '$p' <<<"$sorted" | awk '{ print $1 }')"
  errs=""
  for ((r = 1; r <= ROUNDS; r++)); do
    if [[ -n "${R_ERRS[$t,$r]}" ]]; then errs+="round $r: ${R_ERRS[$t,$r]}; "; fi
  done
  ERRS[$t]="${errs%; }"
  cpus=""; rpss=""
  for ((r = 1; r <= ROUNDS; r++)); do rpss+="${R_RPS[$t,$r]} "; cpus+="${R_CPU[$t,$r]} "; done
  log "$t: req/s by round: ${rpss% }; CPU µs/request by round: ${cpus% }; median round $m"
done

# ---------------------------------------------------------------- report
ratio() { # ratio A B -> "0.87×" or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'
}
fmt_cpu() { awk -v v="$1" 'BEGIN { if (v == "NaN" || v == "") print "n/a"; else printf "%.1f", v }'; }
CPU_MODEL="$(awk -F: '/^model name/ { sub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)"
[[ -n "$CPU_MODEL" ]] || CPU_MODEL="$(lscpu 2>/dev/null | awk -F: '/Model name/ { sub(/^ +/, "", $2); print $2; exit }')"
[[ -n "$CPU_MODEL" ]] || CPU_MODEL="unknown CPU"
NPROC="$(nproc)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
KERNEL="$(uname -sr)"
# shellcheck source=/dev/null
OS="$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
V_NGINX="$(nginx -v 2>&1 | sed 's/^nginx version: nginx\//nginx /')"
# sed -n 1p (not head) reads all input, so no SIGPIPE trips pipefail
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
V_WRK="$( { wrk -v 2>&1 || true; } | sed -n '1s/ Copyright.*//p')"
if command -v java >/dev/null; then V_JAVA="$(java -version 2>&1 | sed -n 1p)"; else V_JAVA="java not installed"; fi
GIT_REV="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO_ROOT" status --porcelain 2>/dev/null || true)" ]]; then GIT_REV+=" (uncommitted changes)"; fi
COMMAND="${CMD_ENV}bash $SCRIPT_REL"

{
  echo "| target | req/s | req/s range | P50 | P99 | P99.9 | CPU µs/request | req/s vs nginx | P99 vs nginx |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for t in "${TLIST[@]}"; do
    printf '| %s | %s | %s–%s | %s | %s | %s | %s | %s | %s |\n' "$(label_of "$t")" "${RPS[$t]}" \
      "${RPS_MIN[$t]}" "${RPS_MAX[$t]}" \
      "$(fmt_ms "${P50[$t]}")" "$(fmt_ms "${P99[$t]}")" "$(fmt_ms "${P999[$t]}")" "$(fmt_cpu "${CPU[$t]}")" \
      "$(ratio "${RPS[$t]}" "${RPS[nginx]:-}")" "$(ratio "${P99[$t]}" "${P99[nginx]:-}")"
  done
} >"$TMP/table.md"

{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`$COMMAND\`"
  echo "- Load: \`$WRK_CMD\` per target and round; every target first gets one wrk warm-up of ${WARMUP}s (gateway: ${GATEWAY_WARMUP}s), then $ROUNDS measured rounds run interleaved, each round going through all targets with the order rotated by one (round 1: ${TLIST[*]}); same threads, connections and duration for every run. DURATION defaults to 15s (20s before rounds were added), so the default 4 targets × 3 rounds plus warm-ups take about 4 minutes; this run measured for ${MEASURE_SECS}s."
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL. wrk, the upstream and the proxy under test all share these cores over loopback."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA; $V_WRK"
  echo "- Setup: upstream = nginx, 1 worker, \`return 200 \"ok\\n\"\` on :$PORT_UPSTREAM; nginx proxy = 2 workers, upstream \`keepalive 64\`, HTTP/1.1, access_log off (:$PORT_NGINX); HAProxy = \`nbthread 2\`, mode http, \`http-reuse always\`, no logging (:$PORT_HAPROXY); gateway = \`java $JAVA_OPTS -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\`, one route / to the upstream (:$PORT_GATEWAY)."
  echo
  cat "$TMP/table.md"
  for t in "${TLIST[@]}"; do
    if [[ -n "${ERRS[$t]}" ]]; then printf '\nNote: %s had errors: %s.\n' "$(label_of "$t")" "${ERRS[$t]}"; fi
  done
  echo
  if (( ROUNDS % 2 )); then med="the median round by req/s"; else med="the median round by req/s (the lower of the two middle rounds, as ROUNDS is even)"; fi
  used=""; for t in "${TLIST[@]}"; do used+="$t round ${MED[$t]}, "; done
  echo "Each row is one real run: $med of the $ROUNDS rounds for that target (${used%, }), with its own P50/P99/P99.9 and CPU figure; \"req/s range\" is the lowest–highest req/s over all $ROUNDS rounds."
  echo "Latencies are wrk's (P50/P99 from \`--latency\`, P99.9 from a Lua \`done()\` hook); \"vs nginx\" is the ratio to the nginx proxy row (n/a when nginx was not run)."
  echo "\"CPU µs/request\" is the CPU time (user + system, utime+stime from \`/proc/PID/stat\`, in 1/${CLK_TCK}s ticks) that the target's own processes used during that run, divided by the requests wrk completed in it: nginx proxy = its worker processes, HAProxy = its process (all threads), gateway = the java process (all threads, including GC and JIT), direct = the upstream nginx worker. The upstream's share, the same for every proxy, is left out of the proxy rows, and wrk's own CPU is not counted anywhere. It is far less sensitive than req/s to other load on a shared machine, so it is the fairer figure for comparing the proxies."
} >"$TMP/section.md"

echo
cat "$TMP/section.md"

if [[ "$UPDATE_DOCS" == 1 ]]; then
  docs="$REPO_ROOT/$DOCS_FILE"
  mkdir -p "$(dirname "$docs")"
  [[ -f "$docs" ]] || printf '# Benchmarks\n' >"$docs"
  # Replace the section (heading .. next "## " heading or EOF) in place; append it
  # if absent. Other lines are copied unchanged (only blank lines next to the
  # section are normalised to one).
  awk -v heading="$SECTION_HEADING" -v secfile="$TMP/section.md" '
    function emit(   line) {
      while ((getline line < secfile) > 0) print line
      close(secfile); done = 1
    }
    function flush() { while (pend > 0) { print ""; pend-- } }
    $0 == heading { if (!done) { if (NR > 1) { pend = 0; print "" } emit(); sep = 1 } skip = 1; next }
    skip && /^## / { skip = 0 }
    skip { next }
    $0 == "" { pend++; next }
    { if (sep) { print ""; sep = 0; pend = 0 } else flush(); print }
    END { if (!done) { if (NR > 0) print ""; emit() } else if (!sep) flush() }
  ' "$docs" >"$TMP/docs.new"
  cat "$TMP/docs.new" >"$docs"
  log "updated $DOCS_FILE"
fi
FAILED_LOGS=0
