package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals for a lagging loop are told in the gateway's log, not one line each: the first batch
 * at the probe's next run, later ones at most once a second, each with how many were refused.
 */
class EventLoopLagReportTest {

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Logger logger = Logger.getLogger(EventLoopLag.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void theFirstRefusalsAreToldAtOnceWithTheirCountAndLaterOnesAtMostOnceASecond() {
        EventLoopLag.Probe probe = new EventLoopLag.Probe(0);
        long now = System.nanoTime();
        probe.report(now);
        assertThat(warnings).as("nothing refused, nothing told").isEmpty();

        probe.refused();
        probe.refused();
        probe.refused();
        probe.report(now);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getParameters()[1]).isEqualTo(3L);

        probe.refused();
        probe.report(now + EventLoopLag.REPORT_NANOS / 2);
        assertThat(warnings).as("within the second").hasSize(1);
        probe.refused();
        probe.report(now + EventLoopLag.REPORT_NANOS);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1).getParameters()[1]).as("both refusals since the first warning").isEqualTo(2L);
    }
}
