package io.edgegateway.server;

/**
 * One scrape of a gateway's {@code /metrics}, read by sample: a metric's name and some of its labels
 * pick the series, whatever its other labels and their order.
 */
final class MetricsScrape {

    private final String text;

    private MetricsScrape(String text) {
        this.text = text;
    }

    static MetricsScrape of(TestGateway gateway) throws Exception {
        return new MetricsScrape(gateway.admin("/metrics").body());
    }

    /**
     * The value of the first series of {@code name} with these labels, given as name, value, name,
     * value...; NaN when there is none.
     */
    double value(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels: " + labels.length + " strings (expected: name and value pairs)");
        }
        for (String line : text.split("\n")) {
            if (labels.length == 0 && line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0]);
            }
            if (!line.startsWith(name + "{")) {
                continue;
            }
            int end = line.lastIndexOf("} ");
            if (end < 0) {
                continue;
            }
            String set = "," + line.substring(name.length() + 1, end) + ",";
            boolean matches = true;
            for (int i = 0; i < labels.length && matches; i += 2) {
                matches = set.contains("," + labels[i] + "=\"" + labels[i + 1] + "\",");
            }
            if (matches) {
                return Double.parseDouble(line.substring(end + 2).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** Like {@link #value} but 0 when there is no such series, for counters not yet touched. */
    double count(String name, String... labels) {
        double value = value(name, labels);
        return Double.isNaN(value) ? 0 : value;
    }

    @Override
    public String toString() {
        return text;
    }
}
