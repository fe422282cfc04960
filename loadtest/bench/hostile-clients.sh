#!/usr/bin/env bash
# Hostile clients: `loadtest.jar probe` against nginx, HAProxy and our gateway, side by side, all
# with their defaults, all forwarding to one recording upstream (`loadtest.jar probe --upstream-port`)
# that logs every request it gets, so each row says what the client saw and what reached the upstream.
# Writes the combined table (one column per target) into docs/security-probe.md under "## Results"
# (replacing that section; the file's other sections are left alone).
#
# Targets (each a separate listener):
#   gateway      gateway.jar --config with routes /limited (1 request per 60 s), /pub and /
#   nginx        proxy_pass http://127.0.0.1:UP;   (no URI part: the request target goes on as sent)
#   nginx-uri    proxy_pass http://127.0.0.1:UP/;  (URI part: nginx sends its normalised, re-encoded URI)
#   haproxy      mode http (HTX), keep-alive, Debian's shipped timeouts (connect 5s, client/server 50s)
# Each proxy limits /limited/ to one request a minute too (nginx limit_req, HAProxy a stick table),
# so a spelling of /limited that gets 200 after the baseline's 429 escaped the limit. The h2 probes
# run against nginx's `listen ... http2` listener (h2c by prior knowledge), HAProxy's and the
# gateway's ordinary listeners. nginx-uri skips the slow and h2 groups (they do not depend on
# proxy_pass), which keeps the run near 4 minutes.
#
# Env knobs (defaults in brackets):
#   TARGETS        targets, in column order ["gateway nginx nginx-uri haproxy"]
#   SLOW_CAP       how long each slow probe goes on [65s: past nginx's 60s client_header_timeout]
#   PROBE_TIMEOUT  how long an exchange waits for the next byte [3s]
#   PROBE_ARGS     more arguments for every `loadtest.jar probe` run [""]
#   JAVA_OPTS      JVM flags for the gateway ["-Xms256m -Xmx256m"]
#   READY_TIMEOUT  seconds to wait for the gateway's /ready [60]
#   DOCS_FILE      markdown file to update, relative to repo root [docs/security-probe.md]
#   UPDATE_DOCS    set to 0 to only print the table [1]
#   GATEWAY_JAR, LOADTEST_JAR  jars; built with ./mvnw if default and missing
#   KEEP_TMP       set to 1 to keep the temp dir (configs, logs, probe output, upstream log) [0]
set -euo pipefail

BENCH_NAME=hostile-clients
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

CMD_ENV="$(explicit_knobs TARGETS SLOW_CAP PROBE_TIMEOUT PROBE_ARGS JAVA_OPTS)"
TARGETS="${TARGETS:-gateway nginx nginx-uri haproxy}"
SLOW_CAP="${SLOW_CAP:-65s}"
PROBE_TIMEOUT="${PROBE_TIMEOUT:-3s}"
PROBE_ARGS="${PROBE_ARGS:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
DOCS_FILE="${DOCS_FILE:-docs/security-probe.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18280
PORT_NGINX=18281
PORT_NGINX_URI=18282
PORT_NGINX_H2=18283
PORT_HAPROXY=18284
PORT_GATEWAY=18285
PORT_ADMIN=19285
SECTION_HEADING="## Results"

setup_paths "${BASH_SOURCE[0]}"
for t in $TARGETS; do
  case "$t" in gateway|nginx|nginx-uri|haproxy) ;; *) die "unknown target '$t' in TARGETS (known: gateway nginx nginx-uri haproxy)";; esac
done
[[ -n "${TARGETS// /}" ]] || die "TARGETS is empty"
require_whole_numbers READY_TIMEOUT
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
read -r -a EXTRA_PROBE_ARGS <<<"$PROBE_ARGS"
read -r -a JAVA_ARGS <<<"$JAVA_OPTS"

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkg nginx nginx
ensure_pkg haproxy haproxy
ensure_pkg curl curl
ensure_pkg jq jq
command -v java >/dev/null || die "java not found"
ensure_loadtest_jar
java -jar "$LOADTEST_JAR" probe --help >/dev/null 2>&1 \
  || die "$LOADTEST_JAR has no 'probe' command; rebuild it with ./mvnw -q -B -ntp -DskipTests package"
if wants gateway; then ensure_gateway_jar; fi
require_ports_free "$PORT_UPSTREAM" "$PORT_NGINX" "$PORT_NGINX_URI" "$PORT_NGINX_H2" "$PORT_HAPROXY" \
  "$PORT_GATEWAY" "$PORT_ADMIN"
make_tmp

