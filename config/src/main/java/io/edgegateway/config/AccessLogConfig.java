package io.edgegateway.config;

import java.util.Objects;

/**
 * {@code gateway.access-log}: one JSON line per request, written off the event loops.
 *
 * @param enabled whether lines are written at all
 * @param path the file lines are appended to, or {@code -} for standard output
 * @param queueSize lines waiting to be written; beyond it lines are dropped and counted, never waited for
 */
public record AccessLogConfig(boolean enabled, String path, int queueSize) {

    public static final String STDOUT = "-";

    public AccessLogConfig {
        Objects.requireNonNull(path, "path");
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize: " + queueSize + " (expected: > 0)");
        }
    }
}
