#!/usr/bin/env bash
# The gateway when the gateway itself is the bottleneck (issue 14, item 2): its own event loop
# saturated in front of an upstream that never is (nginx, static 200). First each proxy's own
# saturation rate is measured closed-loop with wrk; then each is driven open-loop (loadtest.jar run)
# at OVERLOAD (3) times ITS OWN rate for DURATION seconds:
#
#   gateway         1 event loop, self-protection on (limits.max-event-loop-lag, 100ms by default)
#   gateway-nolag   the same with limits.max-event-loop-lag = 0 (never refuses for loop lag)
#   gateway-base    as gateway, from BASE_GATEWAY_JAR (another build, for a before/after in one run)
#   nginx           reverse proxy, 1 worker
#   haproxy         reverse proxy, nbthread 1
#
# Per target: goodput (2xx/s over the run's elapsed time) and its share of the target's saturation
# rate (goal for the protected gateway: >= 80%), P50/P99/P99.9 of the 2xx answers only, 503 count,
# other failures, peak RSS of the proxy's processes (VmRSS from /proc/PID/status, sampled every
# second), and for the gateways whether the admin port answered /metrics and /health during the
# overload (curl every ADMIN_PROBE_EVERY s, 2 s timeout) plus the gateway_overload shed counter.
# Prints a markdown table and writes it to RESULTS_FILE; docs/benchmarks.md is not touched.
#
# Placement: by default (PIN) the proxy under test has CPU 0 and everything that loads it CPU 1, so
# that the proxy's own saturation is what is measured. On two cores the generator alone may not reach
# 3x a proxy that has a whole core: CPU_QUOTA then lowers the proxy's rate, in short periods
# (CPU_PERIOD_US) so that a throttled JVM stalls for a fraction of a millisecond, not for 7.5 ms of
# every 10 as with the kernel's default 100 ms period cut to 10 ms. Still, its GC and JIT threads
# share the quota: a quota is a stand-in for a slower machine, placement is the real thing.
#
# Capacity: a target's saturation rate counts its 2xx answers only. A gateway that refuses during
# the closed-loop run (its loop behind, as under a coarse quota) would otherwise count cheap 503s as
# capacity and make its share served at overload look smaller than it is.
#
# One event loop: the gateway has no event-loop setting yet and sizes its worker group by
# Runtime.availableProcessors(), so it runs with -XX:ActiveProcessorCount=1 (in JAVA_OPTS; it
# also sizes GC and JIT threads). proxy-baseline.sh does not limit the gateway's threads at all.
#
# Env knobs (defaults in brackets):
#   TARGETS            ["gateway gateway-nolag nginx haproxy"]
#   CAPACITY_FROM      a gateway target whose saturation rate every gateway target is driven from and
#                      measured against (e.g. gateway-nolag: the same serving code without refusals, so
#                      that protected builds are offered the same rate) [unset: each its own]
#   ROUNDS             open-loop rounds, interleaved, order rotated by one per round [1]
#   DURATION           seconds of each open-loop run [30]
#   OVERLOAD           offered rate as a multiple of the target's own saturation rate [3]
#   CONNECTIONS        generator connections for the open-loop runs [2000]
#   PIN                PROXY_CPUS:LOAD_CPUS: each proxy's processes (every thread) on PROXY_CPUS, the
#                      upstream, the generators (wrk, loadtest.jar) and the probes on LOAD_CPUS
#                      (taskset lists, e.g. 0:1 or 0-1:2-3), so that a saturated proxy is one that
#                      has its cores to itself rather than one fighting the generator for them; off
#                      leaves placement to the scheduler [0:1 with 2 or more CPUs, else off]
#   CPU_QUOTA          hold each proxy to this percent of one core (cgroup v1 cpu controller), so that
#                      the generator can send 3x what it serves on a small machine [unset: no limit]
#   CPU_PERIOD_US      the quota's period, microseconds: a throttled proxy stops for the rest of each
#                      period once its share is spent, so short periods make short stalls; the kernel
#                      wants quota = period x CPU_QUOTA / 100 >= 1000 [the shortest such period, at
#                      least 1000: 4000 for CPU_QUOTA=25]
#   GEN_THREADS        generator event-loop threads (loadtest run --threads) [1]
#   GEN_WARMUP         loadtest run --warmup, seconds, at the overload rate, unrecorded [2]
#   SAT_DURATION       seconds of the wrk saturation run [10]; SAT_WARMUP wrk warm-up before it [5]
#   SAT_THREADS SAT_CONNECTIONS   wrk -t / -c for the saturation runs [2 64]
#   UPSTREAM_WORKERS   nginx upstream worker_processes [2]
#   ADMIN_PROBE_EVERY  seconds between admin probes during a gateway run [2]
#   JAVA_OPTS          gateway JVM flags ["-Xms256m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1"]
#   LOADTEST_JAVA_OPTS generator JVM flags ["-Xms512m -Xmx512m -XX:+UseParallelGC"]
#   READY_TIMEOUT      seconds to wait for a gateway's /ready [60]
#   PORT_WAIT          seconds to wait for the fixed ports to be free [60]
#   RESULTS_FILE       markdown output, relative to repo root [target/bench/self-overload.md]
#   GATEWAY_JAR LOADTEST_JAR  jars; built with ./mvnw if default and missing
#   BASE_GATEWAY_JAR   the gateway-base target's jar [required with gateway-base]
#   KEEP_TMP           set to 1 to keep the temp dir (configs, logs, JSON, samples) [0]
set -euo pipefail

