package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.testkit.RespClient;
import java.util.List;

/** One script call made directly over RESP, as the tests drive the Lua with an injected {@code now}. */
record ScriptReply(boolean allowed, long remaining, long reset, long now) {

    static ScriptReply eval(RespClient redis, LimiterScript script, String identity, long requests, long window, long now) {
        List<?> reply = (List<?>) redis.call("EVAL", script.body(), "1", LimiterScript.redisKey(identity),
                Long.toString(requests), Long.toString(window), Long.toString(now));
        return new ScriptReply((Long) reply.get(0) == 1L, (Long) reply.get(1), (Long) reply.get(2), (Long) reply.get(3));
    }

    static ScriptReply allowed(long remaining, long reset, long now) {
        return new ScriptReply(true, remaining, reset, now);
    }

    static ScriptReply denied(long reset, long now) {
        return new ScriptReply(false, 0, reset, now);
    }
}
