package io.edgegateway.loadtest.run;

import io.edgegateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one open-loop run: opens the connections, spreads them over the event loops, lets each
 * follow its share of the schedule, waits for the last answer (or its timeout) and merges what
 * every loop recorded.
 */
public final class LoadGenerator {

    /** The length of the slices a run is cut into for latency over time and SLO windows. */
    public static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long CONNECT_WAIT_SECONDS = 10;
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long EXPIRY_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private LoadGenerator() {
    }

    /** Runs {@code settings} to the end and returns what it measured. */
    public static RunResult run(RunSettings settings) throws InterruptedException {
        String scheme = settings.url().getScheme();
        if (!"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("url " + settings.url() + " (expected: http://HOST[:PORT]/PATH)");
        }
        int port = settings.url().getPort() < 0 ? 80 : settings.url().getPort();
        InetSocketAddress address = new InetSocketAddress(settings.url().getHost(), port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("url " + settings.url() + ": cannot resolve " + settings.url().getHost());
        }
        Transport transport = Transport.auto();
        EventLoopGroup group = transport.newGroup(settings.threads());
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .channel(transport.channelType())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            TimeUnit.NANOSECONDS.toMillis(settings.timeoutNanos())));
            return run(settings, group, bootstrap, address);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static RunResult run(RunSettings settings, EventLoopGroup group, Bootstrap bootstrap, InetSocketAddress address)
            throws InterruptedException {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        Schedule schedule = new Schedule(settings);
        RequestTemplate request = new RequestTemplate(settings.url());
        UserPicker users = new UserPicker(settings.users(), settings.spread());
        LoopRecorder[] recorders = new LoopRecorder[loops.size()];
        List<List<ConnectionDriver>> driversByLoop = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom();
        for (int i = 0; i < loops.size(); i++) {
            recorders[i] = new LoopRecorder(settings.durationNanos(), INTERVAL_NANOS);
            driversByLoop.add(new ArrayList<>());
        }
        CountDownLatch finished = new CountDownLatch(settings.connections());
        for (int k = 0; k < settings.connections(); k++) {
            int loopIndex = k % loops.size();
            driversByLoop.get(loopIndex).add(new ConnectionDriver(loops.get(loopIndex), bootstrap, address, schedule,
                    request, users, seeds.split(), recorders[loopIndex], k, settings.connections(), finished::countDown));
        }
        // Connections open before the clock starts, so connecting is not in the first requests' latency.
        List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            List<ConnectionDriver> drivers = driversByLoop.get(i);
            connects.addAll(loops.get(i).submit(() -> drivers.stream().map(ConnectionDriver::connect).toList()).sync().getNow());
        }
        for (ChannelFuture connect : connects) {
            connect.await(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        long startNanos = System.nanoTime() + START_DELAY_NANOS;
        long startEpochMillis = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(START_DELAY_NANOS);
        List<ScheduledFuture<?>> expiries = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            List<ConnectionDriver> drivers = driversByLoop.get(i);
            loops.get(i).execute(() -> drivers.forEach(driver -> driver.start(startNanos)));
            expiries.add(loops.get(i).scheduleAtFixedRate(() -> drivers.forEach(driver -> driver.expire(settings.timeoutNanos())),
                    EXPIRY_CHECK_NANOS, EXPIRY_CHECK_NANOS, TimeUnit.NANOSECONDS));
            expiries.add(loops.get(i).scheduleAtFixedRate(new LoopLagProbe(recorders[i]),
                    LoopLagProbe.PERIOD_NANOS, LoopLagProbe.PERIOD_NANOS, TimeUnit.NANOSECONDS));
        }
        long waitNanos = settings.durationNanos() + 2 * settings.timeoutNanos() + TimeUnit.SECONDS.toNanos(CONNECT_WAIT_SECONDS);
        if (!finished.await(waitNanos, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("run did not finish within " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + "s");
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        expiries.forEach(task -> task.cancel(false));
        // A task through each loop after its last write: the recorders are then safe to read here.
        for (EventLoop loop : loops) {
            loop.submit(() -> { }).sync();
        }
        return merge(settings, recorders, startEpochMillis, elapsedNanos);
    }

    private static RunResult merge(RunSettings settings, LoopRecorder[] recorders, long startEpochMillis, long elapsedNanos) {
        Histogram latency = new Histogram(1, LoopRecorder.HIGHEST_MICROS, 3);
        Histogram serviceTime = new Histogram(1, LoopRecorder.HIGHEST_MICROS, 3);
        Histogram successLatency = new Histogram(1, LoopRecorder.HIGHEST_MICROS, 3);
        TreeMap<Integer, Long> statuses = new TreeMap<>();
        TreeMap<String, Long> failures = new TreeMap<>();
        long maxSendLagNanos = 0;
        long lastSendOffset = 0;
        int slices = recorders[0].intervals.length;
        List<Interval> intervals = new ArrayList<>();
        for (int slice = 0; slice < slices; slice++) {
            Histogram merged = new Histogram(1, LoopRecorder.HIGHEST_MICROS, 2);
            long errors = 0;
            for (LoopRecorder recorder : recorders) {
                merged.add(recorder.intervals[slice]);
                errors += recorder.intervalErrors[slice];
            }
            long offset = slice * INTERVAL_NANOS;
            intervals.add(new Interval(offset, Math.min(INTERVAL_NANOS, settings.durationNanos() - offset), merged, errors));
        }
        for (LoopRecorder recorder : recorders) {
            latency.add(recorder.latency);
            serviceTime.add(recorder.serviceTime);
            successLatency.add(recorder.successLatency);
            for (int status = 0; status < recorder.statuses.length; status++) {
                if (recorder.statuses[status] > 0) {
                    statuses.merge(status, recorder.statuses[status], Long::sum);
                }
            }
            recorder.failures.forEach((cause, count) -> failures.merge(cause, count, Long::sum));
            maxSendLagNanos = Math.max(maxSendLagNanos, recorder.maxSendLagNanos);
            lastSendOffset = Math.max(lastSendOffset, recorder.lastSendOffset);
        }
        long sendingNanos = Math.max(settings.durationNanos(), lastSendOffset);
        return new RunResult(settings, startEpochMillis, elapsedNanos, sendingNanos, latency, serviceTime, successLatency,
                List.copyOf(intervals),
                statuses, failures, TimeUnit.NANOSECONDS.toMicros(maxSendLagNanos));
    }
}
