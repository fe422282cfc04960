package io.edgegateway.loadtest.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Where the probes go and how long they wait.
 *
 * @param h2Port the port that speaks HTTP/2 over cleartext by prior knowledge, or 0 for none
 * @param timeout how long an exchange waits for the target's next byte
 */
record ProbeTarget(String host, int port, int h2Port, Duration timeout) {

    Socket connect() throws IOException {
        return connect(port);
    }

    Socket connect(int toPort) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, toPort), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        return socket;
    }
}
