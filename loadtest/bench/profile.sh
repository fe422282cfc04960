#!/usr/bin/env bash
# Profile of the gateway's hot path: wrk drives one gateway at saturation, route by route, while
# async-profiler (from Maven Central, loaded into the running JVM) samples CPU and then
# allocations; writes flame graphs (HTML, and PNG screenshots of them taken with headless
# Chromium) and a markdown summary with the per-request figures and the top frames of the
# gateway's own code. See docs/profile.md for how to read them.
#
# One gateway serves three routes to a tiny nginx upstream (return 200, 1 worker):
#   plain   /plain    one instance, no rate limit
#   redis   /limited  one instance, rate-limit { store = redis } over two redis-server shards
#                     started here, a quota never reached (every request is decided, allowed)
#   multi   /multi    two instances (two ports of the same nginx), round-robin
# Every request carries X-API-Key: user-<n>, n uniform in 1..USERS (the identity filter runs on
# every route). Per scenario, in this order:
#   warm-up   WARMUP seconds of the same load (JIT), output discarded
#   measure   MEASURE seconds without a profiler: req/s, the gateway's CPU time per request
#             (utime+stime of the java process, all threads, from /proc) and its heap
#             allocation per request (ThreadMXBean.getTotalThreadAllocatedBytes, all threads, read
#             over a JMX connection opened with the attach API before the window)
#   cpu       PROFILE seconds under the profiler, CPU_EVENT (cpu = perf_events; itimer where the
#             kernel refuses perf_events), every CPU_INTERVAL
#   alloc     PROFILE seconds under the allocation profiler, a sample every ALLOC_INTERVAL
#             bytes, weighted by bytes
#
# Output, in OUT_DIR: SCENARIO-cpu.png, SCENARIO-alloc.png (and .html, interactive, when
# KEEP_HTML=1), summary-LABEL.md (also printed); pictures are Chromium screenshots reduced to
# a 256-colour palette with pngquant. Raw collapsed stacks stay in the temp dir
# (KEEP_TMP=1 keeps it).
#
# Env knobs (defaults in brackets):
#   SCENARIOS        what to drive, in order ["plain redis multi"]
#   LABEL            names the summary file, e.g. before / after [run]
#   OUT_DIR          where pictures and the summary go, relative to the repo root [docs/profile]
#   PICTURES         set to 0 to skip the PNG screenshots (no Chromium needed) [1]
#   KEEP_HTML        set to 1 to keep the interactive HTML flame graphs in OUT_DIR too [0]
#   WARMUP           warm-up seconds per scenario [20]
#   MEASURE          seconds of the unprofiled window for the figures [15]
#   PROFILE          seconds of each profiled window (cpu, alloc) [15]
#   THREADS          wrk threads [1]
#   CONNECTIONS      wrk connections [64]
#   USERS            distinct X-API-Key identities [100000]
#   CPU_EVENT        async-profiler CPU event: cpu, itimer, ctimer [cpu]
#   CPU_INTERVAL     CPU sampling interval [1ms]
#   ALLOC_INTERVAL   allocation sampling interval in bytes [131072]
#   ASYNC_PROFILER_VERSION  tools.profiler:async-profiler version [4.2]; fetched with
#                    ./mvnw dependency:get into ~/.m2 when missing
#   JAVA_OPTS        JVM flags for the gateway ["-Xms1g -Xmx1g -XX:+UseParallelGC"]; the script
#                    adds -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints (exact frames)
#   READY_TIMEOUT    seconds to wait for the gateway's /ready [60]
#   PORT_WAIT        seconds to wait for the fixed ports to be free (another run) [120]
#   GATEWAY_JAR      gateway jar; built with ./mvnw if it is the default and missing
#                    [gateway-server/target/gateway.jar]
#   KEEP_TMP         set to 1 to keep the temp dir (configs, logs, collapsed stacks) [0]
#   REDIS_CPUS       move both Redis shards (every thread) to these CPUs (a taskset list) once
#                    started; with the script under `taskset -c` on other CPUs, the profile is of
#                    the gateway with Redis on cores of its own [unset: shared]
set -euo pipefail

BENCH_NAME=profile
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs SCENARIOS LABEL WARMUP MEASURE PROFILE THREADS CONNECTIONS USERS CPU_EVENT CPU_INTERVAL ALLOC_INTERVAL JAVA_OPTS REDIS_CPUS)"

