package io.edgegateway.server.upstream.dns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a hosts file of the test's own and a name server that never answers: no internet needed. */
class DnsWatchTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String NAME = "dns-watch-test.internal";

    @TempDir
    Path dir;
    private Path hostsFile;
    private EventLoopGroup group;
    private DnsWatch dns;
    private final BlockingQueue<List<InetAddress>> reported = new LinkedBlockingQueue<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final DnsWatch.Listener listener = new DnsWatch.Listener() {
        @Override
        public void onAddresses(String host, List<InetAddress> addresses) {
            reported.add(addresses);
        }

        @Override
        public void onLookupFailed(String host, Throwable cause) {
            failures.incrementAndGet();
        }
    };

    @BeforeEach
    void start() throws IOException {
        hostsFile = dir.resolve("hosts");
        Files.writeString(hostsFile, "127.0.0.1 localhost\n");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        dns = new DnsWatch(group.next(), NioDatagramChannel.class, Duration.ofMillis(50), hostsFile,
                new SingletonDnsServerAddressStreamProvider(silentNameServer()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
    }

    /** A loopback UDP port nobody listens on: every query to it times out. */
    private static InetSocketAddress silentNameServer() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    @Test
    void followsTheHostsFileAndKeepsTheLastAddressesWhenALookupFails() throws Exception {
        Files.writeString(hostsFile, "127.0.0.2 " + NAME + "\n");
        DnsWatch.Watch watch = dns.watch(NAME, listener);
        assertEquals(List.of(ip("127.0.0.2")), reported.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));

        Files.writeString(hostsFile, "127.0.0.3 " + NAME + "\n");
        assertEquals(List.of(ip("127.0.0.3")), reported.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(ip("127.0.0.3")), watch.current());

        Files.writeString(hostsFile, "127.0.0.1 localhost\n");
        await().atMost(DEADLINE).until(() -> failures.get() >= 2);
        assertEquals(List.of(ip("127.0.0.3")), watch.current());
        assertTrue(reported.isEmpty(), "a failed lookup is no change");
    }

    /** What a lookup gives now, nothing when it fails. */
    private List<InetAddress> lookup(String host) throws Exception {
        return dns.resolveOnce(host).handle((addresses, failure) -> failure == null ? addresses : List.<InetAddress>of())
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void everyRecordIsAnInstanceInAStableOrder() throws Exception {
        Files.writeString(hostsFile, "::2 " + NAME + "\n127.0.0.9 " + NAME + "\n127.0.0.4 " + NAME.toUpperCase() + "\n");
        List<InetAddress> expected = List.of(ip("127.0.0.4"), ip("127.0.0.9"), ip("::2"));
        await().atMost(DEADLINE).until(() -> lookup(NAME).equals(expected));
        assertEquals(expected, lookup(NAME + "."), "a fully qualified name is the same name");
    }

    @Test
    void literalAddressesAreNeverLookedUp() throws Exception {
        assertEquals(List.of(ip("10.1.2.3")), dns.resolveOnce("10.1.2.3").get());
        DnsWatch.Watch watch = dns.watch("[::1]", listener);
        assertEquals(List.of(ip("::1")), reported.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(ip("::1")), watch.current());
        assertEquals(0, failures.get());
    }

    @Test
    void localhostResolvesWithoutAnyNameServer() throws Exception {
        Files.writeString(hostsFile, "127.0.0.5 " + NAME + "\n");
        await().atMost(DEADLINE).until(() -> !lookup(NAME).isEmpty());
        assertEquals(List.of(ip("127.0.0.1")), lookup("localhost"), "not in the hosts file, still loopback");
    }

    @Test
    void anUnknownNameFails() {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> dns.resolveOnce("nowhere.dns-watch-test.internal").get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof java.net.UnknownHostException, failure.getCause().toString());
    }

    @Test
    void aCancelledWatchHearsNothingMore() throws Exception {
        Files.writeString(hostsFile, "127.0.0.2 " + NAME + "\n");
        await().atMost(DEADLINE).until(() -> lookup(NAME).equals(List.of(ip("127.0.0.2"))));
        DnsWatch.Watch watch = dns.watch(NAME, listener);
        assertEquals(List.of(ip("127.0.0.2")), reported.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        watch.cancel();
        Files.writeString(hostsFile, "127.0.0.3 " + NAME + "\n");
        // a second watch sees the change, so the refresh ran; the cancelled one did not hear of it
        DnsWatch.Watch other = dns.watch(NAME, (host, addresses) -> { });
        await().atMost(DEADLINE).until(() -> other.current().equals(List.of(ip("127.0.0.3"))));
        assertEquals(List.of(ip("127.0.0.2")), watch.current());
        assertTrue(reported.isEmpty());
    }
}
