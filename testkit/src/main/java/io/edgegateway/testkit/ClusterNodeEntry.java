package io.edgegateway.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: a node as one member of the cluster sees it.
 *
 * @param primaryId the id of the primary this node replicates, or {@code "-"} for a primary
 * @param slots the slot ranges it serves, as written ({@code 0-5460}, {@code 5461}); migrating
 *     and importing slots ({@code [...]}) left out
 */
record ClusterNodeEntry(String id, int port, Set<String> flags, String primaryId, List<String> slots) {

    /** {@code CLUSTER NODES}' reply, one entry per line. */
    static List<ClusterNodeEntry> parse(String reply) {
        List<ClusterNodeEntry> entries = new ArrayList<>();
        for (String line : reply.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // <id> <ip:port@cport[,hostname]> <flags> <primary> <ping-sent> <pong-recv> <epoch> <link> <slot>...
            String[] fields = line.trim().split(" ");
            String address = fields[1];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':', address.indexOf('@')) + 1,
                    address.indexOf('@')));
            List<String> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) {
                    slots.add(fields[i]);
                }
            }
            entries.add(new ClusterNodeEntry(fields[0], port, Set.of(fields[2].split(",")), fields[3], List.copyOf(slots)));
        }
        return entries;
    }

    boolean isPrimary() {
        return flags.contains("master");
    }

    /** Flagged as failing ({@code fail}) or suspected of it ({@code fail?}) by the node that wrote the line. */
    boolean isFailing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    boolean serves(int slot) {
        for (String range : slots) {
            int dash = range.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            if (slot >= first && slot <= last) {
                return true;
            }
        }
        return false;
    }
}
