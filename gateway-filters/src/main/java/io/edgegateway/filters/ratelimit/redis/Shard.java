package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.internal.ExceptionFactory;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One place decisions are made (a Redis server, a Sentinel-watched primary or a cluster node),
 * guarded by its circuit breaker and metered under its label. The breaker counts calls: a script
 * call holds one permit and reports one outcome, however many decisions it carries, and a failed
 * connection attempt is one failure however many calls waited on it. Each decision is still
 * metered and counted on its own (duration, error type).
 */
final class Shard {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final Supplier<? extends CompletableFuture<? extends StatefulConnection<String, String>>> connections;
    private final Function<StatefulConnection<String, String>, RedisClusterAsyncCommands<String, String>> commands;
    private final CircuitBreaker breaker;
    private final LongSupplier nanoTime;
    private final Histogram.Child duration;
    private final Counter.Child[] errors = new Counter.Child[StoreErrorType.values().length];
    /** Immutable (no stack trace, no suppression), so one instance serves every rejection. */
    private final StoreUnavailableException circuitOpen;
    private final ClientThreads batchingThreads;
    /** One per loop of {@link #batchingThreads}, by slot; none when decisions go alone. */
    private final DecisionBatcher[] batchers;

    /**
     * @param connections the calling thread's connection, open or opening, that reaches this shard
     * @param batchOn the threads whose loops coalesce their decisions into one call per loop turn,
     *     or {@code null} for one call per decision (a cluster: a script's keys must share a slot)
     */
    @SuppressWarnings("unchecked")
    <C extends StatefulConnection<String, String>> Shard(
            String name,
            Supplier<CompletableFuture<C>> connections,
            Function<C, RedisClusterAsyncCommands<String, String>> commands,
            CircuitBreakerConfig breakerConfig,
            GatewayMetrics metrics,
            LongSupplier nanoTime,
            ClientThreads batchOn) {
        this.name = name;
        this.connections = connections;
        this.commands = connection -> commands.apply((C) connection);
        this.nanoTime = nanoTime;
        this.duration = metrics.rateLimitStoreDuration.labels(name);
        this.circuitOpen = new StoreUnavailableException(name, StoreErrorType.CIRCUIT_OPEN.label(), null);
        for (StoreErrorType type : StoreErrorType.values()) {
            errors[type.ordinal()] = metrics.rateLimitStoreErrors.labels(name, type.label());
        }
        this.breaker = new CircuitBreaker(breakerConfig, nanoTime,
                state -> metrics.rateLimitCircuitState.labels(name).set(state.gaugeValue()));
        this.batchingThreads = batchOn;
        this.batchers = new DecisionBatcher[batchOn == null ? 0 : batchOn.loopCount()];
        for (int slot = 0; slot < batchers.length; slot++) {
            batchers[slot] = new DecisionBatcher(this, batchOn.loop(slot));
        }
    }

