package io.edgegateway.loadtest.upstream;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one mock upstream's connections share: its name, latency, counters and recent requests. */
final class UpstreamState {

    private final String configuredName;
    private final LatencySampler latency;
    private final RecentRequests recentRequests;
    private final ChannelGroup channels;
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicLong requestsServed = new AtomicLong();
    private final AtomicLong bodyBytesSent = new AtomicLong();

    UpstreamState(String configuredName, LatencySampler latency, int recordedRequestsLimit) {
        this.configuredName = configuredName;
        this.latency = latency;
        this.recentRequests = new RecentRequests(recordedRequestsLimit);
        this.channels = new DefaultChannelGroup("mock-upstream", GlobalEventExecutor.INSTANCE);
    }

    /** The configured name, else {@code mock-<port>}. */
    String nameFor(int port) {
        return configuredName != null ? configuredName : "mock-" + port;
    }

    LatencySampler latency() {
        return latency;
    }

    RecentRequests recentRequests() {
        return recentRequests;
    }

    ChannelGroup channels() {
        return channels;
    }

    /** Counts a new connection and returns its number, from 1. */
    int connectionAccepted() {
        return connectionsAccepted.incrementAndGet();
    }

    int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    void requestServed() {
        requestsServed.incrementAndGet();
    }

    long requestsServed() {
        return requestsServed.get();
    }

    /** Generated body bytes handed to connections so far (the {@code bytes} and {@code reset-after} bodies). */
    AtomicLong bodyBytesSent() {
        return bodyBytesSent;
    }
}
