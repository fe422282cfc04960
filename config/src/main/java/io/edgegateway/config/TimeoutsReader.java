package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code timeouts { connect, response, upgraded-idle }} object; keys it leaves out come from
 * {@code defaults}.
 */
final class TimeoutsReader {

    private static final Duration POSITIVE = Duration.ofNanos(1);

    private TimeoutsReader() {
    }

    static Optional<Timeouts> read(ConfigReader r, Optional<Timeouts> defaults) {
        r.rejectUnknownKeys(Set.of("connect", "response", "upgraded-idle"));
        if (defaults.isEmpty()) {
            r.require("connect", ConfigValueReader.DURATION);
            r.require("response", ConfigValueReader.DURATION);
            r.require("upgraded-idle", ConfigValueReader.DURATION);
        }
        Optional<Duration> connect = r.duration("connect", POSITIVE).or(() -> defaults.map(Timeouts::connect));
        Optional<Duration> response = r.duration("response", POSITIVE).or(() -> defaults.map(Timeouts::response));
        Optional<Duration> upgradedIdle = r.duration("upgraded-idle", POSITIVE)
                .or(() -> defaults.map(Timeouts::upgradedIdle));
        return r.build(() -> new Timeouts(connect.orElseThrow(), response.orElseThrow(), upgradedIdle.orElseThrow()));
    }
}
