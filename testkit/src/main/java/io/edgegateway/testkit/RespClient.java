package io.edgegateway.testkit;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking Redis client of a few dozen lines, so tests can look inside a server (TTL, MEMORY
 * USAGE, SCRIPT FLUSH, INFO) without the client under test.
 *
 * <p>Replies come back as {@code String} (simple and bulk strings), {@code Long}, {@code List}
 * or {@code null}; an error reply throws {@link RespError}.
 */
public final class RespClient implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RespClient connect(int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new RespClient(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    /** One command, e.g. {@code call("MEMORY", "USAGE", key)}. */
    public Object call(String... args) {
        StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        try {
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply();
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + args[0], e);
        }
    }

    /** A reply expected to be a string, such as INFO's. */
    public String text(String... args) {
        return String.valueOf(call(args));
    }

    private Object readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readReply());
                }
                return items;
            }
            case -1:
                throw new EOFException("connection closed");
            default:
                throw new IOException("unexpected reply type '" + (char) type + "'" + line);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An error reply, such as {@code NOSCRIPT ...} or {@code LOADING ...}. */
    public static final class RespError extends RuntimeException {
        public RespError(String message) {
            super(message);
        }
    }
}
