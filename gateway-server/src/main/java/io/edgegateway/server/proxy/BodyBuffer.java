package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A small request body read whole before an upstream connection is taken
 * ({@code limits.buffer-body-below}), so a client that sends it slowly holds no upstream connection
 * meanwhile. Pieces are copied into one buffer as they come: each piece the decoder hands on is a
 * slice of a network read, and a body dribbled a byte at a time would otherwise keep one such buffer
 * alive per byte. A body that arrives in one piece is kept as it is.
 *
 * <p>The buffer owns what it holds until {@link #take} hands it on; {@link #release} frees it on
 * every other path, and may be called any number of times.
 */
final class BodyBuffer {

    /** The first allocation of the copy; it grows as pieces come, up to the limit and one piece more. */
    private static final int INITIAL_CAPACITY = 1024;

    private final long limit;
    private final long declaredLength;
    /** The body as one piece, kept as the decoder made it. */
    private HttpContent whole;
    private ByteBuf copy;
    private HttpHeaders trailers;
    private long size;
    private boolean complete;

    /** {@code declaredLength} is the Content-Length, or -1 for a chunked body. */
    BodyBuffer(long limit, long declaredLength) {
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    /** Takes {@code content} over (it is released here); true while the body still fits under the limit. */
    boolean add(HttpContent content) {
        ByteBuf piece = content.content();
        int length = piece.readableBytes();
        size += length;
        if (content instanceof LastHttpContent last) {
            complete = true;
            trailers = last.trailingHeaders();
            if (copy == null) {
                whole = content;
                return true;
            }
        }
        try {
            if (length > 0) {
                if (copy == null) {
                    long expected = declaredLength >= 0 ? declaredLength : INITIAL_CAPACITY;
                    copy = piece.alloc().buffer((int) Math.max(length, Math.min(expected, limit)));
                }
                copy.writeBytes(piece);
            }
        } finally {
            content.release();
        }
        return size <= limit;
    }

    /** The whole body arrived (its last piece was added). */
    boolean complete() {
        return complete;
    }

    /**
     * Hands what was read on, as one piece: the last one when the body is complete, else the first
     * of a body that continues (null if no byte came yet). The buffer is empty afterwards.
     */
    HttpContent take() {
        HttpContent taken;
        if (whole != null) {
            taken = whole;
        } else if (complete) {
            taken = copy == null ? new DefaultLastHttpContent() : new DefaultLastHttpContent(copy);
            if (!trailers.isEmpty()) {
                ((LastHttpContent) taken).trailingHeaders().set(trailers);
            }
        } else {
            taken = copy == null ? null : new DefaultHttpContent(copy);
        }
        whole = null;
        copy = null;
        return taken;
    }

    void release() {
        if (whole != null) {
            whole.release();
            whole = null;
        }
        if (copy != null) {
            copy.release();
            copy = null;
        }
    }
}
