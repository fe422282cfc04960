package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gateway.limits}: the head deadline, the minimum body rate and the body buffering bound. */
class LimitsTest {

    @Test
    void keysOverrideTheDefaults() throws Exception {
        Limits limits = limits("""
                gateway.limits { header-timeout = 3s, min-body-rate { bytes = 2k, window = 5s }, buffer-body-below = 8k }
                """);

        assertEquals(Duration.ofSeconds(3), limits.headerTimeout());
        assertEquals(new MinBodyRate(2048, Duration.ofSeconds(5)), limits.minBodyRate());
        assertEquals(8192, limits.bufferBodyBelow());
    }

    @Test
    void aPartialRateKeepsTheOtherDefault() throws Exception {
        assertEquals(new MinBodyRate(100, Duration.ofSeconds(10)),
                limits("gateway.limits.min-body-rate.bytes = 100").minBodyRate());
    }

    @Test
    void offOrZeroDisablesTheRate() throws Exception {
        assertEquals(MinBodyRate.OFF, limits("gateway.limits.min-body-rate = off").minBodyRate());
        assertEquals(MinBodyRate.OFF, limits("gateway.limits.min-body-rate = 0").minBodyRate());
        assertEquals(MinBodyRate.OFF, limits("gateway.limits.min-body-rate.bytes = 0").minBodyRate());
        assertEquals(false, MinBodyRate.OFF.enabled());
        assertEquals(0, limits("gateway.limits.buffer-body-below = 0").bufferBodyBelow());
    }

    @Test
    void badValuesAreReportedWithTheirLine() {
        assertProblems("""
                gateway.limits {
                  header-timeout = 0s
                  min-body-rate { bytes = lots, windw = 1s }
                  buffer-body-below = 1g
                }
                """,
                "t.conf:2: gateway.limits.header-timeout: \"0s\" (expected: a duration > 0)",
                "t.conf:3: gateway.limits.min-body-rate.bytes: \"lots\" (expected: a size such as 16k or 10m)",
                "t.conf:3: gateway.limits.min-body-rate.windw: unknown key (did you mean `window`?)",
                "t.conf:4: gateway.limits.buffer-body-below: \"1g\" (expected: a size in bytes in 0..16777216)");
        assertProblems("gateway.limits.min-body-rate = fast",
                "t.conf:1: gateway.limits.min-body-rate: \"fast\" (expected: an object { bytes = SIZE, window = DURATION }, or off)");
    }

    private static Limits limits(String hocon) throws Exception {
        return ConfigLoader.parse(hocon, "t.conf").limits();
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
