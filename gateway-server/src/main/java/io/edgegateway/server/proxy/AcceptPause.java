package io.edgegateway.server.proxy;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * The client listener stops accepting while every worker loop keeps falling behind
 * ({@link EventLoopLag}), and accepts again once one of them has run its probe on time. A new
 * connection meanwhile waits in the kernel's backlog (the listener's {@code SO_BACKLOG}) at no cost
 * to the loops, instead of being accepted, read and refused, as a client that reconnects after its
 * refusal would be again and again. The pause starts and ends on different conditions, so that a
 * loop between two late turns does not let the backlog in at once.
 *
 * <p>Runs on the listener's own loop every {@link EventLoopLag#PERIOD_NANOS}, reading the loops'
 * probes from there; toggling auto-read on the listener is how Netty stops and restarts accepting.
 */
public final class AcceptPause implements Runnable {

    private static final System.Logger LOG = System.getLogger(AcceptPause.class.getName());

    private final Channel listener;
    private final EventLoopLag lag;
    /** Written by the listener's loop only; volatile for {@code gateway_listener_paused}'s scrapes. */
    private volatile boolean paused;
    private long pausedAt;

    private AcceptPause(Channel listener, EventLoopLag lag) {
        this.listener = listener;
        this.lag = lag;
    }

    /** Watches {@code lag}'s loops for {@code listener}; never pauses when loops are not watched. */
    public static AcceptPause watch(Channel listener, EventLoopLag lag) {
        AcceptPause pause = new AcceptPause(listener, lag);
        if (lag.watching()) {
            listener.eventLoop().scheduleWithFixedDelay(pause,
                    EventLoopLag.PERIOD_NANOS, EventLoopLag.PERIOD_NANOS, TimeUnit.NANOSECONDS);
        }
        return pause;
    }

    /** Whether new connections are left in the backlog now; from any thread. */
    public boolean paused() {
        return paused;
    }

    @Override
    public void run() {
        if (!listener.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (!paused && lag.allBehind(now)) {
            paused = true;
            pausedAt = now;
            listener.config().setAutoRead(false);
            LOG.log(System.Logger.Level.WARNING, "every event loop is behind its schedule (limits.max-event-loop-lag): "
                    + "not accepting new connections until one catches up");
        } else if (paused && lag.anyCaughtUp()) {
            paused = false;
            listener.config().setAutoRead(true);
            LOG.log(System.Logger.Level.WARNING, "an event loop caught up: accepting new connections again after {0} ms",
                    TimeUnit.NANOSECONDS.toMillis(now - pausedAt));
        }
    }
}
