package io.edgegateway.filters.identity;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An identity as the gateway holds it once found: as it is up to {@link #HASH_ABOVE} characters,
 * else {@code "~"} and the base64url SHA-256 of its UTF-8 bytes (44 characters). So whatever a
 * client sends, what the rate limiter keys on, what waits in the access log's queue and what Redis
 * stores costs at most a few hundred bytes per identity.
 *
 * <p>The digest is unkeyed and the bound fixed on purpose: gateways that share a Redis store must
 * name an identity alike, whatever their configuration or process. An identity that itself starts
 * with {@code ~} is hashed too, so no short identity can pass for another's digest, and a held
 * identity that starts with {@code ~} is always a digest.
 */
public final class BoundedIdentity {

    /** The longest identity kept as it is. */
    public static final int HASH_ABOVE = 128;

    /** The first character of a digest, and of nothing else held. */
    public static final char DIGEST_MARK = '~';

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    };

    private BoundedIdentity() {
    }

    /** {@code identity} itself when short and not marked; else its digest. Costs nothing for a short one. */
    public static String of(String identity) {
        return needsDigest(identity, HASH_ABOVE) ? digest(identity) : identity;
    }

    /** Whether a text longer than {@code bound}, or one that could pass for a digest, must be hashed. */
    public static boolean needsDigest(String text, int bound) {
        int length = text.length();
        return length > bound || length > 0 && text.charAt(0) == DIGEST_MARK;
    }

    /** {@code "~"} and the base64url SHA-256 of {@code text}'s UTF-8 bytes. */
    public static String digest(String text) {
        byte[] hash = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        return DIGEST_MARK + BASE64URL.encodeToString(hash);
    }
}
