#!/usr/bin/env bash
# Redis script cost per decision: the sliding-log script alone, in a throwaway
# redis-server, driven with EVALSHA batches shaped like the rate-limiting
# overhead benchmark (ratelimit-overhead.sh) without a gateway in the way.
#
# Each variant gets a fresh `redis-server --save "" --appendonly no` on a free
# port; its script (the algorithm's file followed by decide_each.lua, as
# LimiterScript builds it) is loaded with SCRIPT LOAD, then redis-benchmark
# sends EVALSHA calls of KEYS_PER_CALL keys each, every key
# `rl:{bench:user-<n>}` with n drawn uniformly from USERS identities per key,
# ARGV as the gateway sends them for the quota `requests = 1000000000,
# window = 60s` (never reached: every decision is allowed) on Redis's clock.
# A warm-up fills the keys (each identity gets a request every second or two,
# about what the wrk benchmark gives it), then the stats are reset and the
# measured run reports, from the server itself:
#   usec/call      `usec_per_call` of EVALSHA (INFO commandstats): the script's time
#   usec/decision  that divided by the keys per call
#   CPU/decision   growth of used_cpu_user + used_cpu_sys (INFO cpu) over the
#                  measured run divided by the decisions: the script plus command
#                  parsing, the reply and the network, all that Redis spends
#   MEMORY USAGE   mean over a sample of keys at the end
#
# Variants (VARIANTS, in that order):
#   old      the script before resolution, burst and block-for (git 599b119): one
#            record per second, ARGV `N T` per key
#   issue13  the resolution-aware sliding log with burst and block-for (git 9ab5531):
#            a 57-byte header and a ring of per-tick records, ARGV `N spec` per key
#   tree     the scripts in this working tree, ARGV as LimiterScript sends them now
#
# Env knobs (defaults in brackets):
#   VARIANTS       which scripts to measure ["old issue13 tree"]
#   RESOLUTION_MS  the quota's resolution for issue13 and tree [1000]; old only knows
#                  whole seconds and is skipped at any other
#   USERS          distinct identities [100000]
#   KEYS_PER_CALL  decisions per EVALSHA [8]
#   CLIENTS        redis-benchmark connections [1]
#   ROUNDS         measured runs per script, each in a fresh server, interleaved [3]
#   WARMUP         warm-up seconds per variant [20]
#   DURATION       measured seconds per variant [10]
#   SAMPLE         keys sampled for MEMORY USAGE [200]
#   DOCS_FILE      markdown file to update, relative to repo root [docs/benchmarks.md]
#   UPDATE_DOCS    set to 0 to only print the table [1]
#   KEEP_TMP       set to 1 to keep the temp dir [0]
set -euo pipefail

BENCH_NAME=redis-script-cost
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

CMD_ENV="$(explicit_knobs VARIANTS RESOLUTION_MS USERS KEYS_PER_CALL CLIENTS ROUNDS WARMUP DURATION SAMPLE)"
VARIANTS="${VARIANTS:-old issue13 tree}"
RESOLUTION_MS="${RESOLUTION_MS:-1000}"
USERS="${USERS:-100000}"
KEYS_PER_CALL="${KEYS_PER_CALL:-8}"
CLIENTS="${CLIENTS:-1}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-20}"
DURATION="${DURATION:-10}"
SAMPLE="${SAMPLE:-200}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
QUOTA_REQUESTS=1000000000
QUOTA_WINDOW_MS=60000
SCRIPTS=gateway-filters/src/main/resources/io/edgegateway/filters/ratelimit/redis
SECTION_HEADING="## Redis script cost per decision"

setup_paths "${BASH_SOURCE[0]}"
require_whole_numbers RESOLUTION_MS USERS KEYS_PER_CALL CLIENTS ROUNDS WARMUP DURATION SAMPLE
(( KEYS_PER_CALL > 0 && USERS > 0 && CLIENTS > 0 && ROUNDS > 0 && DURATION > 0 && SAMPLE > 0 && RESOLUTION_MS >= 10 )) \
  || die "need KEYS_PER_CALL>0, USERS>0, CLIENTS>0, ROUNDS>0, DURATION>0, SAMPLE>0, RESOLUTION_MS>=10"
(( QUOTA_WINDOW_MS % RESOLUTION_MS == 0 )) || die "RESOLUTION_MS must divide the window ($QUOTA_WINDOW_MS ms)"
for v in $VARIANTS; do
  case "$v" in old|issue13|tree) ;; *) die "unknown variant '$v' in VARIANTS (known: old issue13 tree)";; esac
done

LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
install_cleanup_traps
init_pkg_install
ensure_pkg redis-server redis-server
ensure_pkg redis-cli redis-tools
ensure_pkg redis-benchmark redis-tools
make_tmp

