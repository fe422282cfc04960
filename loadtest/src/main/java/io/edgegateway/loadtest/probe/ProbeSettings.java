package io.edgegateway.loadtest.probe;

import java.time.Duration;

/**
 * The knobs of the catalogue's slow and flood probes.
 *
 * @param slowHeadInterval the pause between the slowloris head's bytes
 * @param slowBodyInterval the pause between the slow body's bytes
 * @param slowCap how long a slow probe goes on before it gives up and reports "open"
 * @param h2Streams streams opened and reset by the rapid-reset probe
 * @param h2Frames frames sent by each HTTP/2 flood
 * @param methods extension methods sprayed
 */
record ProbeSettings(Duration slowHeadInterval, Duration slowBodyInterval, Duration slowCap, int h2Streams,
        int h2Frames, int methods) {

    static final ProbeSettings DEFAULTS = new ProbeSettings(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(30), 10_000, 100_000, 300);
}
