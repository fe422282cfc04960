package io.edgegateway.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A mock upstream process frozen with SIGSTOP for a second as a run starts: every request
 * scheduled during the freeze waits for it, so the freeze must show in P99 and max. Counted from
 * the actual send, as a closed-loop tool counts, only the one request per connection that was in
 * flight sees it and P99 stays small.
 */
class CoordinatedOmissionTest {

    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private static final long PAUSE_MILLIS = 1000;

    @Test
    void aStalledServerShowsInTheTailOfLatencyFromTheIntendedSendTime() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process upstream = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.edgegateway.loadtest.LoadtestMain", "upstream", "--port", "0", "--threads", "1")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.UTF_8));
            int port = port(output);
            RunSettings settings = new RunSettings(URI.create("http://127.0.0.1:" + port + "/"), 500, 500,
                    TimeUnit.SECONDS.toNanos(4), 10, 1, 0, UserSpread.UNIFORM, TimeUnit.SECONDS.toNanos(30));
            CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return LoadGenerator.run(settings);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The stimulus itself is a pause of known length from the run's first second: freeze,
            // hold, thaw. The kernel still completes the connections' handshakes while it is frozen.
            signal("STOP", upstream.pid());
            Thread.sleep(PAUSE_MILLIS);
            signal("CONT", upstream.pid());
            RunResult run = running.get(60, TimeUnit.SECONDS);

            assertEquals(2000, run.statuses().get(200));
            long pauseMicros = TimeUnit.MILLISECONDS.toMicros(PAUSE_MILLIS);
            assertTrue(run.latency().getMaxValue() >= pauseMicros * 9 / 10, "max " + run.latency().getMaxValue() + " us");
            assertTrue(run.latency().getValueAtPercentile(99) >= pauseMicros / 2,
                    "corrected P99 " + run.latency().getValueAtPercentile(99) + " us after a " + PAUSE_MILLIS + " ms stall");
            assertTrue(run.serviceTime().getValueAtPercentile(99) < pauseMicros / 4,
                    "uncorrected P99 " + run.serviceTime().getValueAtPercentile(99) + " us: only 10 of 2000 requests were in flight");
        } finally {
            signal("CONT", upstream.pid());
            upstream.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int port(BufferedReader output) throws Exception {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new IllegalStateException("the upstream exited before it listened");
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder(List.of("kill", "-" + name, Long.toString(pid))).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }
}
