package io.edgegateway.loadtest.upstream;

import java.util.Objects;
import java.util.function.LongSupplier;

/** Options for a {@link MockUpstream}; every one has a default, so {@code MockUpstream.builder().start()} works. */
public final class MockUpstreamBuilder {

    private String host = "127.0.0.1";
    private int port;
    private LatencyShape latency = LatencyShape.none();
    private String name;
    private Long seed;
    private LongSupplier nanoClock = System::nanoTime;
    private int ioThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
    private int recordedRequestsLimit = 1000;
    private int workers;

    MockUpstreamBuilder() {
    }

    /** The address to listen on; 127.0.0.1 by default. */
    public MockUpstreamBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The port to listen on; 0 (the default) picks a free one, see {@link MockUpstream#port()}. */
    public MockUpstreamBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        this.port = port;
        return this;
    }

    /** How long to wait before each answer; no delay by default. */
    public MockUpstreamBuilder latency(LatencyShape latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /** Same as {@code latency(LatencyShape.parse(spec))}. */
    public MockUpstreamBuilder latency(String spec) {
        return latency(LatencyShape.parse(spec));
    }

    /**
     * Serves with this many workers behind one FIFO queue (see {@link WorkerPool}): the latency shape
     * is then each request's service time, and a request waits for a free worker first. 0 (the
     * default): no queueing, every request gets the shape's delay.
     */
    public MockUpstreamBuilder workers(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: >= 0)");
        }
        this.workers = workers;
        return this;
    }

    /** The {@code X-Upstream} response header's value; {@code mock-<port>} by default. */
    public MockUpstreamBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Seeds the latency's randomness so a run's delays can be reproduced; random by default. */
    public MockUpstreamBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The clock that time-varying shapes (degrading) read, in nanoseconds; {@link System#nanoTime()} by default. */
    public MockUpstreamBuilder nanoClock(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        return this;
    }

    /** Event-loop threads; up to 4 by default. */
    public MockUpstreamBuilder ioThreads(int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
        }
        this.ioThreads = ioThreads;
        return this;
    }

    /** How many of the latest requests {@link MockUpstream#recordedRequests()} keeps; 1000 by default. */
    public MockUpstreamBuilder recordedRequestsLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("recordedRequestsLimit: " + limit + " (expected: > 0)");
        }
        this.recordedRequestsLimit = limit;
        return this;
    }

    /** Binds and returns a running upstream; the latency clock starts now. */
    public MockUpstream start() {
        LatencySampler sampler = new LatencySampler(latency, workers == 0 ? null : new WorkerPool(workers), seed, nanoClock);
        return MockUpstream.bind(host, port, ioThreads, new UpstreamState(name, sampler, recordedRequestsLimit));
    }
}
