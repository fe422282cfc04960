package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Decisions that go to one shard as one script call, all at the same {@code now}: EVALSHA with
 * every key, and on NOSCRIPT (a restart, a failover, SCRIPT FLUSH) one EVAL of the same batch,
 * which runs the script and caches it on that server again. The call holds one breaker permit and
 * reports one outcome; each decision is then told its own part of the reply, or the call's
 * failure, exactly once.
 */
final class DecisionBatch implements BiConsumer<List<Object>, Throwable> {

    private final Shard shard;
    private final LimiterScript script;
    private final long now;
    private final PendingDecision[] decisions;
    private int size;
    private RedisScriptingAsyncCommands<String, String> redis;
    private String[] keys;
    private String[] arguments;
    private boolean retried;
    private CircuitBreaker.Permit permit;

    DecisionBatch(Shard shard, LimiterScript script, long now, int capacity) {
        this.shard = shard;
        this.script = script;
        this.now = now;
        this.decisions = new PendingDecision[capacity];
    }

    /** Whether a decision with {@code script} at {@code now} may join: the call has one script and one second. */
    boolean accepts(LimiterScript script, long now) {
        return this.script == script && this.now == now;
    }

    void add(PendingDecision decision) {
        decisions[size++] = decision;
    }

    boolean isFull() {
        return size == decisions.length;
    }

    /** The breaker's permit for this call, taken just before it goes out. */
    void permit(CircuitBreaker.Permit permit) {
        this.permit = permit;
    }

    /** The breaker refused the call: each decision fails with {@code circuitOpen}. */
    void rejected(StoreUnavailableException circuitOpen) {
        shard.failed(decisions, size, StoreErrorType.CIRCUIT_OPEN, circuitOpen);
    }

    /** Sends the call; every decision is told once it is over. */
    void send(RedisScriptingAsyncCommands<String, String> redis) {
        this.redis = redis;
        keys = new String[size];
        arguments = new String[1 + size];
        arguments[0] = LimiterScript.nowArgument(now);
        for (int i = 0; i < size; i++) {
            PendingDecision decision = decisions[i];
            keys[i] = decision.redisKey;
            arguments[1 + i] = decision.spec;
        }
        try {
            redis.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, arguments).whenComplete(this);
        } catch (RuntimeException e) {
            accept(null, e);
        }
    }

    /** The call's reply or failure (also the failure to open a connection for it). */
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
        // The breaker hears first, so that decisions asked for by those completed below see its new state.
        if (error != null) {
            shard.callFailed(permit, error);
            shard.failed(decisions, size, StoreErrorType.of(error), StoreErrorType.unwrap(error));
        } else if (values == null || values.size() != size * LimiterScript.REPLY_VALUES_PER_KEY) {
            shard.callFailed(permit, null);
            shard.failed(decisions, size, StoreErrorType.SCRIPT, new IllegalStateException(
                    "unexpected script reply for " + size + " keys: " + values));
        } else {
            // A reply is a shard that answers: a key's own script error is that key's, not the shard's.
            shard.callSucceeded(permit);
            for (int i = 0; i < size; i++) {
                shard.decided(decisions[i], values, i * LimiterScript.REPLY_VALUES_PER_KEY);
            }
        }
    }
}
