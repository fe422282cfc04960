package io.edgegateway.loadtest.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloSpecTest {

    @Test
    void readsEveryPartInAnyOrder() {
        SloSpec spec = SloSpec.parse("window=30s, target=99.5%, p99.9=250ms");
        assertEquals(99.9, spec.percentile());
        assertEquals(250_000_000L, spec.thresholdNanos());
        assertEquals(99.5, spec.targetPercent());
        assertEquals(30, spec.windowSeconds());
        assertEquals("p99.9<=250ms", spec.objective());
    }

    @Test
    void windowDefaultsToTenSeconds() {
        assertEquals(10, SloSpec.parse("p99=200ms,target=99%").windowSeconds());
    }

    @Test
    void printsACanonicalTextThatReadsBack() {
        SloSpec spec = SloSpec.parse("target=99.50,p50=1.5s");
        assertEquals("p50=1500ms,target=99.5%,window=10s", spec.toString());
        assertEquals(spec, SloSpec.parse(spec.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                      | empty",
        "p99=200ms                               | no target",
        "target=99%,window=10s                   | no percentile",
        "p99=200ms,p50=10ms,target=99%           | two percentiles",
        "p99=200ms,target=99%,target=98%         | given twice",
        "p99=200ms,target=99%,burst=3            | unknown key 'burst'",
        "p99=fast,target=99%                     | duration 'fast'",
        "px=200ms,target=99%                     | unknown key 'px'",
        "p100=200ms,target=99%                   | percentile",
        "p99=0,target=99%                        | threshold",
        "p99=200ms,target=100%                   | target",
        "p99=200ms,target=-1%                    | target '-1'",
        "p99=200ms,target=99%,window=1500ms      | whole number of seconds",
        "p99=200ms,target=99%,window=500ms       | whole number of seconds",
        "p99=200ms,target                        | 'target' is not key=value",
    })
    void refusesBadTextNamingThePartAndTheForm(String text, String part) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SloSpec.parse(text));
        assertTrue(error.getMessage().contains(part), error.getMessage());
        assertTrue(error.getMessage().contains("expected: pNN=DURATION,target=PERCENT%"), error.getMessage());
    }
}