# ---------------------------------------------------------------- variants
variant_source() { # variant_source VARIANT FILE: the script as LimiterScript would build it
  local v="$1" rev
  case "$v" in
    old) rev=599b119 ;;
    issue13) rev=9ab5531 ;;
    # The files LimiterScript.SLIDING_LOG joins, in its order.
    tree) cat "$SCRIPTS/tick_ring.lua" "$SCRIPTS/sliding_log.lua" "$SCRIPTS/decide_each.lua" >"$2"; return ;;
  esac
  { git show "$rev:$SCRIPTS/sliding_log.lua" && git show "$rev:$SCRIPTS/decide_each.lua"; } >"$2" \
    || die "$v: cannot read the scripts at $rev (a shallow clone?)"
}
# variant_argv VARIANT -> the ARGV after `now`, space separated: per key for old and issue13; once
# for the whole call for tree, as the gateway sends a batch whose keys share a quota.
variant_argv() {
  case "$1" in
    old) echo "$QUOTA_REQUESTS $((QUOTA_WINDOW_MS / 1000))" ;;
    issue13) echo "$QUOTA_REQUESTS $QUOTA_WINDOW_MS:$RESOLUTION_MS:$QUOTA_REQUESTS:1:0" ;;
    tree) echo "$QUOTA_REQUESTS:$QUOTA_WINDOW_MS:$RESOLUTION_MS:$QUOTA_REQUESTS:1:0" ;;
  esac
}
variant_label() {
  case "$1" in
    old) echo "old (599b119: a record per second)" ;;
    issue13) echo "issue 13 (9ab5531: resolution, burst, block-for)" ;;
    tree) echo "this tree ($(git rev-parse --short HEAD)$([[ -n "$(git status --porcelain -- "$SCRIPTS")" ]] && echo ", uncommitted changes"))" ;;
  esac
}