# ---------------------------------------------------------------- configs
UP="http://$HOST:$PORT_UPSTREAM"
# nginx with its defaults, except where files go (TMP) and access_log off.
{
  echo "worker_processes 1;"
  nginx_common nginx
  cat <<EOF
http {
    access_log off;
    client_body_temp_path $TMP/nginx.client_body;
    proxy_temp_path $TMP/nginx.proxy;
    fastcgi_temp_path $TMP/nginx.fastcgi;
    uwsgi_temp_path $TMP/nginx.uwsgi;
    scgi_temp_path $TMP/nginx.scgi;
    limit_req_zone \$binary_remote_addr zone=lim_raw:1m rate=1r/m;
    limit_req_zone \$binary_remote_addr zone=lim_uri:1m rate=1r/m;
    limit_req_zone \$binary_remote_addr zone=lim_h2:1m rate=1r/m;
    limit_req_status 429;
    server {
        listen $HOST:$PORT_NGINX;
        location / { proxy_pass $UP; }
        location /limited/ { limit_req zone=lim_raw; proxy_pass $UP; }
    }
    server {
        listen $HOST:$PORT_NGINX_URI;
        location / { proxy_pass $UP/; }
        location /limited/ { limit_req zone=lim_uri; proxy_pass $UP/limited/; }
    }
    server {
        listen $HOST:$PORT_NGINX_H2 http2;
        location / { proxy_pass $UP; }
        location /limited/ { limit_req zone=lim_h2; proxy_pass $UP; }
    }
}
EOF
} >"$TMP/nginx.conf"

cat >"$TMP/haproxy.cfg" <<EOF
global
    maxconn 4096
    pidfile $TMP/haproxy.pid

defaults
    mode http
    timeout connect 5s
    timeout client 50s
    timeout server 50s

frontend fe
    bind $HOST:$PORT_HAPROXY
    stick-table type ip size 1k expire 60s store http_req_rate(60s)
    http-request track-sc0 src if { path_beg /limited/ }
    http-request deny deny_status 429 if { path_beg /limited/ } { sc_http_req_rate(0) gt 1 }
    default_backend be

backend be
    server up $HOST:$PORT_UPSTREAM
EOF

# max-body-bytes = 1m (default 10m) so the 3 MB write-first probe meets a 413, as with nginx's
# default client_max_body_size 1m.
cat >"$TMP/gateway.conf" <<EOF
gateway {
  listen { host = "$HOST", port = $PORT_GATEWAY }
  admin { host = "$HOST", port = $PORT_ADMIN }
  limits { max-body-bytes = 1m }
  routes = [
    { id = limited, match { path-prefix = "/limited" }, upstreams = [ "$UP" ], rate-limit { requests = 1, window = 60s } }
    { id = pub, match { path-prefix = "/pub" }, upstreams = [ "$UP" ] }
    { id = catch-all, match { path-prefix = "/" }, upstreams = [ "$UP" ] }
  ]
}
EOF

# ---------------------------------------------------------------- services
log "starting the recording upstream on $HOST:$PORT_UPSTREAM (log $TMP/upstream-requests.log)"
start_service upstream java -Xmx512m -jar "$LOADTEST_JAR" probe --upstream-host "$HOST" \
  --upstream-port "$PORT_UPSTREAM" --upstream-log "$TMP/upstream-requests.log"
wait_http upstream "${SVC_PID[upstream]}" "$UP/ready" 30

if wants nginx || wants nginx-uri; then
  log "starting nginx on $HOST:$PORT_NGINX (no URI), :$PORT_NGINX_URI (URI), :$PORT_NGINX_H2 (http2)"
  start_nginx nginx "$PORT_NGINX"
fi
if wants haproxy; then
  log "starting haproxy on $HOST:$PORT_HAPROXY"
  start_haproxy haproxy "$PORT_HAPROXY"
fi
if wants gateway; then
  log "starting gateway on $HOST:$PORT_GATEWAY"
  start_service gateway java "${JAVA_ARGS[@]}" -jar "$GATEWAY_JAR" --config "$TMP/gateway.conf"
  wait_http gateway "${SVC_PID[gateway]}" "http://$HOST:$PORT_ADMIN/ready" "$READY_TIMEOUT"
fi

# ---------------------------------------------------------------- probe
label_of() {
  case "$1" in
    gateway) echo "gateway" ;; nginx) echo "nginx, proxy_pass without URI" ;;
    nginx-uri) echo "nginx, proxy_pass with URI" ;; haproxy) echo "HAProxy" ;;
  esac
}
probe_args_of() { # probe_args_of TARGET -> the target's --url/--h2/--skip arguments
  case "$1" in
    gateway) echo "--url http://$HOST:$PORT_GATEWAY --h2 http://$HOST:$PORT_GATEWAY" ;;
    nginx) echo "--url http://$HOST:$PORT_NGINX --h2 http://$HOST:$PORT_NGINX_H2" ;;
    nginx-uri) echo "--url http://$HOST:$PORT_NGINX_URI --skip slow,h2" ;;
    haproxy) echo "--url http://$HOST:$PORT_HAPROXY --h2 http://$HOST:$PORT_HAPROXY" ;;
  esac
}
PROBE_COMMON=(--upstream-log "$TMP/upstream-requests.log" --timeout "$PROBE_TIMEOUT" --slow-cap "$SLOW_CAP")
read -r -a TLIST <<<"$TARGETS"
START=$SECONDS
for t in "${TLIST[@]}"; do
  read -r -a targs <<<"$(probe_args_of "$t")"
  log "$t: java -jar loadtest.jar probe ${targs[*]} ${PROBE_COMMON[*]} ${EXTRA_PROBE_ARGS[*]}"
  rc=0
  timeout --kill-after=10 300 java -jar "$LOADTEST_JAR" probe "${targs[@]}" "${PROBE_COMMON[@]}" \
    "${EXTRA_PROBE_ARGS[@]}" --json "$TMP/probe-$t.json" >"$TMP/probe-$t.txt" 2>&1 </dev/null || rc=$?
  sed -n '/^| class/,$!p' "$TMP/probe-$t.txt" | sed 's/^/    /' >&2
  (( rc == 0 )) || die "$t: loadtest probe exited with status $rc"
  check_services_alive "$t" 1
