package io.edgegateway.loadtest.upstream;

import java.util.random.RandomGenerator;

/**
 * How long the mock upstream waits before it answers a request: a distribution that may change over time.
 *
 * <p>Shapes are immutable; randomness and time come from the caller, so a fixed seed and an injected clock
 * reproduce the same delays. Parse one from text with {@link #parse(String)}, or write one as a lambda in a test.
 */
@FunctionalInterface
public interface LatencyShape {

    /**
     * Draws the next delay.
     *
     * @param elapsedNanos time since the upstream started, for shapes that change over time
     * @param random the source of randomness, seeded by the caller for reproducibility
     * @return the delay before responding, in nanoseconds, never negative
     */
    long nextDelayNanos(long elapsedNanos, RandomGenerator random);

    /**
     * This shape in the text form {@link #parse(String)} reads, e.g. {@code lognormal:50ms:0.5}; {@code custom}
     * for shapes written in code, e.g. a test's lambda.
     */
    default String spec() {
        return "custom";
    }

    /**
     * Reads a shape from its text form: {@code none}, {@code fixed:1ms}, {@code lognormal:50ms:0.5},
     * {@code bimodal:0.8:10ms:200ms}, {@code heavy-tail:50ms:0.02:500ms-5s}, {@code degrading:50ms:3x[:60s]}.
     *
     * @throws IllegalArgumentException naming the spec, what is wrong with it and the expected form
     */
    static LatencyShape parse(String spec) {
        return LatencySpecParser.parse(spec);
    }

    /** No delay at all. */
    static LatencyShape none() {
        return new FixedLatency(0);
    }
}
