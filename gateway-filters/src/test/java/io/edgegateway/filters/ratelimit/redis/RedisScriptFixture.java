package io.edgegateway.filters.ratelimit.redis;

import java.time.Duration;

/**
 * One limiter script run directly against a real redis-server with an injected {@code now}: a
 * server (and a client) per test class, registered as a static {@code @RegisterExtension} field.
 */
final class RedisScriptFixture extends RedisServerFixture {

    private final LimiterScript script;

    RedisScriptFixture(LimiterScript script) {
        this.script = script;
    }

    /** Runs the script for {@code identity} with quota {@code requests} per {@code window} seconds at {@code now}. */
    ScriptReply eval(String identity, long requests, long window, long now) {
        return ScriptReply.eval(client(), script, identity, requests, window, now);
    }

    /** The same at {@code resolution} instead of a second. */
    ScriptReply eval(String identity, long requests, long window, Duration resolution, long now) {
        return ScriptReply.eval(client(), script, identity, requests, window, resolution, now);
    }
}
