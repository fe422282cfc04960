package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/** A route's {@code load-shedding}: absent, {@code off}, or its own settings. */
public sealed interface RouteShedding {

    /** The settings that apply given the global {@code gateway.load-shedding}; empty: never shed. */
    Optional<LoadSheddingConfig> effective(Optional<LoadSheddingConfig> global);

    /** The key is absent: the global {@code load-shedding} applies if set, else the route never sheds. */
    record Inherit() implements RouteShedding {
        @Override
        public Optional<LoadSheddingConfig> effective(Optional<LoadSheddingConfig> global) {
            return global;
        }
    }

    /** {@code load-shedding = off}. */
    record Off() implements RouteShedding {
        @Override
        public Optional<LoadSheddingConfig> effective(Optional<LoadSheddingConfig> global) {
            return Optional.empty();
        }
    }

    /**
     * The route's own settings; keys it left out were taken from the global {@code load-shedding},
     * else from the defaults (window 10s, min-samples 100).
     */
    record Enabled(LoadSheddingConfig config) implements RouteShedding {
        public Enabled {
            Objects.requireNonNull(config, "config");
        }

        @Override
        public Optional<LoadSheddingConfig> effective(Optional<LoadSheddingConfig> global) {
            return Optional.of(config);
        }
    }
}
