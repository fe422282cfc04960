# shellcheck shell=bash disable=SC2034 # variables set here are read by the sourcing script
# Helpers shared by the benchmarks in this folder (proxy-baseline.sh,
# ratelimit-overhead.sh, scg-ratelimit.sh with wrk; suite.sh with our own
# open-loop generator, loadtest.jar run; the quick A/B runs accesslog-overhead.sh
# and tracing-overhead.sh at the end). Sourced, not run:
#
#   BENCH_NAME=my-bench    # log prefix and temp dir name
#   SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
#   . "$SCRIPT_DIR/bench-common.sh"
#
# Sourcing only defines functions and the state below; nothing runs.

# ---------------------------------------------------------------- state
TMP=""          # temp dir (make_tmp); removed on exit unless KEEP_TMP=1
PIDS=()         # long-lived services, stopped on exit
GW_PID=""       # a service stopped first on exit, and with a longer grace (per-round gateway)
WRK_PID=""      # the load generator run in progress (wrk, or run_loadtest)
FAILED_LOGS=1   # set to 0 at the very end: on a failed exit, tails of TMP/*.log are shown
declare -A SVC_PID # NAME -> pid of what start_bg started (the setsid process)
# Per-round results, keyed "NAME,round" (parse_wrk, the script's measuring loop) ...
declare -A R_RPS R_P50 R_P99 R_P999 R_REQS R_TICKS R_CPU R_ERRS
# ... and per NAME, from its median round (median_round).
declare -A MED RPS P50 P99 P999 CPU RPS_MIN RPS_MAX ERRS

# ---------------------------------------------------------------- logging, settings
log() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

