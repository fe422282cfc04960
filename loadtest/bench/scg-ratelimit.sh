#!/usr/bin/env bash
# Spring Cloud Gateway's RequestRateLimiter (Redis) beside our gateway with
# `store = redis`, on this machine, same load, same upstream, same Redis server.
# Prints a markdown table and the ratio ours/SCG, and writes it into
# docs/benchmarks.md under "## Spring Cloud Gateway's rate limiter (wrk, small 200)".
#
# What it does:
#   1. generates, in a temp dir, a minimal Spring Boot app (pom.xml, one
#      Application class, application.yml) on spring-cloud-starter-gateway-server-webflux
#      and spring-boot-starter-data-redis-reactive, and builds it with ./mvnw;
#   2. starts the nginx upstream (small 200) and one redis-server (free port,
#      no persistence), shared by both gateways and flushed before every run;
#   3. for each gateway: start, probe, warm up WARMUP s, measure DURATION s with
#      wrk and the same users.lua as ratelimit-overhead.sh (X-API-Key drawn per
#      request from USERS identities), stop.
# SCG: one route /** to the upstream with the RequestRateLimiter filter,
#   redis-rate-limiter.replenishRate = burstCapacity = 1e9, requestedTokens = 1,
#   key-resolver = a KeyResolver bean returning the X-API-Key header.
# ours: identity from X-API-Key, rate-limit { store = redis } over one shard
#   (the same redis-server), route quota 1e9 requests / 60s.
# Neither quota is reached, so every request is decided and allowed.
#
# Env knobs (defaults in brackets):
#   CONFIGS          which to run, in order ["scg ours"]
#   ROUNDS           measured runs per gateway, interleaved, order rotated [1]
#   THREADS          wrk threads [2]
#   CONNECTIONS      wrk connections [64]
#   DURATION         measured seconds per run [15]
#   WARMUP           warm-up seconds after every start, output discarded [15]
#   USERS            distinct X-API-Key identities [100000]
#   JAVA_OPTS        JVM flags for both gateways ["-Xms1g -Xmx1g -XX:+UseParallelGC"]
#   SCG_BOOT_VERSION   spring-boot-starter-parent version [3.5.7]
#   SCG_CLOUD_VERSION  spring-cloud-dependencies (release train) version [2025.0.0]
#   READY_TIMEOUT    seconds to wait for a gateway to answer [90]
#   PORT_WAIT        seconds to wait for the fixed ports to be free [120]
#   DOCS_FILE        markdown file to update [docs/benchmarks.md]
#   UPDATE_DOCS      set to 0 to only print the table [1]
#   GATEWAY_JAR      our gateway jar [gateway-server/target/gateway.jar]
#   KEEP_TMP         set to 1 to keep the temp dir [0]
set -euo pipefail

BENCH_NAME=scg-ratelimit
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=bench-common.sh
. "$SCRIPT_DIR/bench-common.sh"

# ---------------------------------------------------------------- settings
CMD_ENV="$(explicit_knobs CONFIGS ROUNDS THREADS CONNECTIONS DURATION WARMUP USERS JAVA_OPTS SCG_BOOT_VERSION SCG_CLOUD_VERSION)"

CONFIGS="${CONFIGS:-scg ours}"
ROUNDS="${ROUNDS:-1}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-15}"
USERS="${USERS:-100000}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}"
SCG_BOOT_VERSION="${SCG_BOOT_VERSION:-3.5.7}"
SCG_CLOUD_VERSION="${SCG_CLOUD_VERSION:-2025.0.0}"
READY_TIMEOUT="${READY_TIMEOUT:-90}"
PORT_WAIT="${PORT_WAIT:-120}"
DOCS_FILE="${DOCS_FILE:-docs/benchmarks.md}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
PORT_UPSTREAM=18080
PORT_GATEWAY=18083   # ours
PORT_ADMIN=19090     # ours
PORT_SCG=18084
QUOTA=1000000000
QUOTA_WINDOW=60s
REDIS_COMMAND_TIMEOUT=100ms
SECTION_HEADING="## Spring Cloud Gateway's rate limiter (wrk, small 200)"

