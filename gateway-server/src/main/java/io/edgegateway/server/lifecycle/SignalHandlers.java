package io.edgegateway.server.lifecycle;

import io.edgegateway.server.GatewayServer;
import sun.misc.Signal;

/**
 * {@code SIGTERM} and {@code SIGINT} drain and exit 0; {@code SIGHUP} reloads the configuration.
 *
 * <p>The JVM's own handling of {@code SIGTERM} would run shutdown hooks and exit 143, so the
 * signals are taken over here.
 */
public final class SignalHandlers {

    private static final System.Logger LOG = System.getLogger(SignalHandlers.class.getName());

    private SignalHandlers() {
    }

    public static void install(GatewayServer server, ConfigReloader reloader, AutoCloseable alsoClose) {
        Runnable drainAndExit = () -> {
            LOG.log(System.Logger.Level.INFO, "draining for up to {0}", server.config().shutdownGrace());
            int exit = 0;
            try {
                boolean clean = server.drain(server.config().shutdownGrace());
                if (!clean) {
                    LOG.log(System.Logger.Level.WARNING, "grace period over, closing the remaining connections");
                }
                server.close();
                if (reloader != null) {
                    reloader.close();
                }
                if (alsoClose != null) {
                    alsoClose.close();
                }
            } catch (Throwable e) {
                // Even an Error (a class that cannot load any more, say) must not leave the process half stopped.
                LOG.log(System.Logger.Level.ERROR, "drain failed", e);
                exit = 1;
            }
            LOG.log(System.Logger.Level.INFO, "stopped");
            System.exit(exit);
        };
        Signal.handle(new Signal("TERM"), signal -> startOnce(drainAndExit));
        Signal.handle(new Signal("INT"), signal -> startOnce(drainAndExit));
        if (reloader != null) {
            Signal.handle(new Signal("HUP"), signal -> reloader.reload());
        }
    }

    private static boolean stopping;

    private static synchronized void startOnce(Runnable drainAndExit) {
        if (!stopping) {
            stopping = true;
            Thread thread = new Thread(drainAndExit, "drain");
            thread.start();
        }
    }
}
