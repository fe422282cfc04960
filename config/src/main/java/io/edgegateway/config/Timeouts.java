package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's upstream timeouts: establishing a connection, and the whole response (after which: 504);
 * and how long a connection upgraded to another protocol (WebSocket) may carry no byte either way
 * before the gateway closes it.
 */
public record Timeouts(Duration connect, Duration response, Duration upgradedIdle) {

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(upgradedIdle, "upgradedIdle");
    }
}
