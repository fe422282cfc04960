package io.edgegateway.filters.identity;

import java.util.Objects;

/**
 * One verification key of a JWKS.
 *
 * @param kid its key id, or null when the document gave none
 * @param alg the one JWS algorithm it verifies ({@code RS256} for an RSA key, {@code ES256} for P-256):
 *     a token naming another is refused, whatever its signature
 */
record Jwk(String kid, String alg, SignatureVerifier verifier) {

    Jwk {
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(verifier, "verifier");
    }
}
