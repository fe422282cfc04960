package io.edgegateway.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final AccessLogFormat format = new AccessLogFormat();

    private String line(long epochMillis, String path, String identity) {
        return line(new AccessLogEntry(epochMillis, "r-1", "users", "GET", path, 200, identity,
                "10.0.0.5:9001", 2, true, "allowed", 1_234_567));
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
        assertThat(line(0, "/api/users/7", "alice")).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\",\"request_id\":\"r-1\","
                + "\"route\":\"users\",\"method\":\"GET\",\"path\":\"/api/users/7\",\"status\":200,\"identity\":\"alice\","
                + "\"upstream\":\"10.0.0.5:9001\",\"attempts\":2,\"hedged\":true,\"limiter\":\"allowed\",\"duration_ms\":1.235}\n");
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
        texts.forEach((nanos, text) -> assertThat(line(new AccessLogEntry(0, "r", "x", "GET", "/", 200, null, null, 1, false, null, nanos)))
                .as("%d ns", nanos).contains("\"duration_ms\":" + text + "}"));
    }

    @Test
    void keepsAnUnknownMethodButCutsItAtItsBound() {
        String brew = line(new AccessLogEntry(0, "r", "x", "BREW", "/", 200, null, null, 1, false, null, 1));
        String huge = line(new AccessLogEntry(0, "r", "x", "M".repeat(5000), "/", 200, null, null, 1, false, null, 1));

        assertThat(brew).contains("\"method\":\"BREW\"");
        assertThat(huge).contains("\"method\":\"" + "M".repeat(AccessLogFormat.MAX_METHOD_CHARS) + "\",");
    }
}
