package io.edgegateway.loadtest.probe;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a request's bytes on a fresh connection and reads whatever responses come back: the
 * expected number, then a short wait to see whether the target closes, keeps the connection, or
 * answers more than was asked.
 */
final class RawExchange {

    /** How long, after the expected responses, the exchange waits to tell "closed" from "open". */
    private static final int CLOSE_GRACE_MILLIS = 300;

    private RawExchange() {
    }

    static ClientOutcome run(ProbeTarget target, byte[] request, int expectedResponses) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = target.connect()) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                return ClientOutcome.of(statuses, ClientOutcome.Ending.RESET);
            }
            ResponseReader reader = new ResponseReader(new BufferedInputStream(socket.getInputStream()));
            while (true) {
                if (statuses.size() >= expectedResponses) {
                    socket.setSoTimeout(CLOSE_GRACE_MILLIS);
                }
                ResponseReader.Response response;
                try {
                    response = reader.next();
                } catch (SocketTimeoutException e) {
                    return ClientOutcome.of(statuses, statuses.size() >= expectedResponses
                            ? ClientOutcome.Ending.OPEN : ClientOutcome.Ending.TIMEOUT);
                } catch (EOFException e) {
                    return ClientOutcome.of(statuses, ClientOutcome.Ending.CLOSED);
                } catch (SocketException e) {
                    return ClientOutcome.of(statuses, ClientOutcome.Ending.RESET);
                }
                if (response == null) {
                    return ClientOutcome.of(statuses, ClientOutcome.Ending.CLOSED);
                }
                if (response.status() / 100 != 1) {
                    statuses.add(response.status());
                }
            }
        }
    }
}
