package io.edgegateway.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client connection that writes exactly the bytes a test gives and parses responses by hand,
 * so tests can send what well-behaved clients never would.
 */
final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawHttpConnection send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /**
     * Writes {@code raw} one byte per segment (Nagle off, a flush after each), so the server may see
     * it split at any byte; stops at the first write the server's closing refuses. True when every
     * byte was written.
     */
    boolean sendByteByByte(String raw) throws IOException {
        socket.setTcpNoDelay(true);
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        try {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
            }
            return true;
        } catch (IOException closedByServer) {
            return false;
        }
    }

    OutputStream output() {
        return out;
    }

    InputStream input() {
        return in;
    }

    /** Reads one response, with its whole body; for a response to HEAD pass {@code head}. */
    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response head, a 1xx one too (the 101 before a tunnel), and nothing behind it. */
    Response readHeadOnly() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, List<String>> headers = new TreeMap<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new byte[0]);
    }

    Response read(boolean head) throws IOException {
        Response start = readHeadOnly();
        Map<String, List<String>> headers = start.headers();
        int status = start.status();
        if (status >= 100 && status < 200) {
            return read(head);
        }
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else if (headers.containsKey("transfer-encoding")) {
            body = chunkedBody();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                String trailer;
                while ((trailer = line()) != null && !trailer.isEmpty()) {
                    // trailers are not needed by any test
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line();
        }
    }

    /** Reads whatever else arrives until the server closes the connection; true when it did. */
    boolean readUntilClosedByServer() {
        try {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) != -1) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = bytes.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
