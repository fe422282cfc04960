package io.edgegateway.server.accesslog;

import io.edgegateway.filters.identity.BoundedIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code access-log.identity = hash}: an identity as the first 16 hex digits (64 bits) of the
 * SHA-256 of its UTF-8 bytes, or of their HMAC-SHA-256 under {@code identity-salt}. Enough to tell
 * callers apart and to find one caller's lines; never the identity. For the writer thread only: it
 * reuses one digest and one output array, and hashes the identity's bytes where it encodes them, at
 * the end of the line being written.
 *
 * <p>A long identity reaches the log as its {@link BoundedIdentity} digest, already the SHA-256 of
 * what the client sent: without a salt its first bytes are written, so every identity's digits are
 * those of {@code printf %s "$KEY" | sha256sum}, however long.
 */
final class IdentityDigest {

    /** Hex digits written. */
    static final int DIGITS = 16;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** {@code ~} and 43 base64url characters: 32 bytes. */
    private static final int DIGEST_FORM_LENGTH = 44;
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final MessageDigest sha256;
    private final Mac hmac;
    private final byte[] hash = new byte[32];

    IdentityDigest(Optional<String> salt) {
        try {
            if (salt.isPresent()) {
                sha256 = null;
                hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(salt.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } else {
                sha256 = MessageDigest.getInstance("SHA-256");
                hmac = null;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256 and HmacSHA256", e);
        }
    }

    /** Writes the digest of {@code identity} as a JSON string. */
    void append(ByteBuf line, String identity) {
        if (!(hmac == null && isDigestForm(identity))) {
            hash(line, identity);
        }
        line.writeByte('"');
        for (int i = 0; i < DIGITS / 2; i++) {
            line.writeByte(HEX[(hash[i] >> 4) & 0xf]).writeByte(HEX[hash[i] & 0xf]);
        }
        line.writeByte('"');
    }

    /** Whether {@code identity} is a {@link BoundedIdentity} digest; if so, its bytes are in {@link #hash}. */
    private boolean isDigestForm(String identity) {
        if (identity.length() != DIGEST_FORM_LENGTH || identity.charAt(0) != BoundedIdentity.DIGEST_MARK) {
            return false;
        }
        try {
            BASE64URL.decode(identity.substring(1).getBytes(StandardCharsets.ISO_8859_1), hash);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void hash(ByteBuf line, String identity) {
        int start = line.writerIndex();
        int length = ByteBufUtil.writeUtf8(line, identity);
        if (line.hasArray()) {
            update(line.array(), line.arrayOffset() + start, length);
        } else {
            byte[] bytes = new byte[length];
            line.getBytes(start, bytes);
            update(bytes, 0, length);
        }
        line.writerIndex(start);
        finish();
    }

    private void update(byte[] bytes, int offset, int length) {
        if (hmac != null) {
            hmac.update(bytes, offset, length);
        } else {
            sha256.update(bytes, offset, length);
        }
    }

    private void finish() {
        try {
            if (hmac != null) {
                hmac.doFinal(hash, 0);
            } else {
                sha256.digest(hash, 0, hash.length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a 32-byte array holds a SHA-256", e);
        }
    }
}
