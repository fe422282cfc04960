package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool} run on the repository's {@code ops/prometheus} files. Missing binaries
 * fail the test with what to install: bin/test installs them, so a skip would only hide a gap.
 */
final class Promtool {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private Promtool() {
    }

    record Result(int exitCode, String output) {
        /** Exit code and output, for an assertion's description. */
        String describe() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    /** Fails unless {@code binary} is there, naming the package that brings it. */
    static void requireInstalled(Path binary) {
        assertThat(Files.isExecutable(binary))
                .as("%s is missing: install Debian's prometheus package (apt-get install prometheus; bin/test does)",
                        binary)
                .isTrue();
    }

    /** {@code ops/prometheus}, found from the working directory up (Maven runs tests in the module's). */
    static Path opsPrometheusDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("ops").resolve("prometheus");
            if (Files.isRegularFile(candidate.resolve("prometheus.yml"))) {
                return candidate;
            }
        }
        throw new AssertionError("no ops/prometheus/prometheus.yml above " + Path.of("").toAbsolutePath());
    }

    /** Runs promtool with {@code args} in {@code workDir}, feeding it {@code stdin} (or nothing). */
    static Result run(Path workDir, String stdin, String... args) throws IOException, InterruptedException {
        requireInstalled(PROMTOOL);
        List<String> command = new ArrayList<>();
        command.add(PROMTOOL.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
