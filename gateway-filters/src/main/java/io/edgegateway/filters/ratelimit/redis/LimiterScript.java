package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.BoundedKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua script of each algorithm, run as one atomic EVALSHA per batch of decisions (often of
 * one). Every script takes {@code KEYS = rl:{<identity>}, ...} and
 * {@code ARGV = now in ms (empty for Redis's clock), spec1, spec2, ...} (or a single spec for
 * every key) where a spec is
 * {@code N:window_ms:resolution_ms:burst_limit:burst_windows:block_ms}, decides for each key in turn
 * as separate calls would, and returns {@code allowed, remaining, resetMillis, nowMillis} for each
 * key in one flat array. {@code now} is per key, as an identity's time never runs backwards; a key
 * whose decision raised an error has the error's message in place of {@code allowed}.
 */
public enum LimiterScript {
    SLIDING_LOG("tick_ring.lua", "sliding_log.lua"),
    SLIDING_WINDOW("sliding_window.lua"),
    TOKEN_BUCKET("token_bucket.lua");

    /** Counts are 32-bit in Redis; no window reaches a quota above this, so one is held to it. */
    static final long MAX_REQUESTS = 0xFFFF_FFFFL;

    /** {@code now} for a batch on Redis's clock: each script reads TIME once per call. */
    static final long REDIS_CLOCK = Long.MIN_VALUE;

    /** Ends every script: reads the clock once and applies the script's {@code decide} to each key. */
    private static final String DRIVER = "decide_each.lua";

    /** Values per key in a reply: allowed, remaining, reset, now. */
    static final int REPLY_VALUES_PER_KEY = 4;

    private final String body;
    private final String sha1;
    private final byte[] bodyBytes;
    private final byte[] sha1Bytes;

    /** The algorithm's {@code decide} function from {@code resources}, then the shared driver that calls it per key. */
    LimiterScript(String... resources) {
        StringBuilder source = new StringBuilder();
        for (String resource : resources) {
            source.append(resource(resource));
        }
        this.body = source.append(resource(DRIVER)).toString();
        this.bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bodyBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.sha1Bytes = sha1.getBytes(StandardCharsets.US_ASCII);
    }

    private static String resource(String name) {
        try (InputStream in = LimiterScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LimiterScript of(Algorithm algorithm) {
        return switch (algorithm) {
            case SLIDING_LOG -> SLIDING_LOG;
            case SLIDING_WINDOW -> SLIDING_WINDOW;
            case TOKEN_BUCKET -> TOKEN_BUCKET;
        };
    }

    /** The script's source, as EVAL and SCRIPT LOAD take it. */
    public String body() {
        return body;
    }

    /** The digest EVALSHA takes: SHA-1 of the source, as Redis computes it. */
    public String sha1() {
        return sha1;
    }

    /** {@link #body} in UTF-8, as EVAL sends it. */
    byte[] bodyBytes() {
        return bodyBytes;
    }

    /** {@link #sha1} in ASCII, as EVALSHA sends it. */
    byte[] sha1Bytes() {
        return sha1Bytes;
    }

    /** A key's N as the script counts it. */
    static long requests(Quota quota) {
        return Math.min(quota.requests(), MAX_REQUESTS);
    }

    /** A key's quota spec in ARGV: {@code N:window_ms:resolution_ms:burst_limit:burst_windows:block_ms}. */
    static String spec(Quota quota) {
        return requests(quota) + ":" + quota.window().toMillis() + ":" + quota.resolution().toMillis() + ":"
                + Math.min(quota.burstLimit(), MAX_REQUESTS) + ":" + quota.burstWindows() + ":" + quota.blockFor().toMillis();
    }

    /**
     * The Redis key of a rate-limit key: its {@link BoundedKey} is the hash tag, so a cluster keeps
     * it on one slot, and a key is never longer than {@code 5 + BoundedKey.HASH_ABOVE} characters.
     */
    public static String redisKey(String key) {
        return "rl:{" + BoundedKey.of(key) + "}";
    }
}
