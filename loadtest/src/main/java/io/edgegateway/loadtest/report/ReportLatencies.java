package io.edgegateway.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The whole latency histograms a JSON report of this tool holds, one per run. Only that one field
 * is read, and base64 needs no JSON escapes, so a pattern finds it without a JSON parser.
 */
final class ReportLatencies {

    private static final Pattern FIELD = Pattern.compile("\"latency_histogram\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

    private ReportLatencies() {
    }

    /** @throws IllegalArgumentException when {@code file} holds no histogram, or a broken one */
    static List<Histogram> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read it (" + e + ")", e);
        }
        Matcher field = FIELD.matcher(text);
        List<Histogram> histograms = new ArrayList<>();
        while (field.find()) {
            try {
                histograms.add(HistogramText.decode(field.group(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": latency_histogram " + (histograms.size() + 1) + " is "
                        + e.getMessage(), e);
            }
        }
        if (histograms.isEmpty()) {
            throw new IllegalArgumentException(file + ": no latency_histogram (expected: a report of loadtest run --json"
                    + " or merge --json; one from a loadtest.jar older than that field cannot be merged exactly)");
        }
        return histograms;
    }
}
