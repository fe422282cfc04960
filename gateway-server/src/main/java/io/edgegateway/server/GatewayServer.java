package io.edgegateway.server;

import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.config.UpstreamDefaults;
import io.edgegateway.filters.identity.JwksRegistry;
import io.edgegateway.filters.latency.LatencyWindow;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.server.admin.AdminChannelInitializer;
import io.edgegateway.server.admin.AdminHandler;
import io.edgegateway.server.proxy.AcceptPause;
import io.edgegateway.server.proxy.ConnectionAdmission;
import io.edgegateway.server.proxy.DrainEvent;
import io.edgegateway.server.proxy.EventLoopLag;
import io.edgegateway.server.proxy.ProxyChannelInitializer;
import io.edgegateway.server.proxy.ProxyContext;
import io.edgegateway.server.proxy.UpstreamChannelInitializer;
import io.edgegateway.server.routing.Route;
import io.edgegateway.server.routing.RouteFilters;
import io.edgegateway.server.routing.RouteTable;
import io.edgegateway.server.tls.ServerTls;
import io.edgegateway.server.tls.UpstreamTls;
import io.edgegateway.server.tracing.Tracing;
import io.edgegateway.server.upstream.UpstreamHealthGauge;
import io.edgegateway.server.upstream.UpstreamInstance;
import io.edgegateway.server.upstream.UpstreamPools;
import io.edgegateway.server.upstream.UpstreamRegistry;
import io.edgegateway.server.upstream.dns.DnsWatch;
import io.edgegateway.server.upstream.health.HealthChecker;
import io.edgegateway.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The running gateway: the proxy port, the admin port, their event loops, and the current
 * configuration, which {@link #reload} swaps without touching open connections.
 */
public final class GatewayServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());
    /** How often the event loops publish their pools' connection counts for the gauges, and retire gone instances' pools. */
    private static final long GAUGE_PERIOD_MILLIS = 1000;

    private final GatewayMetrics metrics = new GatewayMetrics();
    /** The jwt sources' JWKS key sets, kept across reloads, fetched on their own thread. */
    private final JwksRegistry jwks = new JwksRegistry(metrics.jwksRefreshes);
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Transport transport;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final ProxyContext context;
    private final RateLimitStores rateLimitStores;
    private final AccessLog accessLog;
    /** Null when tracing is off. */
    private final Tracing tracing;
    private final HealthChecker healthChecker;
    private final DnsWatch dns;
    private final UpstreamRegistry upstreams;
    private final Channel listener;
    private final Channel admin;
    private volatile GatewayConfig config;
    /** Listening and not draining. */
    private volatile boolean ready;
    /** The rate-limit store's connections are open, or their connect timeout has passed. */
    private volatile boolean storeOpened;
    /** Every jwks-url's first fetch has succeeded or failed (each bounded by its jwks-timeout). */
    private volatile boolean jwksFetched;

    private GatewayServer(GatewayConfig config, int workerThreads, boolean refuseAll) throws InterruptedException {
        this.config = config;
        transport = Transport.named(config.eventLoops().transport().label());
        acceptors = transport.newGroup(1);
        workers = transport.newGroup(workerThreads);
        SslContext upstreamTls = UpstreamTls.clientContext(config.upstream().trustFile());
        UpstreamPools pools = new UpstreamPools(transport,
                new UpstreamChannelInitializer(config.upstream().idleTimeout(), upstreamTls,
                        UpstreamTls.http2ClientContext(config.upstream().trustFile()), config.upstream().h2MaxConcurrentStreams()),
                config.upstream(), workerThreads);
        // Health checks run on the acceptor loop: off the request path, and they only open a connection now and then.
        healthChecker = new HealthChecker(acceptors, transport.channelType(),
                (instance, healthy) -> ((UpstreamInstance) instance).healthCheckChanged(healthy));
        dns = new DnsWatch(acceptors.next(), transport.datagramChannelType(), config.upstream().dnsRefresh());
        upstreams = new UpstreamRegistry(metrics, healthChecker, Optional.of(upstreamTls), dns, System::nanoTime);
        new UpstreamHealthGauge(upstreams).register(metrics.registry());
        rateLimitStores = RateLimitStores.create(config.rateLimit(), metrics, workers);
        RouteTable routes = compileRoutes(config, null);
        try {
            accessLog = AccessLog.open(config.accessLog(), metrics.accessLogDropped);
        } catch (IOException e) {
            rateLimitStores.close();
            jwks.close();
            shutdownLoops();
            throw new UncheckedIOException("access-log.path " + config.accessLog().path() + ": " + e.getMessage(), e);
        }
        ServerTls tls;
        try {
            tls = config.listen().tls().map(t -> ServerTls.load(t, config.listen().http2().enabled())).orElse(null);
        } catch (RuntimeException e) {
            rateLimitStores.close();
            jwks.close();
            shutdownLoops();
            accessLog.close();
            throw e;
        }
        tracing = Tracing.start(config.tracing(), metrics);
        EventLoopLag loopLag = refuseAll
                ? EventLoopLag.refusingAll(workers) : EventLoopLag.watch(workers, config.limits().maxEventLoopLag());
        context = new ProxyContext(routes, tls, pools, metrics, config.limits(), config.shutdownGrace(), accessLog,
                loopLag, tracing);
        pools.maintainEvery(workers, GAUGE_PERIOD_MILLIS, upstreams::inUse);
        new ConnectionGauges(pools, clients).register(metrics.registry());
        new LocalStoreGauges(rateLimitStores.local().budget()).register(metrics.registry());
        new InstancesGauge(rateLimitStores.instances()).register(metrics.registry());
        watchLatency(routes);
        try {
            admin = new ServerBootstrap()
                    .group(acceptors)
                    .channel(transport.serverChannelType())
                    .childHandler(new AdminChannelInitializer(new AdminHandler(metrics.registry(), this::isReady)))
                    .bind(config.admin().host(), config.admin().port()).sync().channel();
            listener = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ProxyChannelInitializer(context, clients, config.listen().http2(),
                            new ConnectionAdmission(config.limits(), metrics)))
                    .bind(config.listen().host(), config.listen().port()).sync().channel();
        } catch (Exception e) {
            // Also what sync() throws undeclared, such as the IOException of a port in use.
            rateLimitStores.close();
            jwks.close();
            shutdownLoops();
            accessLog.close();
            closeTracing();
            throw e;
        }
        new ListenerPausedGauge(AcceptPause.watch(listener, loopLag)::paused).register(metrics.registry());
        // One thread rotates every route's live latency window and runs its shedder.
        acceptors.next().scheduleAtFixedRate(this::tickRoutes, Route.MIN_SLICE_NANOS, Route.MIN_SLICE_NANOS,
                TimeUnit.NANOSECONDS);
        ready = true;
        rateLimitStores.opened().thenRun(() -> storeOpened = true);
        jwks.firstFetches().thenRun(() -> jwksFetched = true);
        LOG.log(System.Logger.Level.INFO, "gateway listening on {0} (admin {1}), {2} transport ({3}), {4} event loops, {5}, {6} routes",
                describe(listener), describe(admin), transport.name(), config.eventLoops().transport().label(),
                workerThreads, protocols(config, tls), config.routes().size());
    }

    /** Starts a gateway with {@code event-loops} worker event loops, one per core when it is {@code auto}. */
    public static GatewayServer start(GatewayConfig config) throws InterruptedException {
        return start(config, config.eventLoops().countOr(Runtime.getRuntime().availableProcessors()));
    }

    public static GatewayServer start(GatewayConfig config, int workerThreads) throws InterruptedException {
        return new GatewayServer(config, workerThreads, false);
    }

    /**
     * A gateway that refuses every request with 503 {@code overloaded}, as it does while its loops are
     * behind ({@link EventLoopLag#refusingAll}): for tests of that answer and for measuring its cost.
     */
    static GatewayServer startRefusingAll(GatewayConfig config, int workerThreads) throws InterruptedException {
        return new GatewayServer(config, workerThreads, true);
    }

    /**
     * Serves new requests with {@code newConfig}'s routes and policies, and new connections with its
     * certificates (read again from their files). Listen and admin addresses, whether TLS and HTTP/2
     * are on, limits and pool sizes are fixed at start; a change to them is logged and waits for a
     * restart. Throws, changing nothing, when a certificate cannot be used.
     */
    public void reload(GatewayConfig newConfig) {
        GatewayConfig old = config;
        ServerTls tls = context.tls() == null ? null
                : newConfig.listen().tls().map(t -> ServerTls.load(t, old.listen().http2().enabled())).orElse(context.tls());
        RouteTable routes = compileRoutes(newConfig, context.routes());
        // A jwks-url new to this config is fetched before its routes serve (bounded by its jwks-timeout);
        // this is the reload thread, never an event loop.
        jwks.firstFetches().join();
        if (!old.rateLimit().store().equals(newConfig.rateLimit().store())
                || !old.rateLimit().algorithm().equals(newConfig.rateLimit().algorithm())
                || !old.rateLimit().redis().equals(newConfig.rateLimit().redis())
                || !old.rateLimit().local().equals(newConfig.rateLimit().local())
                || old.rateLimit().instances().isPresent() != newConfig.rateLimit().instances().isPresent()) {
            LOG.log(System.Logger.Level.WARNING,
                    "rate-limit store, algorithm, redis and local settings, and instances = auto, change only on restart;"
                            + " quotas and policies reload");
        }
        if (!old.listen().equals(newConfig.listen()) || !old.admin().equals(newConfig.admin())
                || !old.limits().equals(newConfig.limits()) || !samePools(old.upstream(), newConfig.upstream())
                || !old.accessLog().equals(newConfig.accessLog()) || !old.eventLoops().equals(newConfig.eventLoops())
                || !old.tracing().equals(newConfig.tracing())) {
            LOG.log(System.Logger.Level.WARNING,
                    "listen, admin, limits, upstream pool, dns-refresh, access-log, tracing, transport and event-loops settings"
                            + " change only on restart;"
                            + " the rest (outlier detection included) is reloaded");
        }
        context.replaceRoutes(routes);
        context.replaceTls(tls);
        jwks.retainOnly(newConfig.identity());
        watchLatency(routes);
        config = newConfig;
    }

    /**
     * Stops accepting, lets every in-flight request finish (each connection closes after its
     * response), and waits up to {@code grace}. True when every client connection was done in time.
     */
    public boolean drain(Duration grace) throws InterruptedException {
        ready = false;
        context.startDraining();
        listener.close().sync();
        for (Channel client : clients) {
            client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return clients.isEmpty();
    }

    /** Outlier detection reloads through the routes; the pools' settings and dns-refresh are fixed at start. */
    private static boolean samePools(UpstreamDefaults old, UpstreamDefaults next) {
        return old.maxConnections() == next.maxConnections() && old.maxPending() == next.maxPending()
                && old.idleTimeout().equals(next.idleTimeout()) && old.trustFile().equals(next.trustFile())
                && old.dnsRefresh().equals(next.dnsRefresh());
    }

    /** Points {@code gateway_route_latency_seconds} at these routes' windows, and only these. */
    private void watchLatency(RouteTable routes) {
        Map<String, LatencyWindow> windows = new HashMap<>();
        for (Route route : routes.routes()) {
            windows.put(route.id(), route.latencyWindow());
        }
        metrics.watchLatency(windows);
    }

    private void tickRoutes() {
        long now = System.nanoTime();
        for (Route route : context.routes().routes()) {
            route.tick(now);
        }
    }

    private RouteTable compileRoutes(GatewayConfig routesConfig, RouteTable previous) {
        RouteFilters filters = new RouteFilters(routesConfig, rateLimitStores.store(), rateLimitStores.local(),
                rateLimitStores.instances(), metrics, jwks);
        RouteTable table = RouteTable.compile(routesConfig.routes(), metrics, filters::forRoute,
                routesConfig.loadShedding(), routesConfig.paths(), upstreams::clusterFor, previous);
        upstreams.retainOnly(routesConfig.routes().stream().map(RouteConfig::id).collect(Collectors.toSet()));
        return table;
    }

    @Override
    public void close() {
        ready = false;
        listener.close().syncUninterruptibly();
        admin.close().syncUninterruptibly();
        clients.close().syncUninterruptibly();
        healthChecker.close();
        dns.close();
        // Before the loops: a Redis store's connections live on them.
        rateLimitStores.close();
        jwks.close();
        shutdownLoops();
        accessLog.close();
        closeTracing();
    }

    /** After the loops: the last requests' spans are queued by then. */
    private void closeTracing() {
        if (tracing != null) {
            tracing.close();
        }
    }

    private void shutdownLoops() {
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int adminPort() {
        return ((InetSocketAddress) admin.localAddress()).getPort();
    }

    /**
     * What {@code /ready} answers: listening, not draining, the rate-limit store's connections opened
     * (or timed out), and every jwks-url's first fetch done (or failed, or timed out).
     */
    public boolean isReady() {
        return ready && storeOpened && jwksFetched;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The transport every loop and socket of this gateway uses. */
    public Transport transport() {
        return transport;
    }

    /** The event loops that serve clients; for tests that need one of them busy. */
    EventLoopGroup workers() {
        return workers;
    }

    /** The routes new requests are matched against now. */
    public RouteTable routes() {
        return context.routes();
    }

    private static String protocols(GatewayConfig config, ServerTls tls) {
        boolean http2 = config.listen().http2().enabled();
        if (tls == null) {
            return http2 ? "HTTP/1.1 and h2c" : "HTTP/1.1";
        }
        return (http2 ? "TLS (h2, HTTP/1.1)" : "TLS (HTTP/1.1)") + " by " + tls.provider();
    }

    private static String describe(Channel channel) {
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        return address.getHostString() + ":" + address.getPort();
    }
}
