package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code outlier-detection}, in {@code gateway.upstream} and per route. A route's keys left
 * out come from the global settings, or from {@link OutlierDetection#DEFAULT} when those are off.
 */
final class OutlierDetectionReader {

    private static final String EXPECTED =
            "off or an object { consecutive-failures = N, base-ejection = D, max-ejection-percent = P }";
    private static final Duration POSITIVE = Duration.ofNanos(1);

    private OutlierDetectionReader() {
    }

    /** {@code gateway.upstream.outlier-detection}: reference.conf sets every key; {@code off} is empty. */
    static Optional<Optional<OutlierDetection>> global(ConfigReader upstream) {
        upstream.require("outlier-detection", EXPECTED);
        return upstream.value("outlier-detection").flatMap(v -> {
            if (v.isString("off")) {
                return Optional.of(Optional.empty());
            }
            return v.object(EXPECTED).flatMap(r -> read(r, OutlierDetection.DEFAULT)).map(Optional::of);
        });
    }

    /** A route's {@code outlier-detection}: absent, the global value; {@code off}, empty. */
    static Optional<OutlierDetection> route(ConfigReader route, Optional<OutlierDetection> global) {
        Optional<ConfigValueReader> value = route.value("outlier-detection");
        if (value.isEmpty()) {
            return global;
        }
        if (value.get().isString("off")) {
            return Optional.empty();
        }
        return value.get().object(EXPECTED).flatMap(r -> read(r, global.orElse(OutlierDetection.DEFAULT)));
    }

    private static Optional<OutlierDetection> read(ConfigReader r, OutlierDetection base) {
        r.rejectUnknownKeys(Set.of("consecutive-failures", "base-ejection", "max-ejection-percent"));
        int consecutiveFailures = r.intValue("consecutive-failures", 1, Integer.MAX_VALUE)
                .orElse(base.consecutiveFailures());
        Duration baseEjection = r.duration("base-ejection", POSITIVE).orElse(base.baseEjection());
        int maxEjectionPercent = r.intValue("max-ejection-percent", 1, 100).orElse(base.maxEjectionPercent());
        return r.build(() -> new OutlierDetection(consecutiveFailures, baseEjection, maxEjectionPercent));
    }
}
