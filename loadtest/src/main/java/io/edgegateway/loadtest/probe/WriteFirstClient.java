package io.edgegateway.loadtest.probe;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A naive client that writes its whole request before it reads anything: does the target's early
 * answer (431, 413, 400) reach it, or does a close with unread data turn into a reset that destroys
 * the answer in the client's receive buffer?
 */
final class WriteFirstClient {

    private static final int PIECE = 64 * 1024;

    private WriteFirstClient() {
    }

    /** What the writer got through before it finished or failed. */
    private record Written(long bytes, String failure) {
    }

    static ClientOutcome run(ProbeTarget target, byte[] request) throws IOException, InterruptedException {
        try (Socket socket = target.connect()) {
            CompletableFuture<Written> writer = CompletableFuture.supplyAsync(() -> write(socket, request),
                    ProbeThreads.named("probe-write-first"));
            Written written;
            try {
                written = writer.get(2 * target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                written = null; // the target stopped reading: see whether it answers anyway
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
            String writeText = written == null ? "write stalled"
                    : written.failure() == null ? "whole request written"
                    : String.format(Locale.ROOT, "write failed after %.1f MB (%s)", written.bytes() / 1e6,
                            written.failure());
            ResponseReader reader = new ResponseReader(new BufferedInputStream(socket.getInputStream()));
            try {
                ResponseReader.Response response = reader.next();
                if (response == null) {
                    return new ClientOutcome("closed, no response; " + writeText, true, List.of());
                }
                boolean closed = closesAfter(socket, reader);
                return new ClientOutcome(response.status() + (closed ? ", closed; " : ", open; ") + writeText, closed,
                        List.of(response.status()));
            } catch (SocketTimeoutException e) {
                return new ClientOutcome("no response (timeout); " + writeText, false, List.of());
            } catch (EOFException e) {
                return new ClientOutcome("closed inside a response; " + writeText, true, List.of());
            } catch (SocketException e) {
                return new ClientOutcome("reset, no response read; " + writeText, true, List.of());
            }
        }
    }

    private static boolean closesAfter(Socket socket, ResponseReader reader) throws IOException {
        socket.setSoTimeout(300);
        try {
            return reader.next() == null;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static Written write(Socket socket, byte[] request) {
        long done = 0;
        try {
            OutputStream out = socket.getOutputStream();
            while (done < request.length) {
                int n = (int) Math.min(PIECE, request.length - done);
                out.write(request, (int) done, n);
                done += n;
            }
            out.flush();
            return new Written(done, null);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return new Written(done, message.contains("reset") ? "reset" : message.contains("pipe") ? "broken pipe"
                    : e.getClass().getSimpleName());
        }
    }
}
