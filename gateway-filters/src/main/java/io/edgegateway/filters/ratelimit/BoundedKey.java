package io.edgegateway.filters.ratelimit;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A rate-limit key (route id, ':', identity) as every store keeps it: as it is up to
 * {@link #HASH_ABOVE} characters, else {@code "~"} and the base64url SHA-256 of its UTF-8 bytes
 * (44 characters). Whatever a client sends, a key costs at most a few hundred bytes.
 *
 * <p>The digest is unkeyed and the bound fixed on purpose: gateways that share a Redis store must
 * name an identity with the same key, whatever their configuration or process. A key that itself
 * starts with {@code ~} is hashed too, so no short key can pass for another's digest.
 */
public final class BoundedKey {

    /** The longest key kept as it is. */
    public static final int HASH_ABOVE = 128;

    private static final char DIGEST_MARK = '~';
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() {
            return sha256();
        }
    };

    private BoundedKey() {
    }

    /** {@code key} itself when it is short and cannot be mistaken for a digest; else its digest. No allocation then. */
    public static String of(String key) {
        int length = key.length();
        return length <= HASH_ABOVE && (length == 0 || key.charAt(0) != DIGEST_MARK) ? key : digest(key);
    }

    private static String digest(String key) {
        byte[] hash = SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return DIGEST_MARK + BASE64URL.encodeToString(hash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
