package io.edgegateway.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final AccessLogFormat format = new AccessLogFormat();

    private String line(long epochMillis, String path, String identity) {
        StringBuilder line = new StringBuilder();
        format.append(line, new AccessLogEntry(epochMillis, "r-1", "users", "GET", path, 200, identity,
                "10.0.0.5:9001", 2, true, "allowed", 1_234_567));
        return line.toString();
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
}
