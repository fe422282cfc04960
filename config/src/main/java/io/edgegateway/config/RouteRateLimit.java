package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/** A route's {@code rate-limit}: absent, {@code off}, or its own quota. */
public sealed interface RouteRateLimit {

    /** The quota that applies given the global {@code rate-limit.default}; empty: unlimited. */
    Optional<Quota> effective(Optional<Quota> defaultQuota);

    /** The key is absent: {@code rate-limit.default} applies if set, else the route is unlimited. */
    record Inherit() implements RouteRateLimit {
        @Override
        public Optional<Quota> effective(Optional<Quota> defaultQuota) {
            return defaultQuota;
        }
    }

    /** {@code rate-limit = off}. */
    record Off() implements RouteRateLimit {
        @Override
        public Optional<Quota> effective(Optional<Quota> defaultQuota) {
            return Optional.empty();
        }
    }

    /** {@code rate-limit { requests = N, window = D }}; a missing half was taken from {@code rate-limit.default}. */
    record Limited(Quota quota) implements RouteRateLimit {
        public Limited {
            Objects.requireNonNull(quota, "quota");
        }

        @Override
        public Optional<Quota> effective(Optional<Quota> defaultQuota) {
            return Optional.of(quota);
        }
    }
}
