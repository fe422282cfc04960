package io.edgegateway.filters.identity;

import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Rejected;
import io.netty.handler.codec.http.HttpHeaders;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A claim of the verified JWT in {@code <header>: Bearer <token>}.
 *
 * <p>A token that is present but fails any check is {@link IdentityResult.Rejected}: falling through
 * to a later source would let a forged token pass as, say, an anonymous client address.
 */
final class JwtLookup implements IdentityLookup {

    private static final String BEARER = "Bearer";

    private final String header;
    private final String claim;
    private final JwsVerifier verifier;
    /** A token's {@code iss} must equal it; null: not checked. */
    private final String issuer;
    /** A token's {@code aud} must hold one of them; empty: not checked. */
    private final List<String> audiences;
    /** Tolerated clock skew between the token's issuer and this gateway for {@code exp} and {@code nbf}. */
    private final long leewayMillis;
    private final Clock clock;

    /** @param jwks the cache of the source's {@code jwks-url}, or null when it names none */
    JwtLookup(JwtIdentity source, Clock clock, JwksCache jwks) {
        this.header = source.header();
        this.claim = source.claim();
        this.verifier = new JwsVerifier(source.hs256Secret(), source.rs256PublicKeyPem(), jwks);
        this.issuer = source.issuer().orElse(null);
        this.audiences = source.audiences();
        this.leewayMillis = source.clockSkew().toMillis();
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
        Object kid = jwsHeader.get().get("kid");
        if (kid != null && !(kid instanceof String)) {
            return InvalidToken.MALFORMED;
        }
        if (!verifier.accepts(alg)) {
            return InvalidToken.ALGORITHM_NOT_ACCEPTED;
        }
        if (jwsHeader.get().containsKey("crit")) {
            return InvalidToken.UNSUPPORTED_CRITICAL;
        }
        // The token is all base64url and dots by now, so its ASCII bytes are exactly what was signed.
        Rejected unverified = verifier.verify(alg, (String) kid, token.getBytes(StandardCharsets.US_ASCII), secondDot, signature);
        if (unverified != null) {
            return unverified;
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
        if (exp != null && ((BigDecimal) exp).compareTo(seconds(now - leewayMillis)) <= 0) {
            return InvalidToken.EXPIRED;
        }
        if (nbf != null && ((BigDecimal) nbf).compareTo(seconds(now + leewayMillis)) > 0) {
            return InvalidToken.NOT_YET_VALID;
        }
        if (issuer != null && !issuer.equals(claims.get("iss"))) {
            return InvalidToken.WRONG_ISSUER;
        }
        if (!audiences.isEmpty() && !hasAudience(claims.get("aud"))) {
            return InvalidToken.WRONG_AUDIENCE;
        }
        Object value = claims.get(claim);
        String identity = value instanceof String text ? text
                : value instanceof BigDecimal number ? number.toString()
                : "";
        return identity.isEmpty()
                ? InvalidToken.NO_IDENTITY
                : new IdentityResult.Identified(identity, IdentityResult.Identified.JWT);
    }

    /** {@code aud} is one string or an array of them (RFC 7519 section 4.1.3); one of them must be accepted. */
    private boolean hasAudience(Object aud) {
        if (aud instanceof String one) {
            return audiences.contains(one);
        }
        if (aud instanceof List<?> many) {
            for (Object element : many) {
                if (element instanceof String one && audiences.contains(one)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNumericDateOrAbsent(Object value) {
        return value == null || value instanceof BigDecimal;
    }

    private static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }
}
