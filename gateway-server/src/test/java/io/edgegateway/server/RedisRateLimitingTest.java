package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway limiting with two real Redis shards, and what each failure policy does when one dies. */
class RedisRateLimitingTest {

    private MockUpstream upstream;
    private RedisServer first;
    private RedisServer second;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = MockUpstream.builder().name("up").start();
        first = RedisServer.launch();
        second = RedisServer.launch();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        first.close();
        second.close();
    }

    private void startGateway(String onStoreFailure) throws Exception {
        startGateway(onStoreFailure, "60s");
    }

    private void startGateway(String onStoreFailure, String openFor) throws Exception {
        gateway = TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                rate-limit {
                  store = redis
                  on-store-failure = %s
                  instances = 2
                  redis {
                    shards = [ "%s", "%s" ]
                    command-timeout = 200ms
                    circuit-breaker { failure-threshold = 2, open-for = %s }
                  }
                }
                routes = [ { id = api, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                             rate-limit { requests = 4, window = 60s } } ]
                """.formatted(onStoreFailure, first.uri(), second.uri(), openFor, upstream.port()));
    }

    private int get(String apiKey) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send("GET / HTTP/1.1\r\nHost: a\r\nX-API-Key: " + apiKey + "\r\n\r\n").read().status();
        }
    }

    /** Identities whose keys live on each shard, found by asking the shards where keys landed. */
    private String identityOn(RedisServer shard) throws Exception {
        for (int i = 0; ; i++) {
            String identity = "user-" + i;
            long before = dbSize(shard);
            get(identity);
            if (dbSize(shard) > before) {
                return identity;
            }
        }
    }

    private static long dbSize(RedisServer shard) {
        return Long.parseLong(String.valueOf(shard.call("DBSIZE")));
    }

    @Test
    void identitiesAreLimitedAcrossTheShards() throws Exception {
        startGateway("fail-open");
        // Sixteen identities: the chance that the ring puts them all on one shard is 2^-15.
        for (int n = 0; n < 16; n++) {
            String user = "user-" + n;
            for (int i = 0; i < 4; i++) {
                assertThat(get(user)).isEqualTo(200);
            }
            assertThat(get(user)).isEqualTo(429);
        }
        assertThat(dbSize(first) + dbSize(second)).isEqualTo(16);
        assertThat(dbSize(first)).isPositive();
        assertThat(dbSize(second)).isPositive();
    }

    @Test
    void failOpenForwardsWhileTheShardIsDown() throws Exception {
        startGateway("fail-open");
        String user = identityOn(first);
        first.kill();
        for (int i = 0; i < 10; i++) {
            assertThat(get(user)).isEqualTo(200);
        }
        assertThat(gateway.admin("/metrics").body())
                .contains("gateway_ratelimit_decisions_total{route=\"api\",decision=\"fail_open\",}")
                .contains("gateway_ratelimit_circuit_state{shard=");
    }

    @Test
    void failClosedAnswers503WhileTheShardIsDown() throws Exception {
        startGateway("fail-closed");
        String onFirst = identityOn(first);
        String onSecond = identityOn(second);
        first.kill();
        assertThat(get(onFirst)).isEqualTo(503);
        assertThat(get(onFirst)).isEqualTo(503);
        assertThat(get(onSecond)).as("the other shard still decides").isEqualTo(200);
    }

    @Test
    void localFallbackEnforcesThisInstancesShare() throws Exception {
        startGateway("local");
        String user = identityOn(first);
        first.kill();
        // requests = 4 shared by instances = 2: this instance allows 2 on its own.
        assertThat(get(user)).isEqualTo(200);
        assertThat(get(user)).isEqualTo(200);
        assertThat(get(user)).isEqualTo(429);
    }

    @Test
    void limitingResumesWhenTheShardReturns() throws Exception {
        startGateway("fail-closed", "1s");
        String user = identityOn(first);
        first.kill();
        assertThat(get(user)).isEqualTo(503);
        assertThat(get(user)).isEqualTo(503);
        first.start();
        // After open-for, a probe goes through, succeeds, and the breaker closes.
        await().atMost(Duration.ofSeconds(30)).until(() -> get(user) == 200);
        assertThat(gateway.admin("/metrics").body()).contains("gateway_ratelimit_circuit_state{shard=\"" + first.uri());
    }

    /**
     * Requests pipelined on one connection to a Redis-limited route, each waiting for its decision
     * while the next is already on the socket (which stays armed meanwhile): every one is answered,
     * in order, the quota's first four allowed and the rest denied.
     */
    @Test
    void pipelinedLimitedRequestsAreAnsweredInOrder() throws Exception {
        startGateway("fail-closed");
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            pipeline.append("GET /echo?i=").append(i).append(" HTTP/1.1\r\nHost: a\r\nX-API-Key: piped\r\n\r\n");
        }
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send(pipeline.toString());
            for (int i = 0; i < 6; i++) {
                RawHttpConnection.Response response = connection.read();
                assertThat(response.status()).as("request %d", i).isEqualTo(i < 4 ? 200 : 429);
                if (i < 4) {
                    assertThat(response.bodyText()).contains("i=" + i + "\"");
                }
            }
        }
    }
}
