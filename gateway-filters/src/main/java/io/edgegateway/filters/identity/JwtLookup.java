package io.edgegateway.filters.identity;

import io.edgegateway.config.JwtIdentity;
import io.netty.handler.codec.http.HttpHeaders;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A claim of the verified JWT in {@code <header>: Bearer <token>}.
 *
 * <p>A token that is present but fails any check is {@link IdentityResult.Rejected}: falling through
 * to a later source would let a forged token pass as, say, an anonymous client address.
 */
final class JwtLookup implements IdentityLookup {

    /** Tolerated clock skew between the token's issuer and this gateway for {@code exp} and {@code nbf}. */
    static final long LEEWAY_MILLIS = 30_000;

    private static final String BEARER = "Bearer";

    private final String header;
    private final String claim;
    private final JwsVerifier verifier;
    private final Clock clock;

    JwtLookup(JwtIdentity source, Clock clock) {
        this.header = source.header();
        this.claim = source.claim();
        this.verifier = new JwsVerifier(source.hs256Secret(), source.rs256PublicKeyPem());
        this.clock = clock;
    }

    @Override
    public IdentityResult lookup(HttpHeaders headers, String peerIp) {
        if (!verifier.hasKey()) {
            return IdentityResult.Anonymous.INSTANCE;
        }
        String value = headers.get(header);
        String token = value == null ? null : bearerToken(value);
        return token == null ? IdentityResult.Anonymous.INSTANCE : verified(token);
    }

    /** The credentials of a Bearer authorization (scheme case-insensitive), or null for another scheme. */
    static String bearerToken(String authorization) {
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        if (value.length() == BEARER.length()) {
            return "";
        }
        char separator = value.charAt(BEARER.length());
        return separator == ' ' || separator == '\t' ? value.substring(BEARER.length() + 1).trim() : null;
    }

    private IdentityResult verified(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return InvalidToken.MALFORMED;
        }
        byte[] headerJson = Base64Url.decode(token, 0, firstDot);
        byte[] payloadJson = Base64Url.decode(token, firstDot + 1, secondDot);
        byte[] signature = Base64Url.decode(token, secondDot + 1, token.length());
        if (headerJson == null || payloadJson == null || signature == null) {
            return InvalidToken.MALFORMED;
        }
        Optional<Map<String, Object>> jwsHeader = FlatJson.parse(new String(headerJson, StandardCharsets.UTF_8));
        if (jwsHeader.isEmpty() || !(jwsHeader.get().get("alg") instanceof String alg)) {
            return InvalidToken.MALFORMED;
        }
        if (!verifier.accepts(alg)) {
            return InvalidToken.ALGORITHM_NOT_ACCEPTED;
        }
        if (jwsHeader.get().containsKey("crit")) {
            return InvalidToken.UNSUPPORTED_CRITICAL;
        }
        // The token is all base64url and dots by now, so its ASCII bytes are exactly what was signed.
        if (!verifier.verify(alg, token.getBytes(StandardCharsets.US_ASCII), secondDot, signature)) {
            return InvalidToken.BAD_SIGNATURE;
        }
        Optional<Map<String, Object>> claims = FlatJson.parse(new String(payloadJson, StandardCharsets.UTF_8));
        return claims.isEmpty() ? InvalidToken.MALFORMED : identified(claims.get());
    }

    private IdentityResult identified(Map<String, Object> claims) {
        Object exp = claims.get("exp");
        Object nbf = claims.get("nbf");
        if (!isNumericDateOrAbsent(exp) || !isNumericDateOrAbsent(nbf)) {
            return InvalidToken.MALFORMED;
        }
        long now = clock.millis();
        // exp: the token is good strictly before it; nbf: from it on (RFC 7519 section 4.1.4-5).
        if (exp != null && ((BigDecimal) exp).compareTo(seconds(now - LEEWAY_MILLIS)) <= 0) {
            return InvalidToken.EXPIRED;
        }
        if (nbf != null && ((BigDecimal) nbf).compareTo(seconds(now + LEEWAY_MILLIS)) > 0) {
            return InvalidToken.NOT_YET_VALID;
        }
        Object value = claims.get(claim);
        String identity = value instanceof String text ? text
                : value instanceof BigDecimal number ? number.toString()
                : "";
        return identity.isEmpty()
                ? InvalidToken.NO_IDENTITY
                : new IdentityResult.Identified(identity, IdentityResult.Identified.JWT);
    }

    private static boolean isNumericDateOrAbsent(Object value) {
        return value == null || value instanceof BigDecimal;
    }

    private static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }
}
