package io.edgegateway.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading and writing {@code traceparent} as W3C Trace Context level 1 defines it. */
class TraceParentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsEveryFieldOfAValidValue() {
        assertThat(TraceParent.isValid(VALID)).isTrue();
        assertThat(TraceParent.traceIdHigh(VALID)).isEqualTo(0x4bf92f3577b34da6L);
        assertThat(TraceParent.traceIdLow(VALID)).isEqualTo(0xa3ce929d0e0e4736L);
        assertThat(TraceParent.parentId(VALID)).isEqualTo(0x00f067aa0ba902b7L);
        assertThat(TraceParent.sampled(VALID)).isTrue();
        assertThat(TraceParent.sampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")).isFalse();
        // Only the sampled bit means anything in level 1; the others are read past.
        assertThat(TraceParent.sampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")).isTrue();
        assertThat(TraceParent.sampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02")).isFalse();
    }

    @Test
    void refusesWhatTheSpecificationCallsInvalid() {
        assertThat(TraceParent.isValid("")).isFalse();
        assertThat(TraceParent.isValid("garbage")).isFalse();
        assertThat(TraceParent.isValid(VALID.substring(0, 54))).as("short").isFalse();
        assertThat(TraceParent.isValid(VALID + "-00")).as("version 00 with more").isFalse();
        assertThat(TraceParent.isValid(VALID.toUpperCase())).as("upper-case hex").isFalse();
        assertThat(TraceParent.isValid("ff" + VALID.substring(2))).as("version ff").isFalse();
        assertThat(TraceParent.isValid("0g" + VALID.substring(2))).as("version not hex").isFalse();
        assertThat(TraceParent.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).as("zero trace id").isFalse();
        assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).as("zero parent id").isFalse();
        assertThat(TraceParent.isValid("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).as("separator").isFalse();
        assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01")).as("trace id not hex").isFalse();
        assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x")).as("flags not hex").isFalse();
    }

    @Test
    void readsALaterVersionByItsFirstFourFields() {
        assertThat(TraceParent.isValid("cc" + VALID.substring(2))).isTrue();
        assertThat(TraceParent.isValid("cc" + VALID.substring(2) + "-what-comes-later")).isTrue();
        assertThat(TraceParent.isValid("cc" + VALID.substring(2) + "x")).as("no dash after the flags").isFalse();
    }

    @Test
    void writesVersion00WithOnlyTheSampledFlag() {
        assertThat(TraceParent.format(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L, true).toString())
                .isEqualTo(VALID);
        assertThat(TraceParent.format(0, 1, -1, false).toString())
                .isEqualTo("00-00000000000000000000000000000001-ffffffffffffffff-00");
        String written = new TraceContext(7, 8, 9, 10, true, null).traceparent(11).toString();
        assertThat(TraceParent.isValid(written)).isTrue();
        assertThat(TraceParent.parentId(written)).isEqualTo(11);
    }
}
