package io.edgegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads {@code gateway.tracing}. */
final class TracingConfigReader {

    static final String ENDPOINT = "an http:// or https:// URL such as http://collector:4318/v1/traces";
    private static final String RATIO = "a number in 0..1";
    private static final Duration POSITIVE = Duration.ofNanos(1);

    private TracingConfigReader() {
    }

    static Optional<TracingConfig> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("otlp-endpoint", "sample-ratio", "queue-size", "batch-size", "export-interval",
                "export-timeout", "service-name"));
        r.require("sample-ratio", RATIO);
        r.require("queue-size", "an integer > 0");
        r.require("batch-size", "an integer > 0");
        r.require("export-interval", ConfigValueReader.DURATION);
        r.require("export-timeout", ConfigValueReader.DURATION);
        r.require("service-name", "a non-empty name");
        Optional<Optional<URI>> endpoint = r.has("otlp-endpoint")
                ? r.value("otlp-endpoint").flatMap(TracingConfigReader::endpoint).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Double> ratio = r.value("sample-ratio")
                .flatMap(v -> v.decimal(RATIO).filter(d -> v.check(d >= 0 && d <= 1, RATIO)));
        Optional<Integer> queueSize = r.intValue("queue-size", 1, 1 << 20);
        Optional<Integer> batchSize = r.value("batch-size").flatMap(v -> v.intValue(1, 1 << 20)
                .filter(b -> queueSize.isEmpty() || v.check(b <= queueSize.get(), "an integer in 1..queue-size ("
                        + queueSize.get() + ")")));
        Optional<Duration> interval = r.duration("export-interval", POSITIVE);
        Optional<Duration> timeout = r.duration("export-timeout", POSITIVE);
        Optional<String> serviceName = r.nonEmptyString("service-name", "a non-empty name");
        return r.build(() -> new TracingConfig(endpoint.orElseThrow(), ratio.orElseThrow(), queueSize.orElseThrow(),
                batchSize.orElseThrow(), interval.orElseThrow(), timeout.orElseThrow(), serviceName.orElseThrow()));
    }

    private static Optional<URI> endpoint(ConfigValueReader v) {
        return v.nonEmptyString(ENDPOINT).flatMap(text -> {
            try {
                URI uri = new URI(text.strip());
                boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
                if (http && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            v.invalid(ENDPOINT);
            return Optional.empty();
        });
    }
}
