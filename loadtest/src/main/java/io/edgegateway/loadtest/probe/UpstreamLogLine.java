package io.edgegateway.loadtest.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The recording upstream's log: one line per {@link UpstreamRecord}, fields separated by a space,
 * each field {@code =} followed by its bytes with everything outside {@code !}..{@code ~}, and
 * {@code %} itself, written as {@code %XX}. A probe in another process reads what was recorded.
 */
final class UpstreamLogLine {

    private static final String TAG = "rec";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UpstreamLogLine() {
    }

    static String encode(UpstreamRecord record) {
        StringBuilder line = new StringBuilder(TAG);
        field(line, Long.toString(record.receivedAtMillis()));
        field(line, record.complete() ? "1" : "0");
        field(line, Long.toString(record.bodyLength()));
        field(line, record.method());
        field(line, record.target());
        field(line, record.version());
        field(line, record.bodyPrefix());
        field(line, Integer.toString(record.headers().size()));
        for (UpstreamRecord.Header header : record.headers()) {
            field(line, header.name());
            field(line, header.value());
        }
        return line.toString();
    }

    /** @throws IllegalArgumentException for a line this class did not write */
    static UpstreamRecord decode(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length < 9 || !parts[0].equals(TAG)) {
            throw new IllegalArgumentException("not a recording-upstream log line: " + line);
        }
        String[] fields = new String[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            fields[i - 1] = unescape(parts[i]);
        }
        int headerCount = Integer.parseInt(fields[7]);
        if (fields.length != 8 + 2 * headerCount) {
            throw new IllegalArgumentException("header count " + headerCount + " does not match: " + line);
        }
        List<UpstreamRecord.Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            headers.add(new UpstreamRecord.Header(fields[8 + 2 * i], fields[9 + 2 * i]));
        }
        return new UpstreamRecord(Long.parseLong(fields[0]), fields[3], fields[4], fields[5], headers,
                Long.parseLong(fields[2]), fields[6], fields[1].equals("1"));
    }

    private static void field(StringBuilder line, String value) {
        line.append(" =");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > ' ' && c < 0x7f && c != '%') {
                line.append(c);
            } else {
                int b = c & 0xff;
                line.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
    }

    private static String unescape(String field) {
        if (!field.startsWith("=")) {
            throw new IllegalArgumentException("field without '=': " + field);
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 1; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%') {
                if (i + 2 >= field.length()) {
                    throw new IllegalArgumentException("cut escape in field: " + field);
                }
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
