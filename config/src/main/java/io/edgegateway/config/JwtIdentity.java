package io.edgegateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A claim of a verified JWT carried in a header.
 *
 * <p>Every key may be absent at load time (e.g. {@code hs256-secret = ${?JWT_SECRET}} with the
 * variable unset); such a source then verifies no token and yields no identity.
 *
 * @param rs256PublicKeyPem an X.509 {@code -----BEGIN PUBLIC KEY-----} PEM, already read from its file
 *     when the configuration named a path; {@link PemPublicKey#parse} turns it into a key
 * @param jwks where RS256 and ES256 keys are fetched from; never together with {@code rs256PublicKeyPem}
 * @param issuer when present, a token's {@code iss} must equal it
 * @param audiences when not empty, a token's {@code aud} (a string or an array) must hold one of them
 * @param clockSkew the leeway on {@code exp} and {@code nbf} for clocks that disagree with the issuer's
 */
public record JwtIdentity(String header, String claim, Optional<String> hs256Secret, Optional<String> rs256PublicKeyPem,
        Optional<JwksConfig> jwks, Optional<String> issuer, List<String> audiences, Duration clockSkew)
        implements IdentitySource {

    public static final String DEFAULT_HEADER = "Authorization";
    public static final String DEFAULT_CLAIM = "sub";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public JwtIdentity {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(hs256Secret, "hs256Secret");
        Objects.requireNonNull(rs256PublicKeyPem, "rs256PublicKeyPem");
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(issuer, "issuer");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (rs256PublicKeyPem.isPresent() && jwks.isPresent()) {
            throw new IllegalArgumentException("rs256PublicKeyPem and jwks: both set (expected: at most one)");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: >= 0)");
        }
    }

    /** Static keys only, no claim checks beyond {@code exp} and {@code nbf}, the default skew. */
    public JwtIdentity(String header, String claim, Optional<String> hs256Secret, Optional<String> rs256PublicKeyPem) {
        this(header, claim, hs256Secret, rs256PublicKeyPem, Optional.empty(), Optional.empty(), List.of(), DEFAULT_CLOCK_SKEW);
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "JwtIdentity[header=" + header + ", claim=" + claim
                + ", hs256Secret=" + hs256Secret.map(s -> "***") + ", rs256PublicKeyPem=" + rs256PublicKeyPem.map(s -> "PEM")
                + ", jwks=" + jwks + ", issuer=" + issuer + ", audiences=" + audiences + ", clockSkew=" + clockSkew + "]";
    }
}
