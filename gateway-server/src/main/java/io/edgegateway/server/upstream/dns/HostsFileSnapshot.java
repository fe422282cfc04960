package io.edgegateway.server.upstream.dns;

import io.netty.resolver.HostsFileEntriesProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hosts file as read at one refresh. Netty's own hosts-file resolver parses the file once and
 * keeps it, so a changed {@code /etc/hosts} would never be seen; reading it again on every refresh
 * is what lets an operator move an upstream by editing it.
 */
final class HostsFileSnapshot {

    static final HostsFileSnapshot EMPTY = new HostsFileSnapshot(Map.of(), Map.of());

    private final Map<String, List<InetAddress>> ipv4;
    private final Map<String, List<InetAddress>> ipv6;

    private HostsFileSnapshot(Map<String, List<InetAddress>> ipv4, Map<String, List<InetAddress>> ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /** A missing file is no entries, as for the system resolver; an unreadable one is an error. */
    static HostsFileSnapshot read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        HostsFileEntriesProvider entries = HostsFileEntriesProvider.parser().parse(file.toFile(), StandardCharsets.UTF_8);
        return new HostsFileSnapshot(entries.ipv4Entries(), entries.ipv6Entries());
    }

    /** The IPv4 then IPv6 addresses the file gives {@code host}; empty when it does not name it. */
    List<InetAddress> lookup(String host) {
        String key = normalize(host);
        List<InetAddress> found = new ArrayList<>(ipv4.getOrDefault(key, List.of()));
        found.addAll(ipv6.getOrDefault(key, List.of()));
        return found;
    }

    private static String normalize(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