BENCH_NAME=self-overload
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs TARGETS CAPACITY_FROM ROUNDS DURATION OVERLOAD CONNECTIONS PIN CPU_QUOTA CPU_PERIOD_US GEN_THREADS GEN_WARMUP \
  SAT_DURATION SAT_WARMUP SAT_THREADS SAT_CONNECTIONS UPSTREAM_WORKERS ADMIN_PROBE_EVERY JAVA_OPTS LOADTEST_JAVA_OPTS)"

TARGETS="${TARGETS:-gateway gateway-nolag nginx haproxy}"
ROUNDS="${ROUNDS:-1}"
DURATION="${DURATION:-30}"
OVERLOAD="${OVERLOAD:-3}"
CONNECTIONS="${CONNECTIONS:-2000}"
GEN_THREADS="${GEN_THREADS:-1}"
GEN_WARMUP="${GEN_WARMUP:-2}"
SAT_DURATION="${SAT_DURATION:-10}"
SAT_WARMUP="${SAT_WARMUP:-5}"
SAT_THREADS="${SAT_THREADS:-2}"
SAT_CONNECTIONS="${SAT_CONNECTIONS:-64}"
UPSTREAM_WORKERS="${UPSTREAM_WORKERS:-2}"
ADMIN_PROBE_EVERY="${ADMIN_PROBE_EVERY:-2}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1}"
LOADTEST_JAVA_OPTS="${LOADTEST_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-60}"
RESULTS_FILE="${RESULTS_FILE:-target/bench/self-overload.md}"
KEEP_TMP="${KEEP_TMP:-0}"
if [[ -z "${PIN:-}" ]]; then
  if (( $(nproc) >= 2 )); then PIN=0:1; else PIN=off; fi
fi

HOST=127.0.0.1
PORT_UPSTREAM=18180
declare -A T_PORT=([gateway]=18181 [gateway-nolag]=18182 [nginx]=18183 [haproxy]=18184 [gateway-base]=18185)
declare -A T_ADMIN=([gateway]=19181 [gateway-nolag]=19182 [gateway-base]=19185)
declare -A T_LABEL=([gateway]="gateway, protection on" [gateway-nolag]="gateway, max-event-loop-lag = 0"
  [gateway-base]="base gateway, protection on"
  [nginx]="nginx (1 worker)" [haproxy]="HAProxy (nbthread 1)")
# A run's schedule is DURATION; an overloaded target may take its queue's worth longer, up to the
# generator's 30 s request timeout; past RUN_SLACK more, it is stopped as hung.
RUN_SLACK=120

