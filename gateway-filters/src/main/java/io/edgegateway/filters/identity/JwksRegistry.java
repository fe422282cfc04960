package io.edgegateway.filters.identity;

import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwksConfig;
import io.edgegateway.config.JwtIdentity;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The JWKS key sets of a running gateway, one per distinct {@code jwks-*} setting, kept across
 * reloads while a jwt source still names them (a reload neither refetches nor forgets keys), and
 * the one daemon thread, {@code jwks}, that fetches and parses all of them off the event loops.
 */
public final class JwksRegistry implements AutoCloseable {

    private final ScheduledExecutorService jwksThread;
    private final Counter refreshes;
    private final LongSupplier nanoTime;
    private final Map<Key, JwksCache> caches = new HashMap<>();

    /**
     * A cache is kept while its settings and its trust file's certificates stay the same: new
     * certificates at the same path take a new client, hence a new cache, on the next reload.
     */
    private record Key(JwksConfig config, String trustedCertificates) {

        static Key of(JwksConfig config) {
            return new Key(config, config.trustFile().map(Key::read).orElse(""));
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                // The fetcher reads it again and says what is wrong; here it only tells caches apart.
                return "unreadable: " + e;
            }
        }
    }

    /** @param refreshes {@code gateway_jwks_refresh_total}, labelled by result ok or error */
    public JwksRegistry(Counter refreshes) {
        this(refreshes, System::nanoTime);
    }

    /** @param nanoTime the clock {@code jwks-min-refresh} is measured on (tests move it by hand) */
    JwksRegistry(Counter refreshes, LongSupplier nanoTime) {
        this.refreshes = refreshes;
        this.nanoTime = nanoTime;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jwks");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.jwksThread = Executors.unconfigurableScheduledExecutorService(executor);
    }

    /** The cache for {@code config}, started (its first fetch under way) if it is new. */
    synchronized JwksCache cacheFor(JwksConfig config) {
        return caches.computeIfAbsent(Key.of(config), key -> new JwksCache(config, jwksThread, refreshes, nanoTime));
    }

    /** Stops and forgets the caches that no jwt source of {@code identity} names: the last step of a reload. */
    public synchronized void retainOnly(IdentityConfig identity) {
        Set<Key> named = identity.sources().stream()
                .filter(JwtIdentity.class::isInstance)
                .flatMap(source -> ((JwtIdentity) source).jwks().stream())
                .map(Key::of)
                .collect(Collectors.toSet());
        caches.entrySet().removeIf(entry -> {
            boolean gone = !named.contains(entry.getKey());
            if (gone) {
                entry.getValue().close();
            }
            return gone;
        });
    }

    /**
     * Done once every cache's first fetch has succeeded or failed: what {@code /ready} waits for at
     * start. Each fetch is bounded by its {@code jwks-timeout}, so this is too.
     */
    public synchronized CompletableFuture<Void> firstFetches() {
        return CompletableFuture.allOf(caches.values().stream()
                .map(cache -> cache.firstFetch().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public synchronized void close() {
        caches.values().forEach(JwksCache::close);
        caches.clear();
        jwksThread.shutdownNow();
    }
}
