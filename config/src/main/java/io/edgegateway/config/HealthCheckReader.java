package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads a route's {@code health-check}: off unless set; {@code health-check = off} is the same as leaving it out. */
final class HealthCheckReader {

    private static final String EXPECTED = "off or an object { path = \"/health\", interval = D, timeout = D, "
            + "healthy-threshold = N, unhealthy-threshold = N }";
    private static final String PATH = "a path starting with /, without spaces or #";
    private static final Duration POSITIVE = Duration.ofNanos(1);

    private HealthCheckReader() {
    }

    static Optional<HealthCheck> read(ConfigValueReader v) {
        if (v.isString("off")) {
            return Optional.empty();
        }
        return v.object(EXPECTED).flatMap(HealthCheckReader::read);
    }

    private static Optional<HealthCheck> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("path", "interval", "timeout", "healthy-threshold", "unhealthy-threshold"));
        Optional<String> path = r.has("path")
                ? r.value("path").flatMap(p -> p.string(PATH).filter(s -> p.check(isPath(s), PATH)))
                : Optional.of(HealthCheck.DEFAULT_PATH);
        Optional<Duration> interval = r.value("interval")
                .map(i -> i.duration(POSITIVE))
                .orElse(Optional.of(HealthCheck.DEFAULT_INTERVAL));
        Optional<Duration> timeout = r.value("timeout")
                .map(t -> t.duration(POSITIVE))
                .orElse(Optional.of(HealthCheck.DEFAULT_TIMEOUT));
        if (interval.isPresent() && timeout.isPresent() && timeout.get().compareTo(interval.get()) > 0) {
            timeoutAboveInterval(r, interval.get());
        }
        int healthy = r.intValue("healthy-threshold", 1, HealthCheck.MAX_THRESHOLD).orElse(HealthCheck.DEFAULT_HEALTHY_THRESHOLD);
        int unhealthy = r.intValue("unhealthy-threshold", 1, HealthCheck.MAX_THRESHOLD)
                .orElse(HealthCheck.DEFAULT_UNHEALTHY_THRESHOLD);
        return r.build(() -> new HealthCheck(path.orElseThrow(), interval.orElseThrow(), timeout.orElseThrow(), healthy, unhealthy));
    }

    /** Reported at {@code timeout} if it was set, else at {@code interval} (the default timeout is what is too long). */
    private static void timeoutAboveInterval(ConfigReader r, Duration interval) {
        Optional<ConfigValueReader> timeout = r.value("timeout");
        if (timeout.isPresent()) {
            timeout.get().invalid("a duration <= interval (" + ConfigValueReader.format(interval) + ")");
        } else {
            r.value("interval").orElseThrow()
                    .invalid("a duration >= timeout (" + ConfigValueReader.format(HealthCheck.DEFAULT_TIMEOUT) + ", the default)");
        }
    }

    private static boolean isPath(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        return path.chars().noneMatch(c -> c <= 0x20 || c == 0x7f || c == '#');
    }
}
