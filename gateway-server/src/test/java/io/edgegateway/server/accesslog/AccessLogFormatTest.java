package io.edgegateway.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.IdentityInLog;
import io.edgegateway.filters.identity.BoundedIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final AccessLogFormat format = new AccessLogFormat(IdentityInLog.PLAIN, Optional.empty());

    private String line(long epochMillis, String path, String identity) {
        return line(new AccessLogEntry(epochMillis, "r-1", "users", "GET", path, 200, identity,
                "10.0.0.5:9001", 2, true, "allowed", 1_234_567, List.of("10.0.0.4:9001", "10.0.0.5:9001")));
    }

    private String line(AccessLogEntry entry) {
        ByteBuf line = Unpooled.buffer(16);
        try {
            format.append(line, entry);
            return line.toString(StandardCharsets.UTF_8);
        } finally {
            line.release();
        }
    }

    @Test
    void writesEveryFieldInOrderOnOneLine() {
        assertThat(line(0, "/api/users/7", "alice")).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\",\"request_id\":\"r-1\",\"trace_id\":null,"
                + "\"route\":\"users\",\"method\":\"GET\",\"path\":\"/api/users/7\",\"status\":200,\"identity\":\"alice\","
                + "\"upstream\":\"10.0.0.5:9001\",\"attempts\":2,\"upstreams\":[\"10.0.0.4:9001\",\"10.0.0.5:9001\"],\"hedged\":true,\"limiter\":\"allowed\",\"duration_ms\":1.235}\n");
    }

    @Test
    void aGrpcCallsStatusFollowsTheHttpStatusAndOtherRequestsHaveNone() {
        String grpc = line(new AccessLogEntry(0, "r", "x", "POST", "/a.B/C", 200, null, null, 1, false, null, 1, List.of(),
                0, 0, 14));
        String plain = line(new AccessLogEntry(0, "r", "x", "GET", "/", 200, null, null, 1, false, null, 1, List.of()));

        assertThat(grpc).contains("\"status\":200,\"grpc_status\":14,\"identity\"");
        assertThat(plain).doesNotContain("grpc_status");
    }

    @Test
    void writesTheTraceIdAs32LowerCaseHexDigits() {
        String traced = line(new AccessLogEntry(0, "r", "x", "GET", "/", 200, null, null, 1, false, null, 1, List.of(),
                0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, -1));
        String smallHigh = line(new AccessLogEntry(0, "r", "x", "GET", "/", 200, null, null, 1, false, null, 1, List.of(),
                0, 0xfL, -1));

        assertThat(traced).contains("\"request_id\":\"r\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"route\"");
        assertThat(smallHigh).contains("\"trace_id\":\"0000000000000000000000000000000f\"");
    }

    @Test
    void timesMatchInstantsAcrossSeconds() {
        for (long millis : new long[] {1_700_000_000_000L, 1_700_000_000_999L, 1_700_000_001_042L, 1_700_000_060_007L}) {
            assertThat(line(millis, "/", null)).contains("\"time\":\"" + MILLIS_UTC.format(Instant.ofEpochMilli(millis)) + "\"");
        }
    }

    @Test
    void dropsTheQueryAndEscapesWhatCouldBreakTheLine() {
        String line = line(0, "/a\"b\\c\n?token=secret", "eve\u0001");

        assertThat(line).contains("\"path\":\"/a\\\"b\\\\c\\n\"", "\"identity\":\"eve\\u0001\"").doesNotContain("secret");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    }

    @Test
    void writesNonAsciiAsUtf8() {
        assertThat(line(0, "/caf\u00e9/\ud83d\ude00", "\u00fcser\"1")).contains("\"path\":\"/caf\u00e9/\ud83d\ude00\"",
                "\"identity\":\"\u00fcser\\\"1\"");
    }

    @Test
    void writesDurationsAsMillisecondsWithoutTrailingZeros() {
        Map<Long, String> texts = Map.of(3_000_000L, "3", 12_500_000L, "12.5", 1_230_000L, "1.23", 1_234_567L, "1.235",
                499L, "0", 86_400_000_000_000L, "86400000");
        texts.forEach((nanos, text) -> assertThat(line(new AccessLogEntry(0, "r", "x", "GET", "/", 200, null, null, 1, false, null, nanos, List.of())))
                .as("%d ns", nanos).contains("\"duration_ms\":" + text + "}"));
    }

    @Test
    void keepsAnUnknownMethodButCutsItAtItsBound() {
        String brew = line(new AccessLogEntry(0, "r", "x", "BREW", "/", 200, null, null, 1, false, null, 1, List.of()));
        String huge = line(new AccessLogEntry(0, "r", "x", "M".repeat(5000), "/", 200, null, null, 1, false, null, 1, List.of()));

        assertThat(brew).contains("\"method\":\"BREW\"");
        assertThat(huge).contains("\"method\":\"" + "M".repeat(AccessLogFormat.MAX_METHOD_CHARS) + "\",");
    }

    @Test
    void hashesIdentitiesByDefaultAsTheFirst16HexDigitsOfTheirSha256() {
        AccessLogFormat hashing = new AccessLogFormat(IdentityInLog.HASH, Optional.empty());

        // printf %s alice | sha256sum
        assertThat(line(hashing, "alice")).contains("\"identity\":\"2bd806c97f0e00af\",").doesNotContain("alice");
        assertThat(line(hashing, "\u00fcser")).contains("\"identity\":\"7350626077098446\",");
        assertThat(line(hashing, null)).contains("\"identity\":null,");
        assertThat(line(hashing, "alice")).isEqualTo(line(hashing, "alice"));
    }

    @Test
    void aLongIdentityHeldAsItsDigestGetsTheDigitsOfTheIdentityItself() {
        AccessLogFormat hashing = new AccessLogFormat(IdentityInLog.HASH, Optional.empty());
        String held = BoundedIdentity.of("k".repeat(200));

        // printf %s "$(printf 'k%.0s' $(seq 200))" | sha256sum | cut -c1-16
        assertThat(line(hashing, held)).contains("\"identity\":\"6de3c28869103736\",");
        assertThat(line(new AccessLogFormat(IdentityInLog.PLAIN, Optional.empty()), held)).contains("\"identity\":\"" + held + "\"");
    }

    @Test
    void withASaltHashesWithHmacSha256() {
        AccessLogFormat salted = new AccessLogFormat(IdentityInLog.HASH, Optional.of("pepper"));

        assertThat(line(salted, "alice")).contains("\"identity\":\"f2f95d059a71b4aa\",");
    }

    @Test
    void hashesTheSameIntoADirectBuffer() {
        AccessLogFormat hashing = new AccessLogFormat(IdentityInLog.HASH, Optional.empty());
        ByteBuf direct = Unpooled.directBuffer(16);
        try {
            hashing.append(direct, entry("alice"));
            assertThat(direct.toString(StandardCharsets.UTF_8)).isEqualTo(line(hashing, "alice"));
        } finally {
            direct.release();
        }
    }

    @Test
    void redactsOrWritesThePlainIdentityAsConfigured() {
        AccessLogFormat redacting = new AccessLogFormat(IdentityInLog.REDACT, Optional.empty());

        assertThat(line(redacting, "alice")).contains("\"identity\":\"redacted\",").doesNotContain("alice");
        assertThat(line(redacting, null)).contains("\"identity\":null,");
        assertThat(line(format, "alice")).contains("\"identity\":\"alice\",");
    }

    private static AccessLogEntry entry(String identity) {
        return new AccessLogEntry(0, "r-1", "users", "GET", "/", 200, identity, null, 1, false, "allowed", 1_000, List.of());
    }

    private static String line(AccessLogFormat format, String identity) {
        ByteBuf line = Unpooled.buffer(16);
        try {
            format.append(line, entry(identity));
            return line.toString(StandardCharsets.UTF_8);
        } finally {
            line.release();
        }
    }
}
