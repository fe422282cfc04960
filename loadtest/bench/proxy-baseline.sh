#!/usr/bin/env bash
# Proxy baseline: wrk against a tiny nginx upstream directly, and through
# nginx (reverse proxy), HAProxy and our gateway, all on 127.0.0.1.
# Optionally a second gateway from another jar (target gateway-base), to
# compare a build before a change with one after it in the same run:
#   GATEWAY_JAR=/work/jars/gateway-layer.jar BASE_GATEWAY_JAR=/work/jars/gateway-main.jar \
#     TARGETS="gateway-base gateway nginx" ROUNDS=5 bash loadtest/bench/proxy-baseline.sh
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
#   TARGETS          targets to measure, in order ["direct nginx haproxy gateway"];
#                    known: direct nginx haproxy gateway gateway-base
#   THREADS          wrk threads [2]
#   CONNECTIONS      wrk connections [64]
#   ROUNDS           measured runs per target, interleaved across targets [3]
#   DURATION         measured seconds per target and round [15]
#                    (was 20 with a single run; 4 targets x 3 rounds x 15s plus
#                    warm-ups keeps the default run near 4 minutes)
#   WARMUP           warm-up seconds per target, output discarded [10]
#   GATEWAY_WARMUP   warm-up seconds for each gateway target (JIT) [15]
#   JAVA_OPTS        JVM flags for each gateway ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   READY_TIMEOUT    seconds to wait for the gateway's /ready [60]
#   DOCS_FILE        markdown file to update, relative to repo root [docs/benchmarks.md]
#   UPDATE_DOCS      set to 0 to only print the table [1]
#   GATEWAY_JAR      gateway jar; built with ./mvnw if it is the default and missing
#                    [gateway-server/target/gateway.jar]
#   BASE_GATEWAY_JAR gateway jar for the gateway-base target, labelled "gateway (base jar)":
#                    same config and JVM flags as gateway, own ports and CPU figure; the
#                    table then adds req/s and CPU ratios of every row to it. Required
#                    when TARGETS lists gateway-base; never built [unset]
#   BASE_JAVA_OPTS   JVM flags for gateway-base instead of JAVA_OPTS, e.g. the same jar with
#                    -DGATEWAY_TRANSPORT=io-uring to compare transports in one run [JAVA_OPTS]
#   KEEP_TMP         set to 1 to keep the temp dir (configs, logs, raw wrk output) [0]
set -euo pipefail

BENCH_NAME=proxy-baseline
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
# Remember which knobs were set explicitly, to reproduce the command line.
CMD_ENV="$(explicit_knobs TARGETS ROUNDS THREADS CONNECTIONS DURATION WARMUP GATEWAY_WARMUP JAVA_OPTS READY_TIMEOUT GATEWAY_JAR BASE_GATEWAY_JAR BASE_JAVA_OPTS)"

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
PORT_GATEWAY_BASE=18084
PORT_ADMIN_BASE=19091
SECTION_HEADING="## Proxy baseline (wrk, small 200)"

# Relative to the caller's directory, like GATEWAY_JAR (setup_paths makes both absolute).
BASE_GATEWAY_JAR="${BASE_GATEWAY_JAR:-}"
setup_paths "${BASH_SOURCE[0]}"

for t in $TARGETS; do
  case "$t" in direct|nginx|haproxy|gateway|gateway-base) ;; *) die "unknown target '$t' in TARGETS (known: direct nginx haproxy gateway gateway-base)";; esac
done
[[ -n "${TARGETS// /}" ]] || die "TARGETS is empty"
require_whole_numbers ROUNDS THREADS CONNECTIONS DURATION WARMUP GATEWAY_WARMUP READY_TIMEOUT
(( ROUNDS > 0 && DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS )) \
  || die "need ROUNDS>0, DURATION>0, THREADS>0, CONNECTIONS>=THREADS"
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
is_gateway() { [[ "$1" == gateway || "$1" == gateway-base ]]; }

