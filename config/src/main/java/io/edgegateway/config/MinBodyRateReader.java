package io.edgegateway.config;

import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads {@code min-body-rate}: {@code { bytes = 1k, window = 10s }}, or {@code off} (also {@code 0}). */
final class MinBodyRateReader {

    static final String EXPECTED = "an object { bytes = SIZE, window = DURATION }, or off";

    private MinBodyRateReader() {
    }

    static Optional<MinBodyRate> read(ConfigValueReader v) {
        if (v.isString("off") || isZero(v)) {
            return Optional.of(MinBodyRate.OFF);
        }
        return v.object(EXPECTED).flatMap(r -> {
            r.rejectUnknownKeys(Set.of("bytes", "window"));
            r.require("bytes", ConfigValueReader.SIZE);
            r.require("window", ConfigValueReader.DURATION);
            Optional<Long> bytes = r.bytes("bytes", 0, Long.MAX_VALUE);
            Optional<Duration> window = r.duration("window", Duration.ofMillis(1));
            return r.build(() -> bytes.orElseThrow() == 0 ? MinBodyRate.OFF
                    : new MinBodyRate(bytes.orElseThrow(), window.orElseThrow()));
        });
    }

    private static boolean isZero(ConfigValueReader v) {
        return v.value().valueType() == ConfigValueType.NUMBER && ((Number) v.value().unwrapped()).doubleValue() == 0;
    }
}
