package io.edgegateway.server.accesslog;

/** One entry as one line of JSON, keys in a fixed order, absent values as null. */
final class AccessLogFormat {

    private AccessLogFormat() {
    }

    static void append(StringBuilder line, AccessLogEntry entry) {
        line.append("{\"time\":");
        string(line, AccessLog.time(entry.epochMillis()));
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
