package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.report.XmlText.escape;

import io.edgegateway.loadtest.analysis.SloWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The windows of an SLO as a strip of cells, green when met and red when not; one row per run. */
final class SvgWindowStrip {

    static final String MET = "#2ca02c";
    static final String MISSED = "#d62728";
    private static final int LEFT = 130;
    private static final int ROW = 26;
    private static final int TOP = 34;

    private record Row(String label, List<SloWindow> windows) {
    }

    private final String title;
    private final String percentileName;
    private final List<Row> rows = new ArrayList<>();

    SvgWindowStrip(String title, String percentileName) {
        this.title = title;
        this.percentileName = percentileName;
    }

    SvgWindowStrip row(String label, List<SloWindow> windows) {
        rows.add(new Row(label, List.copyOf(windows)));
        return this;
    }

    String toSvg() {
        int most = rows.stream().mapToInt(row -> row.windows.size()).max().orElse(0);
        int plotWidth = SvgLineChart.WIDTH - LEFT - 20;
        double cell = most == 0 ? 0 : Math.min(28, (double) plotWidth / most);
        int height = TOP + rows.size() * ROW + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\""
                + " width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"%s\">%n",
                SvgLineChart.WIDTH, height, SvgLineChart.WIDTH, height, escape(title)));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                70, escape(title)));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int top = TOP + r * ROW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222222\">%s</text>%n",
                    LEFT - 8, top + 15, escape(row.label)));
            if (row.windows.isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666666\">no window to judge</text>%n",
                        LEFT, top + 15));
            }
            for (int i = 0; i < row.windows.size(); i++) {
                SloWindow window = row.windows.get(i);
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\" stroke=\"#ffffff\"><title>%s</title></rect>%n",
                        LEFT + i * cell, top, cell, window.met() ? MET : MISSED, escape(describe(window))));
            }
        }
        int legend = TOP + rows.size() * ROW + 14;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#222222\">met</text>%n", LEFT, legend - 10, MET, LEFT + 16, legend));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#222222\">not met</text>%n", LEFT + 60, legend - 10, MISSED, LEFT + 76, legend));
        return svg.append("</svg>").toString();
    }

    private String describe(SloWindow window) {
        return String.format(Locale.ROOT, "from %ds: %s %s, %s requests, %s", window.offsetSeconds(), percentileName,
                Figures.millis(window.latencyMillis()), Figures.count(window.requests()), window.met() ? "met" : "not met");
    }
}
