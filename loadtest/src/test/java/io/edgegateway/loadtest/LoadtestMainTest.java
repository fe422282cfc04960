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
    void runRefusesMissingAndBadOptions() throws InterruptedException {
        assertEquals(2, run("run", "--url", "http://127.0.0.1:1/"));
        assertTrue(err().contains("--rate is required"), err());
        assertEquals(2, run("run", "--url", "https://127.0.0.1:1/", "--rate", "10", "--duration", "1s"));
        assertTrue(err().contains("expected: http://HOST[:PORT]/PATH"), err());
        assertEquals(2, run("run", "--url", "http://127.0.0.1:1/", "--rate", "-5", "--duration", "1s"));
        assertTrue(err().contains("--rate: -5"), err());
        assertEquals(2, run("run", "--url", "http://127.0.0.1:1/", "--rate", "10", "--duration", "soon"));
        assertTrue(err().contains("--duration: duration 'soon'"), err());
        assertEquals(2, run("run", "--url", "http://127.0.0.1:1/", "--duration", "1s", "--sweep", "speed=1,2"));
        assertTrue(err().contains("expected: rate=R1,R2,... or connections=C1,C2,..."), err());
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--slo SPEC"));
    }

    @Test
    void mergeExplainsItselfAndRefusesBadInput() throws InterruptedException {
        assertEquals(0, run("merge", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: loadtest merge [--json FILE] REPORT..."));
        assertEquals(2, run("merge"));
        assertTrue(err().contains("loadtest merge: no REPORT given"), err());
        assertEquals(1, run("merge", "/nonexistent/run.json"));
        assertTrue(err().contains("loadtest merge: /nonexistent/run.json: cannot read it"), err());
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

    @Test
    void probeExplainsItselfAndRefusesBadOptions() throws InterruptedException {
        assertEquals(0, run("probe", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--upstream-port P"));
        assertEquals(2, run("probe"));
        assertTrue(err().contains("option --url is required"), err());
        assertEquals(2, run("probe", "--url", "http://127.0.0.1:1", "--skip", "paths"));
        assertTrue(err().contains("--skip: unknown group 'paths'"), err());
        assertEquals(2, run("probe", "--url", "https://127.0.0.1:1"));
        assertTrue(err().contains("expected: http://HOST:PORT"), err());
        assertEquals(2, run("probe", "--url", "http://127.0.0.1:1", "--slow-cap", "0"));
        assertTrue(err().contains("--slow-cap: 0 (expected: more than 0)"), err());
    }
}
