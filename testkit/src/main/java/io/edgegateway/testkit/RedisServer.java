package io.edgegateway.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for tests:
 * {@code try (RedisServer redis = RedisServer.launch()) { ... redis.uri() ... }}.
 *
 * <p>{@link #kill()} sends SIGKILL; {@link #start()} brings it back on the same port.
 */
public final class RedisServer implements AutoCloseable {

    private final RedisProcess process;

    private RedisServer(int port, List<String> extraArgs) {
        Path dir = RedisProcess.tempDir("redis-" + port + "-");
        List<String> command = new ArrayList<>(List.of(
                "redis-server", "--save", "", "--appendonly", "no",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                // A replica's first sync starts at once instead of after the default 5 s.
                "--repl-diskless-sync-delay", "0"));
        command.addAll(extraArgs);
        this.process = new RedisProcess(command, port, dir);
    }

    /** A primary, started. */
    public static RedisServer launch() {
        return create().start();
    }

    /** A replica of {@code primary}, started (its replication link may still be coming up). */
    public static RedisServer launchReplicaOf(RedisServer primary) {
        return create("--replicaof", "127.0.0.1", Integer.toString(primary.port())).start();
    }

    /** Not started yet, on a free port, with extra {@code redis-server} arguments. */
    public static RedisServer create(String... extraArgs) {
        return new RedisServer(RedisProcess.freePort(false), List.of(extraArgs));
    }

    /**
     * A cluster node (not started), on a port whose bus port (+10000) is free too. {@code nodeTimeout}
     * is how long a silent node takes to be marked failing, which a replica's failover waits for.
     */
    static RedisServer clusterNode(Duration nodeTimeout) {
        return new RedisServer(RedisProcess.freePort(true), List.of(
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis())));
    }

    /** Starts (or restarts) on this server's port and returns once it answers PING. */
    public RedisServer start() {
        process.start();
        return this;
    }

    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop();
    }

    /** SIGSTOP: the server stops answering, its connections stay open (a hung host, a long GC-like pause). */
    public void freeze() {
        process.signal("STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() {
        process.signal("CONT");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return process.port();
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** A new connection; close it. */
    public RespClient client() {
        return RespClient.connect(port());
    }

    /** One command on a connection of its own. */
    public Object call(String... args) {
        try (RespClient client = client()) {
            return client.call(args);
        }
    }

    /** The value of one {@code INFO} field, e.g. {@code info("master_link_status")}; null when absent. */
    public String info(String field) {
        String info = String.valueOf(call("INFO"));
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.killAndDelete();
    }

    @Override
    public String toString() {
        return "redis-server on " + port();
    }
}
