package io.edgegateway.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * One HTTP/1.1 request as a {@link ScriptedUpstream} reads it off its socket by hand: the head,
 * then the whole body (by {@code Content-Length} or chunked), so that a test upstream knows the
 * body arrived before it decides what to do.
 *
 * @param path the request target
 * @param bodyBytes how many body bytes arrived
 * @param close whether the client asked for {@code Connection: close}
 */
record RawUpstreamRequest(String method, String path, long bodyBytes, boolean close) {

    /** The next request on the connection, or null when it ended cleanly between requests. */
    static RawUpstreamRequest read(InputStream in) throws IOException {
        String requestLine = line(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("request line: " + requestLine);
        }
        long contentLength = 0;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(0, colon)).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close");
                default -> { }
            }
        }
        long body = chunked ? skipChunked(in) : skip(in, contentLength);
        return new RawUpstreamRequest(parts[0], parts[1], body, close);
    }

    private static long skipChunked(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = line(in, false);
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!line(in, false).isEmpty()) {
                    // trailer fields are read and ignored
                }
                return total;
            }
            total += skip(in, size);
            line(in, false);
        }
    }

    private static long skip(InputStream in, long count) throws IOException {
        long copied = new LimitedInput(in, count).transferTo(OutputStream.nullOutputStream());
        if (copied != count) {
            throw new EOFException("body ended after " + copied + " of " + count + " bytes");
        }
        return count;
    }

    /** A line without its CRLF; null at the end of the stream only if {@code endAllowed} and no byte came. */
    private static String line(InputStream in, boolean endAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (endAllowed && line.isEmpty()) {
                    return null;
                }
                throw new EOFException("connection ended inside a request");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    /** At most {@code left} bytes of the stream underneath, which stays open. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b != -1) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
