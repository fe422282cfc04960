package io.edgegateway.config;

/** Whether rate-limit denials are carried out: {@code enforce | shadow}. */
public enum LimitMode {
    ENFORCE,
    /** Decide, count and emit headers, but never deny. */
    SHADOW
}
