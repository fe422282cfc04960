package io.edgegateway.loadtest.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A bare HTTP/1.1 client on one socket, for what java.net.http hides: framing, Connection headers, pipelining. */
final class RawHttpConnection implements AutoCloseable {

    /** A response as read off the wire; header names lower-cased. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000); // a generous bound, so a broken server fails the test instead of hanging it
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends raw request text, CRLFs and all. */
    RawHttpConnection send(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    Response readResponse() throws IOException {
        Response head = readResponseToHeadRequest();
        Map<String, String> headers = head.headers();
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunkedBody();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if (head.status() / 100 == 1 || head.status() == 204 || head.status() == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(head.status(), headers, body);
    }

    /** Reads only a status line and headers, as for an answer to HEAD, which has no body. */
    Response readResponseToHeadRequest() throws IOException {
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(status, headers, new byte[0]);
    }

    /** True once the server has closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    private byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(readLine().trim(), 16); size > 0; size = Integer.parseInt(readLine().trim(), 16)) {
            body.write(in.readNBytes(size));
            readLine();
        }
        readLine();
        return body.toByteArray();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
