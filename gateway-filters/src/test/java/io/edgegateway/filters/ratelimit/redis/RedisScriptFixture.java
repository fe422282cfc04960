package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import io.edgegateway.testkit.RespClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One limiter script run directly against a real redis-server with an injected {@code now}: a
 * server (and a client) per test class, registered as a static {@code @RegisterExtension} field.
 */
final class RedisScriptFixture implements BeforeAllCallback, AfterAllCallback {

    private final LimiterScript script;
    private RedisServer server;
    private RespClient client;

    RedisScriptFixture(LimiterScript script) {
        this.script = script;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.launch();
        client = server.client();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    /** Runs the script for {@code identity} with quota {@code requests} per {@code window} seconds at {@code now}. */
    ScriptReply eval(String identity, long requests, long window, long now) {
        return ScriptReply.eval(client, script, identity, requests, window, now);
    }

    /** The same at {@code resolution} instead of a second. */
    ScriptReply eval(String identity, long requests, long window, Duration resolution, long now) {
        return ScriptReply.eval(client, script, identity, requests, window, resolution, now);
    }

    /** A plain Redis command, to look at the keys the script left. */
    Object call(String... args) {
        return client.call(args);
    }
}
