package io.edgegateway.loadtest.probe;

import java.io.IOException;

/**
 * One entry of the catalogue: what to send and how to describe what reached the upstream. A probe
 * observes; it carries no expectation.
 *
 * @param group the attack class ({@code path}, {@code host}, {@code framing}, ...), for {@code --skip}
 */
record Probe(String group, String name, Script script, UpstreamView upstream) {

    /** Sends the probe; every request it makes carries {@code probeId} in {@link UpstreamRecord#PROBE_ID_HEADER}. */
    @FunctionalInterface
    interface Script {
        ClientOutcome run(ProbeTarget target, String probeId) throws IOException, InterruptedException;
    }

    /** A probe that is one write of raw HTTP/1.1 bytes ({@code $ID} replaced by the probe id). */
    static Probe raw(String group, String name, String template, int expectedResponses, UpstreamView upstream) {
        return new Probe(group, name, (target, id) -> RawExchange.run(target, HostileRequests.bytes(template, id),
                expectedResponses), upstream);
    }
}
