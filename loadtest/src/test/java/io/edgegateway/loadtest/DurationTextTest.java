package io.edgegateway.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void readsEveryUnit() {
        assertEquals(7L, DurationText.parseNanos("7ns"));
        assertEquals(250_000L, DurationText.parseNanos("250us"));
        assertEquals(50_000_000L, DurationText.parseNanos("50ms"));
        assertEquals(5_000_000_000L, DurationText.parseNanos("5s"));
        assertEquals(120_000_000_000L, DurationText.parseNanos("2m"));
        assertEquals(3_600_000_000_000L, DurationText.parseNanos("1h"));
    }

    @Test
    void readsFractionsZeroAndAnyCase() {
        assertEquals(1_500_000_000L, DurationText.parseNanos("1.5s"));
        assertEquals(0L, DurationText.parseNanos("0"));
        assertEquals(0L, DurationText.parseNanos("0ms"));
        assertEquals(3_000_000L, DurationText.parseNanos(" 3MS "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ms", "5", "-5ms", "5 ms", "1e3ms", "5sec", "99999999999h"})
    void refusesWhatIsNotADuration(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DurationText.parseNanos(text));
        assertTrue(error.getMessage().contains("'" + text + "'"), error.getMessage());
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertEquals("5s", DurationText.format(5_000_000_000L));
        assertEquals("1500ms", DurationText.format(1_500_000_000L));
        assertEquals("250us", DurationText.format(250_000L));
        assertEquals("7ns", DurationText.format(7L));
        assertEquals("0ms", DurationText.format(0L));
    }
}
