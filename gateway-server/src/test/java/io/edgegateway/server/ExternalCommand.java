package io.edgegateway.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A client program (curl, openssl, h2load, nghttp) run to its end, its output kept. */
record ExternalCommand(int exitCode, String output) {

    static ExternalCommand run(String... command) throws IOException, InterruptedException {
        return runWithInput(null, command);
    }

    /** Runs {@code command} with {@code input} (or nothing) on its standard input. */
    static ExternalCommand runWithInput(String input, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new ExternalCommand(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
