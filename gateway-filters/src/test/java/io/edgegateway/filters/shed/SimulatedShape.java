package io.edgegateway.filters.shed;

import static io.edgegateway.filters.shed.ShedderSimulation.MS;
import static io.edgegateway.filters.shed.ShedderSimulation.SECOND;

/**
 * The upstream shapes of issue 14 as the simulation runs them, each a pool of {@link #WORKERS}
 * workers with a FIFO queue in front, matching {@code loadtest/bench/shedding-shapes.sh}.
 *
 * @param capacity requests per second the pool serves at the end of the run
 * @param settledFromSecond when the shape stops changing (0 but for a ramp)
 * @param maxTurns how often the limit may turn from growing to shrinking or back once settled: on a
 *     heavy tail the P99 of a one-second slice swings by half either way on its own
 */
record SimulatedShape(String name, SimulatedWorkerPool.ServiceTime service, double capacity, int settledFromSecond,
        int maxTurns) {

    static final int WORKERS = 8;

    static SimulatedShape of(String name) {
        return switch (name) {
            // 8 x 20 ms: 400 req/s, the case the issue measured.
            case "pool" -> new SimulatedShape(name, (t, r) -> 20 * MS, WORKERS * 1000 / 20.0, 0, 1);
            // 10 ms growing to 30 ms over the first 40 s: 800 down to 267 req/s.
            case "degrading" -> new SimulatedShape(name,
                    (t, r) -> (long) ((10 + 20 * Math.min(1.0, (double) t / (40 * SECOND))) * MS),
                    WORKERS * 1000 / 30.0, 40, 1);
            // 10 ms, but 0.5% take 100-500 ms: a mean of 11.45 ms, 699 req/s.
            case "heavy-tail" -> new SimulatedShape(name, (t, r) -> r.nextDouble() < 0.005
                    ? (long) ((100 + 400 * r.nextDouble()) * MS) : 10 * MS, WORKERS * 1000 / 11.45, 0, 4);
            default -> throw new IllegalArgumentException(name);
        };
    }

    SimulatedWorkerPool pool(long seed) {
        return new SimulatedWorkerPool(WORKERS, service, seed);
    }
}
