package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A few connections to one Redis target, one per {@link ClientThreads} slot, so each event loop
 * writes to its own connection (on its own thread) while Lettuce pipelines each one's commands. Connections are opened
 * asynchronously on first use, and opened again on use after a failed attempt, so a shard that is
 * down at start-up delays nothing (its breaker limits how often that is tried). Once open, Lettuce
 * reconnects a connection by itself.
 */
final class LazyConnections<C extends StatefulConnection<String, String>> implements AutoCloseable {

    private final ClientThreads threads;
    private final IntFunction<CompletionStage<C>> connector;
    private final AtomicReferenceArray<CompletableFuture<C>> slots;
    private volatile boolean closed;

    /** @param connector opens a connection for a slot, on that slot's thread */
    LazyConnections(ClientThreads threads, IntFunction<CompletionStage<C>> connector) {
        this.threads = threads;
        this.connector = connector;
        this.slots = new AtomicReferenceArray<>(threads.slots());
    }

    /** This thread's connection, open or opening. */
    CompletableFuture<C> current() {
        int index = threads.slotOfCurrentThread();
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
            connector.apply(index).whenComplete((opened, error) -> {
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
        CompletableFuture<C> connection = slots.get(threads.slotOfCurrentThread());
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
