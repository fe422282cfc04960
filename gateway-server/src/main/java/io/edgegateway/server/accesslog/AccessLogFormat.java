package io.edgegateway.server.accesslog;

import io.edgegateway.config.IdentityInLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * One entry as one line of JSON in UTF-8, keys in a fixed order, absent values as null, written
 * straight into the writer's byte buffer: no intermediate string, no charset encoder. Used by the
 * writer thread only: it keeps the formatted second of the last entry, so a timestamp costs a few
 * bytes copied. The identity is written as {@code access-log.identity} says: hashed here, on the
 * writer thread, so the event loops never pay for it.
 */
final class AccessLogFormat {

    static final String REDACTED = "\"redacted\"";

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Methods are client-chosen tokens as long as the request line allows; longer ones are cut here. */
    static final int MAX_METHOD_CHARS = 32;

    private final IdentityInLog identityMode;
    private final IdentityDigest identityDigest;
    private long second = Long.MIN_VALUE;
    private final byte[] secondText = new byte[19];

    /** @param identitySalt the HMAC key for {@link IdentityInLog#HASH}, or empty for plain SHA-256 */
    AccessLogFormat(IdentityInLog identityMode, Optional<String> identitySalt) {
        this.identityMode = identityMode;
        this.identityDigest = identityMode == IdentityInLog.HASH ? new IdentityDigest(identitySalt) : null;
    }

    void append(ByteBuf line, AccessLogEntry entry) {
        ascii(line, "{\"time\":\"");
        time(line, entry.epochMillis());
        ascii(line, "\",\"request_id\":");
        string(line, entry.requestId(), -1);
        ascii(line, ",\"trace_id\":");
        traceId(line, entry);
        ascii(line, ",\"route\":");
        string(line, entry.route(), -1);
        ascii(line, ",\"method\":");
        // The real method, even one outside the standard set, but no longer than a method needs to be.
        String method = entry.method();
        string(line, method, method == null ? -1 : Math.min(method.length(), MAX_METHOD_CHARS));
        ascii(line, ",\"path\":");
        // The path alone: a query string may carry tokens that do not belong in a log.
        String target = entry.path();
        string(line, target, target == null ? -1 : target.indexOf('?'));
        ascii(line, ",\"status\":");
        digits(line, entry.status());
        if (entry.grpcStatus() >= 0) {
            ascii(line, ",\"grpc_status\":");
            digits(line, entry.grpcStatus());
        }
        ascii(line, ",\"identity\":");
        identity(line, entry.identity());
        ascii(line, ",\"upstream\":");
        string(line, entry.upstream(), -1);
        ascii(line, ",\"attempts\":");
        digits(line, entry.attempts());
        ascii(line, ",\"upstreams\":[");
        List<String> tried = entry.upstreams();
        for (int i = 0; i < tried.size(); i++) {
            if (i > 0) {
                ascii(line, ",");
            }
            string(line, tried.get(i), -1);
        }
        ascii(line, "]");
        ascii(line, entry.hedged() ? ",\"hedged\":true" : ",\"hedged\":false");
        ascii(line, ",\"limiter\":");
        string(line, entry.limiter(), -1);
        ascii(line, ",\"duration_ms\":");
        milliseconds(line, entry.durationNanos());
        ascii(line, "}\n");
    }

    private void identity(ByteBuf line, String identity) {
        if (identity == null || identityMode == IdentityInLog.PLAIN) {
            string(line, identity, -1);
        } else if (identityMode == IdentityInLog.REDACT) {
            ascii(line, REDACTED);
        } else {
            identityDigest.append(line, identity);
        }
    }

    /** The W3C trace id as 32 lower-case hex digits, or null without tracing. */
    private static void traceId(ByteBuf line, AccessLogEntry entry) {
        if (!entry.traced()) {
            ascii(line, "null");
            return;
        }
        line.writeByte('"');
        hex16(line, entry.traceIdHigh());
        hex16(line, entry.traceIdLow());
        line.writeByte('"');
    }

    private static void hex16(ByteBuf line, long value) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            line.writeByte(HEX[(int) (value >>> shift) & 0xf]);
        }
    }

    /** ISO-8601 in UTC with milliseconds, e.g. 2026-11-23T18:20:01.042Z. */
    private void time(ByteBuf line, long epochMillis) {
        long entrySecond = Math.floorDiv(epochMillis, 1000);
        if (entrySecond != second) {
            second = entrySecond;
            String text = LocalDateTime.ofEpochSecond(entrySecond, 0, ZoneOffset.UTC).toString();
            if (text.length() == 16) {
                text += ":00"; // LocalDateTime leaves out zero seconds
            }
            text.getBytes(0, secondText.length, secondText, 0);
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        line.writeBytes(secondText).writeByte('.')
                .writeByte('0' + millis / 100).writeByte('0' + millis / 10 % 10).writeByte('0' + millis % 10)
                .writeByte('Z');
    }

    /** Milliseconds with up to three decimals, trailing zeros dropped: 1.235, 12.5, 3. */
    private static void milliseconds(ByteBuf line, long nanos) {
        long micros = (nanos + 500) / 1000;
        digits(line, micros / 1000);
        int fraction = (int) (micros % 1000);
        if (fraction == 0) {
            return;
        }
        line.writeByte('.').writeByte('0' + fraction / 100);
        if (fraction % 100 != 0) {
            line.writeByte('0' + fraction / 10 % 10);
            if (fraction % 10 != 0) {
                line.writeByte('0' + fraction % 10);
            }
        }
    }

    private static void digits(ByteBuf line, long value) {
        if (value < 0) {
            line.writeByte('-');
            value = -value;
        }
        long scale = 1;
        while (scale <= value / 10) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            line.writeByte((int) ('0' + value / scale % 10));
        }
    }

    /**
     * {@code value} up to {@code end} (all of it when negative) as a JSON string: runs of plain
     * characters go through Netty's UTF-8 writer in one call, and only what could break the line
     * is escaped.
     */
    private static void string(ByteBuf line, String value, int end) {
        if (value == null) {
            ascii(line, "null");
            return;
        }
        int length = end < 0 ? value.length() : end;
        line.writeByte('"');
        int run = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (run < i) {
                ByteBufUtil.writeUtf8(line, value, run, i);
            }
            run = i + 1;
            line.writeByte('\\');
            switch (c) {
                case '"', '\\' -> line.writeByte(c);
                case '\n' -> line.writeByte('n');
                case '\r' -> line.writeByte('r');
                case '\t' -> line.writeByte('t');
                default -> line.writeByte('u').writeByte('0').writeByte('0').writeByte(HEX[c >> 4]).writeByte(HEX[c & 0xf]);
            }
        }
        if (run < length) {
            ByteBufUtil.writeUtf8(line, value, run, length);
        }
        line.writeByte('"');
    }

    private static void ascii(ByteBuf line, String text) {
        ByteBufUtil.writeAscii(line, text);
    }
}
