package io.edgegateway.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of primaries only (no replicas) on free loopback ports, created with
 * {@code redis-cli --cluster create} and returned once every node reports {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    public static RedisCluster start(int primaries) {
        if (primaries < 3) {
            throw new IllegalArgumentException("primaries: " + primaries + " (expected: >= 3)");
        }
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < primaries; i++) {
                nodes.add(RedisServer.clusterNode().start());
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisServer node : nodes) {
                command.add("127.0.0.1:" + node.port());
            }
            command.add("--cluster-yes");
            create(command);
            RedisCluster cluster = new RedisCluster(nodes);
            await("cluster_state:ok on every node").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(cluster::isOk);
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

    /** Every node answers and reports the whole slot space assigned and a healthy cluster. */
    public boolean isOk() {
        for (RedisServer node : nodes) {
            String info;
            try {
                info = String.valueOf(node.call("CLUSTER", "INFO"));
            } catch (RuntimeException e) {
                return false;
            }
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
                return false;
            }
        }
        return true;
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:<port>} of every node, to seed a client. */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
