package io.edgegateway.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a route's {@code hedge { after, max-extra-percent }}; {@code hedge = off} is the same as leaving it out. */
final class HedgeConfigReader {

    private static final String EXPECTED = "off or an object { after = 50ms or p95, max-extra-percent = 10 }";
    private static final String AFTER = "a duration such as 50ms, or a percentile of the route's latency p50..p99.9";
    private static final String PERCENT = "a percentage > 0 and <= 100";
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d+)?)");
    private static final BigDecimal LOWEST = new BigDecimal("50");
    private static final BigDecimal HIGHEST = new BigDecimal("99.9");

    private HedgeConfigReader() {
    }

    static Optional<HedgeConfig> read(ConfigValueReader v) {
        if (v.isString("off")) {
            return Optional.empty();
        }
        return v.object(EXPECTED).flatMap(r -> {
            r.rejectUnknownKeys(Set.of("after", "max-extra-percent"));
            r.require("after", AFTER);
            Optional<HedgeDelay> after = r.value("after").flatMap(HedgeConfigReader::delay);
            double maxExtraPercent = r.value("max-extra-percent")
                    .flatMap(p -> p.decimal(PERCENT).filter(d -> p.check(d > 0 && d <= 100, PERCENT)))
                    .orElse(HedgeConfig.DEFAULT_MAX_EXTRA_PERCENT);
            return r.build(() -> new HedgeConfig(after.orElseThrow(), maxExtraPercent));
        });
    }

    private static Optional<HedgeDelay> delay(ConfigValueReader v) {
        if (v.value().unwrapped() instanceof String text && text.startsWith("p")) {
            Matcher m = PERCENTILE.matcher(text);
            if (!m.matches()) {
                v.invalid(AFTER);
                return Optional.empty();
            }
            BigDecimal percent = new BigDecimal(m.group(1));
            if (!v.check(percent.compareTo(LOWEST) >= 0 && percent.compareTo(HIGHEST) <= 0, AFTER)) {
                return Optional.empty();
            }
            return Optional.of(new HedgeDelay.Percentile(percent.movePointLeft(2).doubleValue()));
        }
        return v.duration(Duration.ofNanos(1), AFTER).map(HedgeDelay.Fixed::new);
    }
}
