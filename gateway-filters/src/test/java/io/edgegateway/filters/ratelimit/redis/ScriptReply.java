package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;
import io.edgegateway.testkit.RespClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One key's part of a script call made directly over RESP, as the tests drive the Lua with an
 * injected {@code now}: in whole seconds here (a quota of N per T seconds at a 1s resolution), the
 * script's milliseconds converted, its reset rounded up.
 */
record ScriptReply(boolean allowed, long remaining, long reset, long now) {

    /** One identity's decision: a call with one key. */
    static ScriptReply eval(RespClient redis, LimiterScript script, String identity, long requests, long window, long now) {
        return evalBatch(redis, script, now, List.of(new ScriptKey(identity, requests, window))).get(0);
    }

    /** One identity's decision at a resolution other than a second (whole seconds still). */
    static ScriptReply eval(RespClient redis, LimiterScript script, String identity, long requests, long window,
            Duration resolution, long now) {
        return evalBatch(redis, script, now, List.of(new ScriptKey(identity, requests, window, resolution))).get(0);
    }

    /** An identity with N and T, judged at a resolution (a second unless said), as one key of a call. */
    record ScriptKey(String identity, long requests, long window, Duration resolution) {
        ScriptKey(String identity, long requests, long window) {
            this(identity, requests, window, Quota.DEFAULT_RESOLUTION);
        }
    }

    /** One call deciding for every identity of {@code keys} in turn, at {@code now}. */
    static List<ScriptReply> evalBatch(RespClient redis, LimiterScript script, long now, List<ScriptKey> keys) {
        List<?> reply = (List<?>) redis.call(batchCommand(script, Long.toString(now * 1000), keys));
        List<ScriptReply> replies = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += LimiterScript.REPLY_VALUES_PER_KEY) {
            replies.add(new ScriptReply((Long) reply.get(i) == 1L, (Long) reply.get(i + 1),
                    ((Long) reply.get(i + 2) + 999) / 1000, Math.floorDiv((Long) reply.get(i + 3), 1000)));
        }
        return replies;
    }

    /** {@code EVAL body n key... now spec spec ...}; {@code now} in ms, empty for Redis's clock. */
    static String[] batchCommand(LimiterScript script, String now, List<ScriptKey> keys) {
        List<String> command = new ArrayList<>(List.of("EVAL", script.body(), Integer.toString(keys.size())));
        keys.forEach(key -> command.add(LimiterScript.redisKey(key.identity())));
        command.add(now);
        keys.forEach(key -> {
            command.add(LimiterScript.spec(new Quota(key.requests(), Duration.ofSeconds(key.window()), key.resolution())));
        });
        return command.toArray(String[]::new);
    }

    static ScriptReply allowed(long remaining, long reset, long now) {
        return new ScriptReply(true, remaining, reset, now);
    }

    static ScriptReply denied(long reset, long now) {
        return new ScriptReply(false, 0, reset, now);
    }
}
