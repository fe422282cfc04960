package io.edgegateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code load-shedding}, globally and per route. Each key left out comes from the global
 * settings when a route inherits them, else from {@link LoadSheddingConfig}'s defaults.
 */
final class LoadSheddingReader {

    private static final String EXPECTED = "off or an object { p99-above = D, window = D, min-samples = N }";
    private static final String IDENTITIES = "a list of identities";
    private static final Duration POSITIVE = Duration.ofNanos(1);

    private LoadSheddingReader() {
    }

    /** Absent or {@code off}: no global shedding. */
    static Optional<LoadSheddingConfig> global(ConfigReader gateway) {
        return gateway.value("load-shedding").flatMap(v -> {
            if (v.isString("off")) {
                return Optional.empty();
            }
            return v.object(EXPECTED).flatMap(r -> read(r, Optional.empty()));
        });
    }

    static RouteShedding route(ConfigReader route, Optional<LoadSheddingConfig> global) {
        Optional<ConfigValueReader> value = route.value("load-shedding");
        if (value.isEmpty()) {
            return new RouteShedding.Inherit();
        }
        if (value.get().isString("off")) {
            return new RouteShedding.Off();
        }
        return value.get().object(EXPECTED)
                .flatMap(r -> read(r, global))
                .<RouteShedding>map(RouteShedding.Enabled::new)
                .orElse(new RouteShedding.Inherit());
    }

    private static Optional<LoadSheddingConfig> read(ConfigReader r, Optional<LoadSheddingConfig> base) {
        r.rejectUnknownKeys(Set.of("p99-above", "window", "min-samples", "priority-header", "priorities"));
        if (base.isEmpty()) {
            r.require("p99-above", "a latency such as 200ms");
        }
        Optional<Duration> p99Above = r.duration("p99-above", POSITIVE).or(() -> base.map(LoadSheddingConfig::p99Above));
        Duration window = r.duration("window", POSITIVE)
                .orElse(base.map(LoadSheddingConfig::window).orElse(LoadSheddingConfig.DEFAULT_WINDOW));
        long minSamples = r.integer("min-samples", 1, Long.MAX_VALUE)
                .orElse(base.map(LoadSheddingConfig::minSamples).orElse(LoadSheddingConfig.DEFAULT_MIN_SAMPLES));
        PriorityHeader priorityHeader = r.choice("priority-header", PriorityHeader.class)
                .orElse(base.map(LoadSheddingConfig::priorityHeader).orElse(PriorityHeader.TRUSTED));
        ShedPriorities priorities = r.object("priorities").flatMap(LoadSheddingReader::priorities)
                .orElse(base.map(LoadSheddingConfig::priorities).orElse(ShedPriorities.NONE));
        return r.build(() -> new LoadSheddingConfig(p99Above.orElseThrow(), window, minSamples, priorityHeader,
                priorities));
    }

    private static Optional<ShedPriorities> priorities(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("high", "low"));
        Optional<List<String>> high = r.value("high").map(v -> v.listOf(IDENTITIES, e -> e.nonEmptyString(IDENTITIES))
                .orElse(List.of()));
        Optional<List<String>> low = r.value("low").map(v -> v.listOf(IDENTITIES, e -> e.nonEmptyString(IDENTITIES))
                .orElse(List.of()));
        return r.build(() -> new ShedPriorities(Set.copyOf(high.orElse(List.of())), Set.copyOf(low.orElse(List.of()))));
    }
}
