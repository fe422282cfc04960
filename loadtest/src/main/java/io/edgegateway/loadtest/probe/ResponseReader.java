package io.edgegateway.loadtest.probe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTTP/1.x responses off a connection, one after the other; bodies are counted and dropped. */
final class ResponseReader {

    static final int MAX_HEAD_BYTES = 256 * 1024;

    /** @param headers names lower-cased, the last value of a repeated name */
    record Response(int status, Map<String, String> headers, long bodyLength) {
        boolean says(String name, String token) {
            return headers.getOrDefault(name, "").toLowerCase(Locale.ROOT).contains(token);
        }
    }

    private final InputStream in;

    /** @param in should be buffered */
    ResponseReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next response, or null when the stream ends before its first byte.
     *
     * @throws EOFException when it ends inside a response
     * @throws IOException for a response that is not HTTP/1.x, or the stream's own failures (timeout, reset)
     */
    Response next() throws IOException {
        String statusLine = line(true);
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + ByteText.show(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + ByteText.show(statusLine), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headBytes = statusLine.length();
        for (String line = line(false); !line.isEmpty(); line = line(false)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        Response head = new Response(status, headers, 0);
        if (status / 100 == 1 || status == 204 || status == 304) {
            return head;
        }
        long length;
        if (head.says("transfer-encoding", "chunked")) {
            length = chunked();
        } else if (headers.containsKey("content-length")) {
            length = skip(number(headers.get("content-length"), 10));
        } else {
            length = untilEnd();
        }
        return new Response(status, headers, length);
    }

    private long chunked() throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = line(false);
            int semicolon = sizeLine.indexOf(';');
            long size = number((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!line(false).isEmpty()) {
                    // trailers, dropped
                }
                return total;
            }
            total += skip(size);
            line(false);
        }
    }

    private static long number(String text, int radix) throws IOException {
        try {
            long value = Long.parseLong(text, radix);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("bad length in response: " + ByteText.show(text));
    }

    private long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("response body cut after " + (n - left) + " of " + n + " bytes");
            }
            left -= read;
        }
        return n;
    }

    private long untilEnd() throws IOException {
        long total = 0;
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            total += read;
        }
        return total;
    }

    /** A line without its CR LF; null at a clean end before it only when {@code first}. */
    private String line(boolean first) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && line.isEmpty()) {
                    return null;
                }
                throw new EOFException("response cut inside a line");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > MAX_HEAD_BYTES) {
                throw new IOException("response line over " + MAX_HEAD_BYTES + " bytes");
            }
            line.append((char) b);
        }
    }
}
