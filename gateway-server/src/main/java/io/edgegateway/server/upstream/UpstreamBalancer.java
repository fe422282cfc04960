package io.edgegateway.server.upstream;

import io.edgegateway.config.LoadBalancing;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks the upstream instance for one request among a route's instances. */
public sealed interface UpstreamBalancer {

    /**
     * One of {@code upstreams}; {@code pools} tell the requests each has in flight on the calling
     * loop. Called on an event loop for every request of a multi-instance route, so it takes the
     * pools themselves rather than a function of them (a lambda capturing the loop, per request).
     */
    UpstreamInstance choose(List<UpstreamInstance> upstreams, UpstreamPools pools);

    static UpstreamBalancer of(LoadBalancing kind) {
        return switch (kind) {
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_REQUEST -> new LeastRequest();
        };
    }

    /** Each instance in turn. */
    final class RoundRobin implements UpstreamBalancer {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public UpstreamInstance choose(List<UpstreamInstance> upstreams, UpstreamPools pools) {
            return upstreams.get(Math.floorMod(next.getAndIncrement(), upstreams.size()));
        }
    }

    /**
     * Power of two choices: of two instances drawn at random, the one with fewer requests in
     * flight on this loop. Nearly as good as scanning all, and it never herds onto one instance.
     */
    final class LeastRequest implements UpstreamBalancer {
        @Override
        public UpstreamInstance choose(List<UpstreamInstance> upstreams, UpstreamPools pools) {
            int size = upstreams.size();
            if (size == 1) {
                return upstreams.get(0);
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int a = random.nextInt(size);
            int b = random.nextInt(size - 1);
            if (b >= a) {
                b++;
            }
            UpstreamInstance first = upstreams.get(a);
            UpstreamInstance second = upstreams.get(b);
            return pools.inFlightHere(first.address()) <= pools.inFlightHere(second.address()) ? first : second;
        }
    }
}
