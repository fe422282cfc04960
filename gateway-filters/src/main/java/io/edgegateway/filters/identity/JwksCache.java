package io.edgegateway.filters.identity;

import io.edgegateway.config.JwksConfig;
import io.prometheus.client.Counter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The key set of one {@code jwks-url}. Event loops read it through a volatile field and never wait:
 * fetching, parsing and scheduling all happen on the registry's jwks thread, one fetch at a time.
 *
 * <p>A fetch runs at start, every {@code jwks-refresh} after a good one, {@code jwks-min-refresh}
 * after a failed one, and when a token names a key the set lacks ({@link #unknownKey}), at most once
 * per {@code jwks-min-refresh}. A failed fetch or a bad document keeps the set at hand.
 */
final class JwksCache {

    private static final System.Logger LOG = System.getLogger(JwksCache.class.getName());

    private final JwksConfig config;
    private final JwksFetcher fetcher;
    private final ScheduledExecutorService jwksThread;
    private final Counter refreshes;
    private final LongSupplier nanoTime;
    private final long minRefreshNanos;
    private final CompletableFuture<Void> firstFetch = new CompletableFuture<>();
    /** When the last fetch was started or asked for; unknown kids wait min-refresh from it. */
    private final AtomicLong lastFetchNanos;
    /** Fetches asked for by tokens with unknown keys, for tests and nothing else. */
    private final AtomicLong unknownKeyFetches = new AtomicLong();
    private volatile JwkSet keys = JwkSet.EMPTY;
    private volatile boolean closed;

    // Touched on the jwks thread only.
    private boolean fetching;
    private ScheduledFuture<?> next;

    /**
     * @param refreshes {@code gateway_jwks_refresh_total}, by result ok or error
     * @param nanoTime the clock min-refresh is measured on
     */
    JwksCache(JwksConfig config, ScheduledExecutorService jwksThread, Counter refreshes, LongSupplier nanoTime) {
        this.config = config;
        this.fetcher = new JwksFetcher(config, jwksThread);
        this.jwksThread = jwksThread;
        this.refreshes = refreshes;
        this.nanoTime = nanoTime;
        this.minRefreshNanos = config.minRefresh().toNanos();
        this.lastFetchNanos = new AtomicLong(nanoTime.getAsLong());
        run(this::fetch);
    }

    /** The keys at hand: empty until the first good fetch. */
    JwkSet keys() {
        return keys;
    }

    /**
     * A token named a key the set lacks: a rotation this gateway has not seen yet, or a forgery.
     * Asks for a fetch unless one was started or asked for within min-refresh; lock-free, and the
     * caller answers the token with the keys at hand.
     */
    void unknownKey() {
        long now = nanoTime.getAsLong();
        long last = lastFetchNanos.get();
        if (now - last >= minRefreshNanos && lastFetchNanos.compareAndSet(last, now)) {
            unknownKeyFetches.incrementAndGet();
            run(this::fetch);
        }
    }

    long unknownKeyFetches() {
        return unknownKeyFetches.get();
    }

    /** Done once the first fetch succeeded or failed (each fetch is bounded by jwks-timeout), or at close. */
    CompletionStage<Void> firstFetch() {
        return firstFetch;
    }

    /** Stops fetching; the keys at hand stay readable for requests still holding this cache. */
    void close() {
        closed = true;
        firstFetch.complete(null);
        run(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void fetch() {
        if (closed || fetching) {
            return;
        }
        fetching = true;
        lastFetchNanos.set(nanoTime.getAsLong());
        CompletableFuture<String> document;
        try {
            document = fetcher.fetch();
        } catch (RuntimeException e) {
            document = CompletableFuture.failedFuture(e);
        }
        document.whenCompleteAsync(this::fetched, jwksThread);
    }

    private void fetched(String document, Throwable failure) {
        fetching = false;
        boolean ok = failure == null && took(document);
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING,
                    "jwks-url {0}: fetch failed ({1}); keeping the key set at hand ({2} keys), next try in {3}s",
                    config.url(), describe(failure), keys.size(), config.minRefresh().toSeconds());
        }
        refreshes.labels(ok ? "ok" : "error").inc();
        firstFetch.complete(null);
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        long delay = (ok ? config.refresh() : config.minRefresh()).toNanos();
        next = jwksThread.schedule(this::fetch, delay, TimeUnit.NANOSECONDS);
    }

    private boolean took(String document) {
        JwkSet parsed;
        try {
            parsed = JwksDocument.parse(document, reason -> LOG.log(System.Logger.Level.WARNING,
                    "jwks-url {0}: a key left out: {1}", config.url(), reason));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "jwks-url {0}: bad document ({1}); keeping the key set at hand ({2} keys)",
                    config.url(), e.getMessage(), keys.size());
            return false;
        }
        if (!parsed.kids().equals(keys.kids())) {
            LOG.log(System.Logger.Level.INFO, "jwks-url {0}: {1} keys {2}", config.url(), parsed.size(), parsed.kids());
        }
        keys = parsed;
        return true;
    }

    private void run(Runnable task) {
        try {
            jwksThread.execute(task);
        } catch (RejectedExecutionException e) {
            // The registry is closed: nothing is fetched any more.
            firstFetch.complete(null);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
