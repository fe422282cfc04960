package io.edgegateway.loadtest.upstream;

import io.edgegateway.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mock HTTP/1.1 upstream that answers after a {@link LatencyShape}'s delay, for the gateway's tests and
 * for load tests. Query parameters on any path choose the answer; see {@link ResponseInstructions}.
 *
 * <pre>{@code
 * try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:1ms"))) {
 *     URI uri = upstream.uri("/anything?status=503");
 * }
 * }</pre>
 */
public final class MockUpstream implements AutoCloseable {

    private final String host;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final UpstreamState state;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MockUpstream(String host, EventLoopGroup group, Channel serverChannel, UpstreamState state) {
        this.host = host;
        this.group = group;
        this.serverChannel = serverChannel;
        this.state = state;
    }

    /** Starts an upstream on 127.0.0.1 at {@code port} (0 for a free one) with the given latency. */
    public static MockUpstream start(int port, LatencyShape latency) {
        return builder().port(port).latency(latency).start();
    }

    public static MockUpstreamBuilder builder() {
        return new MockUpstreamBuilder();
    }

    static MockUpstream bind(String host, int port, int ioThreads, UpstreamState state) {
        Transport transport = Transport.auto();
        EventLoopGroup group = transport.newGroup(ioThreads);
        Class<? extends ServerChannel> channelType = transport.serverChannelType();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new MockUpstreamInitializer(state))
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("mock upstream cannot listen on " + host + ":" + port + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return new MockUpstream(host, group, bound.channel(), state);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The host it listens on, as configured. */
    public String host() {
        return host;
    }

    /** The label sent in every response's {@code X-Upstream} header; {@code mock-<port>} unless configured. */
    public String name() {
        return state.nameFor(port());
    }

    public LatencyShape latency() {
        return state.latency().shape();
    }

    /** {@code http://host:port}, the form a gateway route's {@code upstreams} list takes. */
    public String baseUrl() {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (reachable.contains(":") ? "[" + reachable + "]" : reachable) + ":" + port();
    }

    /** A URI on this upstream, e.g. {@code uri("/echo?status=201")}. */
    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    /** How many connections it has accepted since it started. */
    public int connectionsAccepted() {
        return state.connectionsAccepted();
    }

    /** How many connections are open now. */
    public int connectionsOpen() {
        return state.channels().size();
    }

    /** How many responses it has started to send (counted before the first byte is written). */
    public long requestsServed() {
        return state.requestsServed();
    }

    /** The last requests received, oldest first (up to the builder's limit, 1000 by default). */
    /**
     * Generated body bytes ({@code ?bytes=}) handed to connections so far: it stops growing while
     * the reader at the other end does not read.
     */
    public long bytesSent() {
        return state.bodyBytesSent().get();
    }

    public List<RecordedRequest> recordedRequests() {
        return state.recentRequests().snapshot();
    }

    public Optional<RecordedRequest> lastRequest() {
        return state.recentRequests().last();
    }

    public void clearRecordedRequests() {
        state.recentRequests().clear();
    }

    /**
     * Stops listening, closes every connection and waits for the event loops to end. Idempotent; must not
     * be called from one of this upstream's own event loops.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        state.channels().close().awaitUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "MockUpstream[" + name() + " at " + baseUrl() + ", latency " + latency().spec() + "]";
    }
}
