#!/usr/bin/env bash
# Connection flood: one address (127.0.0.1) opens FLOOD keep-alive connections to the gateway, each
# after one answered request, and holds them idle, while a client from another address (127.0.0.2,
# curl --interface) keeps asking. Run once with limits.max-connections-per-client = PER_CLIENT and
# once without it (0), a fresh gateway each time, ROUNDS times in turn. Per run: the connections the
# gateway holds at the end (gateway_open_connections), the refusals it counted, its live heap before
# and after (jcmd GC.class_histogram, after a full GC), and the other client's request latencies
# during the flood (curl's time_total over PROBES requests, one at a time). Plain lines on stdout.
#
# Env knobs: FLOOD [15000] connections, PER_CLIENT [1000], PROBES [200], ROUNDS [2].
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"
ROUNDS="${ROUNDS:-2}"
ab_init connection-flood
FLOOD="${FLOOD:-15000}"; PER_CLIENT="${PER_CLIENT:-1000}"; PROBES="${PROBES:-200}"
UP=18180; GW=18181; ADMIN=18182
ulimit -n $((FLOOD + 2000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) >= FLOOD + 2000 )) || { echo "ulimit -n is $(ulimit -n): too low for FLOOD=$FLOOD" >&2; exit 1; }
ab_start_nginx "$UP"

live_heap_mib() { jcmd "$AB_GW" GC.class_histogram | awk '/^Total/ { printf "%.1f", $3 / 1048576 }'; }
metric() { curl -s "http://127.0.0.1:$ADMIN/metrics" | awk -v m="$1" '$1 == m { print $2 + 0; found = 1 } END { if (!found) print 0 }'; }

run() { # run PER-CLIENT-BOUND
  local conf="$TMP/gw-$1.conf" before after held refused lat
  ab_gateway_conf "$conf" "$GW" "$ADMIN" "http://127.0.0.1:$UP"
  sed -i "s/^gateway {/gateway {\n  limits { max-connections-per-client = $1, idle-timeout = 600s }/" "$conf"
  ab_start_gateway "$conf" "$ADMIN"
  curl -s "http://127.0.0.1:$GW/" >/dev/null
  before="$(live_heap_mib)"
  rm -f "$TMP/stop" "$TMP/status"
  python3 "$SCRIPT_DIR/idle-conns.py" --port "$GW" --count "$FLOOD" --timeout 5 \
    --status-file "$TMP/status" --stop-file "$TMP/stop" --max-hold 300 >"$TMP/flood.out" 2>&1 &
  local flood=$!
  : >"$TMP/lat"
  for _ in $(seq "$PROBES"); do
    curl -s -o /dev/null --interface 127.0.0.2 -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$GW/" >>"$TMP/lat"
  done
  until [[ -f "$TMP/status" ]] && grep -q '"done": true' "$TMP/status"; do sleep 0.5; done
  held="$(metric gateway_open_connections)"
  refused="$(metric 'gateway_client_connections_refused_total{reason="per_client",}')"
  after="$(live_heap_mib)"
  touch "$TMP/stop"; wait "$flood" || true
  lat="$(awk '$1 == 200 { n++; print $2 * 1000 > "/dev/stderr" } $1 != 200 { bad++ } END { print n + 0, bad + 0 }' "$TMP/lat" 2>"$TMP/ms")"
  read -r ok bad <<<"$lat"
  log_line "per-client bound $1: flood $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["opened"], "kept,", s["failed"], "refused or failed")' "$TMP/status"); gateway holds $held connections, refused $refused; live heap $before -> $after MiB; other client: $ok answered 200 ($bad not), P50 $(sort -n "$TMP/ms" | awk '{ v[NR] = $1 } END { printf "%.2f", v[int(NR * 0.5) + 1] }') ms, max $(sort -n "$TMP/ms" | tail -1) ms"
  ab_stop
}
log_line() { echo "[connection-flood] $*"; }

for r in $(seq "$ROUNDS"); do
  run "$PER_CLIENT"
  run 0
done
