package io.edgegateway.loadtest.run;

import java.util.concurrent.TimeUnit;

/**
 * Runs every millisecond on a generator loop and records how late it ran. A loop too busy to keep
 * up reads answers late as well as sending late, which the send times alone would hide: the
 * connections look busy with the server when they wait for the generator.
 */
final class LoopLagProbe implements Runnable {

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LoopRecorder recorder;
    private long expected;

    LoopLagProbe(LoopRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        if (expected != 0 && now > expected) {
            recorder.sendLag(now - expected);
        }
        // Measured from each run rather than a fixed grid: a stall is counted once, not once per missed tick.
        expected = now + PERIOD_NANOS;
    }
}