setup_paths "${BASH_SOURCE[0]}"
read -r -a TLIST <<<"$TARGETS"
(( ${#TLIST[@]} > 0 )) || die "TARGETS is empty"
for t in "${TLIST[@]}"; do
  [[ -n "${T_PORT[$t]:-}" ]] || die "unknown target '$t' in TARGETS (known: gateway gateway-nolag gateway-base nginx haproxy)"
done
require_whole_numbers ROUNDS DURATION CONNECTIONS GEN_THREADS GEN_WARMUP SAT_DURATION SAT_WARMUP SAT_THREADS \
  SAT_CONNECTIONS UPSTREAM_WORKERS ADMIN_PROBE_EVERY READY_TIMEOUT PORT_WAIT
[[ "$OVERLOAD" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "OVERLOAD must be a number, got '$OVERLOAD'"
(( ROUNDS > 0 && DURATION > 0 && SAT_DURATION > 0 && CONNECTIONS > 0 && ADMIN_PROBE_EVERY > 0 \
  && SAT_CONNECTIONS >= SAT_THREADS && SAT_THREADS > 0 )) \
  || die "need ROUNDS, DURATION, SAT_DURATION, CONNECTIONS, ADMIN_PROBE_EVERY > 0 and SAT_CONNECTIONS >= SAT_THREADS > 0"
if [[ "$PIN" != off ]]; then
  [[ "$PIN" =~ ^[0-9,-]+:[0-9,-]+$ ]] || die "PIN must be PROXY_CPUS:LOAD_CPUS (taskset lists, e.g. 0:1) or off, got '$PIN'"
  PROXY_CPUS="${PIN%%:*}"; LOAD_CPUS="${PIN#*:}"
fi
if [[ -n "${CPU_QUOTA:-}" ]]; then
  require_whole_numbers CPU_QUOTA
  (( CPU_QUOTA > 0 )) || die "CPU_QUOTA must be > 0"
  # The kernel's bounds: period >= 1000 us, quota >= 1000 us.
  CPU_PERIOD_US="${CPU_PERIOD_US:-$(( (100000 + CPU_QUOTA - 1) / CPU_QUOTA > 1000 ? (100000 + CPU_QUOTA - 1) / CPU_QUOTA : 1000 ))}"
  require_whole_numbers CPU_PERIOD_US
  (( CPU_PERIOD_US >= 1000 && CPU_PERIOD_US * CPU_QUOTA / 100 >= 1000 )) \
    || die "CPU_PERIOD_US=$CPU_PERIOD_US with CPU_QUOTA=$CPU_QUOTA: the period and the quota (period x CPU_QUOTA / 100) must each be >= 1000 us"
fi
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
is_gateway() { [[ -n "${T_ADMIN[$1]:-}" ]]; }

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkgs wrk nginx curl jq
if wants haproxy; then ensure_pkg haproxy haproxy; fi
command -v java >/dev/null || die "java not found (gateway and load generator)"
if [[ "$PIN" != off ]]; then command -v taskset >/dev/null || die "taskset not found (PIN=$PIN; PIN=off runs without it)"; fi
if wants gateway || wants gateway-nolag; then ensure_gateway_jar; fi
if wants gateway-base; then [[ -f "${BASE_GATEWAY_JAR:-}" ]] || die "gateway-base needs BASE_GATEWAY_JAR, a gateway jar (got '${BASE_GATEWAY_JAR:-}')"; fi
ensure_loadtest_jar
read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
read -r -a JAVA_ARGS_LOADTEST <<<"$LOADTEST_JAVA_OPTS"

need_ports=("$PORT_UPSTREAM")
for t in "${TLIST[@]}"; do
  need_ports+=("${T_PORT[$t]}")
  if is_gateway "$t"; then need_ports+=("${T_ADMIN[$t]}"); fi
done
wait_ports_free "$PORT_WAIT" "${need_ports[@]}"
make_tmp

# ---------------------------------------------------------------- configs
nginx_proxy_conf nginx-proxy 1 "listen $HOST:${T_PORT[nginx]} backlog=4096;"
haproxy_conf haproxy 1 8192 "bind $HOST:${T_PORT[haproxy]}
    maxconn 8192"

gateway_conf() { # gateway_conf TARGET [LIMITS-LINE]: one route / to the upstream
  cat <<EOF
gateway {
  listen { host = "$HOST", port = ${T_PORT[$1]} }
  admin { host = "$HOST", port = ${T_ADMIN[$1]} }
  ${2:-}
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = [ "http://$HOST:$PORT_UPSTREAM" ] } ]
}
EOF
}
gateway_conf gateway >"$TMP/gateway.conf"
gateway_conf gateway-base >"$TMP/gateway-base.conf"
gateway_conf gateway-nolag 'limits { max-event-loop-lag = 0 }' >"$TMP/gateway-nolag.conf"
p999_lua_hook >"$TMP/p999.lua"

# ---------------------------------------------------------------- services
start_upstream "$UPSTREAM_WORKERS"

for t in "${TLIST[@]}"; do
  case "$t" in
    gateway|gateway-nolag) start_gateway_service "$t" "$GATEWAY_JAR" "${T_PORT[$t]}" "${T_ADMIN[$t]}" ;;
    gateway-base) start_gateway_service "$t" "$BASE_GATEWAY_JAR" "${T_PORT[$t]}" "${T_ADMIN[$t]}" ;;
    nginx) log "starting nginx proxy (1 worker) on $HOST:${T_PORT[nginx]}"; start_nginx nginx-proxy "${T_PORT[nginx]}" ;;
    haproxy) log "starting haproxy (nbthread 1) on $HOST:${T_PORT[haproxy]}"; start_haproxy haproxy "${T_PORT[haproxy]}" ;;
  esac
