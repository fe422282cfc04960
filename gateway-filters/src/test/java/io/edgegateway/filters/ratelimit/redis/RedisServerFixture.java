package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.testkit.RedisServer;
import io.edgegateway.testkit.RespClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server and one client to it per test class, registered as a static
 * {@code @RegisterExtension} field, for tests that send scripts and commands to Redis themselves.
 */
class RedisServerFixture implements BeforeAllCallback, AfterAllCallback {

    private RedisServer server;
    private RespClient client;

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

    /** The client, open from before the first test until after the last. */
    RespClient client() {
        return client;
    }

    /** A plain Redis command. */
    Object call(String... args) {
        return client.call(args);
    }
}
