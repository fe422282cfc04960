package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.access-log}: one JSON line per request, written off the event loops.
 *
 * @param enabled whether lines are written at all
 * @param path the file lines are appended to, or {@code -} for standard output
 * @param queueSize lines waiting to be written; beyond it lines are dropped and counted, never waited for
 * @param identity how the caller's identity appears in a line
 * @param identitySalt the HMAC key of {@link IdentityInLog#HASH}; empty: plain SHA-256, the same on every gateway
 */
public record AccessLogConfig(boolean enabled, String path, int queueSize, IdentityInLog identity,
        Optional<String> identitySalt) {

    public static final String STDOUT = "-";

    public AccessLogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(identitySalt, "identitySalt");
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize: " + queueSize + " (expected: > 0)");
        }
    }

    /** Identities hashed, without a salt. */
    public AccessLogConfig(boolean enabled, String path, int queueSize) {
        this(enabled, path, queueSize, IdentityInLog.HASH, Optional.empty());
    }
}
