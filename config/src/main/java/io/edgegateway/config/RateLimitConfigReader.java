package io.edgegateway.config;

import com.typesafe.config.ConfigValueType;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads {@code gateway.rate-limit}. */
final class RateLimitConfigReader {

    private static final Set<String> KEYS = Set.of(
            "store", "algorithm", "on-store-failure", "mode", "default", "instances", "redis", "local");

    private static final String INSTANCES = "auto or an integer >= 1";

    private RateLimitConfigReader() {
    }

    static Optional<RateLimitConfig> read(ConfigReader r) {
        r.rejectUnknownKeys(KEYS);
        r.require("store", "local, redis or redis-cluster");
        r.require("algorithm", "sliding-log, sliding-window or token-bucket");
        r.require("on-store-failure", "fail-open, fail-closed or local");
        r.require("mode", "enforce or shadow");
        r.require("instances", INSTANCES);
        r.require("redis", "an object { shards = [...], ... }");
        r.require("local", "an object { max-identities = ... }");
        Optional<StoreType> store = r.choice("store", StoreType.class);
        Optional<Algorithm> algorithm = r.choice("algorithm", Algorithm.class);
        Optional<FailurePolicy> onStoreFailure = r.choice("on-store-failure", FailurePolicy.class);
        Optional<LimitMode> mode = r.choice("mode", LimitMode.class);
        Optional<OptionalInt> instances = r.value("instances").flatMap(RateLimitConfigReader::instances);
        Optional<Quota> defaultQuota = r.value("default").flatMap(RateLimitConfigReader::defaultQuota);
        Optional<RedisConfig> redis = r.object("redis").flatMap(redisReader -> RedisConfigReader.read(redisReader, store));
        Optional<LocalStoreConfig> local = r.object("local").flatMap(RateLimitConfigReader::local);
        return r.build(() -> new RateLimitConfig(
                store.orElseThrow(), algorithm.orElseThrow(), onStoreFailure.orElseThrow(), mode.orElseThrow(),
                defaultQuota, instances.orElseThrow(), redis.orElseThrow(), local.orElseThrow()));
    }

    /** {@code auto}: counted from the gateways' heartbeats in the store (empty). */
    private static Optional<OptionalInt> instances(ConfigValueReader v) {
        if (v.isString("auto")) {
            return Optional.of(OptionalInt.empty());
        }
        if (v.value().valueType() != ConfigValueType.NUMBER) {
            v.invalid(INSTANCES);
            return Optional.empty();
        }
        return v.intValue(1, 100_000).map(OptionalInt::of);
    }

    private static Optional<LocalStoreConfig> local(ConfigReader r) {
        String expected = "auto or an integer >= 1";
        r.rejectUnknownKeys(Set.of("max-identities"));
        r.require("max-identities", expected);
        Optional<OptionalInt> maxIdentities = r.value("max-identities").flatMap(v -> {
            if (v.isString("auto")) {
                return Optional.of(OptionalInt.empty());
            }
            if (v.value().valueType() != ConfigValueType.NUMBER) {
                v.invalid(expected);
                return Optional.empty();
            }
            return v.intValue(1, Integer.MAX_VALUE).map(OptionalInt::of);
        });
        return r.build(() -> new LocalStoreConfig(maxIdentities.orElseThrow()));
    }

    /** {@code default = off} is accepted too, so a file can undo a default set in a file it includes. */
    private static Optional<Quota> defaultQuota(ConfigValueReader v) {
        if (v.isString("off")) {
            return Optional.empty();
        }
        return v.object("off or " + QuotaReader.EXPECTED).flatMap(q -> QuotaReader.read(q, Optional.empty()));
    }
}
