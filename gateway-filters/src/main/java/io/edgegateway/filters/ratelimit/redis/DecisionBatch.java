package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Decisions that go to one shard as one script call, all at the same {@code now}: EVALSHA with
 * every key, and on NOSCRIPT (a restart, a failover, SCRIPT FLUSH) one EVAL of the same batch,
 * which runs the script and caches it on that server again. The call holds one breaker permit and
 * reports one outcome; each decision is then told its own part of the reply, or the call's
 * failure, exactly once. When every decision has the same quota, its spec goes once.
 */
final class DecisionBatch implements BiConsumer<DecisionsReply, Throwable> {

    /** Decisions a batch makes room for at first; it grows, by doubling, up to its capacity. */
    private static final int INITIAL_ROOM = 8;
    private static final byte[] REDIS_CLOCK = new byte[0];

    private final Shard shard;
    private final LimiterScript script;
    private final long now;
    private final int capacity;
    private PendingDecision<?>[] decisions;
    private int size;
    private RedisClusterAsyncCommands<String, String> redis;
    private boolean retried;
    private CircuitBreaker.Permit permit;

    DecisionBatch(Shard shard, LimiterScript script, long now, int capacity) {
        this.shard = shard;
        this.script = script;
        this.now = now;
        this.capacity = capacity;
        this.decisions = new PendingDecision<?>[Math.min(capacity, INITIAL_ROOM)];
    }

    /** Whether a decision with {@code script} at {@code now} may join: the call has one script and one second. */
    boolean accepts(LimiterScript script, long now) {
        return this.script == script && this.now == now;
    }

    void add(PendingDecision<?> decision) {
        if (size == decisions.length) {
            decisions = Arrays.copyOf(decisions, Math.min(capacity, 2 * size));
        }
        decisions[size++] = decision;
    }

    boolean isFull() {
        return size == capacity;
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
    void send(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
        try {
            redis.dispatch(CommandType.EVALSHA, new DecisionsReply(), arguments(script.sha1Bytes())).whenComplete(this);
        } catch (RuntimeException e) {
            accept(null, e);
        }
    }

    /** {@code script numkeys key... now spec...}, or one spec for all when every decision has the same. */
    private CommandArgs<String, String> arguments(byte[] script) {
        CommandArgs<String, String> args = new CommandArgs<>(ExactUtf8Codec.INSTANCE).add(script).add(size);
        for (int i = 0; i < size; i++) {
            args.addKey(decisions[i].redisKey);
        }
        args.add(now == LimiterScript.REDIS_CLOCK ? REDIS_CLOCK : Long.toString(now).getBytes(StandardCharsets.US_ASCII));
        byte[] shared = decisions[0].quota.spec;
        boolean oneQuota = true;
        for (int i = 1; i < size && oneQuota; i++) {
            oneQuota = decisions[i].quota.spec == shared;
        }
        if (oneQuota) {
            return args.add(shared);
        }
        for (int i = 0; i < size; i++) {
            args.add(decisions[i].quota.spec);
        }
        return args;
    }

    /** The call's reply or failure (also the failure to open a connection for it). */
    @Override
    public void accept(DecisionsReply reply, Throwable error) {
        if (error != null && !retried && StoreErrorType.unwrap(error) instanceof RedisNoScriptException) {
            retried = true;
            try {
                redis.dispatch(CommandType.EVAL, new DecisionsReply(), arguments(script.bodyBytes())).whenComplete(this);
                return;
            } catch (RuntimeException e) {
                error = e;
            }
        }
        // The breaker hears first, so that decisions asked for by those completed below see its new state.
        if (error != null) {
            shard.callFailed(permit, error);
            shard.failed(decisions, size, StoreErrorType.of(error), StoreErrorType.unwrap(error));
        } else if (reply == null || !reply.hasValues(size * LimiterScript.REPLY_VALUES_PER_KEY)) {
            shard.callFailed(permit, null);
            shard.failed(decisions, size, StoreErrorType.SCRIPT, new IllegalStateException(
                    "unexpected script reply for " + size + " keys: " + reply));
        } else {
            // A reply is a shard that answers: a key's own script error is that key's, not the shard's.
            shard.callSucceeded(permit);
            long repliedNanos = shard.nanoTime();
            for (int i = 0; i < size; i++) {
                shard.decided(decisions[i], reply, i * LimiterScript.REPLY_VALUES_PER_KEY, repliedNanos);
            }
        }
    }
}
