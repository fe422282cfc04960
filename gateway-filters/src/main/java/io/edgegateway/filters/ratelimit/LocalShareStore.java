package io.edgegateway.filters.ratelimit;

import io.edgegateway.config.Quota;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;

/**
 * The in-memory fallback of {@code on-store-failure = local} when the number of gateways changes
 * ({@code rate-limit.instances = auto}): each quota asked for is decided as this gateway's share
 * of it, {@code requests / live gateways} (at least 1), the count read at each decision. The share
 * is kept until the count or the quota changes, so a decision costs no allocation.
 */
public final class LocalShareStore implements RateLimitStore {

    private record Share(Quota whole, int instances, Quota share) { }

    private final RateLimitStore local;
    private final IntSupplier instances;
    private volatile Share last;

    /**
     * @param local the in-memory store; not closed with this
     * @param instances the gateways sharing the limits now, at least 1
     */
    public LocalShareStore(RateLimitStore local, IntSupplier instances) {
        this.local = Objects.requireNonNull(local, "local");
        this.instances = Objects.requireNonNull(instances, "instances");
    }

    @Override
    public CompletionStage<RateLimitDecision> decide(String key, Quota quota) {
        return local.decide(key, shareOf(quota));
    }

    Quota shareOf(Quota quota) {
        int count = Math.max(1, instances.getAsInt());
        Share share = last;
        if (share == null || share.instances() != count || !share.whole().equals(quota)) {
            share = new Share(quota, count, quota.share(count));
            last = share;
        }
        return share.share();
    }

    /** The local store is its owner's to close. */
    @Override
    public void close() {
    }
}
