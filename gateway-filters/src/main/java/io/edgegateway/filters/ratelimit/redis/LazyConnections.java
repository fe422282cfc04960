package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * A few connections to one Redis target, one per {@link ClientThreads} slot, so each event loop
 * writes to its own connection (on its own thread) while Lettuce pipelines each one's commands.
 * {@link #openAll} opens them at start-up; one whose attempt failed is opened again on its next
 * use, so a shard that is down at start-up delays nothing (its breaker limits how often that is
 * tried). A call that finds its connection still opening waits for it; the attempt itself is
 * bounded by the connect timeout. Once open, Lettuce reconnects a connection by itself.
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

    /**
     * This thread's connection, open or opening. A failed attempt fails with a
     * {@link ConnectFailure} shared by every call that waited on it.
     */
    CompletableFuture<C> current() {
        return slot(threads.slotOfCurrentThread());
    }

    /** Every slot's connection, open or opening: done once each attempt is over, whatever its outcome. */
    CompletableFuture<Void> openAll() {
        CompletableFuture<?>[] attempts = new CompletableFuture<?>[slots.length()];
        for (int i = 0; i < attempts.length; i++) {
            attempts[i] = slot(i).handle((open, error) -> null);
        }
        return CompletableFuture.allOf(attempts);
    }

    /** Slot 0's connection once open (for calls made once per target, such as loading a script). */
    CompletableFuture<C> first() {
        return slot(0);
    }

    private CompletableFuture<C> slot(int index) {
        CompletableFuture<C> connection = slots.get(index);
        if (connection != null && !connection.isCompletedExceptionally()) {
            return connection;
        }
        CompletableFuture<C> fresh = new CompletableFuture<>();
        if (!slots.compareAndSet(index, connection, fresh)) {
            return slots.get(index);
        }
        if (closed) {
            fresh.completeExceptionally(new ConnectFailure(new IllegalStateException("closed")));
            return fresh;
        }
        try {
            connector.apply(index).whenComplete((opened, error) -> {
                if (error != null) {
                    fresh.completeExceptionally(new ConnectFailure(StoreErrorType.unwrap(error)));
                } else if (closed) {
                    opened.closeAsync();
                    fresh.completeExceptionally(new ConnectFailure(new IllegalStateException("closed")));
                } else {
                    fresh.complete(opened);
                }
            });
        } catch (RuntimeException e) {
            fresh.completeExceptionally(new ConnectFailure(e));
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
