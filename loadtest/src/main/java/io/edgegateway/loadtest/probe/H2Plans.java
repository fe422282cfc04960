package io.edgegateway.loadtest.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** The HTTP/2 probes' frame sequences (all on client-initiated, odd stream ids). */
final class H2Plans {

    private H2Plans() {
    }

    /** A request's header block: method, path, the probe id; literal fields, so the path goes out as given. */
    static byte[] request(String method, String path, String probeId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(":method", method);
        fields.put(":scheme", "http");
        fields.put(":authority", HostileRequests.HOST);
        fields.put(":path", path);
        fields.put("x-probe-id", probeId);
        return Hpack.literalBlock(fields);
    }

    /** HEADERS (a whole GET) then RST_STREAM(CANCEL) on each of {@code streams} new streams. */
    static H2Session.FramePlan rapidReset(String probeId, int streams) {
        byte[] block = request("GET", "/pub/h2-rapid-reset", probeId);
        return plan(2 * streams, i -> i % 2 == 0 ? H2Frames.headers(stream(i / 2), true, block)
                : H2Frames.rstStream(stream(i / 2), H2Frames.CANCEL));
    }

    static H2Session.FramePlan settingsFlood(int frames) {
        byte[] settings = H2Frames.settings();
        return plan(frames, i -> settings);
    }

    static H2Session.FramePlan pingFlood(int frames) {
        return plan(frames, H2Frames::ping);
    }

    /** PRIORITY frames, each for a new idle stream. */
    static H2Session.FramePlan priorityFlood(int frames) {
        return plan(frames, i -> H2Frames.priority(stream(i)));
    }

    /** Connection-level WINDOW_UPDATEs of 1 byte: the window stays far below 2^31 - 1. */
    static H2Session.FramePlan windowUpdateFlood(int frames) {
        byte[] update = H2Frames.windowUpdate(0, 1);
        return plan(frames, i -> update);
    }

    /** A POST's HEADERS on stream 1 (stream left open), then empty DATA frames on it. */
    static H2Session.FramePlan emptyDataFlood(String probeId, int frames) {
        byte[] headers = H2Frames.headers(1, false, request("POST", "/pub/h2-empty-data", probeId));
        byte[] empty = H2Frames.emptyData(1);
        return plan(1 + frames, i -> i == 0 ? headers : empty);
    }

    /** One GET on stream 1 with that {@code :path}. */
    static H2Session.FramePlan single(String path, String probeId) {
        byte[] headers = H2Frames.headers(1, true, request("GET", path, probeId));
        return plan(1, i -> headers);
    }

    private static int stream(int index) {
        return 2 * index + 1;
    }

    private static H2Session.FramePlan plan(int count, IntFunction<byte[]> frames) {
        return new H2Session.FramePlan() {
            @Override
            public int count() {
                return count;
            }

            @Override
            public byte[] frame(int index) {
                return frames.apply(index);
            }
        };
    }
}