setup_paths "${BASH_SOURCE[0]}"

for c in $CONFIGS; do
  case "$c" in scg|ours) ;; *) die "unknown configuration '$c' in CONFIGS (known: scg ours)";; esac
done
[[ -n "${CONFIGS// /}" ]] || die "CONFIGS is empty"
require_whole_numbers ROUNDS THREADS CONNECTIONS DURATION WARMUP USERS READY_TIMEOUT PORT_WAIT
(( ROUNDS > 0 && DURATION > 0 && THREADS > 0 && CONNECTIONS >= THREADS && USERS > 0 )) \
  || die "need ROUNDS>0, DURATION>0, THREADS>0, CONNECTIONS>=THREADS, USERS>0"
wants() { [[ " $CONFIGS " == *" $1 "* ]]; }
read -r -a CLIST <<<"$CONFIGS"

install_cleanup_traps

# ---------------------------------------------------------------- prerequisites
init_pkg_install
ensure_pkg wrk wrk
ensure_pkg nginx nginx
ensure_pkg curl curl
ensure_pkg redis-server redis-server
ensure_pkg redis-cli redis-tools
command -v java >/dev/null || die "java not found"
if wants ours; then ensure_gateway_jar; fi

wait_ports_free "$PORT_WAIT" "$PORT_UPSTREAM" "$PORT_GATEWAY" "$PORT_ADMIN" "$PORT_SCG"
make_tmp
if wants ours; then cp "$GATEWAY_JAR" "$TMP/gateway.jar"; fi
JAR="$TMP/gateway.jar"

# ---------------------------------------------------------------- the SCG app
SCG_DIR="$TMP/scg"
write_scg_app() {
  mkdir -p "$SCG_DIR/src/main/java/bench" "$SCG_DIR/src/main/resources"
  cat >"$SCG_DIR/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>$SCG_BOOT_VERSION</version>
    <relativePath/>
  </parent>
  <groupId>bench</groupId>
  <artifactId>scg-bench</artifactId>
  <version>1</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.cloud</groupId>
        <artifactId>spring-cloud-dependencies</artifactId>
        <version>$SCG_CLOUD_VERSION</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.cloud</groupId>
      <artifactId>spring-cloud-starter-gateway-server-webflux</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-data-redis-reactive</artifactId>
    </dependency>
  </dependencies>
  <build>
    <finalName>scg-bench</finalName>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  cat >"$SCG_DIR/src/main/java/bench/Application.java" <<'EOF'
package bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

@SpringBootApplication
public class Application {
  public static void main(String[] args) {
    SpringApplication.run(Application.class, args);
  }

  /** The rate-limit key: the X-API-Key header (no header: empty key, denied by SCG's default). */
  @Bean
  public KeyResolver apiKeyResolver() {
    return exchange -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst("X-API-Key"));
  }
}
EOF
  # bench.* and the ports come from the command line (start_scg).
  cat >"$SCG_DIR/src/main/resources/application.yml" <<'EOF'
server:
  port: ${bench.port}
  address: ${bench.host}
