package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamLogLineTest {

    private static final UpstreamRecord ODD = new UpstreamRecord(1234L, "M%T", "/a b\u0000c\u00c3\u00a9=%", "",
            List.of(new UpstreamRecord.Header("X_Under", ""), new UpstreamRecord.Header("Host", "a b")),
            7, "ab\r\ncd%", false);

    @Test
    void roundTripsEveryByte() {
        String line = UpstreamLogLine.encode(ODD);
        assertFalse(line.contains("\n") || line.contains("\u0000") || line.contains("  "), line);
        assertTrue(line.chars().allMatch(c -> c >= ' ' && c < 0x7f), line);
        assertEquals(ODD, UpstreamLogLine.decode(line));
    }

    @Test
    void refusesLinesItDidNotWrite() {
        assertThrows(IllegalArgumentException.class, () -> UpstreamLogLine.decode("hello"));
        String cut = UpstreamLogLine.encode(ODD);
        assertThrows(IllegalArgumentException.class, () -> UpstreamLogLine.decode(cut.substring(0, cut.length() - 6)));
    }

    @Test
    void aLogFileSkipsAPartialLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("upstream.log");
        String line = UpstreamLogLine.encode(ODD);
        Files.writeString(file, line + "\n" + line.substring(0, 20));
        assertEquals(List.of(ODD), UpstreamLogFile.read(file));
    }
}
