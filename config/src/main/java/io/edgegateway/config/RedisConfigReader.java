package io.edgegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code gateway.rate-limit.redis}; the store in use decides which of its lists must not be empty. */
final class RedisConfigReader {

    private static final String SHARD = "redis://host:port, rediss://host:port or redis-sentinel://host:port/mastername URI";
    private static final String NODE = "redis://host:port or rediss://host:port URI";
    private static final Pattern DATABASE_PATH = Pattern.compile("(/\\d*)?");
    private static final Pattern MASTER_PATH = Pattern.compile("/[^/]+");

    private RedisConfigReader() {
    }

    static Optional<RedisConfig> read(ConfigReader r, Optional<StoreType> store) {
        r.rejectUnknownKeys(Set.of("shards", "cluster", "command-timeout", "connect-timeout", "circuit-breaker"));
        r.require("shards", "a list of " + SHARD + "s");
        r.require("cluster", "a list of " + NODE + "s");
        r.require("command-timeout", ConfigValueReader.DURATION);
        r.require("connect-timeout", ConfigValueReader.DURATION);
        r.require("circuit-breaker", "an object { failure-threshold = N, open-for = D }");
        Optional<List<URI>> shards = uris(r, "shards", SHARD, true, store.filter(s -> s == StoreType.REDIS).isPresent());
        Optional<List<URI>> cluster = uris(r, "cluster", NODE, false, store.filter(s -> s == StoreType.REDIS_CLUSTER).isPresent());
        Optional<Duration> commandTimeout = r.duration("command-timeout", Duration.ofNanos(1));
        Optional<Duration> connectTimeout = r.duration("connect-timeout", Duration.ofMillis(1));
        Optional<CircuitBreakerConfig> breaker = r.object("circuit-breaker").flatMap(RedisConfigReader::circuitBreaker);
        return r.build(() -> new RedisConfig(shards.orElseThrow(), cluster.orElseThrow(),
                commandTimeout.orElseThrow(), connectTimeout.orElseThrow(), breaker.orElseThrow()));
    }

    private static Optional<List<URI>> uris(ConfigReader r, String key, String expected, boolean sentinelAllowed, boolean inUse) {
        return r.value(key).flatMap(v -> {
            if (inUse) {
                String need = "a non-empty list of " + expected + "s when rate-limit.store = " + (sentinelAllowed ? "redis" : "redis-cluster");
                return v.nonEmptyListOf(need, element -> uri(element, expected, sentinelAllowed));
            }
            return v.listOf("a list of " + expected + "s", element -> uri(element, expected, sentinelAllowed));
        });
    }

    private static Optional<URI> uri(ConfigValueReader v, String expected, boolean sentinelAllowed) {
        String one = "a " + expected;
        return v.string(one).flatMap(text -> {
            try {
                URI uri = new URI(text);
                return v.check(isValid(uri, sentinelAllowed), one) ? Optional.of(uri) : Optional.empty();
            } catch (URISyntaxException e) {
                v.invalid(one);
                return Optional.empty();
            }
        });
    }

    private static boolean isValid(URI uri, boolean sentinelAllowed) {
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() > 65535 || uri.getPort() == 0) {
            return false;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return switch (uri.getScheme()) {
            case "redis", "rediss" -> uri.getFragment() == null && DATABASE_PATH.matcher(path).matches();
            case "redis-sentinel" -> sentinelAllowed && uri.getQuery() == null && uri.getFragment() == null
                    && MASTER_PATH.matcher(path).matches();
            default -> false;
        };
    }

    private static Optional<CircuitBreakerConfig> circuitBreaker(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("failure-threshold", "open-for"));
        r.require("failure-threshold", "an integer > 0");
        r.require("open-for", ConfigValueReader.DURATION);
        Optional<Integer> threshold = r.intValue("failure-threshold", 1, Integer.MAX_VALUE);
        Optional<Duration> openFor = r.duration("open-for", Duration.ofNanos(1));
        return r.build(() -> new CircuitBreakerConfig(threshold.orElseThrow(), openFor.orElseThrow()));
    }
}
