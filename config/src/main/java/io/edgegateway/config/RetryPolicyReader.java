package io.edgegateway.config;

import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code retries}, in {@code gateway.route-defaults} and per route; keys left out come from
 * {@code base}: a route's from {@code route-defaults.retries}, or {@link RetryPolicy#DEFAULT} when
 * that is off.
 */
final class RetryPolicyReader {

    static final String EXPECTED = "off or an object { attempts = N, on = [...], per-try-timeout = D, budget-percent = P }";
    private static final String ON_EXPECTED = "a list of connect-failure, reset, timeout and status codes 500..599";
    private static final String CONDITION = "connect-failure, reset, timeout or a status code 500..599";
    private static final String PERCENT = "a percentage > 0 and <= 100";
    private static final Duration POSITIVE = Duration.ofNanos(1);
    private static final Pattern STATUS = Pattern.compile("\\d{3}");

    private RetryPolicyReader() {
    }

    /** {@code off} is {@link RetryPolicy#OFF}. */
    static Optional<RetryPolicy> read(ConfigValueReader v, RetryPolicy base) {
        if (v.isString("off")) {
            return Optional.of(RetryPolicy.OFF);
        }
        RetryPolicy inherited = base.equals(RetryPolicy.OFF) ? RetryPolicy.DEFAULT : base;
        return v.object(EXPECTED).flatMap(r -> read(r, inherited));
    }

    private static Optional<RetryPolicy> read(ConfigReader r, RetryPolicy base) {
        r.rejectUnknownKeys(Set.of("attempts", "on", "per-try-timeout", "budget-percent"));
        int attempts = r.intValue("attempts", 1, RetryPolicy.MAX_ATTEMPTS).orElse(base.attempts());
        Set<RetryCondition> on = EnumSet.noneOf(RetryCondition.class);
        Set<Integer> statuses = new HashSet<>();
        Optional<List<ConfigValueReader>> elements = r.list("on", ON_EXPECTED);
        if (elements.isPresent()) {
            elements.get().forEach(e -> condition(e, on, statuses));
        } else {
            on.addAll(base.on());
            statuses.addAll(base.statuses());
        }
        Optional<Duration> perTryTimeout = r.duration("per-try-timeout", POSITIVE).or(base::perTryTimeout);
        double budgetPercent = r.value("budget-percent")
                .flatMap(p -> p.decimal(PERCENT).filter(d -> p.check(d > 0 && d <= 100, PERCENT)))
                .orElse(base.budgetPercent());
        return r.build(() -> new RetryPolicy(attempts, on, statuses, perTryTimeout, budgetPercent));
    }

    /** One element of {@code on}: a condition's name, or a 5xx status code as a number. */
    private static void condition(ConfigValueReader e, Set<RetryCondition> on, Set<Integer> statuses) {
        if (e.value().valueType() == ConfigValueType.STRING) {
            for (RetryCondition condition : RetryCondition.values()) {
                if (ConfigValueReader.spelling(condition).equals(e.value().unwrapped())) {
                    on.add(condition);
                    return;
                }
            }
        }
        Optional<Integer> status = statusCode(e.value().unwrapped());
        if (status.isPresent()) {
            statuses.add(status.get());
        } else {
            e.invalid(CONDITION);
        }
    }

    private static Optional<Integer> statusCode(Object value) {
        int code;
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            code = (int) number.doubleValue();
        } else if (value instanceof String text && STATUS.matcher(text).matches()) {
            code = Integer.parseInt(text);
        } else {
            return Optional.empty();
        }
        return code >= 500 && code <= 599 ? Optional.of(code) : Optional.empty();
    }
}
