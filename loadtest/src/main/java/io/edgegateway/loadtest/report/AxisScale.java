package io.edgegateway.loadtest.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** How a chart axis places values: evenly, by decades, or by nines of a percentile. */
enum AxisScale {

    /** Evenly spaced; the axis always takes in zero, so heights compare honestly. */
    LINEAR {
        @Override
        double position(double value) {
            return value;
        }

        @Override
        boolean accepts(double value) {
            return Double.isFinite(value);
        }

        @Override
        List<Double> ticks(double low, double high) {
            double from = Math.min(0, low);
            double to = Math.max(0, high);
            if (to - from < 1e-9) {
                to = from + 1;
            }
            double raw = (to - from) / 5;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = magnitude * 10;
            for (double multiple : new double[] {1, 2, 5}) {
                if (magnitude * multiple >= raw) {
                    step = magnitude * multiple;
                    break;
                }
            }
            long first = (long) Math.floor(from / step + 1e-9);
            long last = (long) Math.ceil(to / step - 1e-9);
            List<Double> ticks = new ArrayList<>();
            for (long i = first; i <= last; i++) {
                ticks.add(i * step);
            }
            return ticks;
        }
    },

    /** Decades: 1, 10, 100; for a narrow range also 2 and 5 between them. */
    LOG {
        @Override
        double position(double value) {
            return Math.log10(value);
        }

        @Override
        boolean accepts(double value) {
            return Double.isFinite(value) && value > 0;
        }

        @Override
        List<Double> ticks(double low, double high) {
            int first = (int) Math.floor(Math.log10(low) + 1e-9);
            int last = Math.max(first + 1, (int) Math.ceil(Math.log10(high) - 1e-9));
            List<Double> ticks = new ArrayList<>();
            for (int decade = first; decade <= last; decade++) {
                double power = Math.pow(10, decade);
                ticks.add(power);
                if (last - first <= 2 && decade < last) {
                    ticks.add(2 * power);
                    ticks.add(5 * power);
                }
            }
            return ticks;
        }
    },

    /**
     * Percentiles from 0 to 100 placed at log(1 / (1 - p)), so 0%, 90%, 99%, 99.9% are evenly
     * spaced and the tail, where latency goes wrong, gets as much room as the median.
     */
    PERCENTILE {
        @Override
        double position(double value) {
            return -Math.log10(1 - value / 100);
        }

        @Override
        boolean accepts(double value) {
            return value >= 0 && value < 100;
        }

        @Override
        List<Double> ticks(double low, double high) {
            int nines = Math.max(1, (int) Math.ceil(position(high) - 1e-6));
            List<Double> ticks = new ArrayList<>();
            for (int k = 0; k <= nines; k++) {
                ticks.add(100 - Math.pow(10, 2 - k));
            }
            return ticks;
        }

        @Override
        String label(double tick) {
            return super.label(tick) + "%";
        }
    };

    /** Where {@code value} lies along the axis, in the scale's own units. */
    abstract double position(double value);

    /** Whether the scale can place {@code value} at all (a log axis cannot place 0). */
    abstract boolean accepts(double value);

    /** Tick values from at or below {@code low} to at or above {@code high}; the first and last bound the axis. */
    abstract List<Double> ticks(double low, double high);

    /** A tick's label: the value with six significant digits at most and no trailing zeros. */
    String label(double tick) {
        if (tick == 0) {
            return "0";
        }
        return new BigDecimal(tick).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
