package io.edgegateway.loadtest.run;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one GET request, written straight into a buffer: the same head every time, with
 * the identity's number spliced into an {@code X-API-Key: user-N} line when the run has users.
 */
final class RequestTemplate {

    private final byte[] head;
    private final byte[] identityPrefix = "X-API-Key: user-".getBytes(StandardCharsets.US_ASCII);
    private final byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private final byte[] plainEnd = "\r\n".getBytes(StandardCharsets.US_ASCII);

    RequestTemplate(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        this.head = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: edgegateway-loadtest\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The request for identity {@code user} (0: no identity header). */
    ByteBuf write(ByteBufAllocator allocator, int user) {
        ByteBuf buffer = allocator.directBuffer(head.length + identityPrefix.length + 16);
        buffer.writeBytes(head);
        if (user > 0) {
            buffer.writeBytes(identityPrefix);
            writeDigits(buffer, user);
            buffer.writeBytes(end);
        } else {
            buffer.writeBytes(plainEnd);
        }
        return buffer;
    }

    private static void writeDigits(ByteBuf buffer, int value) {
        int divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            buffer.writeByte('0' + (value / divisor) % 10);
        }
    }
}
