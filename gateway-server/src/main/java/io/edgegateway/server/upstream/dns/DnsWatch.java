package io.edgegateway.server.upstream.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Upstream host names resolved again every {@code refresh}: every A and AAAA record is an instance.
 *
 * <p>The hosts file is read again at each refresh and consulted first; other names go to the DNS
 * servers of {@code /etc/resolv.conf} through Netty's non-blocking resolver on {@code loop}, with no
 * cache of its own, so each refresh sees what DNS says then. Literal IP hosts are never looked up.
 * The refresh runs on one thread of the watch's own, which is where the hosts file is read: no event
 * loop waits on the file system or on DNS.
 */
public final class DnsWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DnsWatch.class.getName());
    private static final Path HOSTS_FILE = Path.of("/etc/hosts");
    private static final long MAX_QUERY_TIMEOUT_MILLIS = 5_000;
    /** IPv4 first, then by address, so a server rotating its answers is not a change. */
    private static final Comparator<InetAddress> ORDER = Comparator
            .comparing((InetAddress address) -> address instanceof Inet4Address ? 0 : 1)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    /** Told when a watched host's addresses change; called on the resolver's loop, so it must not block. */
    public interface Listener {
        void onAddresses(String host, List<InetAddress> addresses);

        /** A lookup failed and the last addresses stay; for metrics, the failure is logged already. */
        default void onLookupFailed(String host, Throwable cause) {
        }
    }

    /** One watched host. */
    public interface Watch {
        /** The addresses of the last successful lookup, sorted; empty before the first one. */
        List<InetAddress> current();

        void cancel();
    }

    private final EventLoop loop;
    private final Path hostsFile;
    private final DnsNameResolver resolver;
    private final ScheduledExecutorService refresher;
    private final Set<WatchedHost> watched = ConcurrentHashMap.newKeySet();
    private volatile HostsFileSnapshot hosts = HostsFileSnapshot.EMPTY;

    /**
     * @param loop the loop the resolver's socket lives on (the watch never shuts it down)
     * @param datagramType the datagram channel of {@code loop}'s transport
     */
    public DnsWatch(EventLoop loop, Class<? extends DatagramChannel> datagramType, Duration refresh) {
        this(loop, datagramType, refresh, HOSTS_FILE, DnsServerAddressStreamProviders.platformDefault());
    }

    DnsWatch(EventLoop loop, Class<? extends DatagramChannel> datagramType, Duration refresh,
             Path hostsFile, DnsServerAddressStreamProvider nameServers) {
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh: " + refresh + " (expected: > 0)");
        }
        this.loop = loop;
        this.hostsFile = hostsFile;
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(datagramType)
                .nameServerProvider(nameServers)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                // Our own snapshot of the hosts file is consulted before the resolver is asked.
                .hostsFileEntriesResolver((host, types) -> null)
                .queryTimeoutMillis(Math.min(refresh.toMillis(), MAX_QUERY_TIMEOUT_MILLIS))
                .build();
        readHostsFile();
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dns-watch");
            thread.setDaemon(true);
            return thread;
        });
        long millis = refresh.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Resolves {@code host} now, then every refresh; the listener hears of the first result and of each change. */
    public Watch watch(String host, Listener listener) {
        WatchedHost watch = new WatchedHost(host, listener, loop, this::resolveOnce, watched::remove);
        if (literal(host) == null) {
            watched.add(watch);
        }
        watch.refresh();
        return watch;
    }

    /** One lookup, never blocking the caller: the sorted addresses, or an {@link UnknownHostException}. */
    public CompletableFuture<List<InetAddress>> resolveOnce(String host) {
        InetAddress literal = literal(host);
        if (literal != null) {
            return CompletableFuture.completedFuture(List.of(literal));
        }
        List<InetAddress> fromHostsFile = hosts.lookup(host);
        if (!fromHostsFile.isEmpty()) {
            return CompletableFuture.completedFuture(sorted(fromHostsFile));
        }
        if ("localhost".equalsIgnoreCase(host)) {
            return CompletableFuture.completedFuture(List.of(NetUtil.LOCALHOST4));
        }
        CompletableFuture<List<InetAddress>> result = new CompletableFuture<>();
        resolver.resolveAll(host).addListener(done -> {
            if (done.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<InetAddress> addresses = (List<InetAddress>) done.getNow();
                result.complete(sorted(addresses));
            } else {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    private static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return NetUtil.createInetAddressFromIpAddressString(bare);
    }

    private static List<InetAddress> sorted(List<InetAddress> addresses) {
        return addresses.stream().distinct().sorted(ORDER).toList();
    }

    private void refresh() {
        readHostsFile();
        for (WatchedHost watch : watched) {
            watch.refresh();
        }
    }

    private void readHostsFile() {
        try {
            hosts = HostsFileSnapshot.read(hostsFile);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read {0}, keeping its last entries: {1}", hostsFile, e.toString());
        }
    }

    /** Stops the refreshes and closes the resolver; watches keep their last addresses. */
    @Override
    public void close() {
        refresher.shutdownNow();
        for (WatchedHost watch : watched) {
            watch.cancel();
        }
        resolver.close();
    }
}
