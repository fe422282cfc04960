package io.edgegateway.loadtest.probe;

import java.util.List;

/**
 * One probe's row: what the client saw and what reached the upstream.
 *
 * @param upstream the upstream cell, or null when the run observed no upstream
 * @param seen the requests recorded for this probe
 */
record ProbeResult(String group, String name, ClientOutcome client, String upstream, List<UpstreamRecord> seen) {

    ProbeResult {
        seen = List.copyOf(seen);
    }
}
