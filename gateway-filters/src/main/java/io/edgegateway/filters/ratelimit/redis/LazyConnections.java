package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few connections to one Redis target, one picked per caller thread so the event loops do not
 * contend on one connection while Lettuce pipelines each one's commands. Connections are opened
 * asynchronously on first use, and opened again on use after a failed attempt, so a shard that is
 * down at start-up delays nothing (its breaker limits how often that is tried). Once open, Lettuce
 * reconnects a connection by itself.
 */
final class LazyConnections<C extends StatefulConnection<String, String>> implements AutoCloseable {

    private static final AtomicInteger NEXT_THREAD = new AtomicInteger();
    private static final ThreadLocal<Integer> THREAD_INDEX = ThreadLocal.withInitial(NEXT_THREAD::getAndIncrement);

    private final Supplier<CompletionStage<C>> connector;
    private final AtomicReferenceArray<CompletableFuture<C>> slots;
    private volatile boolean closed;

    LazyConnections(int size, Supplier<CompletionStage<C>> connector) {
        if (size < 1) {
            throw new IllegalArgumentException("connections: " + size + " (expected: > 0)");
        }
        this.connector = connector;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** This thread's connection, open or opening. */
    CompletableFuture<C> current() {
        int index = Math.floorMod(THREAD_INDEX.get(), slots.length());
        CompletableFuture<C> connection = slots.get(index);
        if (connection != null && !connection.isCompletedExceptionally()) {
            return connection;
        }
        CompletableFuture<C> fresh = new CompletableFuture<>();
        if (!slots.compareAndSet(index, connection, fresh)) {
            return slots.get(index);
        }
        if (closed) {
            fresh.completeExceptionally(new IllegalStateException("closed"));
            return fresh;
        }
        try {
            connector.get().whenComplete((opened, error) -> {
                if (error != null) {
                    fresh.completeExceptionally(error);
                } else if (closed) {
                    opened.closeAsync();
                    fresh.completeExceptionally(new IllegalStateException("closed"));
                } else {
                    fresh.complete(opened);
                }
            });
        } catch (RuntimeException e) {
            fresh.completeExceptionally(e);
        }
        return fresh;
    }

    /** This thread's connection if it is open, without opening one (for the cluster's slot map). */
    C currentIfOpen() {
        CompletableFuture<C> connection = slots.get(Math.floorMod(THREAD_INDEX.get(), slots.length()));
        return connection != null && connection.isDone() && !connection.isCompletedExceptionally()
                ? connection.getNow(null) : null;
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < slots.length(); i++) {
            CompletableFuture<C> connection = slots.getAndSet(i, null);
            if (connection != null) {
                connection.thenAccept(StatefulConnection::close);
            }
        }
    }
}
