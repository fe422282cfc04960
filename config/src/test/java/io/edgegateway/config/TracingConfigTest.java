package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code gateway.tracing}. */
class TracingConfigTest {

    @Test
    void offByDefaultWithTheDefaultsOfReferenceConf() throws Exception {
        TracingConfig tracing = tracing("gateway {}");

        assertFalse(tracing.enabled());
        assertEquals(new TracingConfig(Optional.empty(), 0.01, 2048, 512, Duration.ofSeconds(5), Duration.ofSeconds(10),
                "gateway"), tracing);
    }

    @Test
    void anEndpointTurnsItOn() throws Exception {
        TracingConfig tracing = tracing("""
                gateway.tracing { otlp-endpoint = "http://collector:4318/v1/traces", sample-ratio = 0.25 }
                """);

        assertTrue(tracing.enabled());
        assertEquals(Optional.of(URI.create("http://collector:4318/v1/traces")), tracing.otlpEndpoint());
        assertEquals(0.25, tracing.sampleRatio());
        assertEquals(2048, tracing.queueSize());
    }

    @Test
    void everyKeyIsOverridable() throws Exception {
        TracingConfig tracing = tracing("""
                gateway.tracing {
                  otlp-endpoint = "https://otel.example.com/v1/traces"
                  sample-ratio = 1
                  queue-size = 100
                  batch-size = 100
                  export-interval = 200ms
                  export-timeout = 1s
                  service-name = "edge-eu-1"
                }
                """);

        assertEquals(new TracingConfig(Optional.of(URI.create("https://otel.example.com/v1/traces")), 1.0, 100, 100,
                Duration.ofMillis(200), Duration.ofSeconds(1), "edge-eu-1"), tracing);
    }

    @Test
    void theEndpointMayComeFromTheEnvironment() throws Exception {
        assertFalse(tracing("gateway.tracing.otlp-endpoint = ${?GATEWAY_TEST_UNSET_OTLP_ENDPOINT}").enabled());
    }

    @Test
    void badValuesAreReportedWithTheirLine() {
        assertProblems("""
                gateway.tracing {
                  otlp-endpoint = "collector:4318"
                  sample-ratio = 1.5
                  queue-size = 0
                  export-interval = 0s
                  service-name = ""
                }
                """,
                "t.conf:2: gateway.tracing.otlp-endpoint: \"collector:4318\" (expected: " + TracingConfigReader.ENDPOINT + ")",
                "t.conf:3: gateway.tracing.sample-ratio: 1.5 (expected: a number in 0..1)",
                "t.conf:4: gateway.tracing.queue-size: 0 (expected: an integer in 1..1048576)",
                "t.conf:5: gateway.tracing.export-interval: \"0s\" (expected: a duration > 0)",
                "t.conf:6: gateway.tracing.service-name: \"\" (expected: a non-empty name)");
        assertProblems("""
                gateway.tracing {
                  otlp-endpoint = "ftp://collector/v1/traces"
                  batch-size = 4096
                  sample-ratio = often
                  sample-rate = 0.1
                }
                """,
                "t.conf:2: gateway.tracing.otlp-endpoint: \"ftp://collector/v1/traces\" (expected: "
                        + TracingConfigReader.ENDPOINT + ")",
                "t.conf:3: gateway.tracing.batch-size: 4096 (expected: an integer in 1..queue-size (2048))",
                "t.conf:4: gateway.tracing.sample-ratio: \"often\" (expected: a number in 0..1)",
                "t.conf:5: gateway.tracing.sample-rate: unknown key (did you mean `sample-ratio`?)");
        assertProblems("gateway.tracing = on", "t.conf:1: gateway.tracing: \"on\" (expected: an object { ... })");
    }

    @Test
    void theRecordRejectsWhatTheReaderRejects() {
        assertThrows(IllegalArgumentException.class, () -> new TracingConfig(Optional.empty(), 1.01, 1, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), "g"));
        assertThrows(IllegalArgumentException.class, () -> new TracingConfig(Optional.empty(), Double.NaN, 1, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), "g"));
        assertThrows(IllegalArgumentException.class, () -> new TracingConfig(Optional.empty(), 0.5, 10, 11,
                Duration.ofSeconds(1), Duration.ofSeconds(1), "g"));
    }

    private static TracingConfig tracing(String hocon) throws Exception {
        return ConfigLoader.parse(hocon, "t.conf").tracing();
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
