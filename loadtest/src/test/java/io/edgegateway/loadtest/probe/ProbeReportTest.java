package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeReportTest {

    private static final UpstreamRecord SEEN = new UpstreamRecord(1L, "GET", "/a|b\u0000", "HTTP/1.1",
            List.of(new UpstreamRecord.Header("Host", "x")), 0, "", true);
    private static final List<ProbeResult> RESULTS = List.of(
            new ProbeResult("path", "/a|b", ClientOutcome.of(List.of(400), ClientOutcome.Ending.CLOSED),
                    "GET /a|b", List.of(SEEN)),
            new ProbeResult("method", "m`x", ClientOutcome.of(List.of(), ClientOutcome.Ending.TIMEOUT), "—", List.of()));

    @Test
    void markdownEscapesWhatWouldBreakTheTable() {
        String table = ProbeReport.markdown(RESULTS);
        assertEquals(List.of(
                "| class | probe | client | upstream |",
                "| --- | --- | --- | --- |",
                "| path | `/a\\|b` | 400, closed | GET /a\\|b |",
                "| method | `` m`x `` | no response, timeout | — |"), table.lines().toList());
    }

    @Test
    void withoutAnUpstreamTheColumnIsLeftOut() {
        ProbeResult unobserved = new ProbeResult("path", "/x", ClientOutcome.of(List.of(200), ClientOutcome.Ending.OPEN),
                null, List.of());
        assertTrue(ProbeReport.markdown(List.of(unobserved)).startsWith("| class | probe | client |\n"));
    }

    @Test
    void jsonHoldsEachProbeAndWhatReachedTheUpstream() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ProbeReport.json("http://127.0.0.1:1", null, "p1", RESULTS));
        assertEquals("p1", json.get("run").asText());
        JsonNode first = json.get("probes").get(0);
        assertEquals("400, closed", first.get("client").asText());
        assertTrue(first.get("closed").asBoolean());
        assertEquals(400, first.get("statuses").get(0).asInt());
        assertEquals(1, first.get("upstream_requests").asInt());
        assertEquals("/a|b\\x00", first.get("upstream_first").get(0).get("target").asText());
        assertEquals("x", first.get("upstream_first").get(0).get("host").asText());
    }
}
