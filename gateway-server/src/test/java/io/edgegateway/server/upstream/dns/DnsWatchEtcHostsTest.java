package io.edgegateway.server.upstream.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@code /etc/hosts}, edited in place as an operator would (we run as root). Only the
 * test's own line is ever added and removed, so a concurrent edit by anyone else survives.
 */
class DnsWatchEtcHostsTest {

    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final String NAME = "dns-watch-etc-hosts-test.internal";
    private static final long DEADLINE_SECONDS = 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DnsWatch dns = new DnsWatch(group.next(), NioDatagramChannel.class, Duration.ofMillis(50));

    @AfterEach
    void restore() throws Exception {
        try {
            setEntry(null);
        } finally {
            dns.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        }
    }

    /** Replaces the test's line with one for {@code address}, or removes it when null. */
    private static synchronized void setEntry(String address) throws IOException {
        String kept = Files.readAllLines(HOSTS).stream()
                .filter(line -> !line.endsWith(" " + NAME))
                .map(line -> line + "\n")
                .collect(Collectors.joining());
        Files.writeString(HOSTS, address == null ? kept : kept + address + " " + NAME + "\n");
    }

    @Test
    void readsEtcHostsAgainOnEveryRefresh() throws Exception {
        BlockingQueue<List<InetAddress>> reported = new LinkedBlockingQueue<>();
        setEntry("127.0.0.2");
        // written after the watch read the file at construction: the refresh must pick it up
        DnsWatch.Watch watch = dns.watch(NAME, (host, addresses) -> reported.add(addresses));
        assertEquals(List.of(InetAddress.getByName("127.0.0.2")), reported.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));

        setEntry("127.0.0.3");
        assertEquals(List.of(InetAddress.getByName("127.0.0.3")), reported.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(InetAddress.getByName("127.0.0.3")), watch.current());
    }

    @Test
    void localhostResolves() throws Exception {
        assertTrue(dns.resolveOnce("localhost").get(DEADLINE_SECONDS, TimeUnit.SECONDS).contains(InetAddress.getByName("127.0.0.1")));
    }
}
