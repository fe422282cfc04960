package io.edgegateway.server.tracing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that sends spans: it takes them from the queue the event loops fill, and POSTs a
 * batch as OTLP/HTTP JSON once it holds {@code batch-size} spans or its first span waited
 * {@code export-interval}. A request that fails (connection refused, {@code export-timeout} passed,
 * a status other than 2xx) is counted and its spans dropped, never retried: while the collector is
 * down or slow the queue fills and the event loops drop spans instead of waiting.
 */
final class SpanExporter {

    private static final System.Logger LOG = System.getLogger(SpanExporter.class.getName());
    /** How long the thread naps when the queue is empty. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Queue<FinishedSpan> queue;
    private final URI endpoint;
    private final int batchSize;
    private final long intervalNanos;
    private final Duration timeout;
    private final OtlpJsonEncoder encoder;
    private final Counter.Child exported;
    private final Counter.Child droppedFailed;
    private final Counter.Child failures;
    private final HttpClient client;
    private final Thread thread;
    private final List<FinishedSpan> batch;
    private volatile boolean closed;
    private boolean failureLogged;

    SpanExporter(Queue<FinishedSpan> queue, URI endpoint, int batchSize, Duration interval, Duration timeout,
            String serviceName, Counter.Child exported, Counter.Child droppedFailed, Counter.Child failures) {
        this.queue = queue;
        this.endpoint = endpoint;
        this.batchSize = batchSize;
        this.intervalNanos = interval.toNanos();
        this.timeout = timeout;
        this.encoder = new OtlpJsonEncoder(serviceName);
        this.exported = exported;
        this.droppedFailed = droppedFailed;
        this.failures = failures;
        this.batch = new ArrayList<>(Math.min(batchSize, 1024));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.thread = new Thread(this::exportLoop, "tracing-export");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void exportLoop() {
        long batchStarted = 0;
        while (true) {
            FinishedSpan span = queue.poll();
            if (span != null) {
                if (batch.isEmpty()) {
                    batchStarted = System.nanoTime();
                }
                batch.add(span);
                if (batch.size() >= batchSize) {
                    export();
                }
            } else if (closed) {
                if (!batch.isEmpty()) {
                    export();
                }
                return;
            } else if (!batch.isEmpty() && System.nanoTime() - batchStarted >= intervalNanos) {
                export();
            } else {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
    }

    private void export() {
        int count = batch.size();
        try {
            byte[] body = encode();
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                exported.inc(count);
                failureLogged = false;
            } else {
                failed(count, "status " + status);
            }
        } catch (IOException e) {
            failed(count, e.toString());
        } catch (InterruptedException e) {
            failed(count, "interrupted");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Never the thread's end: the queue would only fill. Said loudly, counted like any failure.
            LOG.log(System.Logger.Level.ERROR, "span export failed unexpectedly", e);
            failed(count, e.toString());
        } finally {
            batch.clear();
        }
    }

    /** The batch as JSON, in a fresh array: a request given up on a timeout may still be reading the last one. */
    private byte[] encode() {
        ByteBuf json = Unpooled.buffer(256 * batch.size());
        try {
            encoder.encode(json, batch, epochOffsetNanos());
            return ByteBufUtil.getBytes(json);
        } finally {
            json.release();
        }
    }

    /** What turns a {@link System#nanoTime} into nanoseconds since the epoch, taken again for each batch. */
    private static long epochOffsetNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /** Counted every time; logged once until an export succeeds again, so a collector down does not flood the log. */
    private void failed(int spans, String why) {
        failures.inc();
        droppedFailed.inc(spans);
        if (!failureLogged) {
            failureLogged = true;
            LOG.log(System.Logger.Level.WARNING, "span export to " + endpoint + " failed (" + why
                    + "); spans are dropped and counted until it succeeds");
        }
    }

    /** Sends what is queued, waiting at most about one export timeout, then stops the thread. */
    void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
