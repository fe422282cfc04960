# shellcheck shell=bash
# Sourced by upstream-failure.sh: each case's three phases taken together ("whole run"), the figure
# issue 12's P99 target is about, and over the rounds the median and spread of it per target.
# Reads the script's TMP PHASES CASE TARGETS SLIST TLIST ROUNDS LOADTEST_JAR R_FAIL, its fmt_lat and
# label_of, and bench-common's ratio, log and die.

# whole_run PREFIX: the three phases of CASE, TMP/PREFIX-PHASE.json, merged by `loadtest.jar merge`
# (their whole latency histograms added up: exact) into TMP/PREFIX-whole.json.
# Sets R_WREQ R_WFAIL R_WP99 R_WP999 [CASE]; failed is the sum of the phases'.
whole_run() {
  local merged="$TMP/$1-whole.json" files=() p fail=0
  for p in "${PHASES[@]}"; do files+=("$TMP/$1-$p.json"); fail=$((fail + ${R_FAIL[$CASE,$p]})); done
  java -jar "$LOADTEST_JAR" merge --json "$merged" "${files[@]}" >"$TMP/$1-whole.out" 2>&1 \
    || { sed 's/^/    /' "$TMP/$1-whole.out" >&2; die "$CASE: loadtest merge of the three phases failed"; }
  read -r "R_WREQ[$CASE]" "R_WP99[$CASE]" "R_WP999[$CASE]" < <(jq -r '[.requests, .latency_ms.p99, .latency_ms.p99_9]
      | map(tostring) | join(" ")' "$merged")
  R_WFAIL[$CASE]="$fail"
  log "$CASE: whole run: ${R_WREQ[$CASE]} requests, $fail failed, P99 ${R_WP99[$CASE]} ms, P99.9 ${R_WP999[$CASE]} ms"
}

# median_min_max VALUE... -> "MEDIAN MIN MAX" (the mean of the two middle values for an even count)
median_min_max() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s\n", m, v[1], v[NR] }'
}
fmt_spread() { # fmt_spread FORMATTER MEDIAN MIN MAX -> "MEDIAN (MIN–MAX)"
  echo "$("$1" "$2") ($("$1" "$3")–$("$1" "$4"))"
}
fmt_count() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%d", v; else printf "%.1f", v }'; }
has_target() { [[ " $TARGETS " == *" $1 "* ]]; }
versus_gateway() { # versus_gateway TARGET GATEWAY_P99 THIS_P99 -> the gateway's P99 over this one's
  if [[ "$1" == gateway ]]; then echo "—"; elif has_target gateway; then ratio "$2" "$3"; else echo "n/a"; fi
}

# whole_run_table: markdown, a row per scenario, target and round
whole_run_table() {
  local s t r k
  echo "| scenario | target | round | requests | failed | whole-run P99 | whole-run P99.9 | gateway's P99 ÷ this P99 |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for s in "${SLIST[@]}"; do
    for t in "${TLIST[@]}"; do
      for ((r = 1; r <= ROUNDS; r++)); do
        k="$t,$s,$r"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$(label_of "$t")" "$r" "${R_WREQ[$k]}" "${R_WFAIL[$k]}" \
          "$(fmt_lat "${R_WP99[$k]}")" "$(fmt_lat "${R_WP999[$k]}")" "$(versus_gateway "$t" "${R_WP99[gateway,$s,$r]:-}" "${R_WP99[$k]}")"
      done
    done
  done
}

# rounds_summary_table: markdown, a row per scenario and target: median (min–max) over the rounds
rounds_summary_table() {
  local s t r k a b c row_p99 row_p999 row_fail
  local -a p99 p999 fail
  local -A med_p99
  echo "| scenario | target | rounds | whole-run P99: median (min–max) | whole-run P99.9: median (min–max) | failed: median (min–max) | gateway's median P99 ÷ this median |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for s in "${SLIST[@]}"; do
    for t in gateway "${TLIST[@]}"; do # the gateway's row first: the others divide by its median
      if [[ -n "${med_p99[$t]:-}" ]] || ! has_target "$t"; then continue; fi
      p99=(); p999=(); fail=()
      for ((r = 1; r <= ROUNDS; r++)); do
        k="$t,$s,$r"; p99+=("${R_WP99[$k]}"); p999+=("${R_WP999[$k]}"); fail+=("${R_WFAIL[$k]}")
      done
      read -r a b c < <(median_min_max "${p99[@]}"); med_p99[$t]="$a"; row_p99="$(fmt_spread fmt_lat "$a" "$b" "$c")"
      read -r a b c < <(median_min_max "${p999[@]}"); row_p999="$(fmt_spread fmt_lat "$a" "$b" "$c")"
      read -r a b c < <(median_min_max "${fail[@]}"); row_fail="$(fmt_spread fmt_count "$a" "$b" "$c")"
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$(label_of "$t")" "$ROUNDS" "$row_p99" "$row_p999" "$row_fail" \
        "$(versus_gateway "$t" "${med_p99[gateway]:-}" "${med_p99[$t]}")"
    done
    med_p99=()
  done
}