SCENARIOS="${SCENARIOS:-plain redis multi}"
LABEL="${LABEL:-run}"
OUT_DIR="${OUT_DIR:-docs/profile}"
PICTURES="${PICTURES:-1}"
KEEP_HTML="${KEEP_HTML:-0}"
WARMUP="${WARMUP:-20}"
MEASURE="${MEASURE:-15}"
PROFILE="${PROFILE:-15}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-64}"
USERS="${USERS:-100000}"
CPU_EVENT="${CPU_EVENT:-cpu}"
CPU_INTERVAL="${CPU_INTERVAL:-1ms}"
ALLOC_INTERVAL="${ALLOC_INTERVAL:-131072}"
ASYNC_PROFILER_VERSION="${ASYNC_PROFILER_VERSION:-4.2}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PORT_WAIT="${PORT_WAIT:-120}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18680
PORT_UPSTREAM_2=18681
PORT_GATEWAY=18683
PORT_ADMIN=19690
QUOTA_REQUESTS=1000000000
QUOTA_WINDOW=60s

setup_paths "${BASH_SOURCE[0]}"

for s in $SCENARIOS; do
  case "$s" in plain|redis|multi) ;; *) die "unknown scenario '$s' in SCENARIOS (known: plain redis multi)";; esac
done
[[ -n "${SCENARIOS// /}" ]] || die "SCENARIOS is empty"
[[ "$LABEL" =~ ^[A-Za-z0-9_.-]+$ ]] || die "LABEL must be letters, digits, . _ - (got '$LABEL')"
require_whole_numbers WARMUP MEASURE PROFILE THREADS CONNECTIONS USERS ALLOC_INTERVAL READY_TIMEOUT PORT_WAIT
(( MEASURE > 0 && PROFILE > 0 && THREADS > 0 && CONNECTIONS >= THREADS && USERS > 0 )) \
  || die "need MEASURE>0, PROFILE>0, THREADS>0, CONNECTIONS>=THREADS, USERS>0"
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }
read -r -a SLIST <<<"$SCENARIOS"

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkg wrk wrk
ensure_pkg nginx nginx
ensure_pkg curl curl
ensure_pkg unzip unzip
if wants redis; then
  ensure_pkg redis-server redis-server
  ensure_pkg redis-cli redis-tools
fi
if [[ "$PICTURES" == 1 ]]; then ensure_pkg chromium chromium; ensure_pkg pngquant pngquant; fi
command -v java >/dev/null || die "java not found (needed for the gateway)"
command -v javac >/dev/null || die "javac not found (needed for the allocation counter)"
command -v jcmd >/dev/null || die "jcmd not found (needed to load the profiler)"
ensure_gateway_jar

wait_ports_free "$PORT_WAIT" "$PORT_UPSTREAM" "$PORT_UPSTREAM_2" "$PORT_GATEWAY" "$PORT_ADMIN"
make_tmp
cp "$GATEWAY_JAR" "$TMP/gateway.jar"
JAR="$TMP/gateway.jar"

# ---- async-profiler: the Maven Central jar carries the native agent for each platform
case "$(uname -m)" in
  x86_64) AP_PLATFORM=linux-x64 ;;
  aarch64) AP_PLATFORM=linux-arm64 ;;
  *) die "async-profiler has no agent for $(uname -m)" ;;
esac
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION.jar"
if [[ ! -f "$AP_JAR" ]]; then
  log "fetching tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION (./mvnw dependency:get)"
  ./mvnw -B -ntp -q dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" -Dtransitive=false >&2 \
    || die "could not fetch tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION"
fi
unzip -q -o "$AP_JAR" "$AP_PLATFORM/libasyncProfiler.so" -d "$TMP/async-profiler" \
  || die "$AP_JAR has no $AP_PLATFORM/libasyncProfiler.so"
AP_LIB="$TMP/async-profiler/$AP_PLATFORM/libasyncProfiler.so"

# ---- the allocation counter: our own few lines over the attach API and JMX; one connection is
# kept open for the whole run, so its own allocation in the gateway stays out of the windows.
cat >"$TMP/AllocatedBytes.java" <<'EOF'
import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** Prints the heap bytes the JVM of pid args[0] allocated so far, once per line read on stdin. */
public final class AllocatedBytes {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String url = vm.startLocalManagementAgent();
        vm.detach();
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
                    connector.getMBeanServerConnection(), ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            System.out.println("ready");
            while (in.readLine() != null) {
                System.out.println(threads.getTotalThreadAllocatedBytes());
            }
        }
    }
}
EOF
javac -d "$TMP" "$TMP/AllocatedBytes.java" || die "javac AllocatedBytes.java failed"