    /**
     * A command outside of decisions (a heartbeat, a script load) on the calling thread's
     * connection, once it is open; the breaker neither gates nor hears it.
     */
    <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> command) {
        return connections.get().thenCompose(connection -> command.apply(commands.apply(connection)));
    }

    String name() {
        return name;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Asks for {@code decision}; it fails at once, without I/O, while the circuit is open. Asked for
     * on one of the batching loops, it joins that loop's next call to this shard; on any other
     * thread it is a call of its own.
     */
    <T> CompletionStage<T> decide(LimiterScript script, PendingDecision<T> decision) {
        if (!breaker.allowsCalls()) {
            errors[StoreErrorType.CIRCUIT_OPEN.ordinal()].inc();
            return CompletableFuture.failedFuture(circuitOpen);
        }
        decision.startNanos = nanoTime.getAsLong();
        int loop = batchers.length == 0 ? -1 : batchingThreads.loopOfCurrentThread();
        if (loop >= 0) {
            batchers[loop].add(script, decision);
        } else {
            DecisionBatch alone = new DecisionBatch(this, script, decision.now, 1);
            alone.add(decision);
            send(alone);
        }
        return decision;
    }

    /**
     * Sends {@code batch} as one call on the calling thread's connection, once it is open, if the
     * breaker lets the call through; else each of its decisions fails as the circuit being open.
     */
    void send(DecisionBatch batch) {
        CircuitBreaker.Permit permit = breaker.tryAcquire();
        if (permit == CircuitBreaker.Permit.REJECTED) {
            batch.rejected(circuitOpen);
            return;
        }
        batch.permit(permit);
        CompletableFuture<? extends StatefulConnection<String, String>> connection = connections.get();
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            sendOn(batch, connection.join());
        } else {
            connection.whenComplete((open, error) -> {
                if (error == null) {
                    sendOn(batch, open);
                } else {
                    batch.accept(null, error);
                }
            });
        }
    }

    private void sendOn(DecisionBatch batch, StatefulConnection<String, String> connection) {
        RedisClusterAsyncCommands<String, String> redis;
        try {
            redis = commands.apply(connection);
        } catch (RuntimeException e) {
            batch.accept(null, e);
            return;
        }
        batch.send(redis);
    }

    /**
     * Reports one decision's part {@code allowed (1, 0, or 2: blocked), remaining, resetMillis,
     * nowMillis} of its call's reply, from {@code offset}: a decision, or the message of an error
     * the script met for that key alone (classified as Lettuce classifies a command's error).
     * {@code repliedNanos} is when the reply was read, on {@link #nanoTime()}.
     */
    void decided(PendingDecision<?> decision, DecisionsReply reply, int offset, long repliedNanos) {
        String message = reply.string(offset);
        if (message != null) {
            RedisCommandExecutionException cause = ExceptionFactory.createExecutionException(message);
            StoreErrorType type = StoreErrorType.of(cause);
            failed(decision, type, new StoreUnavailableException(name, type.label(), cause), repliedNanos);
            return;
        }
        for (int i = 1; i < LimiterScript.REPLY_VALUES_PER_KEY; i++) {
            if (reply.string(offset + i) != null) {
                failed(decision, StoreErrorType.SCRIPT, new StoreUnavailableException(name, StoreErrorType.SCRIPT.label(),
                        new IllegalStateException("unexpected script reply: " + reply.string(offset + i))), repliedNanos);
                return;
            }
        }
        long allowed = reply.value(offset);
        long limit = decision.quota.limit;
        RateLimitDecision result = allowed == 1
                ? RateLimitDecision.allowedMillis(limit, reply.value(offset + 1), reply.value(offset + 2))
                : RateLimitDecision.deniedMillis(limit, reply.value(offset + 2));
        observeDuration(decision, repliedNanos);
        decision.decided(result, reply.value(offset + 3), allowed == 2);
    }

    /** Tells the breaker that one call got its reply. */
    void callSucceeded(CircuitBreaker.Permit permit) {
        breaker.onSuccess(permit);
    }

    /**
     * Tells the breaker that one call failed, unless it failed for a connection attempt that
     * another call already reported.
     */
    void callFailed(CircuitBreaker.Permit permit, Throwable error) {
        if (ConnectFailure.alreadyCounted(error)) {
            breaker.release(permit);
        } else {
            breaker.onFailure(permit);
        }
    }

    /** Reports a failed call to each of its first {@code size} decisions (the breaker is told apart). */
    void failed(PendingDecision<?>[] decisions, int size, StoreErrorType type, Throwable cause) {
        failed(decisions, size, type, new StoreUnavailableException(name, type.label(), cause));
    }

    /** Fails each of the first {@code size} decisions with {@code failure}. */
    void failed(PendingDecision<?>[] decisions, int size, StoreErrorType type, StoreUnavailableException failure) {
        long failedNanos = nanoTime();
        for (int i = 0; i < size; i++) {
            failed(decisions[i], type, failure, failedNanos);
        }
    }

    private void failed(PendingDecision<?> decision, StoreErrorType type, StoreUnavailableException failure, long endNanos) {
        observeDuration(decision, endNanos);
        errors[type.ordinal()].inc();
        decision.completeExceptionally(failure);
    }

    /**
     * The shard's clock. A call's decisions end when its reply is read, all at the same moment, so
     * one reading serves them all (and the caller's continuations that run in between are not timed).
     */
    long nanoTime() {
        return nanoTime.getAsLong();
    }

    private void observeDuration(PendingDecision<?> decision, long endNanos) {
        duration.observe((double) (endNanos - decision.startNanos) / NANOS_PER_SECOND);
    }
}
