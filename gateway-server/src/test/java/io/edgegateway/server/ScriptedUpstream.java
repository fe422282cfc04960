package io.edgegateway.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream instance on a real loopback socket whose behaviour a test sets, and changes while it
 * runs: answer with a status, answer nothing, or drop the connection once the request body is in;
 * its {@code /health} path answers a status of its own. It fails in ways {@link
 * io.edgegateway.loadtest.upstream.MockUpstream} cannot (whatever the query), and counts what
 * reached it. One blocking thread per connection: it is a test's server, not a fast one.
 */
final class ScriptedUpstream implements AutoCloseable {

    static final String HEALTH_PATH = "/health";

    private enum Behaviour { ANSWER, SILENT, DROP_AFTER_BODY }

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "scripted-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger bodies = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile Behaviour behaviour = Behaviour.ANSWER;
    private volatile int status = 200;
    private volatile int healthStatus = 200;

    private ScriptedUpstream(String name, ServerSocket server) {
        this.name = name;
        this.server = server;
    }

    /** Listens on a free loopback port, answering 200 (and 200 on {@code /health}) until told otherwise. */
    static ScriptedUpstream start(String name) throws IOException {
        ScriptedUpstream upstream = new ScriptedUpstream(name, new ServerSocket(0, 256, InetAddress.getLoopbackAddress()));
        upstream.threads.execute(upstream::accept);
        return upstream;
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, the {@code upstream} label of the gateway's metrics. */
    String label() {
        return "127.0.0.1:" + port();
    }

    /** The body of every answer other than a health check's. */
    String body() {
        return "{\"from\":\"" + name + "\"}";
    }

    /** From now on, requests are answered {@code code} with {@link #body()}. */
    ScriptedUpstream answer(int code) {
        status = code;
        behaviour = Behaviour.ANSWER;
        return this;
    }

    /** From now on, requests are read and never answered; the connection stays open until the gateway closes it. */
    ScriptedUpstream silent() {
        behaviour = Behaviour.SILENT;
        return this;
    }

    /** From now on, each request is read whole, body included, and its connection closed without an answer. */
    ScriptedUpstream dropAfterBody() {
        behaviour = Behaviour.DROP_AFTER_BODY;
        return this;
    }

    /** From now on, {@code GET /health} is answered {@code code}. */
    ScriptedUpstream health(int code) {
        healthStatus = code;
        return this;
    }

    /** Requests received, health checks left out. */
    int requests() {
        return requests.get();
    }

    /** Requests received with at least one body byte. */
    int bodies() {
        return bodies.get();
    }

    int healthChecks() {
        return healthChecks.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                return;
            }
            connections.add(socket);
            try {
                threads.execute(() -> serve(socket));
            } catch (RejectedExecutionException closing) {
                closeQuietly(socket);
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (RawUpstreamRequest request = RawUpstreamRequest.read(in); request != null; request = RawUpstreamRequest.read(in)) {
                if (request.path().startsWith(HEALTH_PATH)) {
                    healthChecks.incrementAndGet();
                    out.write(response(healthStatus, "{\"health\":" + healthStatus + "}", true));
                    out.flush();
                    return;
                }
                requests.incrementAndGet();
                if (request.bodyBytes() > 0) {
                    bodies.incrementAndGet();
                }
                switch (behaviour) {
                    case SILENT -> {
                        in.transferTo(OutputStream.nullOutputStream());
                        return;
                    }
                    case DROP_AFTER_BODY -> {
                        return;
                    }
                    case ANSWER -> {
                        out.write(response(status, body(), request.close()));
                        out.flush();
                        if (request.close()) {
                            return;
                        }
                    }
                }
            }
        } catch (IOException gone) {
            // the gateway closed or reset the connection
        } finally {
            connections.remove(socket);
        }
    }

    private byte[] response(int code, String body, boolean close) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + (code == 200 ? "OK" : code == 503 ? "Service Unavailable" : "Status")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                + "\r\nX-Upstream: " + name + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(content, 0, whole, headBytes.length, content.length);
        return whole;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops listening, closes every connection and waits for the threads to end. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(ScriptedUpstream::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ScriptedUpstream[" + name + " at " + label() + "]";
    }
}