# ---------------------------------------------------------------- services
# nginx upstream on two ports (the multi route's two instances), return 200 "ok\n".
start_upstream

if wants redis; then
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

# ---- the gateway: one config with every scenario's route
UP1="http://$HOST:$PORT_UPSTREAM"
UP2="http://$HOST:$PORT_UPSTREAM_2"
{
  echo "gateway {"
  echo "  listen { host = \"$HOST\", port = $PORT_GATEWAY }"
  echo "  admin { host = \"$HOST\", port = $PORT_ADMIN }"
  echo "  identity { sources = [ { type = header, name = \"X-API-Key\" } ] }"
  if wants redis; then
    echo "  rate-limit { store = redis, redis { shards = [ \"redis://$HOST:${REDIS_PORTS[0]}\", \"redis://$HOST:${REDIS_PORTS[1]}\" ], command-timeout = 100ms } }"
  fi
  echo "  routes = ["
  echo "    { id = plain, match { path-prefix = \"/plain\" }, upstreams = [ \"$UP1\" ] }"
  if wants redis; then
    echo "    { id = limited, match { path-prefix = \"/limited\" }, upstreams = [ \"$UP1\" ], rate-limit { requests = $QUOTA_REQUESTS, window = $QUOTA_WINDOW } }"
  fi
  echo "    { id = multi, match { path-prefix = \"/multi\" }, upstreams = [ \"$UP1\", \"$UP2\" ] }"
  echo "  ]"
  echo "}"
} >"$TMP/gateway.conf"
out="$(java -jar "$JAR" --config "$TMP/gateway.conf" --check 2>&1)" \
  || { printf '%s\n' "$out" >&2; die "gateway --check refused $TMP/gateway.conf"; }
[[ "$out" == OK ]] || { printf '%s\n' "$out" >&2; die "gateway --check did not print OK"; }

read -r -a JAVA_ARGS <<<"$JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
wait_ports_free "$PORT_WAIT" "$PORT_GATEWAY" "$PORT_ADMIN"
log "starting gateway: java ${JAVA_ARGS[*]} -jar gateway.jar --config gateway.conf"
start_bg gateway java "${JAVA_ARGS[@]}" -jar "$JAR" --config "$TMP/gateway.conf"
GW_PID="${SVC_PID[gateway]}"
wait_http gateway "$GW_PID" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
JPID="$(below_setsid "$GW_PID" gateway)"

coproc ALLOC { exec java -cp "$TMP" AllocatedBytes "$JPID" 2>"$TMP/alloc-counter.log"; }
read -r -t 30 line <&"${ALLOC[0]}" && [[ "$line" == ready ]] || die "the allocation counter did not attach (see $TMP/alloc-counter.log)"
allocated_bytes() { # the gateway's heap allocation so far, in bytes
  local v
  echo >&"${ALLOC[1]}"
  read -r -t 10 v <&"${ALLOC[0]}" || die "the allocation counter did not answer"
  echo "$v"
}

write_users_lua "$TMP/users.lua"
path_of() { case "$1" in plain) echo /plain ;; redis) echo /limited ;; multi) echo /multi ;; esac; }

profiler() { # profiler ARGS: one async-profiler command (start,..., stop,file=..., dump,file=...) in the gateway
  local out
  out="$(jcmd "$JPID" JVMTI.agent_load "$AP_LIB" "\"$1\"" 2>&1)" || { printf '%s\n' "$out" >&2; die "jcmd JVMTI.agent_load $1 failed"; }
  [[ "$out" == *"return code: 0"* ]] || { printf '%s\n' "$out" >&2; tail -n 5 "$TMP/gateway.log" >&2; die "async-profiler refused '$1'"; }
}

decisions() { # "decision count" lines: the gateway's rate-limit decisions so far, all routes, by decision
  curl -sf --max-time 5 "http://$HOST:$PORT_ADMIN/metrics" \
    | awk '/^gateway_ratelimit_decisions_total\{/ { match($0, /decision="[a-z_]+"/); d = substr($0, RSTART + 10, RLENGTH - 11); s[d] += $2 }
           END { for (d in s) printf "%s %d\n", d, s[d] }' | sort
}
decisions_delta() { # decisions_delta BEFORE AFTER -> "allowed +N, fail_open +M" for those that moved
  awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d != 0) printf "%s%s +%d", (n++ ? ", " : ""), $1, d }' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# ---------------------------------------------------------------- top frames, from collapsed stacks
