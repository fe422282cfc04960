package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a request's query asks the mock upstream to do, on any path: {@code status=NNN}, {@code bytes=N},
 * {@code chunked=true}, {@code echo=true} (or a path ending in {@code /echo}), {@code reset-after=N},
 * {@code close=true} and {@code delay=DURATION} (instead of the latency shape).
 *
 * @param status the response status
 * @param bytes the size of a generated body, or -1 for the usual small body
 * @param resetAfter after how many body bytes to reset the connection, or -1 to answer normally
 * @param delayNanos the delay for this request, or -1 to draw one from the latency shape
 * @param problem why the query cannot be followed (answered with 400), or {@code null}
 */
record ResponseInstructions(
        int status, long bytes, boolean chunked, boolean echo, long resetAfter, boolean close, long delayNanos,
        String problem) {

    static ResponseInstructions from(String uri) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        Map<String, List<String>> parameters = query.parameters();
        try {
            return new ResponseInstructions(
                    (int) number(parameters, "status", 200, 200, 599),
                    number(parameters, "bytes", -1, 0, Long.MAX_VALUE),
                    flag(parameters, "chunked"),
                    flag(parameters, "echo") || query.path().endsWith("/echo"),
                    number(parameters, "reset-after", -1, 0, Long.MAX_VALUE),
                    flag(parameters, "close"),
                    delay(parameters),
                    null);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
    }

    /** A 400 answer, at once, after which the connection is closed. */
    static ResponseInstructions badRequest(String problem) {
        return new ResponseInstructions(400, -1, false, false, -1, true, 0, problem);
    }

    boolean resetsMidBody() {
        return resetAfter >= 0;
    }

    boolean generatesBody() {
        return bytes >= 0;
    }

    private static long number(Map<String, List<String>> parameters, String name, long absent, long min, long max) {
        String text = single(parameters, name);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + text + " (expected: an integer " + min + ".." + max + ")");
    }

    private static boolean flag(Map<String, List<String>> parameters, String name) {
        String text = single(parameters, name);
        if (text == null) {
            return false;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + "=" + text + " (expected: true or false)");
        };
    }

    private static long delay(Map<String, List<String>> parameters) {
        String text = single(parameters, "delay");
        if (text == null) {
            return -1;
        }
        try {
            return DurationText.parseNanos(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delay=" + text + ": " + e.getMessage(), e);
        }
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + " given " + values.size() + " times (expected: once)");
        }
        return values.get(0);
    }
}
