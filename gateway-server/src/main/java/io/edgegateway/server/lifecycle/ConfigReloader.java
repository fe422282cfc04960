package io.edgegateway.server.lifecycle;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.ConfigProblem;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.InvalidConfigException;
import io.edgegateway.server.GatewayServer;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the configuration file into a running gateway: on {@code SIGHUP}, and when a file in the
 * configuration's folder changes (so included files count too). An invalid file is refused with
 * its problems logged, and the running configuration keeps serving.
 */
public final class ConfigReloader implements AutoCloseable {

    /** The symlink a Kubernetes ConfigMap volume swaps on every update. */
    static final String CONFIG_MAP_DATA = "..data";

    private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());
    /** Editors save in several steps; changes this close together are one reload. */
    private static final long SETTLE_MILLIS = 200;

    private final Path file;
    private final GatewayServer server;
    private WatchService watcher;

    public ConfigReloader(Path file, GatewayServer server) {
        this.file = file.toAbsolutePath();
        this.server = server;
    }

    /** Reads the file and applies it; true when it was valid and is now serving. */
    public synchronized boolean reload() {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (InvalidConfigException e) {
            server.metrics().configReloads.labels("failure").inc();
            StringBuilder problems = new StringBuilder();
            for (ConfigProblem problem : e.problems()) {
                problems.append('\n').append(problem);
            }
            LOG.log(System.Logger.Level.ERROR, "configuration refused, the previous one keeps serving:{0}", problems);
            return false;
        }
        try {
            server.reload(config);
        } catch (IllegalStateException e) {
            server.metrics().configReloads.labels("failure").inc();
            LOG.log(System.Logger.Level.ERROR, "configuration refused, the previous one keeps serving: {0}", e.getMessage());
            return false;
        }
        server.metrics().configReloads.labels("success").inc();
        LOG.log(System.Logger.Level.INFO, "configuration reloaded from {0}: {1} routes", file, config.routes().size());
        return true;
    }

    /** Starts watching the configuration's folder on a daemon thread. */
    public void watch() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        Thread thread = new Thread(this::watchLoop, "config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean relevant = drain(key);
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    relevant |= drain(more);
                }
                if (relevant && file.toFile().exists()) {
                    reload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True when a {@code .conf} file changed, or {@code ..data}: Kubernetes updates a mounted
     * ConfigMap by pointing that symlink at a new folder, leaving the {@code .conf} links as they are.
     */
    private static boolean drain(WatchKey key) {
        boolean relevant = key.pollEvents().stream()
                .anyMatch(event -> event.context() instanceof Path changed
                        && (changed.toString().endsWith(".conf") || changed.toString().equals(CONFIG_MAP_DATA)));
        key.reset();
        return relevant;
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
