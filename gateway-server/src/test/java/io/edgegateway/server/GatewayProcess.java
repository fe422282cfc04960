package io.edgegateway.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway in a JVM of its own, started as {@code GatewayMain} from this test's classpath: for
 * what only a real process shows (signals, exit codes, a small heap). Its output goes to a file
 * that is checked for Netty leak reports when it stops.
 */
final class GatewayProcess implements AutoCloseable {

    /** The start-up line's listener and admin ports. */
    private static final Pattern LISTENING = Pattern.compile("gateway listening on [^ ]+:(\\d+) \\(admin [^ ]+:(\\d+)\\)");

    private final Process process;
    private final Path output;
    private final int port;
    private final int adminPort;

    private GatewayProcess(Process process, Path output, int port, int adminPort) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Runs {@code GatewayMain} with {@code args} to its end; returns the exit code and output. */
    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs {@code GatewayMain} with {@code args} and these environment variables besides the test's own. */
    static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("gateway-run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), args)).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gateway did not exit");
        }
        return new Result(process.exitValue(), Files.readString(out));
    }

    record Result(int exitCode, String output) { }

    /**
     * Starts a gateway with {@code gatewayBody} inside {@code gateway { }} written to {@code configFile},
     * on ports the kernel picks (port 0, read back from its start-up line, so that no other process can
     * take them between choosing and binding), and waits until it is ready.
     */
    static GatewayProcess start(Path configFile, String gatewayBody, List<String> jvmOptions) throws Exception {
        writeConfig(configFile, 0, 0, gatewayBody);
        Path out = Files.createTempFile("gateway", ".log");
        Process process = launch(out, jvmOptions, "--config", configFile.toString());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8)).find() || !process.isAlive());
        Matcher listening = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
        if (!listening.find()) {
            throw new AssertionError("gateway exited at start:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return awaitReady(new GatewayProcess(process, out, Integer.parseInt(listening.group(1)),
                Integer.parseInt(listening.group(2))));
    }

    /**
     * Starts a gateway with {@code configFile} as it is, these environment variables besides the
     * test's own, on the ports the file (or its variables) gives, and waits until it is ready.
     */
    static GatewayProcess startWithEnvironment(Path configFile, Map<String, String> environment, int port, int adminPort)
            throws Exception {
        Path out = Files.createTempFile("gateway", ".log");
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), "--config", configFile.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return awaitReady(new GatewayProcess(process, out, port, adminPort));
    }

    /** Waits until {@code gateway} answers {@code /ready}; fails with its output if it exits first. */
    private static GatewayProcess awaitReady(GatewayProcess gateway) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !gateway.process.isAlive() || gateway.isReady());
        if (!gateway.process.isAlive()) {
            throw new AssertionError("gateway exited at start:\n" + gateway.output());
        }
        return gateway;
    }

    static void writeConfig(Path file, int port, int adminPort, String gatewayBody) throws IOException {
        String hocon = "gateway {\n  listen { host = \"127.0.0.1\", port = " + port + " }\n"
                + "  admin { host = \"127.0.0.1\", port = " + adminPort + " }\n" + gatewayBody + "\n}\n";
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, hocon);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts {@code GatewayMain} with {@code args}, its output to {@code output}; the caller waits for it and stops it. */
    static Process launch(Path output, List<String> jvmOptions, String... args) throws IOException {
        return new ProcessBuilder(command(jvmOptions, args)).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
    }

    private static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dio.netty.leakDetection.level=paranoid");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayMain.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    boolean isReady() {
        try {
            return admin("/ready").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return TestGateway.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    int port() {
        return port;
    }

    int adminPort() {
        return adminPort;
    }

    Process process() {
        return process;
    }

    /** Sends a signal by name (TERM, HUP) to the gateway. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Waits for the process to exit and fails on a leak it reported. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gateway did not exit:\n" + output());
        }
        String text = output();
        if (text.contains("LEAK:")) {
            throw new AssertionError("the gateway process reported a buffer leak:\n" + text);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }
}
