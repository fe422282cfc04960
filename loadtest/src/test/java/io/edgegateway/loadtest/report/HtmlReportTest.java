package io.edgegateway.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String XHTML = "http://www.w3.org/1999/xhtml";

    @Test
    void singleRunIsWellFormedWithItsFiveCharts(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("report.html");
        HtmlReport.write(SampleReports.singleRun(), file);
        String html = Files.readString(file);
        Document document = parse(html);

        NodeList charts = document.getElementsByTagNameNS(SVG, "svg");
        assertEquals(5, charts.getLength());
        for (int i = 0; i < charts.getLength() - 1; i++) {
            Element chart = (Element) charts.item(i);
            assertTrue(chart.getElementsByTagNameNS(SVG, "polyline").getLength() > 0, "chart " + i + " has lines");
        }
        Element strip = (Element) charts.item(charts.getLength() - 1);
        assertTrue(strip.getElementsByTagNameNS(SVG, "rect").getLength() >= 6, "a cell per SLO window");
        assertTrue(html.contains("Latency by percentile"));
        assertTrue(html.contains("99.9%"), "the percentile axis is labelled in nines");
        assertTrue(html.contains("SLO p99&lt;=12ms per 5s window"), "the SLO verdict, escaped");
        assertTrue(html.contains("http://127.0.0.1:8080/api?a=1&amp;b=&#39;x&#39;"), "the URL, escaped");
    }

    @Test
    void sweepAddsTheKneeChartAndTheStepsTable() throws Exception {
        String html = HtmlReport.toHtml(SampleReports.rateSweep());
        Document document = parse(html);

        assertEquals(6, document.getElementsByTagNameNS(SVG, "svg").getLength());
        assertTrue(html.contains("Latency percentiles by rate"));
        assertTrue(html.contains(">knee</text>"), "the knee is marked on the chart");
        assertTrue(html.contains("400 req/s (knee)"), "the knee is marked in the steps table");
        assertTrue(html.contains("The server fell behind at 1600 req/s"), "the last step's warning");
        assertTrue(document.getElementsByTagNameNS(XHTML, "table").getLength() >= 3);
    }

    @Test
    void loadsNothingFromElsewhere() {
        String html = HtmlReport.toHtml(SampleReports.rateSweep());

        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no stylesheets");
        assertFalse(html.contains("url("), "no fonts or images");
        assertFalse(html.contains("src="), "no images");
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }
}