# ---------------------------------------------------------------- cleanup
install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkgs wrk nginx haproxy curl

if wants gateway || wants gateway-base; then
  command -v java >/dev/null || die "java not found (needed for the gateway targets)"
fi
if wants gateway; then ensure_gateway_jar; fi
if wants gateway-base; then
  [[ -n "$BASE_GATEWAY_JAR" ]] \
    || die "TARGETS lists gateway-base but BASE_GATEWAY_JAR is not set (the gateway jar to compare against)"
  [[ -f "$BASE_GATEWAY_JAR" ]] || die "BASE_GATEWAY_JAR $BASE_GATEWAY_JAR does not exist"
fi

need_ports=("$PORT_UPSTREAM")
wants nginx && need_ports+=("$PORT_NGINX")
wants haproxy && need_ports+=("$PORT_HAPROXY")
wants gateway && need_ports+=("$PORT_GATEWAY" "$PORT_ADMIN")
wants gateway-base && need_ports+=("$PORT_GATEWAY_BASE" "$PORT_ADMIN_BASE")
require_ports_free "${need_ports[@]}"

make_tmp

# ---------------------------------------------------------------- configs
nginx_proxy_conf nginx-proxy 2 "listen $HOST:$PORT_NGINX backlog=4096;"
haproxy_conf haproxy 2 4096 "bind $HOST:$PORT_HAPROXY"

gateway_conf() { # gateway_conf PORT ADMIN_PORT: the gateway config, one route / to the upstream
  cat <<EOF
gateway {
  listen { host = "$HOST", port = $1 }
  admin { host = "$HOST", port = $2 }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = [ "http://$HOST:$PORT_UPSTREAM" ] } ]
}
EOF
}
if wants gateway; then gateway_conf "$PORT_GATEWAY" "$PORT_ADMIN" >"$TMP/gateway.conf"; fi
if wants gateway-base; then gateway_conf "$PORT_GATEWAY_BASE" "$PORT_ADMIN_BASE" >"$TMP/gateway-base.conf"; fi

p999_lua_hook >"$TMP/p999.lua"

# ---------------------------------------------------------------- start services
start_upstream

if wants nginx; then
  log "starting nginx proxy on $HOST:$PORT_NGINX"
  start_nginx nginx-proxy "$PORT_NGINX"
fi

if wants haproxy; then
  log "starting haproxy on $HOST:$PORT_HAPROXY"
  start_haproxy haproxy "$PORT_HAPROXY"
fi

read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
start_gateway() { # start_gateway NAME JAR PORT ADMIN_PORT: start_gateway_service, and the body must be the upstream's
  start_gateway_service "$@"
  [[ "$(cat "$TMP/$1.probe")" == "ok" ]] || log "warning: $1 body differs from upstream's 'ok'"
}
if wants gateway; then start_gateway gateway "$GATEWAY_JAR" "$PORT_GATEWAY" "$PORT_ADMIN"; fi
if wants gateway-base; then
  read -r -a JAVA_ARGS <<<"${BASE_JAVA_OPTS:-$JAVA_OPTS}"
  start_gateway gateway-base "$BASE_GATEWAY_JAR" "$PORT_GATEWAY_BASE" "$PORT_ADMIN_BASE"
  read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
fi

# ---------------------------------------------------------------- measure
declare -A T_PORT=([direct]="$PORT_UPSTREAM" [nginx]="$PORT_NGINX" [haproxy]="$PORT_HAPROXY"
  [gateway]="$PORT_GATEWAY" [gateway-base]="$PORT_GATEWAY_BASE")
declare -A T_LABEL=([direct]="direct (nginx upstream, no proxy)" [nginx]="nginx proxy" [haproxy]="HAProxy"
  [gateway]="gateway" [gateway-base]="gateway (base jar)")
port_of() { echo "${T_PORT[$1]}"; }
label_of() { echo "${T_LABEL[$1]}"; }

