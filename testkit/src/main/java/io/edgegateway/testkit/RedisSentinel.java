package io.edgegateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code redis-sentinel} on a free loopback port watching one primary with quorum 1, tuned
 * to fail over within seconds (down-after-milliseconds 1000, failover-timeout 2000).
 */
public final class RedisSentinel implements AutoCloseable {

    private final RedisProcess process;
    private final String masterName;

    private RedisSentinel(RedisProcess process, String masterName) {
        this.process = process;
        this.masterName = masterName;
    }

    /** Starts a sentinel monitoring {@code primary} under {@code masterName}. */
    public static RedisSentinel start(RedisServer primary, String masterName) {
        int port = RedisProcess.freePort(false);
        Path dir = RedisProcess.tempDir("sentinel-" + port + "-");
        Path config = dir.resolve("sentinel.conf");
        String text = String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + masterName + " 127.0.0.1 " + primary.port() + " 1",
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 2000",
                "sentinel parallel-syncs " + masterName + " 1",
                "");
        try {
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisProcess process = new RedisProcess(List.of("redis-sentinel", config.toString()), port, dir);
        process.start();
        return new RedisSentinel(process, masterName);
    }

    public int port() {
        return process.port();
    }

    public String masterName() {
        return masterName;
    }

    /** {@code redis-sentinel://127.0.0.1:<port>/<master>}, the gateway's shard syntax. */
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + port() + "/" + masterName;
    }

    /** The port of the current primary as this sentinel sees it. */
    public int primaryPort() {
        try (RespClient client = RespClient.connect(port())) {
            List<?> address = (List<?>) client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
            return Integer.parseInt(String.valueOf(address.get(1)));
        }
    }

    /** Replicas this sentinel knows and considers reachable, i.e. failover candidates. */
    public int reachableReplicas() {
        try (RespClient client = RespClient.connect(port())) {
            List<?> replicas = (List<?>) client.call("SENTINEL", "REPLICAS", masterName);
            int reachable = 0;
            for (Object replica : replicas) {
                List<?> fields = (List<?>) replica;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("flags".equals(fields.get(i)) && "slave".equals(fields.get(i + 1))) {
                        reachable++;
                    }
                }
            }
            return reachable;
        }
    }

    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop();
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.killAndDelete();
    }
}
