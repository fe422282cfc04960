package io.edgegateway.loadtest.probe;

import java.util.List;

/** Describes, in a table cell, what of one probe reached the recording upstream. */
@FunctionalInterface
interface UpstreamView {

    /**
     * @param seen the requests the upstream recorded with this probe's id, in arrival order
     * @param startMillis wall-clock time the probe started
     */
    String describe(List<UpstreamRecord> seen, long startMillis);
}
