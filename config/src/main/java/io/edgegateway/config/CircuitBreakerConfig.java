package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** Opens after {@code failureThreshold} consecutive store failures and stays open for {@code openFor}. */
public record CircuitBreakerConfig(int failureThreshold, Duration openFor) {

    public CircuitBreakerConfig {
        Objects.requireNonNull(openFor, "openFor");
    }
}
