package io.edgegateway.loadtest.probe;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the probing client saw of one probe.
 *
 * @param summary one line for the table, e.g. {@code 400, closed} or {@code GOAWAY ENHANCE_YOUR_CALM after 1,000 frames}
 * @param closed whether the target closed (or reset) the connection
 * @param statuses the response status codes in order (HTTP/2: of the probe's streams)
 */
public record ClientOutcome(String summary, boolean closed, List<Integer> statuses) {

    /** How an HTTP/1.1 exchange ended once its responses were read. */
    enum Ending {
        OPEN("open"), CLOSED("closed"), RESET("reset"), TIMEOUT("timeout");

        final String word;

        Ending(String word) {
            this.word = word;
        }
    }

    public ClientOutcome {
        statuses = List.copyOf(statuses);
    }

    /** {@code "400 400, closed"}, or {@code "no response, timeout"}. */
    static ClientOutcome of(List<Integer> statuses, Ending ending) {
        String codes = statuses.isEmpty() ? "no response"
                : statuses.stream().map(String::valueOf).collect(Collectors.joining(" "));
        return new ClientOutcome(codes + ", " + ending.word, ending == Ending.CLOSED || ending == Ending.RESET,
                statuses);
    }
}
