package io.edgegateway.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on free loopback ports, created with {@code redis-cli --cluster create} and
 * returned once it is {@linkplain #awaitHealthy() healthy}: primaries, optionally with replicas.
 *
 * <p>For failover tests: {@link #primaryOf} names the node a key lives on, {@link #replicasOf} the
 * nodes that would take over, {@link #awaitReplicated()} makes sure they have every write so far,
 * {@link RedisServer#kill()} crashes a node, and {@link #awaitHealthy()} waits for a replica to be
 * promoted in its place. A silent node is marked failing after {@link #NODE_TIMEOUT}, so a
 * failover takes a second or two.
 */
public final class RedisCluster implements AutoCloseable {

    /** {@code cluster-node-timeout}: short, so a killed primary is replaced quickly. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);

    private static final int SLOTS = 16_384;

    private final List<RedisServer> nodes;
    /** Node id by port, read once: a killed node can no longer be asked. */
    private final Map<Integer, String> ids = new HashMap<>();

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** {@code primaries} primaries without replicas. */
    public static RedisCluster start(int primaries) {
        return start(primaries, 0);
    }

    /** {@code primaries} primaries, each with {@code replicasPerPrimary} replicas. */
    public static RedisCluster start(int primaries, int replicasPerPrimary) {
        if (primaries < 3) {
            throw new IllegalArgumentException("primaries: " + primaries + " (expected: >= 3)");
        }
        if (replicasPerPrimary < 0) {
            throw new IllegalArgumentException("replicasPerPrimary: " + replicasPerPrimary + " (expected: >= 0)");
        }
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < primaries * (1 + replicasPerPrimary); i++) {
                nodes.add(RedisServer.clusterNode(NODE_TIMEOUT).start());
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisServer node : nodes) {
                command.add("127.0.0.1:" + node.port());
            }
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
            create(command);
            RedisCluster cluster = new RedisCluster(nodes);
            for (RedisServer node : nodes) {
                cluster.ids.put(node.port(), String.valueOf(node.call("CLUSTER", "MYID")));
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    private static void create(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the cluster serves every slot from a live primary, as every live node agrees: each
     * reports {@code cluster_state:ok}, all see the same primaries, replicas and slots, and each live
     * replica's link to its primary is up. After a primary is killed, this is the wait for one of its
     * replicas to be promoted.
     */
    public void awaitHealthy() {
        await("a healthy cluster: every slot on a live primary, every replica linked")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(this::isHealthy);
    }

    private boolean isHealthy() {
        if (!isOk()) {
            return false;
        }
        List<String> agreed = null;
        for (RedisServer node : live()) {
            List<ClusterNodeEntry> view = view(node);
            if (view.size() != nodes.size()) {
                return false;
            }
            List<String> layout = new ArrayList<>();
            for (ClusterNodeEntry entry : view) {
                if (!entry.slots().isEmpty() && (entry.isFailing() || !server(entry.port()).isAlive())) {
                    return false;
                }
                layout.add(entry.id() + (entry.isPrimary() ? " primary " : " replica of " + entry.primaryId())
                        + " " + entry.slots());
            }
            layout.sort(null);
            if (agreed != null && !agreed.equals(layout)) {
                return false;
            }
            agreed = layout;
            if ("slave".equals(node.info("role")) && !"up".equals(node.info("master_link_status"))) {
                return false;
            }
        }
        return true;
    }

    /** Every live node answers and reports the whole slot space served and a healthy cluster. */
    public boolean isOk() {
        for (RedisServer node : live()) {
            String info;
            try {
                info = String.valueOf(node.call("CLUSTER", "INFO"));
            } catch (RuntimeException e) {
                return false;
            }
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
                return false;
            }
        }
        return true;
    }

    /** The primary {@code key}'s slot is assigned to, as a live node sees the cluster (it may be a dead node). */
    public RedisServer primaryOf(String key) {
        RedisServer asked = live().get(0);
        int slot = ((Long) asked.call("CLUSTER", "KEYSLOT", key)).intValue();
        for (ClusterNodeEntry entry : view(asked)) {
            if (entry.isPrimary() && entry.serves(slot)) {
                return server(entry.port());
            }
        }
        throw new IllegalStateException("slot " + slot + " of " + key + " is not assigned");
    }

    /** The replicas of {@code primary}, as a live node sees the cluster. */
    public List<RedisServer> replicasOf(RedisServer primary) {
        String id = ids.get(primary.port());
        List<RedisServer> replicas = new ArrayList<>();
        for (ClusterNodeEntry entry : view(live().get(0))) {
            if (entry.primaryId().equals(id)) {
                replicas.add(server(entry.port()));
            }
        }
        return replicas;
    }

    /**
     * Waits until every live replica of a live primary has processed every write the primary had
     * made when this was called (its {@code slave_repl_offset} has reached the primary's
     * {@code master_repl_offset}), so a replica promoted after a kill holds every count written so far.
     */
    public void awaitReplicated() {
        List<ClusterNodeEntry> view = view(live().get(0));
        Map<String, Integer> portById = new HashMap<>();
        view.forEach(entry -> portById.put(entry.id(), entry.port()));
        Map<RedisServer, Long> targets = new HashMap<>();
        for (ClusterNodeEntry entry : view) {
            if (entry.isPrimary() || !server(entry.port()).isAlive()) {
                continue;
            }
            RedisServer primary = server(portById.get(entry.primaryId()));
            if (primary.isAlive()) {
                targets.put(server(entry.port()), Long.parseLong(primary.info("master_repl_offset")));
            }
        }
        await("replicas caught up with their primaries").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> targets.entrySet().stream().allMatch(target ->
                        Long.parseLong(target.getKey().info("slave_repl_offset")) >= target.getValue()));
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:<port>} of every node, to seed a client. */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    private List<RedisServer> live() {
        List<RedisServer> live = nodes.stream().filter(RedisServer::isAlive).toList();
        if (live.isEmpty()) {
            throw new IllegalStateException("no live node");
        }
        return live;
    }

    private static List<ClusterNodeEntry> view(RedisServer node) {
        return ClusterNodeEntry.parse(String.valueOf(node.call("CLUSTER", "NODES")));
    }

    private RedisServer server(int port) {
        for (RedisServer node : nodes) {
            if (node.port() == port) {
                return node;
            }
        }
        throw new IllegalStateException("no node of this cluster on port " + port);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
