package io.edgegateway.loadtest.probe;

import java.nio.charset.StandardCharsets;

/**
 * Request text for the catalogue, written out with every CR and LF visible. Chars are bytes
 * (ISO-8859-1); {@code $ID} stands for the probe id.
 */
final class HostileRequests {

    static final String HOST = "example.test";
    static final String CRLF = "\r\n";
    /** The well-formed request written behind a framing probe, to see whether it is smuggled. */
    static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: " + HOST + "\r\nX-Probe-Id: $ID\r\n\r\n";

    private HostileRequests() {
    }

    /** {@code GET target} with {@code Host} and the probe id, and nothing else. */
    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\nX-Probe-Id: $ID\r\n\r\n";
    }

    /** {@code GET /pub/host} with that {@code Host} value. */
    static String withHost(String host) {
        return "GET /pub/host HTTP/1.1\r\nHost: " + host + "\r\nX-Probe-Id: $ID\r\n\r\n";
    }

    /** A request line and extra header lines (each without its CRLF), then {@code Host} and the id. */
    static String head(String requestLine, String... headers) {
        StringBuilder text = new StringBuilder(requestLine).append(CRLF);
        text.append("Host: ").append(HOST).append(CRLF).append("X-Probe-Id: $ID").append(CRLF);
        for (String header : headers) {
            text.append(header).append(CRLF);
        }
        return text.append(CRLF).toString();
    }

    /** A chunked POST whose body framing is {@code chunkedBody} exactly, followed by {@link #SMUGGLED}. */
    static String chunkedThenSmuggled(String chunkedBody) {
        return head("POST /pub/framing HTTP/1.1", "Transfer-Encoding: chunked") + chunkedBody + SMUGGLED;
    }

    /** {@code count} headers {@code X-Big-N} of {@code size} bytes each (without CRLFs), for a big head. */
    static String[] bigHeaders(int count, int size) {
        String[] headers = new String[count];
        for (int i = 0; i < count; i++) {
            String name = "X-Big-" + i + ": ";
            headers[i] = name + "a".repeat(Math.max(1, size - name.length()));
        }
        return headers;
    }

    static byte[] bytes(String template, String probeId) {
        return template.replace("$ID", probeId).getBytes(StandardCharsets.ISO_8859_1);
    }
}
