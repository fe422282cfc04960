package io.edgegateway.loadtest.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generated body of any length, produced one 64 KiB chunk at a time as the channel can take it, so a
 * 1 GiB download needs no more memory than a few chunks. Byte {@code i} is {@code 'a' + i % 26}.
 */
final class PatternBody implements ChunkedInput<ByteBuf> {

    static final int CHUNK_SIZE = 64 * 1024;
    private static final int ALPHABET = 26;
    private static final byte[] PATTERN = new byte[CHUNK_SIZE + ALPHABET];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) ('a' + i % ALPHABET);
        }
    }

    private final long length;
    private final AtomicLong sent;
    private long produced;

    /** {@code sent} counts every byte handed to the channel, across bodies. */
    PatternBody(long length, AtomicLong sent) {
        this.length = length;
        this.sent = sent;
    }

    /** The byte at {@code offset} of every pattern body, for tests and clients to check what they read. */
    static byte byteAt(long offset) {
        return (byte) ('a' + offset % ALPHABET);
    }

    @Override
    public boolean isEndOfInput() {
        return produced >= length;
    }

    @Override
    public void close() {
        produced = length;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int size = (int) Math.min(CHUNK_SIZE, length - produced);
        ByteBuf chunk = allocator.buffer(size);
        chunk.writeBytes(PATTERN, (int) (produced % ALPHABET), size);
        produced += size;
        sent.addAndGet(size);
        return chunk;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return produced;
    }
}