done
PROBE_SECS=$((SECONDS - START))

# ---------------------------------------------------------------- report
describe_machine
V_HAPROXY="$(haproxy -v 2>&1 | sed -n '1s/ - https:.*//p')"
COMMAND="${CMD_ENV}bash $SCRIPT_REL"

# One row per probe of the fullest run (every run has the same catalogue; some skip groups);
# a cell is "client → upstream".
{
  printf '| class | probe |'; for t in "${TLIST[@]}"; do printf ' %s |' "$(label_of "$t")"; done; echo
  printf '| --- | --- |'; for _ in "${TLIST[@]}"; do printf ' --- |'; done; echo
  files=(); for t in "${TLIST[@]}"; do files+=("$TMP/probe-$t.json"); done
  jq -rs '
    def cell: gsub("\\|"; "\\|") | gsub("\n"; " ");
    . as $runs
    | ($runs | max_by(.probes | length) | .probes) as $rows
    | $rows[] as $row
    | "| " + $row.group + " | `" + ($row.name | cell) + "` | "
      + ([$runs[] | [.probes[] | select(.group == $row.group and .name == $row.name)] | first
            | if . == null then "(not run)" else (.client | cell) + " → " + ((.upstream // "") | cell) end]
         | join(" | "))
      + " |"
  ' "${files[@]}"
} >"$TMP/table.md"

{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`$COMMAND\` (probing took ${PROBE_SECS}s)"
  echo "- Probe: \`java -jar loadtest/target/loadtest.jar probe --url URL [--h2 URL] --upstream-log FILE --timeout $PROBE_TIMEOUT --slow-cap $SLOW_CAP${PROBE_ARGS:+ $PROBE_ARGS}\` per target; one recording upstream (\`loadtest.jar probe --upstream-port $PORT_UPSTREAM --upstream-log FILE\`) behind all of them."
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL."
  echo "- Versions: $V_NGINX; $V_HAPROXY; $V_JAVA"
  echo "- Setup: nginx = 1 worker, defaults (\`proxy_pass $UP;\` and, for the second column, \`proxy_pass $UP/;\`), \`limit_req\` 1r/m with \`limit_req_status 429\` on \`location /limited/\`, \`listen ... http2\` (h2c) for the h2 probes; HAProxy = \`mode http\`, keep-alive, \`timeout connect 5s\`, \`client 50s\`, \`server 50s\` (Debian's shipped values), a stick table denying a second \`path_beg /limited/\` request a minute with 429; gateway = \`java $JAVA_OPTS -jar ${GATEWAY_JAR#"$REPO_ROOT"/}\`, routes \`/limited\` (\`rate-limit { requests = 1, window = 60s }\`), \`/pub\` and \`/\`, \`limits.max-body-bytes = 1m\` (like nginx's \`client_max_body_size\`; default 10m), everything else default."
  echo
  echo "Each cell is *what the client saw* → *what reached the upstream* (— for nothing). \"open\"/\"closed\" is whether the target kept the connection after its answer; \"timeout\" means no (further) answer within $PROBE_TIMEOUT. The framing probes are each followed on the same connection by a well-formed \`GET /smuggled\`: \"/smuggled as a request\" with two answers to the client is plain pipelining; with fewer, the upstream got a request the proxy did not answer for. nginx forwards with \`Host: 127.0.0.1:$PORT_UPSTREAM\` (its default \`proxy_set_header Host \$proxy_host\`), so its host cells show that rather than the client's \`Host\`. Slow probes: \"open at cap\" means the target had neither answered nor closed when the probe gave up. HTTP/2 probes: the GOAWAY code, and how many frames the probe had written when it read that GOAWAY (or saw the close); the probe writes as fast as the socket takes frames and reads all along, so the counts move from run to run: compare the codes and whether the connection was closed. \"reset\" after a GOAWAY is the target closing with frames of ours unread."
  echo
  cat "$TMP/table.md"
} >"$TMP/section.md"

echo
cat "$TMP/section.md"

if [[ "$UPDATE_DOCS" == 1 ]]; then
  docs="$DOCS_FILE"; [[ "$docs" == /* ]] || docs="$REPO_ROOT/$DOCS_FILE"
  if [[ ! -f "$docs" ]]; then
    mkdir -p "$(dirname "$docs")"
    printf '# Hostile clients: the gateway, nginx and HAProxy side by side\n\nWritten by `bash %s`; the "Results" section is replaced on every run.\n' "$SCRIPT_REL" >"$docs"
  fi
  update_docs
fi
FAILED_LOGS=0
