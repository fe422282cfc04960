package io.edgegateway.loadtest.probe;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A slow client: writes a first part whole, then the rest one byte per interval until the target
 * answers, closes or resets, or until the cap; reports when that happened. The pauses are the probe
 * itself (it measures a server's timeouts), so they are real time.
 */
final class DribbleClient {

    private final byte[] whole;
    private final byte[] dribbled;
    private final Duration interval;
    private final Duration cap;

    DribbleClient(byte[] whole, byte[] dribbled, Duration interval, Duration cap) {
        this.whole = whole;
        this.dribbled = dribbled;
        this.interval = interval;
        this.cap = cap;
    }

    /** What the target did to the connection, seen from the reading side. */
    private record Seen(Integer status, String how) {
    }

    ClientOutcome run(ProbeTarget target) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (Socket socket = target.connect()) {
            socket.setSoTimeout((int) cap.plusSeconds(5).toMillis());
            CompletableFuture<Seen> seen =
                    CompletableFuture.supplyAsync(() -> watch(socket), ProbeThreads.named("probe-dribble-reader"));
            OutputStream out = socket.getOutputStream();
            int sent = 0;
            String writeFailure = null;
            try {
                out.write(whole);
                out.flush();
                long deadline = start + cap.toNanos();
                while (sent < dribbled.length && System.nanoTime() < deadline && !seen.isDone()) {
                    out.write(dribbled[sent]);
                    out.flush();
                    sent++;
                    awaitQuietly(seen, Math.min(interval.toNanos(), Math.max(0, deadline - System.nanoTime())));
                }
            } catch (SocketException e) {
                writeFailure = "write failed";
            }
            if (!seen.isDone() && writeFailure == null && sent < dribbled.length) {
                return new ClientOutcome(String.format(Locale.ROOT, "open at cap %ds (%d of %d slow bytes sent)",
                        cap.toSeconds(), sent, dribbled.length), false, List.of());
            }
            Seen result = await(seen);
            double seconds = (System.nanoTime() - start) / 1e9;
            String when = String.format(Locale.ROOT, "after %.1fs", seconds);
            if (result.status() != null) {
                return new ClientOutcome(result.status() + " " + when + ", " + result.how() + ", "
                        + sent + " slow bytes sent", !result.how().equals("open"), List.of(result.status()));
            }
            return new ClientOutcome(result.how() + " " + when + ", no response, " + sent + " slow bytes sent",
                    true, List.of());
        }
    }

    /** Reads one response (or the end of the connection) and then whether the connection closes. */
    private static Seen watch(Socket socket) {
        try {
            ResponseReader reader = new ResponseReader(new BufferedInputStream(socket.getInputStream()));
            ResponseReader.Response response = reader.next();
            if (response == null) {
                return new Seen(null, "closed");
            }
            socket.setSoTimeout(300);
            try {
                return new Seen(response.status(), reader.next() == null ? "closed" : "open");
            } catch (SocketTimeoutException e) {
                return new Seen(response.status(), "open");
            } catch (IOException e) {
                return new Seen(response.status(), "closed");
            }
        } catch (EOFException e) {
            return new Seen(null, "closed");
        } catch (SocketException e) {
            return new Seen(null, socket.isClosed() ? "closed by the probe" : "reset");
        } catch (IOException e) {
            return new Seen(null, "unreadable answer (" + e.getMessage() + ")");
        }
    }

    private static void awaitQuietly(CompletableFuture<Seen> seen, long nanos) throws InterruptedException {
        try {
            seen.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // nothing seen yet: go on dribbling
        }
    }

    private Seen await(CompletableFuture<Seen> seen) throws InterruptedException {
        try {
            return seen.get(cap.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Seen(null, "no answer");
        } catch (ExecutionException e) {
            return new Seen(null, "failed: " + e.getCause());
        }
    }
}
