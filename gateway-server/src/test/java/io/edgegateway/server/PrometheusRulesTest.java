package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The alerting and recording rules of {@code ops/prometheus}: valid, and passing their promtool unit tests. */
class PrometheusRulesTest {

    private static final Path OPS = Promtool.opsPrometheusDir();
    private static final Path TESTS = OPS.resolve("tests");

    @Test
    void ruleFilesAndTheScrapeConfigAreValid() throws Exception {
        Promtool.Result rules = Promtool.run(OPS, null, "check", "rules", "rules.yml", "alerts.yml");
        assertThat(rules.exitCode()).as(rules.describe()).isZero();
        Promtool.Result config = Promtool.run(OPS, null, "check", "config", "prometheus.yml");
        assertThat(config.exitCode()).as(config.describe()).isZero();
    }

    @TestFactory
    Stream<DynamicTest> everyRuleUnitTestFilePasses() throws IOException {
        List<Path> files = testFiles();
        assertThat(files).as("promtool unit tests in %s", TESTS).isNotEmpty();
        return files.stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
            Promtool.Result result = Promtool.run(TESTS, null, "test", "rules", file.getFileName().toString());
            assertThat(result.exitCode()).as(result.describe()).isZero();
        }));
    }

    /** A new alert or recording rule without a unit test fails here, not silently in production. */
    @Test
    void everyAlertAndRecordingRuleHasAUnitTest() throws IOException {
        StringBuilder tests = new StringBuilder();
        for (Path file : testFiles()) {
            tests.append(Files.readString(file)).append('\n');
        }
        List<String> alerts = names(OPS.resolve("alerts.yml"), "- alert: (\\S+)");
        List<String> records = names(OPS.resolve("rules.yml"), "- record: (\\S+)");
        assertThat(alerts).isNotEmpty();
        assertThat(records).isNotEmpty();
        for (String alert : alerts) {
            assertThat(tests.indexOf("alertname: " + alert + "\n")).as("a unit test of alert %s", alert).isNotNegative();
        }
        for (String record : records) {
            assertThat(tests.indexOf(record)).as("a unit test of recording rule %s", record).isNotNegative();
        }
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".test.yml")).sorted().toList();
        }
    }

    private static List<String> names(Path file, String regex) throws IOException {
        List<String> names = new ArrayList<>();
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(file));
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