done

# ---------------------------------------------------------------- CPU quota (optional)
# CPU_QUOTA=P puts each proxy's processes in a cgroup (v1 cpu controller) allowed P% of one core, over
# CPU_PERIOD_US periods: on a small machine the load generator cannot send 3x a proxy's full-core rate,
# but it can send 3x the rate of a proxy held to a fraction of a core. Every target gets the same quota.
CGROUP_ROOT=/sys/fs/cgroup/cpu
limit_cpu() { # limit_cpu TARGET PID...
  local t="$1" dir
  shift
  dir="$CGROUP_ROOT/self-overload-$t"
  mkdir -p "$dir" || die "cannot make $dir (CPU_QUOTA needs root and the cgroup v1 cpu controller)"
  echo "$CPU_PERIOD_US" >"$dir/cpu.cfs_period_us"
  echo $(( CPU_PERIOD_US * CPU_QUOTA / 100 )) >"$dir/cpu.cfs_quota_us"
  for pid in "$@"; do echo "$pid" >"$dir/cgroup.procs"; done
}
release_cpu_limits() {
  local dir pid
  for dir in "$CGROUP_ROOT"/self-overload-*; do
    [[ -d "$dir" ]] || continue
    while read -r pid; do echo "$pid" >"$CGROUP_ROOT/cgroup.procs" 2>/dev/null || true; done <"$dir/cgroup.procs"
    rmdir "$dir" 2>/dev/null || true
  done
}

mem_pids_of() { # mem_pids_of TARGET -> the proxy's processes (space separated): nginx master + workers
  local pids
  case "$1" in
    nginx) pids="$(nginx_pids nginx-proxy)" ;;
    *) pids="$(below_setsid "${SVC_PID[$1]}" "$1")" ;;
  esac
  echo "${pids//$'\n'/ }"
}

if [[ -n "${CPU_QUOTA:-}" ]]; then
  require_whole_numbers CPU_QUOTA
  trap 'release_cpu_limits; cleanup' EXIT
  for t in "${TLIST[@]}"; do
    # shellcheck disable=SC2046
    limit_cpu "$t" $(mem_pids_of "$t")
    log "$t held to ${CPU_QUOTA}% of one core (periods of ${CPU_PERIOD_US} us)"
  done
fi

# ---------------------------------------------------------------- placement (PIN)
# Every thread of each proxy onto PROXY_CPUS (threads started later inherit it), the upstream's
# nginx onto LOAD_CPUS, and this script too, so that wrk, loadtest.jar and curl start there.
pin_cpus() { # pin_cpus CPUS PID...
  local cpus="$1" pid
  shift
  for pid in "$@"; do taskset -a -p -c "$cpus" "$pid" >/dev/null || die "taskset -a -p -c $cpus $pid failed"; done
}
if [[ "$PIN" != off ]]; then
  for t in "${TLIST[@]}"; do
    # shellcheck disable=SC2046
    pin_cpus "$PROXY_CPUS" $(mem_pids_of "$t")
  done
  # shellcheck disable=SC2046
  pin_cpus "$LOAD_CPUS" $(nginx_pids nginx-upstream)
  taskset -p -c "$LOAD_CPUS" "$$" >/dev/null || die "taskset -p -c $LOAD_CPUS $$ failed"
  log "proxies on CPU(s) $PROXY_CPUS; upstream, generators and probes on CPU(s) $LOAD_CPUS"
fi

