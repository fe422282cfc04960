package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamRequestParserTest {

    private static UpstreamRequestParser parser(String bytes) {
        return new UpstreamRequestParser(new BufferedInputStream(
                new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1))), () -> 42L);
    }

    @Test
    void readsRequestsOneAfterTheOtherWithEveryBodyFraming() {
        UpstreamRequestParser parser = parser(""
                + "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "\r\n" // an empty line between requests is skipped
                + "PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
                + "GET /c HTTP/1.0\r\n\r\n");
        UpstreamRecord first = parser.next();
        assertEquals("POST", first.method());
        assertEquals("/a", first.target());
        assertEquals("HTTP/1.1", first.version());
        assertEquals(5, first.bodyLength());
        assertEquals("hello", first.bodyPrefix());
        assertEquals(42L, first.receivedAtMillis());
        assertTrue(first.complete());
        assertTrue(first.keepAlive());
        UpstreamRecord second = parser.next();
        assertEquals("/b", second.target());
        assertEquals("abcde", second.bodyPrefix());
        assertTrue(second.complete());
        UpstreamRecord third = parser.next();
        assertEquals("/c", third.target());
        assertFalse(third.keepAlive(), "HTTP/1.0 without keep-alive");
        assertNull(parser.next());
    }

    @Test
    void keepsWhatArrivedAsSent() {
        UpstreamRecord record = parser("GET /caf\u00c3\u00a9/a b HTTP/1.1\nX_Forwarded_For:  1.2.3.4 \nno-colon\n\n").next();
        assertEquals("/caf\u00c3\u00a9/a b", record.target(), "raw bytes, and a space inside the target");
        assertEquals(List.of(new UpstreamRecord.Header("X_Forwarded_For", "1.2.3.4"), new UpstreamRecord.Header("no-colon", "")),
                record.headers());
        assertEquals("1.2.3.4", record.header("x_forwarded_for").orElseThrow());
        assertTrue(record.complete(), "a bare LF ends a line too");
    }

    @Test
    void marksWhatItCannotFollowAsIncomplete() {
        UpstreamRecord cutBody = parser("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc").next();
        assertFalse(cutBody.complete());
        assertEquals(3, cutBody.bodyLength());
        assertFalse(cutBody.keepAlive());

        UpstreamRecord badChunk = parser("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n").next();
        assertFalse(badChunk.complete());
        UpstreamRecord hugeChunk = parser("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n")
                .next();
        assertFalse(hugeChunk.complete(), "a size over 60 bits is not followed");
        UpstreamRecord noCrlf = parser("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello0\r\n\r\n").next();
        assertFalse(noCrlf.complete());
        assertEquals("hello", noCrlf.bodyPrefix());

        UpstreamRecord cutHead = parser("GET /a HTTP/1.1\r\nHost: x\r\n").next();
        assertFalse(cutHead.complete());
        assertEquals("/a", cutHead.target());
    }

    @Test
    void keepsOnlyTheFirstBodyBytes() {
        String body = "x".repeat(UpstreamRecord.BODY_PREFIX_BYTES + 100);
        UpstreamRecord record = parser("POST /a HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).next();
        assertEquals(body.length(), record.bodyLength());
        assertEquals(UpstreamRecord.BODY_PREFIX_BYTES, record.bodyPrefix().length());
    }

    @Test
    void splitsRequestLinesLikeAnObserver() {
        assertArrayEquals(new String[] {"GET", "/a", "HTTP/1.1"}, UpstreamRequestParser.splitRequestLine("GET /a HTTP/1.1"));
        assertArrayEquals(new String[] {"GET", "/a", ""}, UpstreamRequestParser.splitRequestLine("GET /a"));
        assertArrayEquals(new String[] {"GARBAGE", "", ""}, UpstreamRequestParser.splitRequestLine("GARBAGE"));
    }
}
