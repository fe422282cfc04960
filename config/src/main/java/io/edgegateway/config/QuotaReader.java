package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads {@code { requests = N, window = D }}; a key left out is taken from {@code inherited} when there is one. */
final class QuotaReader {

    static final String EXPECTED = "an object { requests = N, window = D }";
    private static final String WINDOW = "a whole number of seconds >= 1s, such as 60s";

    private QuotaReader() {
    }

    static Optional<Quota> read(ConfigReader r, Optional<Quota> inherited) {
        r.rejectUnknownKeys(Set.of("requests", "window"));
        if (inherited.isEmpty()) {
            r.require("requests", "an integer > 0");
            r.require("window", WINDOW);
        }
        Optional<Long> requests = r.integer("requests", 1, Long.MAX_VALUE).or(() -> inherited.map(Quota::requests));
        Optional<Duration> window = r.value("window")
                .flatMap(v -> v.duration(Duration.ofSeconds(1)).filter(d -> v.check(d.toNanosPart() == 0, WINDOW)))
                .or(() -> inherited.map(Quota::window));
        return r.build(() -> new Quota(requests.orElseThrow(), window.orElseThrow()));
    }
}