# ---------------------------------------------------------------- samplers (background, stop on a file)
# rss_sampler OUT STOPFILE PID...: every second the summed VmRSS (kB) of PIDs; OUT gets the peak.
rss_sampler() {
  local out="$1" stop="$2" peak=0 sum pid kb
  shift 2
  while [[ ! -e "$stop" ]] && kill -0 "$$" 2>/dev/null; do
    sum=0
    for pid in "$@"; do
      kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
      sum=$((sum + ${kb:-0}))
    done
    (( sum > peak )) && peak=$sum && echo "$peak" >"$out"
    sleep 1
  done
}
# admin_prober OUT STOPFILE ADMIN_PORT: every ADMIN_PROBE_EVERY s, /metrics and /health (2 s timeout);
# OUT gets "probes failures" (one probe = both paths; a probe fails if either does).
admin_prober() {
  local out="$1" stop="$2" port="$3" n=0 f=0 m h
  echo "0 0" >"$out"
  while [[ ! -e "$stop" ]] && kill -0 "$$" 2>/dev/null; do
    m="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$HOST:$port/metrics" || true)"
    h="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$HOST:$port/health" || true)"
    n=$((n + 1))
    [[ "$m" == 200 && "$h" == 200 ]] || f=$((f + 1))
    echo "$n $f" >"$out"
    sleep "$ADMIN_PROBE_EVERY"
  done
}
accepted_buckets() { # accepted_buckets ADMIN_PORT -> "le count" lines of gateway_request_duration_seconds{route="bench"}
  curl -sf --max-time 5 "http://$HOST:$1/metrics" | awk '/^gateway_request_duration_seconds_bucket[{]/ && /route="bench"/ {
      match($0, /le="[^"]*"/); c[substr($0, RSTART + 4, RLENGTH - 5)] += $NF }
    END { for (le in c) print le, c[le] }' || true
}
accepted_p99() { # accepted_p99 BEFORE AFTER -> "COUNT BOUND": requests the gateway took in between, and the bucket bound of their P99
  awk 'NR == FNR { b[$1] = $2; next } { print ($1 == "+Inf" ? 1e18 : $1), $2 - b[$1] }' "$1" "$2" | sort -g \
    | awk '{ le[NR] = $1; c[NR] = $2 } END {
        t = c[NR]; if (NR == 0 || t <= 0) { print "0 n/a"; exit }
        for (i = 1; i <= NR; i++) if (c[i] >= 0.99 * t) break
        if (le[i] >= 1e18) printf "%d >%gms\n", t, le[i - 1] * 1000; else printf "%d <=%gms\n", t, le[i] * 1000 }'
}
overload_shed() { # overload_shed ADMIN_PORT -> gateway_shed_requests_total{reason="gateway_overload"} (sum)
  curl -sf --max-time 5 "http://$HOST:$1/metrics" \
    | awk '/^gateway_shed_requests_total[{]/ && /reason="gateway_overload"/ { s += $2 } END { printf "%d", s }' || echo 0
}

# ---------------------------------------------------------------- 1) saturation, closed loop (wrk)
declare -A SAT SAT_ALL SAT_ERRS
SAT_CMD="wrk -t$SAT_THREADS -c$SAT_CONNECTIONS -d${SAT_DURATION}s --latency"
for t in "${TLIST[@]}"; do
  url="http://$HOST:${T_PORT[$t]}/"
  if (( SAT_WARMUP > 0 )); then
    log "$t: wrk warm-up ${SAT_WARMUP}s"
    run_wrk /dev/null -t"$SAT_THREADS" -c"$SAT_CONNECTIONS" -d"${SAT_WARMUP}s" "$url"
  fi
  log "$t: saturation: $SAT_CMD $url"
  run_wrk "$TMP/sat-$t.txt" -t"$SAT_THREADS" -c"$SAT_CONNECTIONS" -d"${SAT_DURATION}s" --latency -s "$TMP/p999.lua" "$url"
  show_wrk_output "$TMP/sat-$t.txt"
  parse_wrk "$TMP/sat-$t.txt" "sat,$t" "$t"
  # Capacity is what the target served: wrk's rate scaled to its 2xx (and 3xx) answers.
  SAT_ALL[$t]="${R_RPS[sat,$t]}"
  nx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$TMP/sat-$t.txt")"
  SAT[$t]="$(awk -v r="${R_RPS[sat,$t]}" -v n="${R_REQS[sat,$t]}" -v x="${nx:-0}" \
    'BEGIN { printf "%d", (n > 0 ? r * (n - x) / n : 0) + 0.5 }')"
  errs="$(wrk_errors "$TMP/sat-$t.txt")"; SAT_ERRS[$t]="${errs%; }"
  (( SAT[$t] > 0 )) || die "$t: saturation run gave 0 successful req/s"
  log "$t: saturation ${SAT[$t]} req/s served (${SAT_ALL[$t]} req/s answered)${SAT_ERRS[$t]:+ (${SAT_ERRS[$t]})}"
  check_services_alive "$t saturation" 0
  sleep 1