# ---- CPU accounting: utime+stime (clock ticks) of the processes serving a target
service_pid() { below_setsid "${SVC_PID[$1]}" "$1"; } # service_pid NAME -> pid of the program started as NAME
cpu_pids_of() { # cpu_pids_of TARGET -> pids whose CPU time is charged to TARGET (space separated)
  local pids
  case "$1" in
    direct) pids="$(nginx_workers nginx-upstream)" || exit 1 ;;
    nginx) pids="$(nginx_workers nginx-proxy)" || exit 1 ;;
    haproxy) pids="$(service_pid haproxy)" || exit 1 ;;
    gateway) pids="$(service_pid gateway)" || exit 1 ;;
    gateway-base) pids="$(service_pid gateway-base)" || exit 1 ;;
  esac
  [[ -n "$pids" ]] || die "$1: found no processes to measure CPU time of"
  echo "${pids//$'\n'/ }"
}

# ---- warm-up: each target once, in TARGETS order
read -r -a TLIST <<<"$TARGETS"
for t in "${TLIST[@]}"; do
  warm="$WARMUP"; is_gateway "$t" && warm="$GATEWAY_WARMUP"
  if (( warm > 0 )); then
    log "$t: warm-up ${warm}s"
    run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${warm}s" "http://$HOST:$(port_of "$t")/"
    sleep 1
  fi
done

# ---- measured rounds, interleaved; round r runs TARGETS rotated left by r-1
# Per-round results in R_* (bench-common.sh), keyed "target,round".
WRK_CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s p999.lua http://$HOST:<port>/"
MEASURE_START=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do
  read -r -a order <<<"$(rotated "$r" "${TLIST[@]}")"
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
    show_wrk_output "$out"

    parse_wrk "$out" "$k" "$t"
    if [[ -n "$t1" ]]; then
      R_TICKS[$k]=$((t1 - t0))
      R_CPU[$k]="$(cpu_us_per_request "${R_TICKS[$k]}" "${R_REQS[$k]}")"
    else
      log "warning: $t: a process of pid ${cpids[*]} vanished during round $r; no CPU figure"
      R_TICKS[$k]=""; R_CPU[$k]="NaN"
    fi
    errs="$(wrk_errors "$out")"
    R_ERRS[$k]="${errs%; }"
    if [[ -n "${R_ERRS[$k]}" ]]; then log "warning: $t: round $r: ${R_ERRS[$k]}"; fi
    log_round "$t" "$r" "$k"
    check_services_alive "$t" "$r"
    sleep 1
  done
done
MEASURE_SECS=$((SECONDS - MEASURE_START))

# ---- per target: the median round by req/s (lower middle one for an even
# ROUNDS), so each row is one real run; plus min-max req/s over all rounds.
for t in "${TLIST[@]}"; do
  median_round "$t"
  log "$t: req/s by round: $ROUND_RPS; CPU µs/request by round: $ROUND_CPU; median round ${MED[$t]}"
done

# ---------------------------------------------------------------- report
describe_machine
# sed -n 1p (not head) reads all input, so no SIGPIPE trips pipefail
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
COMMAND="${CMD_ENV}bash $SCRIPT_REL"
BASE_SETUP=""; BASE_RATIOS=""; BASE_CPU=""
if wants gateway-base; then
  BASE_SETUP="; gateway (base jar) = the same with \`java ${BASE_JAVA_OPTS:-$JAVA_OPTS} -jar ${BASE_GATEWAY_JAR#"$REPO_ROOT"/}\` (:$PORT_GATEWAY_BASE)"
  BASE_RATIOS="; \"vs base jar\" is the ratio to the gateway (base jar) row, for CPU µs/request as well (below 1 is less CPU per request)"
  BASE_CPU=", likewise for gateway (base jar)"
fi

