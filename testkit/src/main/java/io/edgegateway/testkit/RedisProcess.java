package io.edgegateway.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One {@code redis-server} or {@code redis-sentinel} process on a loopback port, restartable on that port. */
final class RedisProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final List<String> command;
    private final int port;
    private final Path dir;
    private final Path log;
    private Process process;

    RedisProcess(List<String> command, int port, Path dir) {
        this.command = List.copyOf(command);
        this.port = port;
        this.dir = dir;
        this.log = dir.resolve("redis.log");
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running on port " + port);
        }
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " (is it installed?)", e);
        }
        Process started = process;
        await("PING on port " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited with " + started.exitValue() + ":\n" + log());
            }
            return answersPing(port);
        });
    }

    /** SIGKILL: no shutdown, no goodbye to clients, as a crashed host would. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
    synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitForExit();
        }
    }

    /** Sends {@code signal} (STOP, CONT) to the process: SIGSTOP freezes it as a hung host would, sockets open. */
    synchronized void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("not running on port " + port);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed for port " + port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    void killAndDelete() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for port " + port + " to exit", e);
        }
    }

    static boolean answersPing(int port) {
        try (RespClient client = RespClient.connect(port)) {
            return "PONG".equals(client.call("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free loopback port; with {@code busPort} also port + 10000 free, as Redis Cluster needs. */
    static int freePort(boolean busPort) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (!busPort) {
                    return port;
                }
                if (port + 10_000 <= 65_535) {
                    try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found");
    }
}
