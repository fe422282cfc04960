package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code { requests = N, window = D, resolution = D, burst = X, block-for = D }}; a key left
 * out is taken from {@code inherited} when there is one, else has its default (resolution 1s, burst
 * 1, block-for 0: off).
 */
final class QuotaReader {

    static final String EXPECTED = "an object { requests = N, window = D }";
    private static final String WINDOW = "a whole number of seconds >= 1s, such as 60s";
    private static final String BURST = "a number in 1.." + (int) Quota.MAX_BURST + ", such as 1.5";
    private static final String BLOCK_FOR = "a duration >= 0 in whole milliseconds, such as 15m, or off";

    private QuotaReader() {
    }

    static Optional<Quota> read(ConfigReader r, Optional<Quota> inherited) {
        r.rejectUnknownKeys(Set.of("requests", "window", "resolution", "burst", "block-for"));
        if (inherited.isEmpty()) {
            r.require("requests", "an integer > 0");
            r.require("window", WINDOW);
        }
        Optional<Long> requests = r.integer("requests", 1, Long.MAX_VALUE).or(() -> inherited.map(Quota::requests));
        Optional<Duration> window = r.value("window")
                .flatMap(v -> v.duration(Duration.ofSeconds(1)).filter(d -> v.check(d.toNanosPart() == 0, WINDOW)))
                .or(() -> inherited.map(Quota::window));
        Optional<ConfigValueReader> resolutionValue = r.value("resolution");
        Optional<Duration> resolution = resolutionValue.isPresent()
                ? resolutionValue.flatMap(v -> v.duration(Quota.MIN_RESOLUTION)
                        .filter(d -> v.check(d.toNanosPart() % 1_000_000 == 0, Quota.RESOLUTION_RULE)))
                : Optional.of(inherited.map(Quota::resolution).orElse(Quota.DEFAULT_RESOLUTION));
        Optional<Double> burst = r.value("burst").isPresent()
                ? r.value("burst").flatMap(v -> v.decimal(BURST).filter(b -> v.check(b >= 1 && b <= Quota.MAX_BURST, BURST)))
                : Optional.of(inherited.map(Quota::burst).orElse(1.0));
        Optional<Duration> blockFor = r.value("block-for").isPresent()
                ? r.value("block-for").flatMap(QuotaReader::blockFor)
                : Optional.of(inherited.map(Quota::blockFor).orElse(Duration.ZERO));
        if (window.isPresent() && resolution.isPresent()
                && !Quota.isValidResolution(window.get(), resolution.get())) {
            // Reported where the resolution is written, else at the window (the resolution was inherited).
            if (resolutionValue.isPresent()) {
                resolutionValue.get().invalid(Quota.RESOLUTION_RULE + " " + ConfigValueReader.format(window.get()));
            } else {
                r.value("window").ifPresent(v -> v.invalid(
                        "a whole multiple of the resolution " + ConfigValueReader.format(resolution.get())));
            }
            return Optional.empty();
        }
        return r.build(() -> new Quota(requests.orElseThrow(), window.orElseThrow(), resolution.orElseThrow(),
                burst.orElseThrow(), blockFor.orElseThrow()));
    }

    private static Optional<Duration> blockFor(ConfigValueReader v) {
        if (v.isString("off")) {
            return Optional.of(Duration.ZERO);
        }
        return v.duration(Duration.ZERO, BLOCK_FOR).filter(d -> v.check(d.toNanosPart() % 1_000_000 == 0, BLOCK_FOR));
    }
}
