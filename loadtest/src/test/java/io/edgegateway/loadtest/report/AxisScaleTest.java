package io.edgegateway.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisScaleTest {

    @Test
    void linearTicksAreRoundAndTakeInZero() {
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), AxisScale.LINEAR.ticks(13, 97));
        List<Double> negative = AxisScale.LINEAR.ticks(-3233, 100);
        assertEquals(-4000.0, negative.get(0));
        assertEquals(1000.0, negative.get(negative.size() - 1));
    }

    @Test
    void logTicksAreDecadesWithStepsBetweenForANarrowRange() {
        assertEquals(List.of(0.1, 1.0, 10.0, 100.0, 1000.0), AxisScale.LOG.ticks(0.3, 700));
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0), AxisScale.LOG.ticks(1.5, 8));
        assertFalse(AxisScale.LOG.accepts(0));
    }

    @Test
    void percentileTicksAreNinesPlacedEvenly() {
        List<Double> ticks = AxisScale.PERCENTILE.ticks(0, 99.95);
        assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.99%"), ticks.stream().map(AxisScale.PERCENTILE::label).toList());
        assertEquals(3.0, AxisScale.PERCENTILE.position(99.9), 1e-9);
        assertFalse(AxisScale.PERCENTILE.accepts(100));
    }
}
