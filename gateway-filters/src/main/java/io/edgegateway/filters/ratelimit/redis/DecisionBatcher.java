package io.edgegateway.filters.ratelimit.redis;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * Coalesces the decisions one event loop asks of one shard. The first one queued schedules a flush
 * on the loop, which runs once the loop has handled the rest of what it woke up for (every request
 * read in that wake-up), so they all go out as one script call; a full batch goes at once. Used
 * only on its loop's thread, so it needs no lock.
 */
final class DecisionBatcher implements Runnable {

    /** Keys per script call at most: a call holds Redis for a few microseconds per key. */
    static final int MAX_BATCH = 64;

    private final Shard shard;
    private final EventLoop loop;
    private DecisionBatch open;
    private boolean flushScheduled;

    DecisionBatcher(Shard shard, EventLoop loop) {
        this.shard = shard;
        this.loop = loop;
    }

    /** Queues {@code decision}; on the loop's thread only. */
    void add(LimiterScript script, PendingDecision<?> decision) {
        // One at another second (or with another script) goes in a later call than those before it.
        // Sending may complete decisions at once (a connection refusing commands), and their callers
        // may queue more meanwhile: hence a loop, and `open` read afresh after every send.
        while (open != null && !open.accepts(script, decision.now)) {
            sendOpen();
        }
        if (open == null) {
            open = new DecisionBatch(shard, script, decision.now, MAX_BATCH);
        }
        open.add(decision);
        if (open.isFull()) {
            sendOpen();
        } else if (!flushScheduled) {
            flushScheduled = true;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                flushScheduled = false;
                sendOpen();
            }
        }
    }

    /** The flush: sends what was queued since it was scheduled. */
    @Override
    public void run() {
        flushScheduled = false;
        if (open != null) {
            sendOpen();
        }
    }

    private void sendOpen() {
        DecisionBatch batch = open;
        open = null;
        shard.send(batch);
    }
}
