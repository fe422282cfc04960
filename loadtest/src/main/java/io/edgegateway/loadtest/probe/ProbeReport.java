package io.edgegateway.loadtest.probe;

import io.edgegateway.loadtest.report.JsonWriter;
import java.util.List;
import java.util.stream.Collectors;

/** The end of a probe run: a markdown table, and the same as JSON for scripts that combine targets. */
final class ProbeReport {

    private static final int JSON_REQUESTS = 5;

    private ProbeReport() {
    }

    static String markdown(List<ProbeResult> results) {
        boolean observed = results.stream().anyMatch(r -> r.upstream() != null);
        StringBuilder table = new StringBuilder();
        table.append(observed ? "| class | probe | client | upstream |\n| --- | --- | --- | --- |\n"
                : "| class | probe | client |\n| --- | --- | --- |\n");
        for (ProbeResult result : results) {
            table.append("| ").append(result.group()).append(" | ").append(code(result.name())).append(" | ")
                    .append(cell(result.client().summary()));
            if (observed) {
                table.append(" | ").append(cell(result.upstream() == null ? "" : result.upstream()));
            }
            table.append(" |\n");
        }
        return table.toString();
    }

    static String json(String url, String h2Url, String runId, List<ProbeResult> results) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("target").value(url).name("h2_target").value(h2Url).name("run").value(runId);
        json.name("probes").beginArray();
        for (ProbeResult result : results) {
            json.beginObject().name("group").value(result.group()).name("name").value(result.name())
                    .name("client").value(result.client().summary()).name("closed").value(result.client().closed());
            json.name("statuses").beginArray();
            result.client().statuses().stream().limit(50).forEach(status -> json.value((long) status));
            json.endArray();
            json.name("upstream").value(result.upstream());
            json.name("upstream_requests").value((long) result.seen().size());
            json.name("upstream_first").beginArray();
            for (UpstreamRecord record : result.seen().stream().limit(JSON_REQUESTS).toList()) {
                json.beginObject().name("method").value(ByteText.show(record.method()))
                        .name("target").value(ByteText.show(record.target()))
                        .name("version").value(ByteText.show(record.version()))
                        .name("host").value(ByteText.show(record.header("Host").orElse("")))
                        .name("header_names").value(record.headers().stream().map(h -> ByteText.show(h.name()))
                                .collect(Collectors.joining(", ")))
                        .name("body_bytes").value(record.bodyLength())
                        .name("complete").value(record.complete()).endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray().endObject().toString();
    }

    /** A table cell: pipes escaped, so a probe's text cannot break the table. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** A code span for a probe name, with a longer fence when the name holds a backtick. */
    static String code(String text) {
        String fence = text.contains("`") ? "``" : "`";
        String pad = text.contains("`") ? " " : "";
        return fence + pad + cell(text) + pad + fence;
    }
}