# own_frames FILE N: the gateway's own methods (io/edgegateway/...) by inclusive share of the
# samples (or bytes): a method counted once per stack it is on.
own_frames() {
  awk -v n="$2" '
    { w = $NF; total += w; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); delete seen
      for (i = 1; i <= k; i++) if (f[i] ~ /^io\/edgegateway\// && !(f[i] in seen)) { seen[f[i]] = 1; inc[f[i]] += w } }
    END { for (m in inc) printf "%.1f\t%s\n", 100 * inc[m] / total, m }' "$1" | sort -t$'\t' -k1,1nr | awk -v n="$2" 'NR <= n'
}
# leaf_own FILE N: each stack charged to the last (deepest) of the gateway's own frames on it:
# what that method does itself plus the library and kernel code it calls, before the next of ours.
leaf_own() {
  awk '
    { w = $NF; total += w; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); m = "(no gateway frame)"
      for (i = k; i >= 1; i--) if (f[i] ~ /^io\/edgegateway\//) { m = f[i]; break }
      by[m] += w }
    END { for (m in by) printf "%.1f\t%s\n", 100 * by[m] / total, m }' "$1" | sort -t$'\t' -k1,1nr | awk -v n="$2" 'NR <= n'
}
# leaf_frames FILE N: self time (or bytes: the allocated type) by the stack's last frame.
leaf_frames() {
  awk '
    { w = $NF; total += w; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); by[f[k]] += w }
    END { for (m in by) printf "%.1f\t%s\n", 100 * by[m] / total, m }' "$1" | sort -t$'\t' -k1,1nr | awk -v n="$2" 'NR <= n'
}
# where_cpu FILE: every sample in one bucket, first match wins: JIT, GC and VM threads, time in the
# kernel (a system call or interrupt on the stack), Java under a gateway frame, other Java.
where_cpu() {
  awk '
    { w = $NF; total += w
      if ($0 ~ /CompileBroker::/) b = "JIT compiler threads"
      else if ($0 ~ /(GangWorker|WorkerThread|VMThread|GCTaskThread|PSScavenge|PSPromotion|ParallelScavenge)/) b = "GC and VM threads"
      else if ($0 ~ /_\[k\]/) b = "kernel (system calls, softirq network stack)"
      else if ($0 ~ /io\/edgegateway\//) b = "Java under a gateway frame (ours and the libraries we call)"
      else if ($0 ~ /io\/lettuce\//) b = "Java: Redis client (Lettuce) outside gateway frames"
      else if ($0 ~ /io\/netty\//) b = "Java: Netty outside gateway frames (event loop, codecs, pipeline)"
      else b = "other"
      by[b] += w }
    END { for (m in by) printf "%.1f\t%s\n", 100 * by[m] / total, m }' "$1" | sort -t$'\t' -k1,1nr
}
weight_total() { awk '{ s += $NF } END { printf "%.0f", s }' "$1"; }
max_depth() { awk '{ sub(/ [0-9]+$/, ""); k = split($0, f, ";"); if (k > d) d = k } END { print d + 0 }' "$1"; }
as_table() { # as_table HEADER < "pct<TAB>frame" lines -> markdown table rows
  echo "| % | $1 |"
  echo "| ---: | --- |"
  awk -F'\t' '{ f = $2; gsub(/\//, ".", f); gsub(/\|/, "\\|", f); printf "| %s | `%s` |\n", $1, f }'
}
as_plain_table() { # as_plain_table HEADER < "pct<TAB>text" lines -> markdown table rows
  echo "| % | $1 |"
  echo "| ---: | --- |"
  awk -F'\t' '{ printf "| %s | %s |\n", $1, $2 }'
}

screenshot() { # screenshot HTML PNG DEPTH: the flame graph, tall enough for its deepest stack
  local height=$(( $3 * 16 + 120 ))
  (( height > 3000 )) && height=3000
  (( height < 600 )) && height=600
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$TMP/chromium" --hide-scrollbars --window-size="1600,$height" \
    --screenshot="$2" "file://$1" >"$TMP/chromium.log" 2>&1 \
    || { tail -n 5 "$TMP/chromium.log" >&2; die "chromium could not take a screenshot of $1"; }
  # A palette of 256 colours keeps a flame graph legible at a third of the bytes.
  local rc=0
  pngquant --force --skip-if-larger --output "$2" -- "$2" || rc=$?
  (( rc == 0 || rc == 98 || rc == 99 )) || die "pngquant failed on $2 (exit $rc)"
}

# ---------------------------------------------------------------- run
mkdir -p "$OUT_DIR"
declare -A F_RPS F_CPU F_ALLOC F_REDIS_CPU F_P99 F_NOTE
for s in "${SLIST[@]}"; do
  url="http://$HOST:$PORT_GATEWAY$(path_of "$s")"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'X-API-Key: probe' "$url")"
  [[ "$code" == 200 ]] || die "$s: the gateway answered HTTP $code on $url (expected 200)"

  if (( WARMUP > 0 )); then
    log "$s: warm-up ${WARMUP}s"
    run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$TMP/users.lua" "$url"
  fi

  log "$s: measuring ${MEASURE}s without a profiler"
  out="$TMP/wrk-$s.txt"
  d0="$(decisions)"; a0="$(allocated_bytes)"; t0="$(ticks_of "$JPID")"
  if [[ "$s" == redis ]]; then rc0="$(redis_cpu_s)"; fi
  run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${MEASURE}s" --latency -s "$TMP/users.lua" "$url"
  t1="$(ticks_of "$JPID")"; a1="$(allocated_bytes)"; d1="$(decisions)"
  if [[ "$s" == redis ]]; then rc1="$(redis_cpu_s)"; fi
  show_wrk_output "$out"
  parse_wrk "$out" "$s" "$s"
  reqs="${R_REQS[$s]}"
  F_RPS[$s]="${R_RPS[$s]}"
  F_P99[$s]="$(fmt_ms "${R_P99[$s]}")"
  F_CPU[$s]="$(cpu_us_per_request $((t1 - t0)) "$reqs")"
  F_ALLOC[$s]="$(awk -v a="$a0" -v b="$a1" -v n="$reqs" 'BEGIN { printf "%.0f", (b - a) / n }')"
  F_REDIS_CPU[$s]="–"
  if [[ "$s" == redis ]]; then
    F_REDIS_CPU[$s]="$(awk -v a="$rc0" -v b="$rc1" -v n="$reqs" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
  fi
  F_NOTE[$s]="$(wrk_errors "$out")"
  if [[ "$s" == redis ]]; then
    moved="$(decisions_delta "$d0" "$d1")"
    log "redis: rate-limit decisions in the window: $moved ($reqs requests)"
    # Anything but allowed decisions (fail-open on a store timeout) means part of the window ran without the store.
    if [[ "$moved" != "allowed +"* || "$moved" == *,* ]]; then F_NOTE[$s]+="rate-limit decisions: $moved; "; fi
  fi
  [[ -z "${F_NOTE[$s]}" ]] || log "warning: $s: ${F_NOTE[$s]}"
  log "$s: ${F_RPS[$s]} req/s, ${F_CPU[$s]} µs CPU and ${F_ALLOC[$s]} B allocated per request"

  for kind in cpu alloc; do
    if [[ "$kind" == cpu ]]; then
      start="start,event=$CPU_EVENT,interval=$CPU_INTERVAL"; title="$s route - CPU - $CPU_EVENT - $LABEL"
    else
      start="start,event=alloc,interval=$ALLOC_INTERVAL"; title="$s route - heap allocation in bytes - $LABEL"
    fi
    log "$s: $kind profile, ${PROFILE}s"
    profiler "$start"
    run_wrk "$TMP/wrk-$s-$kind.txt" -t"$THREADS" -c"$CONNECTIONS" -d"${PROFILE}s" -s "$TMP/users.lua" "$url"
    opts=""; [[ "$kind" == alloc ]] && opts=",total"
    profiler "stop,collapsed$opts,file=$TMP/$s-$kind.collapsed"
    profiler "dump,flamegraph,simple$opts,title=${title// /_},file=$TMP/$s-$kind.html"
    sed -i "s/${title// /_}/$title/g" "$TMP/$s-$kind.html"
    if [[ "$PICTURES" == 1 ]]; then screenshot "$TMP/$s-$kind.html" "$OUT_DIR/$s-$kind.png" "$(max_depth "$TMP/$s-$kind.collapsed")"; fi
    if [[ "$KEEP_HTML" == 1 ]]; then cp "$TMP/$s-$kind.html" "$OUT_DIR/$s-$kind.html"; fi
  done
  kill -0 "$GW_PID" 2>/dev/null || die "the gateway died during the $s scenario"
  check_services_alive "$s" 1
done

# ---------------------------------------------------------------- report
describe_machine
V_REDIS=""
if wants redis; then V_REDIS="; $(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"; fi
WARNINGS="$(grep -i 'warning' "$TMP/gateway.log" | grep -iv 'ratelimit\|upstream' | sort -u | awk 'NR <= 5' || true)"
{
  echo "# Profile: $LABEL"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\`"
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; wrk, nginx, Redis and the gateway share the cores."
  echo "- Versions: $V_JAVA; $V_NGINX; $V_WRK$V_REDIS; async-profiler $ASYNC_PROFILER_VERSION"
  echo "- Load: \`wrk -t$THREADS -c$CONNECTIONS\` with a random X-API-Key of $USERS per request; warm-up ${WARMUP}s, figures over ${MEASURE}s without a profiler, then ${PROFILE}s of CPU ($CPU_EVENT every $CPU_INTERVAL) and ${PROFILE}s of allocation (a sample every $ALLOC_INTERVAL bytes) profiling."
  echo "- Gateway: \`java ${JAVA_ARGS[*]} -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\` (built $(date -u -r "$GATEWAY_JAR" '+%Y-%m-%d %H:%M UTC'))"
  if [[ -n "$WARNINGS" ]]; then echo "- Profiler warnings in the gateway log: $(tr '\n' ' ' <<<"$WARNINGS")"; fi
  echo
  echo "| scenario | req/s | P99 | gateway CPU µs/request | heap bytes/request | Redis CPU µs/request |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for s in "${SLIST[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s |\n' "$s" "${F_RPS[$s]}" "${F_P99[$s]}" "${F_CPU[$s]}" "${F_ALLOC[$s]}" "${F_REDIS_CPU[$s]}"
  done
  for s in "${SLIST[@]}"; do
    if [[ -n "${F_NOTE[$s]}" ]]; then echo; echo "Note: $s had errors: ${F_NOTE[$s]}"; fi
  done
  for s in "${SLIST[@]}"; do
    cpu="$TMP/$s-cpu.collapsed"; alloc="$TMP/$s-alloc.collapsed"
    cpu_reqs="$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$TMP/wrk-$s-cpu.txt")"
    alloc_reqs="$(awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$TMP/wrk-$s-alloc.txt")"
    echo
    echo "## $s"
    echo
    echo "CPU: $(weight_total "$cpu") samples for $cpu_reqs requests; allocation: $(awk -v b="$(weight_total "$alloc")" 'BEGIN { printf "%.0f MB", b / 1e6 }') sampled for $alloc_reqs requests (about $(awk -v b="$(weight_total "$alloc")" -v n="$alloc_reqs" 'BEGIN { printf "%.0f", b / n }') B/request as the profiler estimates it)."
    echo
    echo "Where the CPU goes:"
    echo
    where_cpu "$cpu" | as_plain_table "bucket"
    echo
    echo "CPU, each sample charged to the deepest gateway frame on its stack (that method and the library and kernel code below it):"
    echo
    leaf_own "$cpu" 15 | as_table "gateway method (CPU)"
    echo
    echo "CPU, the gateway's own methods by inclusive share:"
    echo
    own_frames "$cpu" 10 | as_table "gateway method (CPU, inclusive)"
    echo
    echo "CPU, self time by frame (any code):"
    echo
    leaf_frames "$cpu" 15 | as_table "frame (CPU, self)"
    echo
    echo "Allocation (bytes), charged to the deepest gateway frame:"
    echo
    leaf_own "$alloc" 15 | as_table "gateway method (allocation)"
    echo
    echo "Allocation (bytes) by type allocated:"
    echo
    leaf_frames "$alloc" 12 | as_table "type"
  done
} >"$TMP/summary.md"
cp "$TMP/summary.md" "$OUT_DIR/summary-$LABEL.md"
echo
cat "$TMP/summary.md"
log "wrote $OUT_DIR/summary-$LABEL.md"
FAILED_LOGS=0
