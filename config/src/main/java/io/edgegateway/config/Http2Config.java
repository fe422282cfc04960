package io.edgegateway.config;

/**
 * {@code gateway.listen.http2}. The header list size is bounded by {@code limits.max-header-bytes}.
 *
 * @param maxConcurrentStreams streams one client connection may have open at once
 * @param initialWindowSize bytes of a request body a stream may send before the gateway has passed
 *     them on: the most the gateway buffers per stream
 * @param maxFrameSize largest frame payload the gateway accepts
 * @param flood what a client may send that carries no request, before its connection is closed
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int initialWindowSize, int maxFrameSize,
        Http2FloodLimits flood) {

    /** The limits of RFC 9113 §6.5.2. */
    public static final int MIN_FRAME_SIZE = 16_384;
    public static final int MAX_FRAME_SIZE = 16_777_215;
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

    public static final Http2Config DEFAULT = new Http2Config(true, 100, 65_536, MIN_FRAME_SIZE, Http2FloodLimits.DEFAULT);

    public Http2Config {
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("maxConcurrentStreams: " + maxConcurrentStreams + " (expected: > 0)");
        }
        if (initialWindowSize < 1) {
            throw new IllegalArgumentException("initialWindowSize: " + initialWindowSize + " (expected: > 0)");
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize
                    + " (expected: " + MIN_FRAME_SIZE + ".." + MAX_FRAME_SIZE + ")");
        }
    }
}
