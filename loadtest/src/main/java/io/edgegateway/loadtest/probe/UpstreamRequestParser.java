package io.edgegateway.loadtest.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Reads the requests a proxy sends, one after the other, as leniently as it can: the upstream is
 * the observer, so whatever arrives is recorded (a bare LF ends a line too, a request line may lack
 * its version) instead of refused. Only framing it cannot follow ends the connection, with the
 * request marked incomplete.
 */
final class UpstreamRequestParser {

    static final int MAX_HEAD_BYTES = 1 << 20;

    private final InputStream in;
    private final LongSupplier clock;

    /** @param in should be buffered: it is read a byte at a time in the head */
    UpstreamRequestParser(InputStream in, LongSupplier clock) {
        this.in = in;
        this.clock = clock;
    }

    /** The next request, or null when the connection ended before its first byte. */
    UpstreamRecord next() {
        List<String> lines = new ArrayList<>();
        String requestLine;
        do { // empty lines before a request line are skipped (RFC 9112 section 2.2)
            requestLine = readLine(0);
            if (requestLine == null) {
                return null;
            }
        } while (requestLine.isEmpty());
        int headBytes = requestLine.length();
        boolean headComplete = false;
        for (String line = readLine(headBytes); line != null; line = readLine(headBytes)) {
            if (line.isEmpty()) {
                headComplete = true;
                break;
            }
            lines.add(line);
            headBytes += line.length() + 1;
        }
        long receivedAt = clock.getAsLong();
        String[] start = splitRequestLine(requestLine);
        List<UpstreamRecord.Header> headers = new ArrayList<>(lines.size());
        for (String line : lines) {
            int colon = line.indexOf(':');
            headers.add(colon < 0 ? new UpstreamRecord.Header(line, "")
                    : new UpstreamRecord.Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        UpstreamRecord head = new UpstreamRecord(receivedAt, start[0], start[1], start[2], headers, 0, "", headComplete);
        if (!headComplete) {
            return head;
        }
        Body body = new Body();
        boolean complete;
        if (head.header("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT).contains("chunked")) {
            complete = readChunked(body);
        } else {
            complete = readFixed(body, head.header("Content-Length").orElse("0"));
        }
        return new UpstreamRecord(receivedAt, start[0], start[1], start[2], headers, body.length,
                body.prefix.toString(StandardCharsets.ISO_8859_1), complete);
    }

    /** {@code [method, target, version]}: a target may hold spaces, so the version is after the last one. */
    static String[] splitRequestLine(String line) {
        int first = line.indexOf(' ');
        if (first < 0) {
            return new String[] {line, "", ""};
        }
        int last = line.lastIndexOf(' ');
        if (last == first) {
            return new String[] {line.substring(0, first), line.substring(first + 1), ""};
        }
        return new String[] {line.substring(0, first), line.substring(first + 1, last), line.substring(last + 1)};
    }

    private boolean readFixed(Body body, String contentLength) {
        long length;
        try {
            length = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        return length >= 0 && body.copy(this, length);
    }

    private boolean readChunked(Body body) {
        while (true) {
            String sizeLine = readLine(0);
            if (sizeLine == null) {
                return false;
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size;
            try {
                size = hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (size < 0) {
                return false;
            }
            if (size == 0) {
                for (String trailer = readLine(0); trailer != null; trailer = readLine(0)) {
                    if (trailer.isEmpty()) {
                        return true;
                    }
                }
                return false;
            }
            if (!body.copy(this, size)) {
                return false;
            }
            String end = readLine(0);
            if (end == null || !end.isEmpty()) {
                return false;
            }
        }
    }

    /** A line up to LF, without its CR; null at end of stream (or past the head limit) before a LF. */
    private String readLine(int headBytesSoFar) {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = read();
            if (b < 0 || headBytesSoFar + line.length() > MAX_HEAD_BYTES) {
                return null;
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    /** A byte, or -1 at the end of the stream or once it failed (a reset ends it like a close). */
    private int read() {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    private int read(byte[] buffer, int offset, int length) {
        try {
            return in.read(buffer, offset, length);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Counts body bytes and keeps the first few. */
    private static final class Body {
        long length;
        final ByteArrayOutputStream prefix = new ByteArrayOutputStream();

        /** Reads exactly {@code n} bytes; false if the stream ends first. */
        boolean copy(UpstreamRequestParser in, long n) {
            byte[] buffer = new byte[8192];
            long left = n;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    return false;
                }
                int keep = (int) Math.min(read, UpstreamRecord.BODY_PREFIX_BYTES - prefix.size());
                if (keep > 0) {
                    prefix.write(buffer, 0, keep);
                }
                length += read;
                left -= read;
            }
            return true;
        }
    }
}
