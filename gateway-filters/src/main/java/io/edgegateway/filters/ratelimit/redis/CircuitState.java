package io.edgegateway.filters.ratelimit.redis;

/** A shard's circuit breaker state, with the value {@code gateway_ratelimit_circuit_state} exports. */
public enum CircuitState {
    CLOSED(0),
    OPEN(1),
    HALF_OPEN(2);

    private final int gaugeValue;

    CircuitState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    public int gaugeValue() {
        return gaugeValue;
    }
}
