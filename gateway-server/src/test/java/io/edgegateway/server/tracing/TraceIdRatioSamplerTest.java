package io.edgegateway.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trace-id-ratio decision for new traces. */
class TraceIdRatioSamplerTest {

    @Test
    void zeroRecordsNothingAndOneEverything() {
        TraceIdRatioSampler never = new TraceIdRatioSampler(0);
        TraceIdRatioSampler always = new TraceIdRatioSampler(1);
        for (long id : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x5555_5555_5555_5555L}) {
            assertThat(never.sampled(id)).as("%x", id).isFalse();
            assertThat(always.sampled(id)).as("%x", id).isTrue();
        }
    }

    @Test
    void decidesByTheTraceIdAlone() {
        TraceIdRatioSampler half = new TraceIdRatioSampler(0.5);
        assertThat(half.sampled(Long.MAX_VALUE / 2 - 1)).isTrue();
        assertThat(half.sampled(Long.MAX_VALUE / 2 + 1)).isFalse();
        assertThat(half.sampled(-(Long.MAX_VALUE / 2 - 1))).isTrue();
        assertThat(new TraceIdRatioSampler(0.5).sampled(12345)).isEqualTo(half.sampled(12345));
    }

    @Test
    void recordsAboutItsRatioOfRandomIds() {
        TraceIdRatioSampler tenth = new TraceIdRatioSampler(0.1);
        SplittableRandom random = new SplittableRandom(42);
        int sampled = 0;
        for (int i = 0; i < 100_000; i++) {
            if (tenth.sampled(random.nextLong())) {
                sampled++;
            }
        }
        assertThat(sampled).isBetween(9_500, 10_500);
    }

    @Test
    void refusesARatioOutside0To1() {
        assertThatThrownBy(() -> new TraceIdRatioSampler(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceIdRatioSampler(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
