package io.edgegateway.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only the paths that return: a good {@code upstream} command line serves until the process is killed. */
class LoadtestMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return LoadtestMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageAndSucceeds() throws InterruptedException {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("upstream"));
        assertEquals(0, run("upstream", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--latency SPEC"));
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() throws InterruptedException {
        assertEquals(2, run());
        assertEquals(2, run("serve"));
        assertTrue(err().contains("unknown command 'serve'"), err());
    }

    @Test
    void runIsNotImplementedYet() throws InterruptedException {
        assertEquals(2, run("run", "--url", "http://127.0.0.1:1/"));
        assertTrue(err().contains("loadtest run: not implemented yet"), err());
    }

    @Test
    void upstreamRefusesABadLatencySpec() throws InterruptedException {
        assertEquals(2, run("upstream", "--port", "0", "--latency", "lognormal:50ms"));
        assertTrue(err().contains("latency spec 'lognormal:50ms'"), err());
        assertTrue(err().contains("usage: loadtest upstream"), err());
    }

    @Test
    void upstreamRefusesMissingBadAndUnknownOptions() throws InterruptedException {
        assertEquals(2, run("upstream", "--latency", "fixed:1ms"));
        assertTrue(err().contains("--port is required"), err());
        assertEquals(2, run("upstream", "--port", "70000"));
        assertTrue(err().contains("--port: 70000 (expected: an integer 0..65535)"), err());
        assertEquals(2, run("upstream", "--port", "0", "--speed", "fast"));
        assertTrue(err().contains("unknown option --speed"), err());
        assertEquals(2, run("upstream", "--port"));
        assertTrue(err().contains("--port needs a value"), err());
        assertEquals(2, run("upstream", "--port", "0", "--seed", "x"));
        assertTrue(err().contains("--seed: x (expected: an integer)"), err());
    }
}
