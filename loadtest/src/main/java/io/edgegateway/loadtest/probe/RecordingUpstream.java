package io.edgegateway.loadtest.probe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A tiny HTTP/1.1 upstream on raw sockets for the proxy under test to forward to: it records every
 * request (line, headers as sent, body bytes) in memory and, when given a file, as one
 * {@link UpstreamLogLine} per request, and answers each with {@code 200 ok}. A thread per connection:
 * it serves a probe, not load.
 */
public final class RecordingUpstream implements AutoCloseable {

    private static final byte[] OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Writer log;
    private final List<UpstreamRecord> records = new ArrayList<>();
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "recording-upstream-connection");
        thread.setDaemon(true);
        return thread;
    });

    private RecordingUpstream(ServerSocket server, Writer log) {
        this.server = server;
        this.log = log;
    }

    /** Listens on {@code host:port} (0 picks a free port); appends to {@code logFile} when present. */
    public static RecordingUpstream start(String host, int port, Optional<Path> logFile) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
        Writer log = null;
        if (logFile.isPresent()) {
            log = Files.newBufferedWriter(logFile.get(), StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        RecordingUpstream upstream = new RecordingUpstream(server, log);
        Thread acceptor = new Thread(upstream::acceptLoop, "recording-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return upstream;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every request recorded so far, in arrival order. */
    public List<UpstreamRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket: nothing left to do
        }
        connections.shutdownNow();
        synchronized (records) {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            } catch (RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            UpstreamRequestParser parser = new UpstreamRequestParser(
                    new BufferedInputStream(socket.getInputStream()), System::currentTimeMillis);
            OutputStream out = socket.getOutputStream();
            for (UpstreamRecord record = parser.next(); record != null; record = parser.next()) {
                keep(record);
                if (!record.complete()) {
                    return;
                }
                boolean keepAlive = record.keepAlive();
                out.write(OK_HEAD);
                out.write(keepAlive ? "\r\n".getBytes(StandardCharsets.US_ASCII)
                        : "Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (!record.method().equals("HEAD")) {
                    out.write(OK_BODY);
                }
                out.flush();
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the proxy reset or closed the connection: what arrived before is recorded
        }
    }

    private void keep(UpstreamRecord record) throws IOException {
        synchronized (records) {
            records.add(record);
            if (log != null) {
                log.write(UpstreamLogLine.encode(record));
                log.write('\n');
                log.flush();
            }
        }
    }
}
