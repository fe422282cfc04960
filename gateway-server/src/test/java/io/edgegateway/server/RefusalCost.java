package io.edgegateway.server;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one request costs the gateway's event loop when it is served (forwarded to a mock upstream)
 * and when it is refused with 503 {@code overloaded}: the loop thread's CPU time (user and system,
 * from the JVM) divided by the requests it answered, over the same closed-loop drive of keep-alive
 * connections, one request in flight on each (so each request is one read and one write, as at
 * overload). Not a test (surefire runs {@code *Test} only); run by hand, see docs/benchmarks.md:
 *
 * <pre>java -cp gateway-server/target/test-classes:gateway-server/target/classes:$(cat cp.txt) \
 *     io.edgegateway.server.RefusalCost serve|refuse [connections=32] [seconds=10] [warm-up seconds=5]</pre>
 */
public final class RefusalCost {

    private static final byte[] REQUEST = ("GET /cost HTTP/1.1\r\nHost: bench\r\nUser-Agent: refusal-cost\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private RefusalCost() {
    }

    public static void main(String[] args) throws Exception {
        boolean refuse = args.length > 0 && args[0].equals("refuse");
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try (MockUpstream upstream = MockUpstream.builder().recordedRequestsLimit(1).start()) {
            var config = TestGateway.config("routes = [" + TestGateway.route("cost", "/", upstream.port()) + "]");
            GatewayServer server = refuse ? GatewayServer.startRefusingAll(config, 1) : GatewayServer.start(config, 1);
            try {
                long loopThread = server.workers().next().submit(() -> Thread.currentThread().getId()).get();
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                LongAdder answered = new LongAdder();
                LongAdder unexpected = new LongAdder();
                AtomicBoolean running = new AtomicBoolean(true);
                int status = refuse ? 503 : 200;
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    Thread client = new Thread(() -> drive(server.port(), status, running, answered, unexpected));
                    client.setDaemon(true);
                    client.start();
                    clients.add(client);
                }
                TimeUnit.SECONDS.sleep(warmUp);
                long cpu0 = threads.getThreadCpuTime(loopThread);
                long n0 = answered.sum();
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(seconds);
                long cpu1 = threads.getThreadCpuTime(loopThread);
                long n1 = answered.sum();
                long t1 = System.nanoTime();
                running.set(false);
                long n = n1 - n0;
                System.out.printf("%s: %d requests in %.1f s (%.0f req/s), %d not %d; loop CPU %.2f us/request"
                                + " (%.0f%% of the loop thread's wall time)%n",
                        refuse ? "refuse" : "serve", n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9), unexpected.sum(), status, (cpu1 - cpu0) / 1e3 / n, 100.0 * (cpu1 - cpu0) / (t1 - t0));
                for (Thread client : clients) {
                    client.join(5000);
                }
            } finally {
                server.close();
            }
        }
    }

    /** One keep-alive connection, one request in flight, until {@code running} turns false. */
    private static void drive(int port, int status, AtomicBoolean running, LongAdder answered, LongAdder unexpected) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (running.get()) {
                out.write(REQUEST);
                out.flush();
                if (readResponse(in) != status) {
                    unexpected.increment();
                }
                answered.increment();
            }
        } catch (IOException e) {
            if (running.get()) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Reads one response with a Content-Length body; returns its status. */
    static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int tail = 0;
        while (tail != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
            tail = tail << 8 | b;
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
    }
}
