package io.edgegateway.loadtest.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/2 connection by prior knowledge: the preface and an empty SETTINGS, then a plan's frames
 * written as fast as the socket takes them while a reader thread notes what comes back (GOAWAY and
 * its code, RST_STREAM, response HEADERS, the end of the connection) and at how many frames sent.
 * The reader reads all along, so this tests a target's inbound limits, not its outbound queues.
 */
final class H2Session {

    /** The frames a probe sends after the connection preface. */
    interface FramePlan {
        int count();

        byte[] frame(int index);
    }

    private static final int BATCH = 128;

    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong framesSent = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch streamOneDone = new CountDownLatch(1);
    private final List<Integer> statuses = new ArrayList<>();
    private final Map<String, Integer> resets = new TreeMap<>();
    private volatile String goaway;
    private volatile long goawayAtFrame = -1;
    private volatile String end;
    private volatile long endAtFrame = -1;
    private volatile long pingAcks;

    private H2Session(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /**
     * Runs {@code plan} on a new connection to the target's HTTP/2 port.
     *
     * @param oneRequest the plan is a single request on stream 1: wait for its answer, not only the end
     */
    static ClientOutcome run(ProbeTarget target, FramePlan plan, boolean oneRequest)
            throws IOException, InterruptedException {
        try (Socket socket = target.connect(target.h2Port())) {
            socket.setSoTimeout(0); // the reader ends when the probe closes the socket
            H2Session session = new H2Session(socket);
            Thread reader = new Thread(session::readLoop, "probe-h2-reader");
            reader.setDaemon(true);
            reader.start();
            String writeFailure = session.writeAll(plan);
            long wait = target.timeout().toMillis();
            if (oneRequest) {
                session.streamOneDone.await(wait, TimeUnit.MILLISECONDS);
            } else {
                session.ended.await(Math.min(wait, 2_000), TimeUnit.MILLISECONDS);
            }
            socket.close();
            reader.join(2_000);
            return session.outcome(plan.count(), writeFailure);
        }
    }

    private String writeAll(FramePlan plan) {
        try {
            send(H2Frames.PREFACE);
            send(H2Frames.settings());
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int inBatch = 0;
            for (int i = 0; i < plan.count() && goaway == null && end == null; i++) {
                batch.write(plan.frame(i));
                if (++inBatch == BATCH || i == plan.count() - 1) {
                    framesSent.addAndGet(inBatch); // counted before the write: an answer can come before it returns
                    send(batch.toByteArray());
                    batch.reset();
                    inBatch = 0;
                }
            }
            return null;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return message.contains("reset") ? "reset" : message.contains("pipe") ? "broken pipe" : e.toString();
        }
    }

    private void send(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void readLoop() {
        try {
            H2FrameReader reader = new H2FrameReader(new BufferedInputStream(socket.getInputStream()));
            for (H2FrameReader.Frame frame = reader.next(); frame != null; frame = reader.next()) {
                onFrame(frame);
            }
            finish("closed");
        } catch (SocketTimeoutException e) {
            finish("timeout");
        } catch (SocketException e) {
            finish(socket.isClosed() ? null : "reset");
        } catch (IOException e) {
            finish("unreadable (" + e.getMessage() + ")");
        }
    }

    private void onFrame(H2FrameReader.Frame frame) throws IOException {
        switch (frame.type()) {
            case H2Frames.SETTINGS -> {
                if ((frame.flags() & H2Frames.FLAG_ACK) == 0) {
                    send(H2Frames.settingsAck());
                }
            }
            case H2Frames.PING -> {
                if ((frame.flags() & H2Frames.FLAG_ACK) != 0) {
                    pingAcks++;
                }
            }
            case H2Frames.GOAWAY -> {
                if (goaway == null && frame.payload().length >= 8) {
                    goawayAtFrame = framesSent.get();
                    goaway = H2Frames.errorName(frame.u32(4));
                }
                streamOneDone.countDown();
            }
            case H2Frames.RST_STREAM -> {
                if (frame.payload().length >= 4) {
                    synchronized (resets) {
                        resets.merge(H2Frames.errorName(frame.u32(0)), 1, Integer::sum);
                    }
                }
                if (frame.streamId() == 1) {
                    streamOneDone.countDown();
                }
            }
            case H2Frames.HEADERS -> {
                Hpack.status(frame.headerBlock()).ifPresent(status -> {
                    synchronized (statuses) {
                        statuses.add(status);
                    }
                });
                if (frame.streamId() == 1 && (frame.flags() & H2Frames.FLAG_END_STREAM) != 0) {
                    streamOneDone.countDown();
                }
            }
            case H2Frames.DATA -> {
                if (frame.streamId() == 1 && (frame.flags() & H2Frames.FLAG_END_STREAM) != 0) {
                    streamOneDone.countDown();
                }
            }
            default -> {
                // CONTINUATION, WINDOW_UPDATE, PUSH_PROMISE and unknown types: nothing to note
            }
        }
    }

    private void finish(String how) {
        if (how != null && end == null) {
            endAtFrame = framesSent.get();
            end = how;
        }
        ended.countDown();
        streamOneDone.countDown();
    }

    private ClientOutcome outcome(int planned, String writeFailure) {
        StringBuilder text = new StringBuilder();
        if (goaway != null) {
            text.append("GOAWAY ").append(goaway).append(" after ").append(count(goawayAtFrame))
                    .append(" of ").append(count(planned)).append(" frames");
        }
        if (end != null) {
            separate(text).append(end).append(" after ").append(count(endAtFrame)).append(" frames");
        } else if (writeFailure != null) {
            separate(text).append("write ").append(writeFailure).append(" after ").append(count(framesSent.get()))
                    .append(" frames");
        } else if (goaway == null) {
            separate(text).append(planned == 1 ? "open" : "open after all " + count(framesSent.get()) + " frames");
        }
        List<Integer> seen;
        synchronized (statuses) {
            seen = List.copyOf(statuses);
        }
        if (!seen.isEmpty()) {
            Map<Integer, Integer> byStatus = new TreeMap<>();
            seen.forEach(status -> byStatus.merge(status, 1, Integer::sum));
            separate(text).append("responses ").append(histogram(byStatus));
        }
        synchronized (resets) {
            if (!resets.isEmpty()) {
                separate(text).append("RST_STREAM ").append(histogram(resets));
            }
        }
        if (pingAcks > 0) {
            separate(text).append(count(pingAcks)).append(" PING ACKs");
        }
        boolean closed = end != null && !end.equals("timeout") || writeFailure != null;
        return new ClientOutcome(text.toString(), closed, seen);
    }

    private static StringBuilder separate(StringBuilder text) {
        return text.isEmpty() ? text : text.append(", ");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String histogram(Map<?, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((key, n) -> text.append(text.isEmpty() ? "" : " ").append(key).append("×").append(count(n)));
        return text.toString();
    }
}