shq() { # quote for a shell command line, readably
  if [[ "$1" =~ ^[A-Za-z0-9_.,:/=+-]+$ ]]; then printf '%s' "$1"
  else local v="${1//\\/\\\\}"; v="${v//\"/\\\"}"; v="${v//\$/\\\$}"; v="${v//\`/\\\`}"; printf '"%s"' "$v"; fi
}
explicit_knobs() { # explicit_knobs NAME... -> "NAME=value " for each one set in the environment
  local k
  for k in "$@"; do
    if [[ -n "${!k+x}" ]]; then printf '%s=%s ' "$k" "$(shq "${!k}")"; fi
  done
}
require_whole_numbers() { # require_whole_numbers NAME...: dies unless each variable is digits only
  local n
  for n in "$@"; do
    [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
  done
}
setup_paths() { # setup_paths SCRIPT_PATH: REPO_ROOT, SCRIPT_REL, absolute GATEWAY_JAR and BASE_GATEWAY_JAR; cd to REPO_ROOT
  REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
  SCRIPT_REL="${SCRIPT_DIR#"$REPO_ROOT"/}/$(basename "$1")"
  if [[ -n "${GATEWAY_JAR:-}" && "$GATEWAY_JAR" != /* ]]; then GATEWAY_JAR="$PWD/$GATEWAY_JAR"; fi
  if [[ -n "${BASE_GATEWAY_JAR:-}" && "$BASE_GATEWAY_JAR" != /* ]]; then BASE_GATEWAY_JAR="$PWD/$BASE_GATEWAY_JAR"; fi
  cd "$REPO_ROOT" || exit
  GATEWAY_JAR="${GATEWAY_JAR:-$REPO_ROOT/gateway-server/target/gateway.jar}"
}
rotated() { # rotated ROUND ITEM... -> the items rotated left by ROUND-1, space separated
  local r="$1" i
  shift
  local -a items=("$@") rot=()
  for ((i = 0; i < ${#items[@]}; i++)); do rot+=("${items[$(((r - 1 + i) % ${#items[@]}))]}"); done
  echo "${rot[*]}"
}

# ---------------------------------------------------------------- cleanup
stop_group() { # stop_group PID TIMEOUT_S: TERM its process group (setsid), KILL after TIMEOUT_S
  local pid="$1" i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop on TERM, sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  if [[ -n "$WRK_PID" ]]; then kill -TERM "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
  # Each service runs in its own session (setsid), so pid == process group:
  # signalling the group also reaches nginx workers.
  if [[ -n "$GW_PID" ]]; then stop_group "$GW_PID" 15; fi
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do stop_group "$pid" 5; done
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
install_cleanup_traps() {
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}

# ---------------------------------------------------------------- prerequisites
init_pkg_install() { # SUDO for apt-get (dies if not root and no sudo); adds /usr/sbin:/sbin to PATH
  SUDO=""
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install"
    SUDO="sudo"
  fi
  APT_UPDATED=0
  export PATH="$PATH:/usr/sbin:/sbin"
}
ensure_pkg() { # ensure_pkg COMMAND PACKAGE
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  log "installing $2 (apt-get)"
  if (( ! APT_UPDATED )); then $SUDO apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >&2
}
ensure_pkgs() { # ensure_pkgs COMMAND...: ensure_pkg for each, from the package of the same name
  local c
  for c in "$@"; do ensure_pkg "$c" "$c"; done
}
ensure_gateway_jar() { # builds the default GATEWAY_JAR with ./mvnw if missing; dies if it still is
  if [[ ! -f "$GATEWAY_JAR" && "$GATEWAY_JAR" == "$REPO_ROOT/gateway-server/target/gateway.jar" ]]; then
    log "building gateway ($GATEWAY_JAR missing): ./mvnw -q -DskipTests package"
    ./mvnw -q -DskipTests package
  fi
  [[ -f "$GATEWAY_JAR" ]] || die "gateway jar $GATEWAY_JAR does not exist"
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
require_ports_free() { # require_ports_free PORT...: dies at the first one in use
  local p
  for p in "$@"; do port_free "$p" || die "port $HOST:$p is already in use"; done
}
wait_ports_free() { # wait_ports_free TIMEOUT_S PORT...: another run may hold them for a while
  local timeout="$1" deadline=$((SECONDS + $1)) p busy said=0
  shift
  while :; do
    busy=""
    for p in "$@"; do port_free "$p" || busy+="$p "; done
    [[ -z "$busy" ]] && return 0
    (( SECONDS < deadline )) || die "port(s) ${busy% } on $HOST still in use after ${timeout}s"
    if (( ! said )); then log "port(s) ${busy% } on $HOST in use; waiting up to ${timeout}s"; said=1; fi
    sleep 1
  done
}
make_tmp() {
  TMP="$(mktemp -d -t "$BENCH_NAME.XXXXXX")"
  log "temp dir $TMP"
}

# ---------------------------------------------------------------- services
start_bg() { # start_bg NAME CMD... ; runs in its own session, logs to TMP/NAME.log
  local name="$1"; shift
  setsid "$@" >"$TMP/$name.log" 2>&1 </dev/null &
  SVC_PID[$name]=$!
}
start_service() { # start_service NAME CMD... ; start_bg, and stopped on exit
  start_bg "$@"
  PIDS+=("${SVC_PID[$1]}")
}
stop_service() { # stop_service NAME TIMEOUT_S: stops what start_service NAME started, and drops it from PIDS
  local pid="${SVC_PID[$1]:-}" p
  local -a keep=()
  [[ -n "$pid" ]] || return 0
  stop_group "$pid" "$2"
  for p in "${PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
  unset "SVC_PID[$1]"
}
wait_http() { # wait_http NAME PID URL TIMEOUT_S
  local name="$1" pid="$2" url="$3" timeout="$4" deadline=$((SECONDS + $4))
  until curl -sf -o /dev/null --max-time 2 "$url"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup (see $name logs)"
    (( SECONDS < deadline )) || die "$name not ready at $url after ${timeout}s"
    sleep 0.2
  done
}

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
start_nginx() { # start_nginx NAME PORT: checks and runs TMP/NAME.conf, waits for http://HOST:PORT/
  nginx -t -q -e "$TMP/$1.error.log" -p "$TMP" -c "$TMP/$1.conf" >"$TMP/$1.log" 2>&1 \
    || { cat "$TMP/$1.log" >&2; die "$1: nginx -t failed"; }
  start_service "$1" nginx -e "$TMP/$1.error.log" -p "$TMP" -c "$TMP/$1.conf" -g 'daemon off;'
  wait_http "$1" "${SVC_PID[$1]}" "http://$HOST:$2/" 10
}
start_upstream() { # start_upstream [WORKERS]: the nginx upstream on PORT_UPSTREAM (1 worker), return 200 "ok\n"
  # (also on PORT_UPSTREAM_2 when that is set: a second instance for two-instance routes)
  local second="${PORT_UPSTREAM_2:+listen $HOST:$PORT_UPSTREAM_2 backlog=4096;}"
  {
    echo "worker_processes ${1:-1};"
    nginx_common nginx-upstream
    echo "http {"
    nginx_http_common nginx-upstream
    cat <<EOF
    server {
        listen $HOST:$PORT_UPSTREAM backlog=4096;
        $second
        location / { return 200 "ok\n"; }
    }
}
EOF
  } >"$TMP/nginx-upstream.conf"
  log "starting nginx upstream on $HOST:$PORT_UPSTREAM${PORT_UPSTREAM_2:+ and :$PORT_UPSTREAM_2}"
  start_nginx nginx-upstream "$PORT_UPSTREAM"
  [[ "$(curl -s "http://$HOST:$PORT_UPSTREAM/")" == "ok" ]] || die "upstream did not answer 'ok'"
}
nginx_proxy_conf() { # nginx_proxy_conf NAME WORKERS LISTEN-LINE -> TMP/NAME.conf: a reverse proxy to HOST:PORT_UPSTREAM
  {
    echo "worker_processes $2;"
    nginx_common "$1"
    echo "http {"
    nginx_http_common "$1"
    cat <<EOF
    upstream backend {
        server $HOST:$PORT_UPSTREAM;
        keepalive 64;
        keepalive_requests 10000000;
        keepalive_timeout 120s;
    }
    server {
        $3
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
  } >"$TMP/$1.conf"
}
nginx_workers() { # nginx_workers NAME -> worker pids (children of the master in TMP/NAME.pid), one a line
  local master
  master="$(cat "$TMP/$1.pid" 2>/dev/null)" || die "$1: no pid file $TMP/$1.pid"
  [[ "$master" =~ ^[0-9]+$ ]] || die "$1: bad pid file $TMP/$1.pid"
  children_of "$master"
}
nginx_pids() { # nginx_pids NAME -> master and worker pids, space separated
  local workers
  workers="$(nginx_workers "$1")" || exit 1
  echo "$(cat "$TMP/$1.pid") ${workers//$'\n'/ }"
}

# ---------------------------------------------------------------- wrk
p999_lua_hook() { # the lines of a wrk Lua script that print LUA_P999_US
  cat <<'EOF'
-- wrk prints P50..P99 with --latency; add P99.9 (microseconds).
done = function(summary, latency, requests)
  io.write(string.format("LUA_P999_US %d\n", latency:percentile(99.9)))
end
EOF
}

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
show_wrk_output() { # show_wrk_output OUTFILE: wrk's report, indented, on stderr
  sed 's/^/    /' "$1" | grep -v '^    LUA_' >&2
}
parse_wrk() { # parse_wrk OUTFILE KEY NAME: R_RPS R_REQS R_P50 R_P99 R_P999 [KEY] from wrk --latency output
  local out="$1" k="$2" p50 p99
  R_RPS[$k]="$(awk '/^Requests\/sec:/ { printf "%d", $2 + 0.5 }' "$out")"
  R_REQS[$k]="$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$out")"
  p50="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "50%" { print $2; exit }' "$out")"
  p99="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "99%" { print $2; exit }' "$out")"
  [[ -n "${R_RPS[$k]}" && -n "${R_REQS[$k]}" && -n "$p50" && -n "$p99" ]] \
    || die "$3: could not parse wrk output ($out)"
  R_P50[$k]="$(to_us "$p50")"
  R_P99[$k]="$(to_us "$p99")"
  R_P999[$k]="$(awk '$1 == "LUA_P999_US" { print $2; exit }' "$out")"
  [[ -n "${R_P999[$k]}" ]] || R_P999[$k]="NaN"
}
wrk_errors() { # wrk_errors OUTFILE -> "socket errors: ...; non-2xx/3xx: N; " (empty when clean)
  local se nx errs=""
  se="$(awk '/^ *Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$1")"
  if [[ -n "$se" ]]; then errs+="socket errors: $se; "; fi
  nx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1")"
  if [[ -n "$nx" ]]; then errs+="non-2xx/3xx: $nx; "; fi
  printf '%s' "$errs"
}
log_round() { # log_round NAME ROUND KEY: the round's req/s, requests and CPU
  log "$1: round $2: ${R_RPS[$3]} req/s, ${R_REQS[$3]} requests, ${R_TICKS[$3]:-?} CPU ticks (1/${CLK_TCK}s) = ${R_CPU[$3]} µs/request"
}
check_services_alive() { # check_services_alive NAME ROUND: dies if one of PIDS is gone
  local pid
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a server (pid $pid) died during the $1 run (round $2)"; done
}

# ---------------------------------------------------------------- numbers
# to_us VALUE_WITH_UNIT -> microseconds (wrk prints e.g. 210.00us, 1.23ms, 2.00s, 1.00m)
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000
    else if (u == "m") f = 60000000; else if (u == "h") f = 3600000000; else { print "NaN"; exit }
    printf "%.1f", n * f }'
}
fmt_ms() { awk -v us="$1" 'BEGIN { if (us == "NaN" || us == "") print "n/a"; else printf "%.2f ms", us / 1000 }'; }
fmt_cpu() { awk -v v="$1" 'BEGIN { if (v == "NaN" || v == "") print "n/a"; else printf "%.1f", v }'; }
ratio() { # ratio A B -> "0.87×" or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'
}

# ---------------------------------------------------------------- CPU accounting from /proc
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
below_setsid() { # below_setsid PID [NAME] -> pid of the program started by start_bg (past setsid if it forked)
  local pid="$1" kids
  if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == setsid ]]; then
    kids="$(children_of "$pid")"
    [[ -n "$kids" && "$kids" != *$'\n'* ]] || die "${2:+$2: }cannot find the process below setsid pid $pid"
    pid="$kids"
  fi
  echo "$pid"
}
stat_ticks() { # stat_ticks all|system PID... -> sum of utime+stime (all) or stime alone (system), in
  # clock ticks; fails if a pid is gone
  local which="$1" pid st sum=0
  local -a fl
  shift
  for pid in "$@"; do
    st="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    st="${st##*) }"
    read -r -a fl <<<"$st"
    sum=$((sum + fl[12]))                 # field 15 (stime)
    [[ "$which" == system ]] || sum=$((sum + fl[11]))   # field 14 (utime)
  done
  echo "$sum"
}
steal_ticks() { # steal_ticks CPU-LIST -> the time the host ran something else while these guest CPUs
  # (a taskset list of single CPUs, "0" or "0,1") had work, in clock ticks (/proc/stat's steal)
  awk -v cpus=",$1," '$1 ~ /^cpu[0-9]+$/ && index(cpus, "," substr($1, 4) ",") { sum += $9 } END { print sum + 0 }' /proc/stat
}
steal_percent() { # steal_percent TICKS SECONDS CPU-LIST -> the share of those CPUs' time stolen, in %
  awk -v t="$1" -v hz="$CLK_TCK" -v s="$2" -v n="$(tr ',' '\n' <<<"$3" | grep -c .)" \
    'BEGIN { if (s > 0 && n > 0) printf "%.1f", 100 * t / hz / s / n; else print "NaN" }'
}
ticks_of() { stat_ticks all "$@"; }          # ticks_of PID...: utime+stime
jit_ticks_of() { # jit_ticks_of PID -> utime+stime of the JVM's JIT compiler threads ("C1/C2 CompilerThre")
  # in clock ticks, 0 if none is alive (they come and go); fails if the pid is gone
  local pid="$1" t st sum=0
  local -a fl
  [[ -d "/proc/$pid/task" ]] || return 1
  for t in /proc/"$pid"/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == C[12]\ CompilerThre* ]] || continue
    st="$(cat "$t/stat" 2>/dev/null)" || continue
    st="${st##*) }"
    read -r -a fl <<<"$st"
    sum=$((sum + fl[11] + fl[12]))
  done
  echo "$sum"
}
system_ticks_of() { stat_ticks system "$@"; } # system_ticks_of PID...: stime, the kernel's work on their behalf
cpu_us_per_request() { # cpu_us_per_request TICKS REQUESTS -> CPU µs per request, or NaN
  awk -v d="$1" -v hz="$CLK_TCK" -v n="$2" \
    'BEGIN { if (n + 0 > 0) printf "%.2f", d / hz * 1e6 / n; else print "NaN" }'
}

# ---------------------------------------------------------------- rounds
# median_round NAME: the median round by req/s (lower middle one for an even
# ROUNDS), so each row is one real run; plus min-max req/s over all rounds.
# Sets MED RPS P50 P99 P999 CPU RPS_MIN RPS_MAX ERRS [NAME] from R_* [NAME,round],
# and ROUND_RPS / ROUND_CPU, the per-round figures for the log.
median_round() {
  local n="$1" r m sorted errs=""
  sorted="$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R_RPS[$n,$r]} $r"; done | sort -n -k1,1 -k2,2)"
  m="$(sed -n "$(((ROUNDS + 1) / 2))p" <<<"$sorted" | awk '{ print $2 }')"
  MED[$n]="$m"
  RPS[$n]="${R_RPS[$n,$m]}"; P50[$n]="${R_P50[$n,$m]}"; P99[$n]="${R_P99[$n,$m]}"
  P999[$n]="${R_P999[$n,$m]}"; CPU[$n]="${R_CPU[$n,$m]}"
  RPS_MIN[$n]="$(sed -n '1p' <<<"$sorted" | awk '{ print $1 }')"
  RPS_MAX[$n]="$(sed -n '$p' <<<"$sorted" | awk '{ print $1 }')"
  for ((r = 1; r <= ROUNDS; r++)); do
    if [[ -n "${R_ERRS[$n,$r]}" ]]; then errs+="round $r: ${R_ERRS[$n,$r]}; "; fi
  done
  ERRS[$n]="${errs%; }"
  ROUND_CPU=""; ROUND_RPS=""
  for ((r = 1; r <= ROUNDS; r++)); do ROUND_RPS+="${R_RPS[$n,$r]} "; ROUND_CPU+="${R_CPU[$n,$r]} "; done
  ROUND_RPS="${ROUND_RPS% }"; ROUND_CPU="${ROUND_CPU% }"
}
median_phrase() { # how the row's round was chosen, for the docs
  if (( ROUNDS % 2 )); then echo "the median round by req/s"; else echo "the median round by req/s (the lower of the two middle rounds, as ROUNDS is even)"; fi
}
median_rounds() { # median_rounds NAME... -> "NAME round M, ..." (after median_round)
  local n used=""
  for n in "$@"; do used+="$n round ${MED[$n]}, "; done
  echo "${used%, }"
}

# ---------------------------------------------------------------- report
describe_machine() { # CPU_MODEL NPROC MEM KERNEL OS DATE V_NGINX V_WRK V_JAVA GIT_REV
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
  V_WRK="$( { wrk -v 2>&1 || true; } | sed -n '1s/ Copyright.*//p')"
  if command -v java >/dev/null; then V_JAVA="$(java -version 2>&1 | sed -n 1p)"; else V_JAVA="java not installed"; fi
  GIT_REV="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ -n "$(git -C "$REPO_ROOT" status --porcelain 2>/dev/null || true)" ]]; then GIT_REV+=" (uncommitted changes)"; fi
}

# update_docs: writes TMP/section.md into DOCS_FILE (relative to REPO_ROOT unless absolute) under SECTION_HEADING.
# Replaces the section (heading .. next "## " heading or EOF) in place; appends it
# if absent. Other lines are copied unchanged (only blank lines next to the
# section are normalised to one).
update_docs() {
  local docs="$DOCS_FILE"
  [[ "$docs" == /* ]] || docs="$REPO_ROOT/$DOCS_FILE"
  mkdir -p "$(dirname "$docs")"
  [[ -f "$docs" ]] || printf '# Benchmarks\n' >"$docs"
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
}

# ---------------------------------------------------------------- the gateway as a long-lived service
# start_gateway_service NAME JAR PORT ADMIN_PORT: JAR in JAVA_ARGS (from JAVA_OPTS) with TMP/NAME.conf,
# stopped on exit; waits READY_TIMEOUT for /ready, then dies unless / answers 200 (body in TMP/NAME.probe).
start_gateway_service() {
  local name="$1" jar="$2" port="$3" admin="$4" code
  log "starting $name on $HOST:$port: java ${JAVA_OPTS} -jar ${jar#"$REPO_ROOT"/} --config $TMP/$name.conf"
  start_service "$name" java "${JAVA_ARGS[@]}" -jar "$jar" --config "$TMP/$name.conf"
  wait_http "$name" "${SVC_PID[$name]}" "http://$HOST:$admin/ready" "$READY_TIMEOUT"
  code="$(curl -s -o "$TMP/$name.probe" -w '%{http_code}' "http://$HOST:$port/" || true)"
  [[ "$code" == 200 ]] || die "$name answered HTTP $code on / (expected 200 proxied from upstream)"
}

# ---------------------------------------------------------------- interleaved rounds
# run_rounds LABEL N PAUSE_S FN ITEM...: N rounds; round r logs "LABELround r/N: ..." and calls
# FN ITEM r for each ITEM, the ITEMs rotated left by r-1, pausing PAUSE_S after each call.
run_rounds() {
  local label="$1" rounds="$2" pause="$3" fn="$4" round item
  shift 4
  local -a order
  for ((round = 1; round <= rounds; round++)); do
    read -r -a order <<<"$(rotated "$round" "$@")"
    log "${label}round $round/$rounds: ${order[*]}"
    for item in "${order[@]}"; do
      "$fn" "$item" "$round"
      sleep "$pause"
    done
  done
}

# ---------------------------------------------------------------- results file
publish_results() { # publish_results: prints TMP/section.md and copies it to RESULTS_FILE (relative to REPO_ROOT unless absolute)
  echo
  cat "$TMP/section.md"
  local out="$RESULTS_FILE"
  [[ "$out" == /* ]] || out="$REPO_ROOT/$RESULTS_FILE"
  mkdir -p "$(dirname "$out")"
  cp "$TMP/section.md" "$out"
  log "wrote $RESULTS_FILE"
}

# ---------------------------------------------------------------- Redis (rate-limit benchmarks)
# Redis servers this script started, by port; start_redis appends to it.
REDIS_PORTS=()
rcli() { # rcli PORT ARGS...
  redis-cli -h "$HOST" -p "$1" "${@:2}"
}
info_field() { # info_field PORT SECTION FIELD -> value of FIELD in INFO SECTION
  rcli "$1" INFO "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2; exit }'
}
# start_redis NAME: one redis-server on a free port in 20000-29999 (no persistence), stopped on
# exit; appends the port to REDIS_PORTS. A port taken between the check and the bind is retried.
start_redis() {
  local name="$1" try port pid deadline
  port=$((20000 + RANDOM % 10000))
  for ((try = 1; try <= 5; try++)); do
    while ! port_free "$port" || [[ " ${REDIS_PORTS[*]} " == *" $port "* ]]; do port=$((port + 1)); done
    mkdir -p "$TMP/$name"
    start_bg "$name" redis-server --bind "$HOST" --port "$port" --save "" --appendonly no \
      --dir "$TMP/$name" --daemonize no --logfile ""
    pid="${SVC_PID[$name]}"
    deadline=$((SECONDS + 10))
    while [[ "$(rcli "$port" PING 2>/dev/null)" != PONG ]]; do
      kill -0 "$pid" 2>/dev/null || break
      (( SECONDS < deadline )) || die "$name not answering PING on $HOST:$port after 10s"
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      PIDS+=("$pid")
      REDIS_PORTS+=("$port")
      log "$name listening on $HOST:$port (pid $pid)"
      return 0
    fi
    wait "$pid" 2>/dev/null || true
    log "$name failed to start on port $port (taken?); trying another"
    port=$((port + 1))
  done
  die "could not start $name"
}
redis_cpu_s() { # CPU seconds (user + sys, all threads) of every server in REDIS_PORTS, summed
  local p sum=0 u s
  for p in "${REDIS_PORTS[@]}"; do
    u="$(info_field "$p" cpu used_cpu_user)"; s="$(info_field "$p" cpu used_cpu_sys)"
    [[ -n "$u" && -n "$s" ]] || die "redis :$p: no used_cpu_user/used_cpu_sys in INFO cpu"
    sum="$(awk -v a="$sum" -v u="$u" -v s="$s" 'BEGIN { printf "%.6f", a + u + s }')"
  done
  echo "$sum"
}

# write_users_lua FILE: a wrk script that sends X-API-Key: user-<n>, n uniform in 1..USERS drawn per
# request (seeded per thread), plus the P99.9 done() hook.
write_users_lua() {
  cat >"$1" <<EOF
-- X-API-Key: user-<n>, n uniform in 1..$USERS, drawn per request, so the
-- limiter sees $USERS identities.
local users = $USERS
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end
function init(args)
  math.randomseed((os.time() % 1000000) * 97 + thread_no * 7919)
  math.random(); math.random()
end
function request()
  return wrk.format(nil, nil, { ["X-API-Key"] = "user-" .. math.random(users) })
end
EOF
  p999_lua_hook >>"$1"
}

# ---------------------------------------------------------------- HAProxy
haproxy_conf() { # haproxy_conf NAME NBTHREAD MAXCONN FRONTEND-LINES [GLOBAL-LINE] -> TMP/NAME.cfg: a proxy to HOST:PORT_UPSTREAM
  {
    cat <<EOF
global
    nbthread $2
    maxconn $3
    pidfile $TMP/$1.pid
EOF
    if [[ -n "${5:-}" ]]; then echo "    $5"; fi
    cat <<EOF

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend fe
    $4
    default_backend be

backend be
    http-reuse always
    server up $HOST:$PORT_UPSTREAM maxconn 1000
EOF
  } >"$TMP/$1.cfg"
}
start_haproxy() { # start_haproxy NAME PORT: checks and runs TMP/NAME.cfg, waits for http://HOST:PORT/
  haproxy -c -q -f "$TMP/$1.cfg" >"$TMP/$1.log" 2>&1 \
    || { cat "$TMP/$1.log" >&2; die "$1: haproxy -c -f $TMP/$1.cfg failed"; }
  start_service "$1" haproxy -db -f "$TMP/$1.cfg"
  wait_http "$1" "${SVC_PID[$1]}" "http://$HOST:$2/" 10
}

# ---------------------------------------------------------------- loadtest.jar (open-loop generator, mock upstream)
# ensure_loadtest_jar: LOADTEST_JAR (absolute; default loadtest/target/loadtest.jar), built with
# ./mvnw if it is the default and missing; dies if it still is, or if it has no `run` command.
ensure_loadtest_jar() {
  if [[ -n "${LOADTEST_JAR:-}" && "$LOADTEST_JAR" != /* ]]; then LOADTEST_JAR="$REPO_ROOT/$LOADTEST_JAR"; fi
  LOADTEST_JAR="${LOADTEST_JAR:-$REPO_ROOT/loadtest/target/loadtest.jar}"
  if [[ ! -f "$LOADTEST_JAR" && "$LOADTEST_JAR" == "$REPO_ROOT/loadtest/target/loadtest.jar" ]]; then
    log "building loadtest ($LOADTEST_JAR missing): ./mvnw -q -B -ntp -DskipTests package"
    ./mvnw -q -B -ntp -DskipTests package || die "./mvnw package failed"
  fi
  [[ -f "$LOADTEST_JAR" ]] || die "loadtest jar $LOADTEST_JAR does not exist"
  java -jar "$LOADTEST_JAR" run --help >/dev/null 2>&1 \
    || die "$LOADTEST_JAR has no working 'run' command ('java -jar $LOADTEST_JAR run --help' fails); rebuild it with ./mvnw -q -B -ntp -DskipTests package"
}
# start_mock_upstream NAME PORT SPEC [MORE-ARGS...]: `loadtest.jar upstream` on HOST:PORT with
# latency SPEC, in JAVA_ARGS_UPSTREAM (an array, may be empty), stopped on exit; waits until it answers.
start_mock_upstream() {
  local name="$1" port="$2" spec="$3"
  shift 3
  log "starting $name (loadtest upstream --latency $spec) on $HOST:$port"
  start_service "$name" java "${JAVA_ARGS_UPSTREAM[@]}" -jar "$LOADTEST_JAR" upstream \
    --host "$HOST" --port "$port" --latency "$spec" --name "$name" "$@"
  wait_http "$name" "${SVC_PID[$name]}" "http://$HOST:$port/?delay=0ms" 30
}
# run_loadtest JSON LOG LIMIT_S RUN-ARGS...: `loadtest.jar run RUN-ARGS --json JSON` in the
# background (so INT/TERM traps fire at once), killed after LIMIT_S. Dies, naming the command,
# unless JSON holds a run; a non-zero exit with a good JSON is only logged.
run_loadtest() {
  local json="$1" out="$2" limit="$3" rc=0
  shift 3
  rm -f "$json"
  timeout --kill-after=10 "$limit" java "${JAVA_ARGS_LOADTEST[@]}" -jar "$LOADTEST_JAR" run "$@" --json "$json" \
    >"$out" 2>&1 </dev/null &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  if ! jq -e '.runs[0].latency_ms.p50 != null' "$json" >/dev/null 2>&1; then
    sed 's/^/    /' "$out" | tail -n 20 >&2
    if (( rc == 124 || rc == 137 )); then die "loadtest run $* did not finish within ${limit}s"; fi
    die "loadtest run $* exited with status $rc and wrote no usable $json"
  fi
  if (( rc != 0 )); then log "note: loadtest run $* exited with status $rc (its JSON is used)"; fi
}

# ---------------------------------------------------------------- quick A/B runs (accesslog-overhead.sh, tracing-overhead.sh)
# Fixed ports, one nginx upstream, a fresh gateway per measured run, plain lines on stdout.
# ab_init NAME: cd to the repo root; ROUNDS [5] DURATION [15] WARMUP [10] CONNECTIONS [64]; wrk, nginx
# and the gateway jar; TMP (/tmp/NAME.XXXXXX) and AB_PIDS, all gone on exit.
ab_init() {
  cd "$SCRIPT_DIR/../.." || exit
  ROUNDS="${ROUNDS:-5}"; DURATION="${DURATION:-15}"; WARMUP="${WARMUP:-10}"; CONNECTIONS="${CONNECTIONS:-64}"
  command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
  command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
  [[ -f gateway-server/target/gateway.jar ]] || ./mvnw -q -B -ntp -DskipTests package
  TMP="$(mktemp -d "/tmp/$1.XXXXXX")"
  AB_PIDS=()
  trap ab_cleanup EXIT
}
ab_cleanup() {
  local p
  for p in "${AB_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  nginx -p "$TMP" -c "$TMP/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$TMP"
}
# ab_start_nginx PORT [HTTP-LINES] [LOCATIONS]: TMP/nginx.conf, 1 worker on 127.0.0.1:PORT answering
# 200 "ok\n" on / (LOCATIONS before it), as a daemon; ab_cleanup stops it.
ab_start_nginx() {
  cat >"$TMP/nginx.conf" <<NGINX
worker_processes 1; pid $TMP/nginx.pid; error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; ${2:-}
       server { listen 127.0.0.1:$1; ${3:-}
                location / { return 200 "ok\n"; } } }
NGINX
  nginx -p "$TMP" -c "$TMP/nginx.conf"
}
# ab_measure CONF PORT ADMIN_PORT: a fresh gateway (-Xms1g -Xmx1g, ParallelGC) with CONF, ready on
# ADMIN_PORT, a wrk warm-up of WARMUP s, then DURATION s measured: AB_RPS (wrk's req/s) and AB_CPU
# (the gateway's utime+stime µs per request). The gateway keeps running as AB_GW until ab_stop.
ab_measure() {
  local before after out requests
  ab_start_gateway "$1" "$3"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$2/" >/dev/null
  before="$(ticks_of "$AB_GW")"
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$2/")"
  after="$(ticks_of "$AB_GW")"
  AB_RPS="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
  AB_CPU="$(cpu_us_per_request $((after - before)) "$requests")"
}
ab_stop() { kill "$AB_GW"; wait "$AB_GW" 2>/dev/null || true; }
# ab_gateway_conf FILE PORT ADMIN_PORT UPSTREAM: a gateway config with one route, / to UPSTREAM.
ab_gateway_conf() {
  cat >"$1" <<CONF
gateway {
  listen { host = "127.0.0.1", port = $2 }
  admin { host = "127.0.0.1", port = $3 }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = ["$4"] } ]
}
CONF
}
# ab_start_gateway CONF ADMIN_PORT [JVM-OPTION...]: a fresh gateway (-Xms1g -Xmx1g, ParallelGC, then
# the options given) as AB_GW, once ready; started under AB_LAUNCH_PREFIX (e.g. "taskset -c 0") when set.
ab_start_gateway() {
  ${AB_LAUNCH_PREFIX:-} java -Xms1g -Xmx1g -XX:+UseParallelGC "${@:3}" -jar gateway-server/target/gateway.jar --config "$1" >"$TMP/gw.log" 2>&1 &
  AB_GW=$!; AB_PIDS+=("$AB_GW")
  until curl -sf "http://127.0.0.1:$2/ready" >/dev/null; do kill -0 "$AB_GW"; sleep 0.2; done
}
# ab_median NUMBER... -> the median (the lower middle one of an even count)
ab_median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ab_h2_init NAME: ab_init NAME for an h2load benchmark; CONNECTIONS [16] and STREAMS [10] per connection.
ab_h2_init() {
  CONNECTIONS="${CONNECTIONS:-16}"; STREAMS="${STREAMS:-10}"
  ab_init "$1"
  command -v h2load >/dev/null || apt-get install -y -qq nghttp2-client >/dev/null
}
# ab_h2load SECONDS URL [H2LOAD-ARGS...]: h2load -c CONNECTIONS -m STREAMS -t 1 for SECONDS against URL;
# sets H2_RPS, H2_DONE (requests answered 2xx), H2_FAILED (the rest), H2_P50 and H2_P99 (ms, from
# h2load's per-request log: start of the request to the end of its response).
ab_h2load() {
  local seconds="$1" url="$2" out; shift 2
  rm -f "$TMP/h2load.log"
  out="$(h2load -D "$seconds" -c "$CONNECTIONS" -m "$STREAMS" -t 1 --log-file="$TMP/h2load.log" "$@" "$url")"
  H2_RPS="$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' <<<"$out")"
  H2_DONE="$(awk '/^status codes:/ { print $3 }' <<<"$out")"
  H2_FAILED="$(awk '/^requests:/ { print $10 + $12 + $14 }' <<<"$out")"
  read -r H2_P50 H2_P99 < <(cut -f3 "$TMP/h2load.log" | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN NaN"; else printf "%.2f %.2f\n", v[int(NR * 0.5) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
}
median() { # median NUMBER... -> the middle one (the mean of the middle two for an even count)
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
