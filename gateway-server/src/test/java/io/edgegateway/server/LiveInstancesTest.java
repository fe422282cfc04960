package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rate-limit.instances = auto}: the gateways count each other from their heartbeats in the
 * store, follow a third one joining and leaving, and keep the last count when the store is gone,
 * so that {@code on-store-failure = local} enforces {@code requests / live gateways}.
 */
class LiveInstancesTest {

    private MockUpstream upstream;
    private RedisServer redis;
    private TestGateway a;
    private TestGateway b;
    private TestGateway c;

    @BeforeEach
    void start() {
        upstream = MockUpstream.builder().name("up").start();
        redis = RedisServer.launch();
    }

    @AfterEach
    void stop() {
        for (TestGateway gateway : new TestGateway[] {a, b, c}) {
            if (gateway != null) {
                gateway.close();
            }
        }
        upstream.close();
        redis.close();
    }

    private TestGateway startGateway() throws Exception {
        return TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                rate-limit {
                  store = redis
                  on-store-failure = local
                  instances = auto
                  redis {
                    shards = [ "%s" ]
                    circuit-breaker { failure-threshold = 1, open-for = 60s }
                  }
                }
                routes = [ { id = api, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                             rate-limit { requests = 4, window = 60s } } ]
                """.formatted(redis.uri(), upstream.port()));
    }

    @Test
    void followsAGatewayJoiningAndLeavingAndHoldsTheLastCountWithoutTheStore() throws Exception {
        a = startGateway();
        b = startGateway();
        awaitCount(2, a, b);

        c = startGateway();
        awaitCount(3, a, b, c);

        c.close();
        c = null;
        awaitCount(2, a, b);

        // The store gone, each of the two enforces its share, 4 / 2, and says so.
        redis.kill();
        int allowed = 0;
        for (int i = 0; i < 5; i++) {
            int status = a.get("/").statusCode();
            assertThat(status).isIn(200, 429);
            if (status == 200) {
                allowed++;
            }
        }
        assertThat(allowed).as("allowed locally of 5, with the last count of 2").isEqualTo(2);
        assertThat(instances(a)).isEqualTo(2);
    }

    private static void awaitCount(int expected, TestGateway... gateways) {
        for (TestGateway gateway : List.of(gateways)) {
            await("gateway_ratelimit_instances = " + expected).atMost(Duration.ofSeconds(30))
                    .until(() -> instances(gateway) == expected);
        }
    }

    private static double instances(TestGateway gateway) {
        Double value = gateway.server().metrics().registry().getSampleValue("gateway_ratelimit_instances");
        return value == null ? 0 : value;
    }
}
