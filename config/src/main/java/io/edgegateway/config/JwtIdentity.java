package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A claim of a verified JWT carried in a header.
 *
 * <p>Both keys may be absent at load time (e.g. {@code hs256-secret = ${?JWT_SECRET}} with the
 * variable unset); such a source then verifies no token and yields no identity.
 *
 * @param rs256PublicKeyPem an X.509 {@code -----BEGIN PUBLIC KEY-----} PEM, already read from its file
 *     when the configuration named a path; {@link PemPublicKey#parse} turns it into a key
 */
public record JwtIdentity(String header, String claim, Optional<String> hs256Secret, Optional<String> rs256PublicKeyPem)
        implements IdentitySource {

    public static final String DEFAULT_HEADER = "Authorization";
    public static final String DEFAULT_CLAIM = "sub";

    public JwtIdentity {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(hs256Secret, "hs256Secret");
        Objects.requireNonNull(rs256PublicKeyPem, "rs256PublicKeyPem");
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "JwtIdentity[header=" + header + ", claim=" + claim
                + ", hs256Secret=" + hs256Secret.map(s -> "***") + ", rs256PublicKeyPem=" + rs256PublicKeyPem.map(s -> "PEM") + "]";
    }
}
