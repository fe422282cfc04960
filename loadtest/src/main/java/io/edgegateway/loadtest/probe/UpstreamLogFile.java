package io.edgegateway.loadtest.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what a recording upstream in another process appended to its log. */
final class UpstreamLogFile {

    private UpstreamLogFile() {
    }

    /** Every record in the file; a line cut by a writer still appending is left out. */
    static List<UpstreamRecord> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upstream log " + file, e);
        }
        List<UpstreamRecord> records = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                records.add(UpstreamLogLine.decode(line));
            } catch (IllegalArgumentException e) {
                // a partial last line, or not ours
            }
        }
        return records;
    }
}
