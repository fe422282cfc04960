package io.edgegateway.server.accesslog;

import io.edgegateway.config.AccessLogConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log: event loops hand entries to a bounded lock-free queue (Netty's multi-producer,
 * single-consumer one) and never wait; one writer thread formats them as JSON lines into one byte
 * buffer and writes it out whenever the queue runs dry or the buffer passes 64 KiB. A full queue
 * drops the entry and counts it in {@code gateway_access_log_dropped_total}, so a slow disk costs
 * lines, not latency.
 */
public final class AccessLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());
    private static final AccessLog OFF = new AccessLog();

    /** How long the writer naps when the queue is empty. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Buffered bytes that make the writer write before the queue is drained. */
    private static final int WRITE_AT = 64 * 1024;

    private final Queue<AccessLogEntry> queue;
    private final Counter.Child dropped;
    private final OutputStream out;
    private final Thread writer;
    /** Made here, used by the writer thread only from its start on. */
    private final AccessLogFormat format;
    private volatile boolean closed;

    private AccessLog() {
        this.queue = null;
        this.dropped = null;
        this.out = null;
        this.writer = null;
        this.format = null;
    }

    private AccessLog(AccessLogConfig config, Counter dropped) throws IOException {
        this.queue = PlatformDependent.newFixedMpscQueue(config.queueSize());
        this.format = new AccessLogFormat(config.identity(), config.identitySalt());
        this.dropped = dropped.labels();
        this.out = AccessLogConfig.STDOUT.equals(config.path())
                ? System.out
                : Files.newOutputStream(Path.of(config.path()),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        this.writer = new Thread(this::writeLoop, "access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The log {@code config} asks for; one that writes nothing when it is disabled. */
    public static AccessLog open(AccessLogConfig config, Counter dropped) throws IOException {
        return config.enabled() ? new AccessLog(config, dropped) : OFF;
    }

    public boolean enabled() {
        return queue != null;
    }

    /** Hands {@code entry} to the writer, or drops and counts it when the queue is full. */
    public void log(AccessLogEntry entry) {
        if (queue != null && !queue.offer(entry)) {
            dropped.inc();
        }
    }

    private void writeLoop() {
        ByteBuf lines = Unpooled.buffer(2 * WRITE_AT);
        try {
            while (!closed || !queue.isEmpty()) {
                AccessLogEntry entry = queue.poll();
                if (entry == null) {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                do {
                    format.append(lines, entry);
                    if (lines.readableBytes() >= WRITE_AT) {
                        write(lines);
                    }
                    entry = queue.poll();
                } while (entry != null);
                write(lines);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "access log writer stopped", e);
        } finally {
            lines.release();
        }
    }

    private void write(ByteBuf lines) throws IOException {
        lines.readBytes(out, lines.readableBytes());
        lines.clear();
        out.flush();
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        if (queue == null) {
            return;
        }
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
            if (out != System.out) {
                out.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "access log close failed", e);
        }
    }
}
