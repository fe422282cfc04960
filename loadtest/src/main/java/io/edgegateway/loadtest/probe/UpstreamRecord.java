package io.edgegateway.loadtest.probe;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One request as the recording upstream received it. Text fields hold the bytes as sent, one char
 * per byte (ISO-8859-1), so a raw UTF-8 or NUL byte survives unchanged.
 *
 * @param receivedAtMillis wall-clock time the request head was complete
 * @param headers every header line in arrival order, names as sent (not lower-cased)
 * @param bodyLength body bytes received (after chunked decoding)
 * @param bodyPrefix the first body bytes, at most {@link #BODY_PREFIX_BYTES}
 * @param complete false when the connection ended inside the body or the framing could not be read
 */
public record UpstreamRecord(long receivedAtMillis, String method, String target, String version,
        List<Header> headers, long bodyLength, String bodyPrefix, boolean complete) {

    static final int BODY_PREFIX_BYTES = 512;
    static final String PROBE_ID_HEADER = "X-Probe-Id";

    public record Header(String name, String value) {
    }

    public UpstreamRecord {
        headers = List.copyOf(headers);
    }

    /** The first header of that name, compared without case. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    public String probeId() {
        return header(PROBE_ID_HEADER).orElse("");
    }

    /** Whether the connection may carry another request after this one. */
    boolean keepAlive() {
        if (!complete) {
            return false;
        }
        String connection = header("Connection").orElse("").toLowerCase(Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return connection.contains("keep-alive");
        }
        return version.equals("HTTP/1.1") && !connection.contains("close");
    }
}
