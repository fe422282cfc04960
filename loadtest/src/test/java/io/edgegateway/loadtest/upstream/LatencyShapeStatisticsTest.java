package io.edgegateway.loadtest.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Shape statistics over many draws from a fixed seed: deterministic, so the tolerances cannot flake. */
class LatencyShapeStatisticsTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int SAMPLES = 10_000;

    private static long[] draw(String spec, int samples) {
        LatencyShape shape = LatencyShape.parse(spec);
        RandomGenerator random = new SplittableRandom(42);
        return LongStream.range(0, samples).map(i -> shape.nextDelayNanos(0, random)).toArray();
    }

    @Test
    void fixedIsAlwaysTheSame() {
        assertTrue(Arrays.stream(draw("fixed:1ms", 100)).allMatch(delay -> delay == MS));
        assertTrue(Arrays.stream(draw("none", 100)).allMatch(delay -> delay == 0));
    }

    @Test
    void lognormalHasTheMedianAndSigmaAskedFor() {
        long[] delays = draw("lognormal:50ms:0.5", SAMPLES);
        Arrays.sort(delays);
        double median = delays[SAMPLES / 2];
        assertEquals(50.0 * MS, median, 0.05 * 50 * MS, "median");

        double[] logs = Arrays.stream(delays).mapToDouble(Math::log).toArray();
        double mean = Arrays.stream(logs).average().orElseThrow();
        double sigma = Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (SAMPLES - 1));
        assertEquals(0.5, sigma, 0.025, "sigma of the underlying normal");
    }

    @Test
    void bimodalPicksTheFastModeWithItsProbability() {
        long[] delays = draw("bimodal:0.8:10ms:200ms", SAMPLES);
        long fast = Arrays.stream(delays).filter(delay -> delay == 10 * MS).count();
        long slow = Arrays.stream(delays).filter(delay -> delay == 200 * MS).count();
        assertEquals(SAMPLES, fast + slow, "only the two modes occur");
        assertEquals(0.8, (double) fast / SAMPLES, 0.02);
    }

    @Test
    void heavyTailIsMostlyTheBaseWithRareUniformStragglers() {
        int samples = 100_000;
        long[] delays = draw("heavy-tail:50ms:0.02:500ms-5s", samples);
        long[] tail = Arrays.stream(delays).filter(delay -> delay != 50 * MS).toArray();
        assertTrue(Arrays.stream(tail).allMatch(delay -> delay >= 500 * MS && delay <= 5 * S), "tail range");
        assertEquals(0.02, (double) tail.length / samples, 0.003, "tail probability");
        double tailMean = Arrays.stream(tail).average().orElseThrow();
        assertEquals(2.75 * S, tailMean, 0.1 * S, "uniform tail has the midpoint as its mean");
    }

    @Test
    void degradingGrowsLinearlyOverTheRampThenHolds() {
        LatencyShape shape = LatencyShape.parse("degrading:50ms:3x");
        RandomGenerator random = new SplittableRandom(1);
        assertEquals(50 * MS, shape.nextDelayNanos(0, random));
        assertEquals(100 * MS, shape.nextDelayNanos(30 * S, random));
        assertEquals(150 * MS, shape.nextDelayNanos(60 * S, random));
        assertEquals(150 * MS, shape.nextDelayNanos(600 * S, random));
        assertEquals(50 * MS, shape.nextDelayNanos(-1, random), "before the start it has not degraded yet");

        LatencyShape quick = LatencyShape.parse("degrading:50ms:3x:30s");
        assertEquals(150 * MS, quick.nextDelayNanos(30 * S, random));
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        for (String spec : new String[] {"lognormal:50ms:0.5", "bimodal:0.8:10ms:200ms", "heavy-tail:50ms:0.2:1s-2s"}) {
            assertEquals(Arrays.toString(draw(spec, 1000)), Arrays.toString(draw(spec, 1000)), spec);
        }
    }

    @Test
    void theUpstreamsSamplerReadsItsInjectedClockFromItsStart() {
        long[] now = {1_000 * S};
        LatencySampler sampler = new LatencySampler(LatencyShape.parse("degrading:50ms:3x:10s"), null, 5L, () -> now[0]);
        assertEquals(50 * MS, sampler.nextDelayNanos());
        now[0] += 5 * S;
        assertEquals(100 * MS, sampler.nextDelayNanos());
        now[0] += 50 * S;
        assertEquals(150 * MS, sampler.nextDelayNanos());
    }
}