spring:
  main:
    banner-mode: "off"
  data:
    redis:
      host: ${bench.host}
      port: ${bench.redis-port}
  cloud:
    gateway:
      server:
        webflux:
          routes:
            - id: bench
              uri: ${bench.upstream}
              predicates:
                - Path=/**
              filters:
                - name: RequestRateLimiter
                  args:
                    redis-rate-limiter.replenishRate: ${bench.quota}
                    redis-rate-limiter.burstCapacity: ${bench.quota}
                    redis-rate-limiter.requestedTokens: 1
                    key-resolver: "#{@apiKeyResolver}"
EOF
}
if wants scg; then
  write_scg_app
  log "building the SCG app (Spring Boot $SCG_BOOT_VERSION, Spring Cloud $SCG_CLOUD_VERSION): ./mvnw -f $SCG_DIR/pom.xml -q -DskipTests package"
  ./mvnw -f "$SCG_DIR/pom.xml" -q -DskipTests package >"$TMP/scg-build.log" 2>&1 \
    || { tail -n 40 "$TMP/scg-build.log" >&2; die "the SCG app did not build"; }
  SCG_JAR="$SCG_DIR/target/scg-bench.jar"
  [[ -f "$SCG_JAR" ]] || die "no $SCG_JAR after the build"
  V_SCG="$(unzip -Z1 "$SCG_JAR" 2>/dev/null | sed -n 's|^BOOT-INF/lib/\(spring-cloud-gateway-server-[0-9][^/]*\)\.jar$|\1|p' | head -n 1)"
  V_SCG+=", $(unzip -Z1 "$SCG_JAR" 2>/dev/null | sed -n 's|^BOOT-INF/lib/\(spring-boot-[0-9][^/]*\)\.jar$|\1|p; s|^BOOT-INF/lib/\(lettuce-core-[^/]*\)\.jar$|\1|p; s|^BOOT-INF/lib/\(reactor-netty-http-[^/]*\)\.jar$|\1|p' | sort | paste -sd, - | sed 's/,/, /g')"
  log "built $SCG_JAR ($V_SCG)"
fi

# ---------------------------------------------------------------- long-lived services
start_upstream

start_redis redis
REDIS_PORT="${REDIS_PORTS[0]}"
script_stats() { # -> "calls usec failed" of EVALSHA + EVAL together
  rcli "$REDIS_PORT" INFO commandstats | tr -d '\r' | awk -F'[:,=]' '
    $1 == "cmdstat_evalsha" || $1 == "cmdstat_eval" { for (i = 2; i < NF; i += 2) if ($i == "calls" || $i == "usec" || $i == "failed_calls") v[$i] += $(i + 1) }
    END { printf "%d %d %d\n", v["calls"], v["usec"], v["failed_calls"] }'
}

# ---------------------------------------------------------------- our config
if wants ours; then
  cat >"$TMP/gateway-ours.conf" <<EOF
gateway {
  listen { host = "$HOST", port = $PORT_GATEWAY }
  admin { host = "$HOST", port = $PORT_ADMIN }
  identity { sources = [ { type = header, name = "X-API-Key" } ] }
  rate-limit { store = redis, redis { shards = [ "redis://$HOST:$REDIS_PORT" ], command-timeout = $REDIS_COMMAND_TIMEOUT } }
  routes = [ { id = bench, match { path-prefix = "/" }, upstreams = [ "http://$HOST:$PORT_UPSTREAM" ], rate-limit { requests = $QUOTA, window = $QUOTA_WINDOW } } ]
}
EOF
  out="$(java -jar "$JAR" --config "$TMP/gateway-ours.conf" --check 2>&1)" || { printf '%s\n' "$out" >&2; die "ours: --check refused the config"; }
  [[ "$out" == OK ]] || { printf '%s\n' "$out" >&2; die "ours: --check did not print OK"; }
fi

# ---------------------------------------------------------------- users.lua (as ratelimit-overhead.sh)
write_users_lua "$TMP/users.lua"

# ---------------------------------------------------------------- start / probe
port_of() { if [[ "$1" == scg ]]; then echo "$PORT_SCG"; else echo "$PORT_GATEWAY"; fi; }
wait_200() { # wait_200 NAME PID URL TIMEOUT_S: until a request with X-API-Key answers 200
  local deadline=$((SECONDS + $4)) code
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'X-API-Key: bench-probe' "$3" || true)"
    [[ "$code" == 200 ]] && return 0
    kill -0 "$2" 2>/dev/null || die "$1 exited during startup"
    (( SECONDS < deadline )) || die "$1 did not answer 200 at $3 after ${4}s (last: HTTP $code)"
    sleep 0.3
  done
}
start_gw() { # start_gw CONFIG ROUND
  local c="$1" r="$2" name="$1-r$2"
  local -a java_args
  read -r -a java_args <<<"$JAVA_OPTS"
  if [[ "$c" == scg ]]; then
    wait_ports_free "$PORT_WAIT" "$PORT_SCG"
    log "scg: starting: java $JAVA_OPTS -jar scg-bench.jar --bench.port=$PORT_SCG ..."
    start_bg "$name" java "${java_args[@]}" -jar "$SCG_JAR" --bench.host="$HOST" --bench.port="$PORT_SCG" \
      --bench.redis-port="$REDIS_PORT" --bench.upstream="http://$HOST:$PORT_UPSTREAM" --bench.quota="$QUOTA"
  else
    wait_ports_free "$PORT_WAIT" "$PORT_GATEWAY" "$PORT_ADMIN"
    log "ours: starting: java $JAVA_OPTS -jar gateway.jar --config gateway-ours.conf"
    start_bg "$name" java "${java_args[@]}" -jar "$JAR" --config "$TMP/gateway-ours.conf"
  fi
  GW_PID="${SVC_PID[$name]}"
  wait_200 "$name" "$GW_PID" "http://$HOST:$(port_of "$c")/" "$READY_TIMEOUT"
}
probe() { # probe CONFIG: 200 with the limiter's header, and a key in Redis
  local c="$1" head
  head="$(curl -sI --max-time 5 -H 'X-API-Key: bench-probe-2' "http://$HOST:$(port_of "$c")/" | tr -d '\r')"
  [[ "$(awk 'NR == 1 { print $2 }' <<<"$head")" == 200 ]] || { printf '%s\n' "$head" >&2; die "$c: probe not 200"; }
  if [[ "$c" == scg ]]; then
    grep -qi '^x-ratelimit-remaining:' <<<"$head" || { printf '%s\n' "$head" >&2; die "scg: no X-RateLimit-Remaining header (RequestRateLimiter not applied?)"; }
    log "scg: probe 200, $(grep -i '^x-ratelimit-remaining:' <<<"$head")"
  else
    grep -qi '^ratelimit-policy:' <<<"$head" || { printf '%s\n' "$head" >&2; die "ours: no RateLimit-Policy header"; }
    log "ours: probe 200, $(grep -i '^ratelimit-policy:' <<<"$head")"
  fi
  (( $(rcli "$REDIS_PORT" DBSIZE) >= 1 )) || die "$c: the probe left no key in Redis (limiter not using Redis?)"
}

# ---------------------------------------------------------------- measure
declare -A R_RCPU R_SUSEC R_KEYS
WRK_CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s users.lua http://$HOST:PORT/"
MEASURE_START=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do
  read -r -a order <<<"$(rotated "$r" "${CLIST[@]}")"
  log "round $r/$ROUNDS: ${order[*]}"
  for c in "${order[@]}"; do
    k="$c,$r"
    url="http://$HOST:$(port_of "$c")/"
    [[ "$(rcli "$REDIS_PORT" FLUSHALL)" == OK ]] || die "redis: FLUSHALL failed"
    start_gw "$c" "$r"
    probe "$c"
    jpid="$(below_setsid "$GW_PID" "$c")"
    if (( WARMUP > 0 )); then
      log "$c: round $r: warm-up ${WARMUP}s"
      run_wrk "$TMP/warm-$c-r$r.txt" -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$TMP/users.lua" "$url"
      werr="$(wrk_errors "$TMP/warm-$c-r$r.txt")"
      if [[ -n "$werr" ]]; then log "note: $c: round $r: during warm-up: ${werr%; }"; fi
      sleep 1
    fi
    log "$c: round $r, measuring ${DURATION}s (CPU of java pid $jpid)"
    out="$TMP/wrk-$c-r$r.txt"
    rcli "$REDIS_PORT" CONFIG RESETSTAT >/dev/null
    rc0="$(redis_cpu_s)"
    t0="$(ticks_of "$jpid")" || die "$c: the JVM (pid $jpid) vanished before the run"
    run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/users.lua" "$url"
    t1="$(ticks_of "$jpid")" || t1=""
    rc1="$(redis_cpu_s)"
    show_wrk_output "$out"
    parse_wrk "$out" "$k" "$c"
    if [[ -n "$t1" ]]; then
      R_TICKS[$k]=$((t1 - t0)); R_CPU[$k]="$(cpu_us_per_request "${R_TICKS[$k]}" "${R_REQS[$k]}")"
    else
      R_TICKS[$k]=""; R_CPU[$k]="NaN"
    fi
    R_RCPU[$k]="$(awk -v a="$rc0" -v b="$rc1" -v n="${R_REQS[$k]}" 'BEGIN { if (n + 0 > 0) printf "%.2f", (b - a) * 1e6 / n; else print "NaN" }')"
    read -r calls usec fails <<<"$(script_stats)"
    R_SUSEC[$k]="$(awk -v u="$usec" -v n="$calls" 'BEGIN { if (n > 0) printf "%.2f", u / n; else print "NaN" }')"
    R_KEYS[$k]="$(rcli "$REDIS_PORT" DBSIZE)"
    errs="$(wrk_errors "$out")"
    if (( fails > 0 )); then errs+="script failed_calls: $fails; "; fi
    # Both limiters fail open on Redis errors: a decision per request must reach Redis.
    if (( calls < R_REQS[$k] * 99 / 100 )); then errs+="only $calls EVAL/EVALSHA calls for ${R_REQS[$k]} requests; "; fi
    R_ERRS[$k]="${errs%; }"
    if [[ -n "${R_ERRS[$k]}" ]]; then log "warning: $c: round $r: ${R_ERRS[$k]}"; fi
    log_round "$c" "$r" "$k"
    log "$c: round $r: Redis ${R_RCPU[$k]} µs CPU/request, $calls script calls (${R_SUSEC[$k]} µs/call), ${R_KEYS[$k]} keys"
    check_services_alive "$c" "$r"
    kill -0 "$GW_PID" 2>/dev/null || die "$c died during round $r"
    stop_group "$GW_PID" 20; GW_PID=""
    sleep 1
  done
done
MEASURE_SECS=$((SECONDS - MEASURE_START))

declare -A RCPU SUSEC
for c in "${CLIST[@]}"; do
  median_round "$c"
  m="${MED[$c]}"; RCPU[$c]="${R_RCPU[$c,$m]}"; SUSEC[$c]="${R_SUSEC[$c,$m]}"
  log "$c: req/s by round: $ROUND_RPS; JVM CPU µs/request by round: $ROUND_CPU; median round $m"
done

# ---------------------------------------------------------------- report
label_of() {
  case "$1" in
    scg) echo "Spring Cloud Gateway, RequestRateLimiter (RedisRateLimiter)" ;;
    ours) echo "our gateway, rate-limit store = redis (1 shard)" ;;
  esac
}
describe_machine
V_REDIS="$(redis-server --version | sed -n '1s/^Redis server v=\([^ ]*\).*/Redis \1/p')"
COMMAND="${CMD_ENV}bash $SCRIPT_REL"
JAR_DATE="$(date -u -r "$GATEWAY_JAR" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"

