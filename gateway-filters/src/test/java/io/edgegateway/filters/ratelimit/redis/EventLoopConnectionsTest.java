package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A store given the caller's event loops keeps each loop's decisions on that loop's thread. */
class EventLoopConnectionsTest {

    private static final Quota QUOTA = new Quota(2, Duration.ofSeconds(60));

    private static RedisServer redis;
    private static EventLoopGroup loops;
    private static RedisRateLimitStore store;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        store = RedisRateLimitStore.create(ShardedStoreTest.config(redis), StoreType.REDIS, Algorithm.SLIDING_LOG,
                new GatewayMetrics(), loops);
    }

    @AfterAll
    static void stop() {
        store.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        redis.close();
    }

    @Test
    void aDecisionAskedForOnALoopCompletesOnThatLoopsThread() throws Exception {
        int index = 0;
        for (EventExecutor loop : loops) {
            Thread loopThread = loop.submit(Thread::currentThread).get();
            String identity = "loop-" + index++;
            for (int request = 1; request <= 3; request++) {
                CompletableFuture<Thread> completedOn = new CompletableFuture<>();
                CompletableFuture<RateLimitDecision> decision = new CompletableFuture<>();
                loop.execute(() -> store.decide(identity, QUOTA).whenComplete((result, error) -> {
                    completedOn.complete(Thread.currentThread());
                    if (error != null) {
                        decision.completeExceptionally(error);
                    } else {
                        decision.complete(result);
                    }
                }));
                assertThat(completedOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread);
                assertThat(decision.get().allowed()).isEqualTo(request <= 2);
            }
        }
    }

    @Test
    void aThreadOutsideTheLoopsIsServedToo() {
        RateLimitDecision decision = store.decide("outside", QUOTA).toCompletableFuture().join();

        assertThat(decision).isEqualTo(RateLimitDecision.allowed(2, 1, 0));
    }
}