# With gateway-base, two more columns compare every row to it (the A/B figures).
{
  if wants gateway-base; then
    echo "| target | req/s | req/s range | P50 | P99 | P99.9 | CPU µs/request | req/s vs nginx | P99 vs nginx | req/s vs base jar | CPU vs base jar |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  else
    echo "| target | req/s | req/s range | P50 | P99 | P99.9 | CPU µs/request | req/s vs nginx | P99 vs nginx |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  fi
  for t in "${TLIST[@]}"; do
    printf '| %s | %s | %s–%s | %s | %s | %s | %s | %s | %s |' "$(label_of "$t")" "${RPS[$t]}" \
      "${RPS_MIN[$t]}" "${RPS_MAX[$t]}" \
      "$(fmt_ms "${P50[$t]}")" "$(fmt_ms "${P99[$t]}")" "$(fmt_ms "${P999[$t]}")" "$(fmt_cpu "${CPU[$t]}")" \
      "$(ratio "${RPS[$t]}" "${RPS[nginx]:-}")" "$(ratio "${P99[$t]}" "${P99[nginx]:-}")"
    if wants gateway-base; then
      printf ' %s | %s |' "$(ratio "${RPS[$t]}" "${RPS[gateway-base]}")" "$(ratio "${CPU[$t]}" "${CPU[gateway-base]}")"
    fi
    echo
  done
} >"$TMP/table.md"

{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`$COMMAND\`"
  echo "- Load: \`$WRK_CMD\` per target and round; every target first gets one wrk warm-up of ${WARMUP}s (gateway targets: ${GATEWAY_WARMUP}s), then $ROUNDS measured rounds run interleaved, each round going through all targets with the order rotated by one (round 1: ${TLIST[*]}); same threads, connections and duration for every run. DURATION defaults to 15s (20s before rounds were added), so the default 4 targets × 3 rounds plus warm-ups take about 4 minutes; this run measured for ${MEASURE_SECS}s."
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL. wrk, the upstream and the proxy under test all share these cores over loopback."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA; $V_WRK"
  echo "- Setup: upstream = nginx, 1 worker, \`return 200 \"ok\\n\"\` on :$PORT_UPSTREAM; nginx proxy = 2 workers, upstream \`keepalive 64\`, HTTP/1.1, access_log off (:$PORT_NGINX); HAProxy = \`nbthread 2\`, mode http, \`http-reuse always\`, no logging (:$PORT_HAPROXY); gateway = \`java $JAVA_OPTS -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\`, one route / to the upstream (:$PORT_GATEWAY)${BASE_SETUP}."
  echo
  cat "$TMP/table.md"
  for t in "${TLIST[@]}"; do
    if [[ -n "${ERRS[$t]}" ]]; then printf '\nNote: %s had errors: %s.\n' "$(label_of "$t")" "${ERRS[$t]}"; fi
  done
  echo
  echo "Each row is one real run: $(median_phrase) of the $ROUNDS rounds for that target ($(median_rounds "${TLIST[@]}")), with its own P50/P99/P99.9 and CPU figure; \"req/s range\" is the lowest–highest req/s over all $ROUNDS rounds."
  echo "Latencies are wrk's (P50/P99 from \`--latency\`, P99.9 from a Lua \`done()\` hook); \"vs nginx\" is the ratio to the nginx proxy row (n/a when nginx was not run)${BASE_RATIOS}."
  echo "\"CPU µs/request\" is the CPU time (user + system, utime+stime from \`/proc/PID/stat\`, in 1/${CLK_TCK}s ticks) that the target's own processes used during that run, divided by the requests wrk completed in it: nginx proxy = its worker processes, HAProxy = its process (all threads), gateway = the java process (all threads, including GC and JIT)${BASE_CPU}, direct = the upstream nginx worker. The upstream's share, the same for every proxy, is left out of the proxy rows, and wrk's own CPU is not counted anywhere. It is far less sensitive than req/s to other load on a shared machine, so it is the fairer figure for comparing the proxies."
} >"$TMP/section.md"

echo
cat "$TMP/section.md"

if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
