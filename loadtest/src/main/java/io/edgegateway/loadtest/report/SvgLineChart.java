package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.report.XmlText.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: one or more series over a linear, log or percentile axis, with
 * ticks, a grid, a legend on the right, and marker lines (a knee, a zero line).
 */
final class SvgLineChart {

    /** Distinct colours in the order series take them; a sweep's steps cycle through them. */
    static final String[] PALETTE = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
    };

    static final int WIDTH = 900;
    static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int TOP = 36;
    private static final int RIGHT = WIDTH - 200;
    private static final int BOTTOM = HEIGHT - 48;
    /** Series with at most this many points also get a dot on each, so sparse steps stay visible. */
    private static final int DOTS_UP_TO = 40;

    private record Series(String name, String colour, boolean dashed, double[] xs, double[] ys) {
    }

    private record Marker(boolean vertical, double value, String label) {
    }

    private final String title;
    private final String xTitle;
    private final AxisScale x;
    private final String yTitle;
    private final AxisScale y;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    SvgLineChart(String title, String xTitle, AxisScale x, String yTitle, AxisScale y) {
        this.title = title;
        this.xTitle = xTitle;
        this.x = x;
        this.yTitle = yTitle;
        this.y = y;
    }

    /**
     * Adds a series; points either axis cannot place (NaN, 0 on a log axis) are left out. A series
     * named {@code ""} stays out of the legend (the caption explains it).
     */
    SvgLineChart line(String name, String colour, boolean dashed, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs: " + xs.length + " values, ys: " + ys.length + " (expected: as many)");
        }
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (x.accepts(xs[i]) && y.accepts(ys[i])) {
                kept.add(new double[] {xs[i], ys[i]});
            }
        }
        series.add(new Series(name, colour, dashed,
                kept.stream().mapToDouble(p -> p[0]).toArray(), kept.stream().mapToDouble(p -> p[1]).toArray()));
        return this;
    }

    /** A labelled vertical line at {@code value} on the x axis. */
    SvgLineChart verticalMarker(double value, String label) {
        markers.add(new Marker(true, value, label));
        return this;
    }

    /** A labelled horizontal line at {@code value} on the y axis. */
    SvgLineChart horizontalMarker(double value, String label) {
        markers.add(new Marker(false, value, label));
        return this;
    }

    String toSvg() {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\""
                + " width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, escape(title)));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        double[] xRange = range(true);
        double[] yRange = range(false);
        if (xRange == null || yRange == null) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666666\">no data</text>%n", LEFT, HEIGHT / 2));
            return svg.append("</svg>").toString();
        }
        Axis xAxis = new Axis(x, x.ticks(xRange[0], xRange[1]), LEFT, RIGHT);
        Axis yAxis = new Axis(y, y.ticks(yRange[0], yRange[1]), BOTTOM, TOP);
        grid(svg, xAxis, yAxis);
        for (Series line : series) {
            plot(svg, line, xAxis, yAxis);
        }
        for (Marker marker : markers) {
            marker(svg, marker, xAxis, yAxis);
        }
        legend(svg);
        return svg.append("</svg>").toString();
    }

    /** An axis mapped onto pixels between {@code from} (its first tick) and {@code to} (its last). */
    private record Axis(AxisScale scale, List<Double> ticks, int from, int to) {
        double pixel(double value) {
            double low = scale.position(ticks.get(0));
            double high = scale.position(ticks.get(ticks.size() - 1));
            return from + (scale.position(value) - low) / (high - low) * (to - from);
        }
    }

    private double[] range(boolean horizontal) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (double value : horizontal ? line.xs : line.ys) {
                low = Math.min(low, value);
                high = Math.max(high, value);
            }
        }
        if (low > high) {
            return null;
        }
        AxisScale scale = horizontal ? x : y;
        for (Marker marker : markers) {
            if (marker.vertical == horizontal && scale.accepts(marker.value)) {
                low = Math.min(low, marker.value);
                high = Math.max(high, marker.value);
            }
        }
        return new double[] {low, high};
    }

    private void grid(StringBuilder svg, Axis xAxis, Axis yAxis) {
        for (double tick : xAxis.ticks) {
            double px = xAxis.pixel(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>%n",
                    px, TOP, px, BOTTOM));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444444\">%s</text>%n",
                    px, BOTTOM + 16, escape(x.label(tick))));
        }
        for (double tick : yAxis.ticks) {
            double py = yAxis.pixel(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n",
                    LEFT, py, RIGHT, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444444\">%s</text>%n",
                    LEFT - 6, py + 4, escape(y.label(tick))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999999\"/>%n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#222222\">%s</text>%n",
                (LEFT + RIGHT) / 2, HEIGHT - 10, escape(xTitle)));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" fill=\"#222222\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                (TOP + BOTTOM) / 2, (TOP + BOTTOM) / 2, escape(yTitle)));
    }

    private static void plot(StringBuilder svg, Series line, Axis xAxis, Axis yAxis) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < line.xs.length; i++) {
            points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ",
                    xAxis.pixel(line.xs[i]), yAxis.pixel(line.ys[i])));
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title></polyline>%n",
                line.colour, line.dashed ? " stroke-dasharray=\"6 4\"" : "", points, escape(line.name)));
        if (line.xs.length <= DOTS_UP_TO) {
            for (int i = 0; i < line.xs.length; i++) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                        xAxis.pixel(line.xs[i]), yAxis.pixel(line.ys[i]), line.colour));
            }
        }
    }

    private void marker(StringBuilder svg, Marker marker, Axis xAxis, Axis yAxis) {
        if (!(marker.vertical ? x : y).accepts(marker.value)) {
            return;
        }
        if (marker.vertical) {
            double px = xAxis.pixel(marker.value);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000000\" stroke-dasharray=\"3 3\"/>%n",
                    px, TOP, px, BOTTOM));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#000000\">%s</text>%n",
                    px + 4, TOP + 12, escape(marker.label)));
        } else {
            double py = yAxis.pixel(marker.value);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000000\" stroke-dasharray=\"3 3\"/>%n",
                    LEFT, py, RIGHT, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#000000\">%s</text>%n",
                    RIGHT - 4, py - 4, escape(marker.label)));
        }
    }

    private void legend(StringBuilder svg) {
        int row = 0;
        for (Series line : series) {
            if (line.name.isEmpty()) {
                continue;
            }
            int top = TOP + 6 + row * 18;
            if (top > BOTTOM) {
                break;
            }
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    RIGHT + 12, top, RIGHT + 36, top, line.colour, line.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#222222\">%s</text>%n",
                    RIGHT + 42, top + 4, escape(line.name)));
            row++;
        }
    }
}
