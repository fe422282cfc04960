package io.edgegateway.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.InvalidConfigException;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Slow start: an instance back in rotation takes a tenth of its share at first, growing evenly to
 * all of it over {@code slow-start}. Driven on a hand-moved clock; the shares the balancer gives are
 * counted over many picks, with bounds many standard deviations wide.
 */
class UpstreamSlowStartTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long WINDOW = 10 * SECOND;
    private static final int PICKS = 20_000;
    private static final UpstreamInstance[] NONE_TRIED = new UpstreamInstance[0];

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final UpstreamRegistry registry =
            new UpstreamRegistry(new GatewayMetrics(), null, Optional.empty(), null, clock::get);

    @Test
    void instancesOfANewRouteTakeTheirWholeShareAtOnce() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");

        for (UpstreamInstance instance : cluster.instances()) {
            assertEquals(1.0, cluster.share(instance, WINDOW));
        }
        assertEquals(0.5, pickedShare(cluster, cluster.instances().get(0)), 0.05);
    }

    @Test
    void anInstanceWhoseEjectionEndedGrowsFromATenthToItsWholeShare() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");
        UpstreamInstance restarted = cluster.instances().get(0);
        restarted.report(AttemptOutcome.CONNECT_FAILED);
        assertFalse(restarted.inRotation());

        clock.addAndGet(SECOND); // base-ejection over: in rotation again, at the start of its slow start
        assertTrue(restarted.inRotation());
        assertEquals(0.1, cluster.share(restarted, WINDOW), 1e-9);
        // Kept with probability 0.1 when the round robin picks it (half the time): 5% of the requests.
        assertEquals(0.05, pickedShare(cluster, restarted), 0.02);

        clock.addAndGet(WINDOW / 2);
        assertEquals(0.55, cluster.share(restarted, WINDOW), 1e-9);
        assertEquals(0.275, pickedShare(cluster, restarted), 0.04);

        clock.addAndGet(WINDOW / 2);
        assertEquals(1.0, cluster.share(restarted, WINDOW));
        assertEquals(0.5, pickedShare(cluster, restarted), 0.05);
    }

    @Test
    void anInstanceWhoseHealthCheckPassesAgainStartsSlowlyFromThatMoment() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");
        UpstreamInstance restarted = cluster.instances().get(1);
        restarted.healthCheckChanged(false);
        assertFalse(restarted.inRotation());
        assertEquals(List.of(cluster.instances().get(0)), picked(cluster, 100).stream().distinct().toList());

        clock.addAndGet(60 * SECOND);
        restarted.healthCheckChanged(true);
        assertEquals(0.1, cluster.share(restarted, WINDOW), 1e-9);
        clock.addAndGet(WINDOW);
        assertEquals(1.0, cluster.share(restarted, WINDOW));
    }

    @Test
    void aHealthCheckThatReadmitsAnEjectedInstanceStartsItsSlowStartOnce() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");
        UpstreamInstance restarted = cluster.instances().get(0);
        restarted.report(AttemptOutcome.CONNECT_FAILED);
        restarted.healthCheckChanged(false);
        clock.addAndGet(3 * SECOND);

        restarted.healthCheckChanged(true); // readmitted from its ejection too, with a fresh standing
        assertTrue(restarted.inRotation());
        assertEquals(0.1, cluster.share(restarted, WINDOW), 1e-9);
        clock.addAndGet(WINDOW / 2);
        assertEquals(0.55, cluster.share(restarted, WINDOW), 1e-9);
    }

    @Test
    void anInstanceAddedToAServingRouteStartsSlowlyAndTheOthersKeepTheirShare() throws Exception {
        cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3");
        UpstreamInstance added = cluster.instances().get(2);

        assertEquals(1.0, cluster.share(cluster.instances().get(0), WINDOW));
        assertEquals(0.1, cluster.share(added, WINDOW), 1e-9);
        assertEquals(0.1 / 3, pickedShare(cluster, added), 0.015);
    }

    @Test
    void offGivesAReadmittedInstanceItsWholeShareAtOnce() {
        UpstreamCluster cluster = cluster("off", "http://127.0.0.1:1", "http://127.0.0.1:2");
        UpstreamInstance restarted = cluster.instances().get(0);
        restarted.report(AttemptOutcome.CONNECT_FAILED);
        clock.addAndGet(SECOND);

        assertEquals(0.5, pickedShare(cluster, restarted), 0.05);
    }

    @Test
    void whenEveryInstanceIsStartingSlowlyOneIsStillChosen() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2");
        for (UpstreamInstance instance : cluster.instances()) {
            instance.healthCheckChanged(false);
            instance.healthCheckChanged(true);
        }

        List<UpstreamInstance> picks = picked(cluster, 1_000);
        assertEquals(1_000, picks.size());
        assertTrue(picks.containsAll(cluster.instances()));
    }

    @Test
    void aRetryStillAvoidsTheInstanceAlreadyTried() {
        UpstreamCluster cluster = cluster("10s", "http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3");
        UpstreamInstance warming = cluster.instances().get(2);
        warming.healthCheckChanged(false);
        warming.healthCheckChanged(true);
        UpstreamInstance[] tried = {cluster.instances().get(0)};

        for (int i = 0; i < 1_000; i++) {
            UpstreamInstance next = cluster.choose(null, tried, 1);
            assertNotNull(next);
            assertFalse(next == tried[0], "a retry went back to the instance it left");
        }
    }

    /** The part of {@link #PICKS} first attempts that went to {@code instance}. */
    private static double pickedShare(UpstreamCluster cluster, UpstreamInstance instance) {
        long hits = picked(cluster, PICKS).stream().filter(i -> i == instance).count();
        return (double) hits / PICKS;
    }

    private static List<UpstreamInstance> picked(UpstreamCluster cluster, int picks) {
        UpstreamInstance[] chosen = new UpstreamInstance[picks];
        for (int i = 0; i < picks; i++) {
            chosen[i] = cluster.choose(null, NONE_TRIED, 0);
        }
        return List.of(chosen);
    }

    /** The route {@code r} with these upstreams (again: reconfigured), round robin, ejected on the first failure for 1 s. */
    private UpstreamCluster cluster(String slowStart, String... upstreams) {
        String list = String.join("\", \"", upstreams);
        RouteConfig route;
        try {
            route = ConfigLoader.parse("gateway { routes = [ { id = r, match { path-prefix = \"/\" }, upstreams = [\"" + list
                    + "\"], slow-start = " + slowStart
                    + ", outlier-detection { consecutive-failures = 1, base-ejection = 1s, max-ejection-percent = 50 } } ] }",
                    "t.conf").routes().get(0);
        } catch (InvalidConfigException e) {
            throw new AssertionError(e);
        }
        return registry.clusterFor(route);
    }
}
