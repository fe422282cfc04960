package io.edgegateway.server.accesslog;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One entry as one line of JSON, keys in a fixed order, absent values as null. Used by the writer
 * thread only: it keeps the formatted second of the last entry, so a timestamp costs a few appends.
 */
final class AccessLogFormat {

    private long second = Long.MIN_VALUE;
    private String secondText = "";

    void append(StringBuilder line, AccessLogEntry entry) {
        line.append("{\"time\":\"");
        time(line, entry.epochMillis());
        line.append('"');
        line.append(",\"request_id\":");
        string(line, entry.requestId());
        line.append(",\"route\":");
        string(line, entry.route());
        line.append(",\"method\":");
        string(line, entry.method());
        line.append(",\"path\":");
        // The path alone: a query string may carry tokens that do not belong in a log.
        String target = entry.path();
        int query = target == null ? -1 : target.indexOf('?');
        string(line, query < 0 ? target : target.substring(0, query));
        line.append(",\"status\":").append(entry.status());
        line.append(",\"identity\":");
        string(line, entry.identity());
        line.append(",\"upstream\":");
        string(line, entry.upstream());
        line.append(",\"attempts\":").append(entry.attempts());
        line.append(",\"hedged\":").append(entry.hedged());
        line.append(",\"limiter\":");
        string(line, entry.limiter());
        line.append(",\"duration_ms\":").append(Math.round(entry.durationNanos() / 1000.0) / 1000.0);
        line.append("}\n");
    }

    /** ISO-8601 in UTC with milliseconds, e.g. 2026-11-23T18:20:01.042Z. */
    private void time(StringBuilder line, long epochMillis) {
        long entrySecond = Math.floorDiv(epochMillis, 1000);
        if (entrySecond != second) {
            second = entrySecond;
            secondText = LocalDateTime.ofEpochSecond(entrySecond, 0, ZoneOffset.UTC).toString();
            if (secondText.length() == 16) {
                secondText += ":00"; // LocalDateTime leaves out zero seconds
            }
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        line.append(secondText).append('.')
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10))
                .append('Z');
    }

    private static void string(StringBuilder line, String value) {
        if (value == null) {
            line.append("null");
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
