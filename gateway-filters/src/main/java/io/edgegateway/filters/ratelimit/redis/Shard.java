package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One place decisions are made (a Redis server, a Sentinel-watched primary or a cluster node),
 * guarded by its circuit breaker and metered under its label.
 */
final class Shard {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final Supplier<? extends CompletableFuture<? extends StatefulConnection<String, String>>> connections;
    private final Function<StatefulConnection<String, String>, RedisScriptingAsyncCommands<String, String>> commands;
    private final CircuitBreaker breaker;
    private final LongSupplier nanoTime;
    private final Histogram.Child duration;
    private final Counter.Child[] errors = new Counter.Child[StoreErrorType.values().length];
    /** Immutable (no stack trace, no suppression), so one instance serves every rejection. */
    private final StoreUnavailableException circuitOpen;

    /** @param connections the calling thread's connection, open or opening, that reaches this shard */
    @SuppressWarnings("unchecked")
    <C extends StatefulConnection<String, String>> Shard(
            String name,
            Supplier<CompletableFuture<C>> connections,
            Function<C, RedisScriptingAsyncCommands<String, String>> commands,
            CircuitBreakerConfig breakerConfig,
            GatewayMetrics metrics,
            LongSupplier nanoTime) {
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
    }

    String name() {
        return name;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Runs {@code script} for one key; fails at once, without I/O, while the circuit is open. */
    CompletionStage<TimedDecision> decide(LimiterScript script, String redisKey, String[] arguments, long limit) {
        CircuitBreaker.Permit permit = breaker.tryAcquire();
        if (permit == CircuitBreaker.Permit.REJECTED) {
            errors[StoreErrorType.CIRCUIT_OPEN.ordinal()].inc();
            return CompletableFuture.failedFuture(circuitOpen);
        }
        Call call = new Call(permit, script, redisKey, arguments, Math.min(limit, LimiterScript.MAX_REQUESTS));
        CompletableFuture<? extends StatefulConnection<String, String>> connection = connections.get();
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            call.send(connection.join());
        } else {
            connection.whenComplete((open, error) -> {
                if (error == null) {
                    call.send(open);
                } else {
                    call.accept(null, error);
                }
            });
        }
        return call.result;
    }

    /**
     * One decision in flight: EVALSHA, and on NOSCRIPT (a restart, a failover, SCRIPT FLUSH) one
     * EVAL, which runs the script and caches it on that server again. Reports to the breaker once.
     */
    private final class Call implements BiConsumer<List<Object>, Throwable> {

        final CompletableFuture<TimedDecision> result = new CompletableFuture<>();
        private final CircuitBreaker.Permit permit;
        private final LimiterScript script;
        private final String[] keys;
        private final String[] arguments;
        private final long limit;
        private final long start = nanoTime.getAsLong();
        private RedisScriptingAsyncCommands<String, String> redis;
        private boolean retried;

        Call(CircuitBreaker.Permit permit, LimiterScript script, String redisKey, String[] arguments, long limit) {
            this.permit = permit;
            this.script = script;
            this.keys = new String[] {redisKey};
            this.arguments = arguments;
            this.limit = limit;
        }

        void send(StatefulConnection<String, String> connection) {
            try {
                redis = commands.apply(connection);
                redis.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, arguments).whenComplete(this);
            } catch (RuntimeException e) {
                accept(null, e);
            }
        }

        @Override
        public void accept(List<Object> values, Throwable error) {
            if (error != null && !retried && StoreErrorType.unwrap(error) instanceof RedisNoScriptException) {
                retried = true;
                try {
                    redis.<List<Object>>eval(script.body(), ScriptOutputType.MULTI, keys, arguments).whenComplete(this);
                    return;
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            duration.observe((double) (nanoTime.getAsLong() - start) / NANOS_PER_SECOND);
            StoreErrorType failure = null;
            TimedDecision decision = null;
            if (error == null) {
                try {
                    decision = TimedDecision.fromReply(values, limit);
                } catch (RuntimeException e) {
                    error = e;
                    failure = StoreErrorType.SCRIPT;
                }
            } else {
                failure = StoreErrorType.of(error);
            }
            if (failure == null) {
                breaker.onSuccess(permit);
                result.complete(decision);
            } else {
                errors[failure.ordinal()].inc();
                breaker.onFailure(permit);
                result.completeExceptionally(new StoreUnavailableException(name, failure.label(), StoreErrorType.unwrap(error)));
            }
        }
    }
}
