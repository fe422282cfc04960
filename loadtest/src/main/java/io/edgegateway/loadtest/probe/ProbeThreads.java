package io.edgegateway.loadtest.probe;

import java.util.concurrent.Executor;

/** Probes block on sockets, so each background task gets a thread of its own, never the common pool. */
final class ProbeThreads {

    private ProbeThreads() {
    }

    /** Runs each task on a new daemon thread of that name. */
    static Executor named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }
}
