package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * How many gateways share the store ({@code rate-limit.instances = auto}), from heartbeats kept in
 * it. Every {@link #PERIOD} each gateway adds itself, scored by Redis's clock, to the sorted set
 * {@value #KEY} on every server of the store, drops the ids not heard from within {@link #TTL} and
 * reads how many are left, in one script call per server. A sorted set rather than one key per
 * gateway found by SCAN: one small key, O(log n) per heartbeat, and no walk over a keyspace that
 * holds every identity's counts. The count is the largest any server answered; while none answers
 * the last count holds (1 until a first answer). Closing removes this gateway's id, so a gateway
 * that stops cleanly leaves the count at once; one that dies leaves it after {@link #TTL}.
 */
public final class LiveGateways implements IntSupplier, AutoCloseable {

    static final String KEY = "gateway:instances";
    static final Duration PERIOD = Duration.ofSeconds(1);
    /** Long enough to survive a few lost heartbeats, short enough to follow a scale-in within seconds. */
    static final Duration TTL = Duration.ofSeconds(5);

    private static final String SCRIPT = script();

    private final String id;
    private final Collection<Shard> stores;
    private final ScheduledFuture<?> schedule;
    private final AtomicBoolean beating = new AtomicBoolean();
    private volatile int count = 1;
    private volatile boolean closed;

    private LiveGateways(String id, Collection<Shard> stores, ScheduledExecutorService scheduler) {
        this.id = id;
        this.stores = List.copyOf(stores);
        this.schedule = scheduler.scheduleAtFixedRate(this::beat, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    static LiveGateways start(String id, Collection<Shard> stores, ScheduledExecutorService scheduler) {
        return new LiveGateways(id, stores, scheduler);
    }

    /** The live gateways at the last heartbeat that reached the store, this one included (at least 1). */
    @Override
    public int getAsInt() {
        return count;
    }

    /** One heartbeat on every server; skipped while the previous one is still out. */
    private void beat() {
        if (closed || !beating.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        for (Shard store : stores) {
            replies.add(store.<Long>call(redis -> redis.eval(SCRIPT, ScriptOutputType.INTEGER,
                    new String[] {KEY}, id, Long.toString(TTL.toMillis()))));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            long most = 0;
            for (CompletableFuture<Long> reply : replies) {
                if (!reply.isCompletedExceptionally() && reply.join() != null) {
                    most = Math.max(most, reply.join());
                }
            }
            if (most > 0 && !closed) {
                count = (int) Math.min(most, Integer.MAX_VALUE);
            }
            beating.set(false);
        });
    }

    /** Stops the heartbeat and takes this gateway out of the count, waiting a moment for the store. */
    @Override
    public void close() {
        closed = true;
        schedule.cancel(false);
        List<CompletableFuture<Long>> removals = new ArrayList<>();
        for (Shard store : stores) {
            removals.add(store.call(redis -> redis.eval("return redis.call('ZREM', KEYS[1], ARGV[1])",
                    ScriptOutputType.INTEGER, new String[] {KEY}, id)));
        }
        try {
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException unreachable) {
            // Its heartbeat then expires after TTL.
        }
    }

    private static String script() {
        try (InputStream in = LiveGateways.class.getResourceAsStream("gateway_heartbeat.lua")) {
            if (in == null) {
                throw new IllegalStateException("missing resource gateway_heartbeat.lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