done

if [[ -n "${CAPACITY_FROM:-}" ]]; then
  is_gateway "$CAPACITY_FROM" && wants "$CAPACITY_FROM" || die "CAPACITY_FROM=$CAPACITY_FROM is not a gateway target in TARGETS"
  for t in "${TLIST[@]}"; do
    if is_gateway "$t"; then SAT[$t]="${SAT[$CAPACITY_FROM]}"; fi
  done
  log "every gateway target driven from and measured against $CAPACITY_FROM's ${SAT[$CAPACITY_FROM]} req/s"
fi

# ---------------------------------------------------------------- 2) open loop at OVERLOAD x saturation
declare -A O_SENT O_GFB O_RATE O_GOOD O_SHARE O_P50 O_P99 O_P999 O_503 O_OTHER O_RSS O_ADMIN O_SHED O_NOTE O_SECS O_TAKEN
overload_run() { # overload_run TARGET ROUND
  local t="$1" r="$2" k="$1,$2" tag="$1-r$2" rate
  rate="$(awk -v s="${SAT[$t]}" -v o="$OVERLOAD" 'BEGIN { printf "%d", s * o + 0.5 }')"
  O_RATE[$k]="$rate"
  local -a args=(--url "http://$HOST:${T_PORT[$t]}/" --rate "$rate" --duration "${DURATION}s"
    --connections "$CONNECTIONS" --threads "$GEN_THREADS" --warmup "${GEN_WARMUP}s")
  local stop="$TMP/stop-$tag" pids shed0=0 rss_pid adm_pid=""
  read -r -a pids <<<"$(mem_pids_of "$t")"
  rm -f "$stop"; echo 0 >"$TMP/rss-$tag"
  rss_sampler "$TMP/rss-$tag" "$stop" "${pids[@]}" &
  rss_pid=$!
  if is_gateway "$t"; then
    shed0="$(overload_shed "${T_ADMIN[$t]}")"
    accepted_buckets "${T_ADMIN[$t]}" >"$TMP/buckets0-$tag"
    admin_prober "$TMP/admin-$tag" "$stop" "${T_ADMIN[$t]}" &
    adm_pid=$!
  fi
  log "$t: round $r/$ROUNDS: ${OVERLOAD}x ${SAT[$t]} = $rate req/s for ${DURATION}s: loadtest.jar run ${args[*]}"
  local t0=$SECONDS
  run_loadtest "$TMP/run-$tag.json" "$TMP/run-$tag.out" $((GEN_WARMUP + DURATION + RUN_SLACK)) "${args[@]}"
  O_SECS[$k]=$((SECONDS - t0))
  touch "$stop"
  wait "$rss_pid" 2>/dev/null || true
  if [[ -n "$adm_pid" ]]; then wait "$adm_pid" 2>/dev/null || true; fi
  check_services_alive "$t overload" "$r"

  local f="$TMP/run-$tag.json" sep=$'\x1f' ok n5 other fails gfb sfb ach el p50 p99 p999
  IFS="$sep" read -r ok n5 other fails gfb sfb ach el p50 p99 p999 < <(jq -r '.runs[0] | [
      ([(.statuses // {}) | to_entries[] | select(.key | startswith("2")) | .value] | add // 0),
      (.statuses["503"] // 0),
      ([(.statuses // {}) | to_entries[] | select((.key | startswith("2")) or .key == "503" | not) | "\(.key) ×\(.value)"] | join(", ")),
      ([(.failures // {}) | to_entries[] | select(.value > 0) | "\(.key) ×\(.value)"] | join(", ")),
      .generator_fell_behind, .server_fell_behind, .achieved_rate, .elapsed_s,
      .success_latency_ms.p50, .success_latency_ms.p99, .success_latency_ms.p99_9
    ] | map(tostring) | join("\u001f")' "$f") || die "$t: cannot read $f"
  O_GOOD[$k]="$(awk -v o="$ok" -v e="$el" 'BEGIN { printf "%d", (e > 0 ? o / e : 0) }')"
  O_SHARE[$k]="$(awk -v g="${O_GOOD[$k]}" -v s="${SAT[$t]}" 'BEGIN { printf "%d", 100 * g / s + 0.5 }')"
  O_SENT[$k]="$(awk -v a="$ach" 'BEGIN { printf "%.0f", a }')"; O_GFB[$k]="$gfb"
  O_P50[$k]="$p50"; O_P99[$k]="$p99"; O_P999[$k]="$p999"; O_503[$k]="$n5"
  O_OTHER[$k]="$other${other:+${fails:+; }}$fails"
  O_RSS[$k]="$(awk '{ printf "%.0f", $1 / 1024 }' "$TMP/rss-$tag")"
  local note
  note="$(awk -v a="$ach" -v e="$el" 'BEGIN { printf "sent %.0f req/s, elapsed %.1fs", a, e }')"
  [[ "$gfb" == true ]] && note+="; generator fell behind"
  [[ "$sfb" == true ]] && note+="; server fell behind"
  if is_gateway "$t"; then
    local probes pfail
    read -r probes pfail <"$TMP/admin-$tag"
    O_ADMIN[$k]="$((probes - pfail))/$probes"
    O_SHED[$k]=$(($(overload_shed "${T_ADMIN[$t]}") - shed0))
    accepted_buckets "${T_ADMIN[$t]}" >"$TMP/buckets1-$tag"
    O_TAKEN[$k]="$(accepted_p99 "$TMP/buckets0-$tag" "$TMP/buckets1-$tag")"
  else
    O_ADMIN[$k]="n/a"; O_SHED[$k]="n/a"; O_TAKEN[$k]="n/a n/a"
  fi
  O_NOTE[$k]="$note"
  log "$t: round $r: goodput ${O_GOOD[$k]} req/s (${O_SHARE[$k]}% of ${SAT[$t]}), 2xx P50/P99/P99.9 $p50/$p99/$p999 ms, 503 $n5, other: ${O_OTHER[$k]:-none}, RSS peak ${O_RSS[$k]} MiB, admin ${O_ADMIN[$k]}, gateway_overload shed ${O_SHED[$k]}, taken ${O_TAKEN[$k]% *} with P99 ${O_TAKEN[$k]#* }; $note"
}

MEASURE_START=$SECONDS
run_rounds "" "$ROUNDS" 2 overload_run "${TLIST[@]}"
MEASURE_SECS=$((SECONDS - MEASURE_START))

# ---------------------------------------------------------------- report
describe_machine
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
ms() { awk -v v="$1" 'BEGIN { if (v == "" || v == "null" || v == "NaN") print "n/a"; else printf "%.2f ms", v }'; }
{
  echo "| target | round | saturation (wrk) | offered | sent | goodput (2xx/s) | of capacity | 2xx P50 | 2xx P99 | 2xx P99.9 | 503 | other failures | RSS peak | admin /metrics+/health ok | shed gateway_overload | taken by the gateway | their P99 in the gateway |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  for t in "${TLIST[@]}"; do
    for ((r = 1; r <= ROUNDS; r++)); do
      k="$t,$r"
      printf '| %s | %d | %s req/s%s | %s req/s | %s%s | %s | %s%% | %s | %s | %s | %s | %s | %s MiB | %s | %s | %s | %s |\n' \
        "${T_LABEL[$t]}" "$r" "${SAT[$t]}" "$([[ "${SAT_ALL[$t]}" != "${SAT[$t]}" ]] && echo " (${SAT_ALL[$t]} answered)")" "${O_RATE[$k]}" "${O_SENT[$k]}" "$([[ "${O_GFB[$k]}" == true ]] && echo ' (generator behind)')" "${O_GOOD[$k]}" "${O_SHARE[$k]}" \
        "$(ms "${O_P50[$k]}")" "$(ms "${O_P99[$k]}")" "$(ms "${O_P999[$k]}")" "${O_503[$k]}" \
        "${O_OTHER[$k]:-none}" "${O_RSS[$k]}" "${O_ADMIN[$k]}" "${O_SHED[$k]}" "${O_TAKEN[$k]% *}" "${O_TAKEN[$k]#* }"
    done
  done
} >"$TMP/table.md"

{
  echo "## Gateway at ${OVERLOAD}x its own saturation (self-protection)"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\`"
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; all over loopback (placement below)."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA; $V_WRK"
  echo "- Upstream: nginx, $UPSTREAM_WORKERS workers, \`return 200 \"ok\\n\"\` (never the bottleneck). Gateway: \`java $JAVA_OPTS -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\` (ActiveProcessorCount=1 gives 1 worker event loop), one route /; \"protection on\" = default \`limits.max-event-loop-lag\` (100ms), the other \`limits { max-event-loop-lag = 0 }\`. nginx proxy: 1 worker, upstream keepalive 64. HAProxy: \`nbthread 1\`, \`http-reuse always\`."
  echo "- Saturation: closed loop, \`$SAT_CMD\` after a ${SAT_WARMUP}s warm-up, per target, counting its 2xx answers only (\"answered\" when other answers came too); each target is then driven at ${OVERLOAD}x $([[ -n "${CAPACITY_FROM:-}" ]] && echo "$CAPACITY_FROM's saturation rate (every gateway target; CAPACITY_FROM), others at their own" || echo "ITS OWN saturation rate")."
  if [[ "$PIN" != off ]]; then
    echo "- Placement (PIN=$PIN): each proxy's threads on CPU(s) $PROXY_CPUS; the upstream, wrk, loadtest.jar and the admin probes on CPU(s) $LOAD_CPUS."
  else
    echo "- Placement: none (PIN=off); generator, proxies and upstream share the cores."
  fi
  if [[ -n "${CPU_QUOTA:-}" ]]; then
    echo "- CPU quota: each proxy held to ${CPU_QUOTA}% of one core in periods of ${CPU_PERIOD_US} us (cgroup v1 cpu controller)."
  fi
  echo "- Overload: \`loadtest.jar run --rate <${OVERLOAD}x saturation> --duration ${DURATION}s --connections $CONNECTIONS --threads $GEN_THREADS --warmup ${GEN_WARMUP}s\` (open loop, latency from each request's intended send time), $ROUNDS round(s) interleaved, order rotated by one per round; measured for ${MEASURE_SECS}s."
  echo
  cat "$TMP/table.md"
  echo
  echo "\"sent\" = the rate the generator actually sent (achieved_rate); marked \"generator behind\" when it could not keep the schedule, in which case the offered overload was not reached and the generator's own lag is in the latencies (it counts from the intended send time): on a machine this small the generator, not the target, can be the bottleneck."
  echo "Goodput = 2xx answers / the run's elapsed time (to the last answer); \"of capacity\" = goodput / the target's own wrk saturation rate (goal for the gateway with protection: >= 80%). Latencies are of the 2xx answers only. \"other failures\" = non-2xx statuses other than 503 and requests without an answer (timeouts, connection errors). RSS peak = the largest summed VmRSS (/proc/PID/status, sampled every second) of the proxy's processes (java; haproxy; nginx master + worker). Admin = probes during the run (every ${ADMIN_PROBE_EVERY}s, \`curl --max-time 2\` of /metrics and /health) where both answered 200, out of all. Shed = the rise of \`gateway_shed_requests_total{reason=\"gateway_overload\"}\` over the run. \"Taken by the gateway\" = the requests it read and routed over the run (the rise of \`gateway_request_duration_seconds_count{route=\"bench\"}\`), and their P99 the bound of the histogram bucket that holds it: from when the gateway read each request to its answer, without the time a request waited to be read (in the generator, a socket, a parked connection or the backlog)."
  for t in "${TLIST[@]}"; do
    if [[ -n "${SAT_ERRS[$t]}" ]]; then echo; echo "Note: ${T_LABEL[$t]} saturation run had errors: ${SAT_ERRS[$t]}."; fi
    for ((r = 1; r <= ROUNDS; r++)); do echo; echo "Note: ${T_LABEL[$t]}, round $r: ${O_NOTE[$t,$r]}."; done
  done
} >"$TMP/section.md"

publish_results
FAILED_LOGS=0