{
  echo "| gateway | req/s | P50 | P99 | P99.9 | JVM CPU µs/request | Redis CPU µs/request | Redis script µs/call | keys in Redis after |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for c in "${CLIST[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label_of "$c")" "${RPS[$c]}" \
      "$(fmt_ms "${P50[$c]}")" "$(fmt_ms "${P99[$c]}")" "$(fmt_ms "${P999[$c]}")" "$(fmt_cpu "${CPU[$c]}")" \
      "$(fmt_cpu "${RCPU[$c]}")" "$(fmt_cpu "${SUSEC[$c]}")" "${R_KEYS[$c,${MED[$c]}]}"
  done
} >"$TMP/table.md"
RATIO_LINE=""
if wants scg && wants ours; then
  RATIO_LINE="Ratio ours/SCG: req/s $(ratio "${RPS[ours]}" "${RPS[scg]}"); JVM CPU per request SCG/ours $(ratio "${CPU[scg]}" "${CPU[ours]}"); P99 SCG/ours $(ratio "${P99[scg]}" "${P99[ours]}")."
fi

{
  echo "$SECTION_HEADING"
  echo
  echo "- Command: \`$COMMAND\`"
  echo "- Load: \`$WRK_CMD\` per gateway and round (PORT $PORT_SCG for SCG, $PORT_GATEWAY for ours), users.lua as in the rate-limiting overhead section: \`X-API-Key: user-<n>\`, n uniform in 1..$USERS per request. Each gateway is started, warmed up with ${WARMUP}s of the same load, measured, stopped; $ROUNDS round(s), order rotated per round (round 1: ${CLIST[*]}). Measured for ${MEASURE_SECS}s, starts and warm-ups included."
  echo "- Date: $DATE; repo revision $GIT_REV; gateway.jar built $JAR_DATE"
  echo "- Machine: $NPROC CPUs ($CPU_MODEL), $MEM RAM, $OS, $KERNEL. wrk, the upstream, the gateway and Redis share these cores over loopback."
  echo "- Versions: $V_NGINX; $V_JAVA; $V_WRK; $V_REDIS${V_SCG:+; SCG app: Spring Boot $SCG_BOOT_VERSION, Spring Cloud $SCG_CLOUD_VERSION ($V_SCG)}"
  echo "- Setup: upstream = nginx, 1 worker, \`return 200 \"ok\\n\"\`; one \`redis-server --save \"\" --appendonly no\` shared by both, flushed before every run; both JVMs with \`$JAVA_OPTS\`."
  echo "  SCG = a generated Spring Boot app (spring-cloud-starter-gateway-server-webflux, spring-boot-starter-data-redis-reactive; Lettuce, one shared connection by default), one route \`Path=/**\` to the upstream with \`RequestRateLimiter\`: \`redis-rate-limiter.replenishRate = burstCapacity = $QUOTA\`, \`requestedTokens = 1\`, \`key-resolver = #{@apiKeyResolver}\` (a KeyResolver bean returning the X-API-Key header). Ours = \`identity { sources = [ { type = header, name = \"X-API-Key\" } ] }\`, \`rate-limit { store = redis }\` over that one Redis (\`command-timeout = $REDIS_COMMAND_TIMEOUT\`), the route limited to $QUOTA requests / $QUOTA_WINDOW. Neither quota is reached: every request is decided by a Redis script and allowed."
  echo
  cat "$TMP/table.md"
  for c in "${CLIST[@]}"; do
    if [[ -n "${ERRS[$c]}" ]]; then printf '\nNote: %s had errors: %s.\n' "$(label_of "$c")" "${ERRS[$c]}"; fi
  done
  echo
  if [[ -n "$RATIO_LINE" ]]; then echo "$RATIO_LINE"; echo; fi
  echo "Latencies are wrk's (P99.9 from a Lua \`done()\` hook). \"JVM CPU µs/request\" is utime+stime of the gateway's java process (\`/proc/PID/stat\`, all threads) over the measured run divided by the requests wrk completed. \"Redis CPU µs/request\" is the growth of \`used_cpu_user + used_cpu_sys\` over the run per request; \"Redis script µs/call\" is \`usec / calls\` of EVALSHA+EVAL from \`INFO commandstats\` (reset before the run). SCG's token-bucket script keeps two keys per identity (tokens, timestamp) with a TTL of 2 × burstCapacity/replenishRate seconds, so its key count is a rolling window; ours keeps one sliding-log key per identity for the window."
} >"$TMP/section.md"

echo
cat "$TMP/section.md"
if [[ "$UPDATE_DOCS" == 1 ]]; then update_docs; fi
FAILED_LOGS=0
