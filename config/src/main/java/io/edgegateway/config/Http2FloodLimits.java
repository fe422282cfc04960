package io.edgegateway.config;

import java.time.Duration;

/**
 * How much of what costs the gateway work but carries no request an HTTP/2 client may send on one
 * connection (keys of {@code gateway.listen.http2}); past any of them the connection gets GOAWAY
 * ENHANCE_YOUR_CALM and is closed.
 *
 * @param maxResetsPerWindow RST_STREAM frames the client may send within {@code resetWindow} (the
 *     "rapid reset" attack opens and cancels streams faster than any concurrency limit sees them);
 *     the same bound applies to streams the gateway itself resets for errors the client provoked
 * @param resetWindow the window of {@code maxResetsPerWindow}, whole seconds
 * @param maxControlFramesPerSecond SETTINGS, PING, PRIORITY, WINDOW_UPDATE, RST_STREAM, GOAWAY and
 *     unknown-type frames per second, together; beyond two WINDOW_UPDATE or PING frames for each
 *     DATA frame the gateway sent, which is how a receiver answers data
 * @param maxSettingsPerSecond SETTINGS frames per second (each may hold thousands of parameters and
 *     must be acknowledged)
 * @param maxQueuedControlFrames SETTINGS and PING acknowledgements and RST_STREAM frames written but
 *     not yet taken by the client (a client that never reads its acknowledgements)
 * @param maxEmptyDataFrames consecutive DATA frames with neither payload nor END_STREAM
 * @param maxSmallContinuationFrames header-block fragments under 8k without END_HEADERS in one
 *     header block (a longer block is bounded by {@code limits.max-header-bytes})
 */
public record Http2FloodLimits(int maxResetsPerWindow, Duration resetWindow, int maxControlFramesPerSecond,
        int maxSettingsPerSecond, int maxQueuedControlFrames, int maxEmptyDataFrames, int maxSmallContinuationFrames) {

    public static final Http2FloodLimits DEFAULT = new Http2FloodLimits(100, Duration.ofSeconds(30), 1_000, 10, 1_000, 2, 16);

    public Http2FloodLimits {
        positive("maxResetsPerWindow", maxResetsPerWindow);
        positive("maxControlFramesPerSecond", maxControlFramesPerSecond);
        positive("maxSettingsPerSecond", maxSettingsPerSecond);
        positive("maxQueuedControlFrames", maxQueuedControlFrames);
        positive("maxEmptyDataFrames", maxEmptyDataFrames);
        positive("maxSmallContinuationFrames", maxSmallContinuationFrames);
        if (resetWindow.toSeconds() < 1 || resetWindow.toSeconds() > Integer.MAX_VALUE || resetWindow.toNanosPart() != 0) {
            throw new IllegalArgumentException("resetWindow: " + resetWindow + " (expected: whole seconds >= 1s)");
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
