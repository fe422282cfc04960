#!/usr/bin/env bash
# Who else runs on the proxy's core at saturation: a 1-worker proxy on CPU 0, the upstream nginx and
# wrk (-t2 -cCONNECTIONS) on CPU 1, as versus-nginx.sh pins its 1-worker rows. Three targets, ROUNDS
# times in turn (the order rotated each round), each a fresh process with a 30 s and a 5 s wrk
# warm-up (the second on new connections, as versus-nginx.sh's WARMUP_CHURN), then DURATION s measured:
#   gateway        the jar with one event loop, every JVM thread on CPU 0 (as versus-nginx.sh runs it)
#   gateway-alone  the same, but after the warm-ups every thread except the event loop is moved to
#                  CPU 1, so that the loop has CPU 0 to itself (the JIT, GC and VM threads go elsewhere)
#   gateway-epoll  the gateway with transport = epoll (each flush is its own system call, as in nginx,
#                  where io_uring submits a turn's writes together at the end of the turn)
#   nginx          nginx, 1 worker, keep-alive to the upstream
# Per run: wrk's req/s and P99; for the proxy's busiest thread (the event loop, nginx's worker) its
# time on CPU and its time waiting on CPU 0's run queue (/proc/PID/task/TID/schedstat) and its
# involuntary context switches over the measured run; the CPU time of the proxy's other threads; the
# upstream's worker's time waiting on CPU 1's run queue; and what the host stole from CPU 0. Plain lines on stdout, medians at the end.
#
# Env knobs: ROUNDS [3], DURATION [10] s measured, CONNECTIONS [64], TARGETS ["gateway gateway-alone nginx"; gateway-epoll on request].
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-10}"; TARGETS="${TARGETS:-gateway gateway-alone nginx}"
ab_init loop-scheduling
command -v taskset >/dev/null || apt-get install -y -qq util-linux >/dev/null
UP=18195; PROXY=18196; ADMIN=18197
ab_start_nginx "$UP"
taskset -a -p -c 1 "$(cat "$TMP/nginx.pid")" >/dev/null
for w in $(children_of "$(cat "$TMP/nginx.pid")"); do taskset -p -c 1 "$w" >/dev/null; done
ab_gateway_conf "$TMP/gw.conf" "$PROXY" "$ADMIN" "http://127.0.0.1:$UP"
sed -i 's/^gateway {$/gateway {\n  event-loops = 1/' "$TMP/gw.conf"
sed 's/^gateway {$/gateway {\n  transport = epoll/' "$TMP/gw.conf" >"$TMP/gw-epoll.conf"
cat >"$TMP/proxy.conf" <<NGINX
worker_processes 1; pid $TMP/proxy.pid; error_log $TMP/proxy-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
       upstream up { server 127.0.0.1:$UP; keepalive 64; }
       server { listen 127.0.0.1:$PROXY;
                location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
log_line() { echo "[loop-scheduling] $*"; }
load() { taskset -c 1 wrk -t2 -c"$CONNECTIONS" "$@" "http://127.0.0.1:$PROXY/"; }

# threads PID -> "tid name ns-on-cpu ns-waiting involuntary-switches" a line, by tid
threads() {
  local t run wait rest
  for t in /proc/"$1"/task/*; do
    read -r run wait rest <"$t/schedstat" 2>/dev/null || continue
    echo "${t##*/} $(tr ' ' '_' <"$t/comm") $run $wait $(awk '/^nonvoluntary_ctxt_switches/ { print $2 }' "$t/status")"
  done | sort
}
# busiest thread of PID, by CPU time so far
busiest() { threads "$1" | sort -k3 -n | tail -1 | cut -d' ' -f1; }
# ns the upstream nginx's workers have waited on a run queue so far
upstream_wait() { local w s=0 run wait; for w in $(children_of "$(cat "$TMP/nginx.pid")"); do read -r run wait _ <"/proc/$w/schedstat"; s=$((s + wait)); done; echo "$s"; }
cpu0_steal() { awk '$1 == "cpu0" { print $9 }' /proc/stat; }

declare -A RESULTS
run() { # run TARGET ROUND
  local conf pid master loop tid out before steal0 up0 up1 line run wait nv others rps p99
  case "$1" in
    gateway | gateway-alone | gateway-epoll)
      conf="$TMP/gw.conf"; [[ "$1" == gateway-epoll ]] && conf="$TMP/gw-epoll.conf"
      AB_LAUNCH_PREFIX="taskset -c 0" ab_start_gateway "$conf" "$ADMIN"
      pid="$AB_GW" ;;
    nginx)
      taskset -c 0 nginx -p "$TMP" -c "$TMP/proxy.conf" -g 'daemon off;' &
      master=$!; AB_PIDS+=("$master")
      until curl -sf "http://127.0.0.1:$PROXY/" >/dev/null; do kill -0 "$master"; sleep 0.2; done
      pid="$(children_of "$master")" ;;
  esac
  load -d30s >/dev/null; load -d5s >/dev/null
  loop="$(busiest "$pid")"
  if [[ "$1" == gateway-alone ]]; then
    for tid in $(threads "$pid" | cut -d' ' -f1); do [[ "$tid" == "$loop" ]] || taskset -p -c 1 "$tid" >/dev/null; done
  fi
  before="$(threads "$pid")"; steal0="$(cpu0_steal)"; up0="$(upstream_wait)"
  out="$(load -d"${DURATION}s" --latency)"
  up1="$(upstream_wait)"
  line="$(join <(echo "$before") <(threads "$pid") | awk -v loop="$loop" '
    $1 == loop { run = ($7 - $3) / 1e6; wait = ($8 - $4) / 1e6; nv = $9 - $5; next }
    { others += ($7 - $3) / 1e6 }
    END { printf "%.0f %.0f %d %.0f", run, wait, nv, others }')"
  read -r run wait nv others <<<"$line"
  [[ "$1" == nginx ]] && pid="$master"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"; p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  RESULTS[$1]+="$rps $(to_us "$p99") $wait "
  log_line "round $2, $1: $rps req/s, P99 $p99; main thread $run ms on CPU, $wait ms waiting for it," \
    "$nv involuntary switches; other threads $others ms; upstream worker waiting for CPU 1 $(( (up1 - up0) / 1000000 )) ms;" \
    "host stole $(( $(cpu0_steal) - steal0 )) ticks of CPU 0"
}

for r in $(seq "$ROUNDS"); do
  for t in $(rotated "$r" $TARGETS); do run "$t" "$r"; done
done
for t in $TARGETS; do
  read -r -a f <<<"${RESULTS[$t]}"
  rps=(); p99=(); wait=()
  for ((i = 0; i < ${#f[@]}; i += 3)); do rps+=("${f[i]}"); p99+=("${f[i + 1]}"); wait+=("${f[i + 2]}"); done
  log_line "$t, medians over $ROUNDS rounds: $(ab_median "${rps[@]}") req/s, P99 $(ab_median "${p99[@]}") µs," \
    "main thread waiting $(ab_median "${wait[@]}") ms of $DURATION s; P99 by round ${p99[*]} µs"
done