evalsha_stats() { # evalsha_stats PORT -> "calls usec_per_call failed_calls rejected_calls"
  rcli "$1" INFO commandstats | tr -d '\r' | awk -F'[:,=]' '
    $1 == "cmdstat_evalsha" { for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
    END { printf "%d %.2f %d %d\n", v["calls"], v["usec_per_call"], v["failed_calls"], v["rejected_calls"] }'
}

# bench_command VARIANT SHA ARGV... -> redis-benchmark's command line after its options
bench_command() {
  local v="$1" sha="$2" i a repeat="$KEYS_PER_CALL"
  shift 2
  [[ "$v" == tree ]] && repeat=1
  BENCH_CMD=(EVALSHA "$sha" "$KEYS_PER_CALL")
  for ((i = 0; i < KEYS_PER_CALL; i++)); do BENCH_CMD+=("rl:{bench:user-__rand_int__}"); done
  BENCH_CMD+=("")
  for ((i = 0; i < repeat; i++)); do for a in "$@"; do BENCH_CMD+=("$a"); done; done
}

run_bench() { # run_bench PORT SECONDS: redis-benchmark in a loop for that long
  timeout --signal=INT "$2" redis-benchmark -h "$HOST" -p "$1" -c "$CLIENTS" -r "$USERS" -l -q "${BENCH_CMD[@]}" \
    >/dev/null 2>"$TMP/bench.err" || true
}

# measure VARIANT ROUND: a fresh server, warm-up, the measured run; R_* figures keyed "VARIANT,ROUND"
declare -A R_UPC R_UPD R_CPU R_RATE R_MEM R_KEYS
measure() {
  local v="$1" r="$2" k="$1,$2" port sha check cpu0 cpu1 calls upc failed rejected decisions mem key i
  local -a argv
  read -r -a argv <<<"$(variant_argv "$v")"
  start_redis "redis-$v-r$r"
  port="${REDIS_PORTS[-1]}"
  sha="$(rcli "$port" -x SCRIPT LOAD <"$TMP/$v.lua")"
  [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || die "$v: SCRIPT LOAD answered '$sha'"
  bench_command "$v" "$sha" "${argv[@]}"
  log "$v: round $r: warm-up ${WARMUP}s"
  run_bench "$port" "$WARMUP"
  # Every key of a call must be allowed: the first value of each key's four is 1.
  check="$(rcli "$port" "${BENCH_CMD[@]//__rand_int__/check}" | awk 'NR % 4 == 1' | sort | uniq -c | tr -s ' \n' ' ')"
  [[ "$check" == " $KEYS_PER_CALL 1 " ]] || die "$v: a call's keys were not all allowed (allowed values: $check)"
  rcli "$port" CONFIG RESETSTAT >/dev/null
  cpu0="$(info_field "$port" cpu used_cpu_user) $(info_field "$port" cpu used_cpu_sys)"
  run_bench "$port" "$DURATION"
  cpu1="$(info_field "$port" cpu used_cpu_user) $(info_field "$port" cpu used_cpu_sys)"
  read -r calls upc failed rejected <<<"$(evalsha_stats "$port")"
  (( calls > 0 )) || die "$v: no EVALSHA call was measured ($(cat "$TMP/bench.err"))"
  (( failed == 0 && rejected == 0 )) || die "$v: $failed failed and $rejected rejected EVALSHA calls"
  decisions=$((calls * KEYS_PER_CALL))
  R_UPC[$k]="$upc"
  R_UPD[$k]="$(awk -v u="$upc" -v n="$KEYS_PER_CALL" 'BEGIN { printf "%.2f", u / n }')"
  R_CPU[$k]="$(awk -v a="$cpu0" -v b="$cpu1" -v d="$decisions" 'BEGIN {
    split(a, x, " "); split(b, y, " "); printf "%.2f", (y[1] + y[2] - x[1] - x[2]) * 1e6 / d }')"
  R_RATE[$k]="$(awk -v d="$decisions" -v s="$DURATION" 'BEGIN { printf "%.0f", d / s }')"
  mem=0
  for ((i = 0; i < SAMPLE; i++)); do
    key="$(rcli "$port" RANDOMKEY)"
    mem=$((mem + $(rcli "$port" MEMORY USAGE "$key")))
  done
  R_MEM[$k]=$((mem / SAMPLE))
  R_KEYS[$k]="$(rcli "$port" DBSIZE)"
  log "$v: round $r: ${calls} calls, ${R_UPC[$k]} µs/call, ${R_UPD[$k]} µs/decision in the script, ${R_CPU[$k]} µs CPU/decision, ${R_RATE[$k]} decisions/s, MEMORY USAGE ${R_MEM[$k]} B, ${R_KEYS[$k]} keys"
  stop_service "redis-$v-r$r" 5
  REDIS_PORTS=()
}

measured=()
for v in $VARIANTS; do
  if [[ "$v" == old && "$RESOLUTION_MS" != 1000 ]]; then log "old: skipped (whole seconds only)"; continue; fi
  variant_source "$v" "$TMP/$v.lua"
  measured+=("$v")
done
(( ${#measured[@]} > 0 )) || die "nothing measured"
for ((r = 1; r <= ROUNDS; r++)); do
  for v in $(rotated "$r" "${measured[@]}"); do measure "$v" "$r"; done
done

# The median round by CPU per decision, and the range over the rounds.
declare -A MED CPU_MIN CPU_MAX
for v in "${measured[@]}"; do
  read -r MED[$v] CPU_MIN[$v] CPU_MAX[$v] <<<"$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R_CPU[$v,$r]} $r"; done \
    | sort -n | awk '{ c[NR] = $1; r[NR] = $2 } END { print r[int((NR + 1) / 2)], c[1], c[NR] }')"
done

# ---------------------------------------------------------------- report
describe_machine
V_REDIS="$(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"
{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`${CMD_ENV}bash $SCRIPT_REL\`"
  echo "- Date: $DATE; repo revision $GIT_REV"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL; redis-benchmark shares these cores with the server; $V_REDIS; 1-minute load average $LOAD_START at the start, $(cut -d' ' -f1 /proc/loadavg) at the end"
  echo "- Load: a fresh \`redis-server --save \"\" --appendonly no\` per script and round; \`redis-benchmark -c $CLIENTS -r $USERS -l\` sending \`EVALSHA sha $KEYS_PER_CALL rl:{bench:user-<n>}... \"\" ARGV...\` (n uniform per key, Redis's clock, ARGV as that script's gateway sends it: \`N T\` or \`N spec\` per key for old and issue 13, one \`N:spec\` for the whole call in this tree, whose gateway sends the spec once when every key of a call shares it), the quota \`requests = $QUOTA_REQUESTS, window = $((QUOTA_WINDOW_MS / 1000))s, resolution = ${RESOLUTION_MS}ms\` (every decision allowed), ${WARMUP}s of warm-up then ${DURATION}s measured; $ROUNDS rounds, the scripts' order rotated by one per round."
  echo
  echo "| script | EVALSHA µs/call | µs/decision in the script | Redis CPU µs/decision | range | decisions/s | MEMORY USAGE B/key | keys |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for v in "${measured[@]}"; do
    k="$v,${MED[$v]}"
    printf '| %s | %s | %s | **%s** | %s–%s | %s | %s | %s |\n' "$(variant_label "$v")" "${R_UPC[$k]}" "${R_UPD[$k]}" \
      "${R_CPU[$k]}" "${CPU_MIN[$v]}" "${CPU_MAX[$v]}" "${R_RATE[$k]}" "${R_MEM[$k]}" "${R_KEYS[$k]}"
  done
  echo
  echo "Each row is the median round by Redis CPU per decision, \"range\" the lowest and highest of that over the rounds. \"µs/decision in the script\" is EVALSHA's \`usec_per_call\` (INFO commandstats, reset after the warm-up) over the $KEYS_PER_CALL keys of a call; \"Redis CPU µs/decision\" is the growth of \`used_cpu_user + used_cpu_sys\` (INFO cpu) over the measured run divided by its decisions: the script, command parsing, the reply and the socket, what ratelimit-overhead.sh reports as Redis CPU per decision. MEMORY USAGE is the mean over $SAMPLE \`RANDOMKEY\`s at the end. Every variant runs in a fresh server for the same time, so each identity has had a request every second or two, as in the wrk benchmark."
} >"$TMP/section.md"
cat "$TMP/section.md"
if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
