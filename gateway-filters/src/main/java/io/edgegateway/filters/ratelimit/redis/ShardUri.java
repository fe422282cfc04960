package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.time.Duration;

/**
 * A shard's configured URI as Lettuce takes it: {@code redis://host:port}, {@code rediss://...},
 * or {@code redis-sentinel://host:port/mastername}, whose connections follow a failover.
 */
record ShardUri(URI uri) {

    static final String SENTINEL_SCHEME = "redis-sentinel";

    ShardUri {
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) && !SENTINEL_SCHEME.equals(scheme)) {
            throw new IllegalArgumentException("shard: " + uri + " (expected: redis://, rediss:// or redis-sentinel://)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("shard: " + uri + " (expected: a host)");
        }
        if (SENTINEL_SCHEME.equals(scheme) && masterName(uri).isEmpty()) {
            throw new IllegalArgumentException("shard: " + uri + " (expected: redis-sentinel://host:port/mastername)");
        }
    }

    /**
     * @param connectTimeout the URI's timeout: Lettuce bounds a connection's handshake (and a
     *     Sentinel look-up) by it; commands have their own timeout (see {@link FailFastClientOptions})
     */
    RedisURI toLettuce(Duration connectTimeout) {
        if (SENTINEL_SCHEME.equals(uri.getScheme())) {
            int port = uri.getPort() < 0 ? RedisURI.DEFAULT_SENTINEL_PORT : uri.getPort();
            RedisURI.Builder builder = RedisURI.Builder.sentinel(uri.getHost(), port, masterName(uri))
                    .withTimeout(connectTimeout);
            if (uri.getUserInfo() != null) {
                builder.withPassword(password(uri.getUserInfo()).toCharArray());
            }
            return builder.build();
        }
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(connectTimeout);
        return redisUri;
    }

    /** The URI without credentials, for metric labels and logs. */
    String label() {
        String label = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return SENTINEL_SCHEME.equals(uri.getScheme()) ? label + "/" + masterName(uri) : label;
    }

    private static String masterName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String password(String userInfo) {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }
}
