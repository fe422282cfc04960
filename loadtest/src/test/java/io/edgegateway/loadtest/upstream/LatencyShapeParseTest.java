package io.edgegateway.loadtest.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyShapeParseTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void fixedAndNone() {
        assertEquals(new FixedLatency(MS), LatencyShape.parse("fixed:1ms"));
        assertEquals(new FixedLatency(0), LatencyShape.parse("fixed:0ms"));
        assertEquals(new FixedLatency(0), LatencyShape.parse("none"));
        assertEquals(new FixedLatency(250_000), LatencyShape.parse("fixed:250us"));
        assertEquals(new FixedLatency(1500), LatencyShape.parse("fixed:1500ns"));
        assertEquals(new FixedLatency(2 * S), LatencyShape.parse(" Fixed:2S "));
    }

    @Test
    void lognormal() {
        assertEquals(new LognormalLatency(50 * MS, 0.5), LatencyShape.parse("lognormal:50ms:0.5"));
    }

    @Test
    void bimodal() {
        assertEquals(new BimodalLatency(0.8, 10 * MS, 200 * MS), LatencyShape.parse("bimodal:0.8:10ms:200ms"));
    }

    @Test
    void heavyTail() {
        assertEquals(new HeavyTailLatency(50 * MS, 0.02, 500 * MS, 5 * S),
                LatencyShape.parse("heavy-tail:50ms:0.02:500ms-5s"));
    }

    @Test
    void degradingWithDefaultAndExplicitRamp() {
        assertEquals(new DegradingLatency(50 * MS, 3.0, 60 * S), LatencyShape.parse("degrading:50ms:3x"));
        assertEquals(new DegradingLatency(50 * MS, 3.0, 30 * S), LatencyShape.parse("degrading:50ms:3x:30s"));
        assertEquals(new DegradingLatency(50 * MS, 2.5, 60 * S), LatencyShape.parse("degrading:50ms:2.5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "fixed:1ms", "lognormal:50ms:0.5", "bimodal:0.8:10ms:200ms",
            "heavy-tail:50ms:0.02:500ms-5s", "degrading:50ms:3x:60s", "degrading:50ms:1.5x:30s"})
    void specReadsBackAsTheSameShape(String spec) {
        LatencyShape shape = LatencyShape.parse(spec);
        assertEquals(spec, shape.spec());
        assertEquals(shape, LatencyShape.parse(shape.spec()));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "''                              | latency spec is empty",
            "gaussian:1ms                    | unknown shape 'gaussian'",
            "fixed                           | has 1 colon-separated parts, expected 2",
            "fixed:1ms:2ms                   | has 3 colon-separated parts, expected 2",
            "fixed:1                         | delay: duration '1'",
            "fixed:1xs                       | delay: duration '1xs'",
            "fixed:-1ms                      | delay: duration '-1ms'",
            "none:1ms                        | has 2 colon-separated parts, expected 1",
            "lognormal:50ms                  | the form is lognormal:MEDIAN:SIGMA",
            "lognormal:50ms:abc              | sigma 'abc' is not a number",
            "lognormal:50ms:-0.5             | sigma -0.5 must be a finite number >= 0",
            "bimodal:1.5:10ms:200ms          | fast probability 1.5 must be in [0, 1]",
            "bimodal:0.8:10ms                | the form is bimodal:FAST_PROBABILITY:FAST:SLOW",
            "heavy-tail:50ms:0.02:500ms      | tail range '500ms' is not MIN-MAX",
            "heavy-tail:50ms:0.02:5s-500ms   | tail maximum 500ms must be >= tail minimum 5s",
            "heavy-tail:50ms:2:500ms-5s      | tail probability 2.0 must be in [0, 1]",
            "degrading:50ms:0.5x             | growth factor 0.5 must be a finite number >= 1",
            "degrading:50ms:fastx            | growth factor 'fast' is not a number",
            "degrading:50ms:3x:0s            | ramp 0ms must be > 0",
            "degrading:50ms                  | the form is degrading:INITIAL:FACTORx[:RAMP]",
    })
    void badSpecsAreRefusedWithAMessageThatSaysWhy(String spec, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LatencyShape.parse(spec));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        if (!spec.isEmpty()) {
            assertTrue(error.getMessage().startsWith("latency spec '" + spec + "': "), error.getMessage());
        }
    }

    @Test
    void nullSpecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencyShape.parse(null));
    }
}
