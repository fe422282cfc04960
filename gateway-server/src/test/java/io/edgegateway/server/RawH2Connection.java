package io.edgegateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client that writes exactly the frames a test gives (a 9-byte header and a payload each),
 * with none of a real client's own limits, and reads the gateway's frames on a thread of its own:
 * for floods and protocol errors.
 */
final class RawH2Connection implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;

    static final long PROTOCOL_ERROR = 0x1;
    static final long FLOW_CONTROL_ERROR = 0x3;
    static final long FRAME_SIZE_ERROR = 0x6;
    static final long CANCEL = 0x8;
    static final long ENHANCE_YOUR_CALM = 0xb;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame from the gateway; the headers of a HEADERS frame are decoded. */
    record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xFFL) << 24) | ((payload[at + 1] & 0xFF) << 16) | ((payload[at + 2] & 0xFF) << 8)
                    | (payload[at + 3] & 0xFF);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);

    /** Connects, sends the preface and an empty SETTINGS; frames are read only after {@link #startReading()}. */
    RawH2Connection(int port, int receiveBuffer) throws IOException {
        this(plainSocket(port, receiveBuffer));
    }

    private RawH2Connection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        out.write(PREFACE);
        write(frame(SETTINGS, 0, 0, new byte[0]));
    }

    private static Socket plainSocket(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** h2 over TLS, by ALPN, reading the gateway's frames from the start. */
    static RawH2Connection overTls(int port, SSLContext tls) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new IOException("ALPN did not agree on h2: " + socket.getApplicationProtocol());
        }
        return new RawH2Connection(socket).startReading();
    }

    /** Connects and reads the gateway's frames from the start. */
    static RawH2Connection open(int port) throws IOException {
        return new RawH2Connection(port, 0).startReading();
    }

    RawH2Connection startReading() {
        Thread reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        putInt(frame, 5, stream);
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    static byte[] ping(long data, boolean ack) {
        byte[] payload = new byte[8];
        putInt(payload, 0, (int) (data >>> 32));
        putInt(payload, 4, (int) data);
        return frame(PING, ack ? ACK : 0, 0, payload);
    }

    static byte[] settings(int id, int value) {
        byte[] payload = new byte[6];
        payload[0] = (byte) (id >>> 8);
        payload[1] = (byte) id;
        putInt(payload, 2, value);
        return frame(SETTINGS, 0, 0, payload);
    }

    static byte[] windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, int32(increment));
    }

    static byte[] rst(int stream, long code) {
        return frame(RST_STREAM, 0, stream, int32((int) code));
    }

    static byte[] priority(int stream, int dependency) {
        byte[] payload = new byte[5];
        putInt(payload, 0, dependency);
        payload[4] = 15;
        return frame(PRIORITY, 0, stream, payload);
    }

    static byte[] data(int stream, byte[] body, boolean endStream) {
        return frame(DATA, endStream ? END_STREAM : 0, stream, body);
    }

    /** A complete HEADERS frame for a request; the header list is encoded literally, exactly as given. */
    static byte[] headers(int stream, boolean endStream, String... namesAndValues) {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, headerBlock(namesAndValues));
    }

    /** A GET of {@code path} with the usual pseudo-header fields. */
    static byte[] get(int stream, String path, boolean endStream) {
        return headers(stream, endStream, ":method", "GET", ":scheme", "http", ":path", path, ":authority", "localhost");
    }

    /** HPACK literals without indexing or Huffman coding: no validation of any kind on the way. */
    static byte[] headerBlock(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.write(0);
            hpackString(block, namesAndValues[i]);
            hpackString(block, namesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    private static void hpackString(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    static byte[] repeat(byte[] frame, int times) {
        byte[] all = new byte[frame.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(frame, 0, all, i * frame.length, frame.length);
        }
        return all;
    }

    static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    private static byte[] int32(int value) {
        byte[] bytes = new byte[4];
        putInt(bytes, 0, value);
        return bytes;
    }

    private static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Writes {@code bytes} again and again until the gateway sends GOAWAY or closes the connection
     * (a write fails), or {@code maxTimes} writes went out; returns how many did.
     */
    int writeUntilClosed(byte[] bytes, int maxTimes) {
        for (int i = 0; i < maxTimes; i++) {
            if (goAway.isDone() || closed.isDone()) {
                return i;
            }
            try {
                write(bytes);
            } catch (IOException closedByGateway) {
                return i;
            }
        }
        return maxTimes;
    }

    /** Completes with the error code of the first GOAWAY the gateway sent. */
    CompletableFuture<Long> goAway() {
        return goAway;
    }

    /** Completes when the gateway closed the connection (end of stream or reset). */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** How many frames of {@code type} with all of {@code flags} the gateway sent. */
    long count(int type, int flags) {
        return received.stream().filter(f -> f.type() == type && (f.flags() & flags) == flags).count();
    }

    /** The frames the gateway sent on {@code stream}. */
    List<Frame> onStream(int stream) {
        return received.stream().filter(f -> f.stream() == stream).toList();
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            while (true) {
                in.readFully(header);
                int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
                int type = header[3] & 0xFF;
                int flags = header[4] & 0xFF;
                int stream = (((header[5] & 0x7F) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8)
                        | (header[8] & 0xFF));
                byte[] payload = new byte[length];
                in.readFully(payload);
                Frame frame = new Frame(type, flags, stream, payload, type == HEADERS ? decode(stream, payload) : null);
                received.add(frame);
                if (type == GOAWAY) {
                    goAway.complete(frame.errorCode());
                }
            }
        } catch (EOFException | java.net.SocketException endOrReset) {
            closed.complete(null);
        } catch (IOException | Http2Exception e) {
            closed.completeExceptionally(e);
        }
    }

    /** The gateway's HEADERS frames are small and complete (END_HEADERS, no padding or priority). */
    private Http2Headers decode(int stream, byte[] block) throws Http2Exception {
        ByteBuf buffer = Unpooled.wrappedBuffer(block);
        try {
            return hpack.decodeHeaders(stream, buffer);
        } finally {
            buffer.release();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
