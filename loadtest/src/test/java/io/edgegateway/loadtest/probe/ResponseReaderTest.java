package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static ResponseReader reader(String text) {
        return new ResponseReader(new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void readsResponsesOfEveryFraming() throws IOException {
        ResponseReader reader = reader(""
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
                + "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nab\r\n0\r\n\r\n"
                + "HTTP/1.0 413 Too Large\r\n\r\nuntil the end");
        assertEquals(100, reader.next().status());
        ResponseReader.Response ok = reader.next();
        assertEquals(200, ok.status());
        assertEquals(3, ok.bodyLength());
        ResponseReader.Response bad = reader.next();
        assertEquals(400, bad.status());
        assertEquals(2, bad.bodyLength());
        assertTrue(bad.says("connection", "close"));
        ResponseReader.Response tooLarge = reader.next();
        assertEquals(413, tooLarge.status());
        assertEquals("until the end".length(), tooLarge.bodyLength());
        assertNull(reader.next());
    }

    @Test
    void tellsACutResponseFromAnEmptyConnection() throws IOException {
        assertNull(reader("").next());
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").next());
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nConte").next());
        assertThrows(IOException.class, () -> reader("SSH-2.0-OpenSSH\r\n").next());
        assertThrows(IOException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").next());
    }
}
