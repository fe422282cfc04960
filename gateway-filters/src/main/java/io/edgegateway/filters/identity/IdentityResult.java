package io.edgegateway.filters.identity;

import java.util.Objects;

/** What {@link IdentityResolver} found out about a request. */
public sealed interface IdentityResult {

    /**
     * The caller is {@code identity}, found by the source named {@code source}.
     *
     * @param source {@link #HEADER}, {@link #JWT} or {@link #CLIENT_IP}, for metrics and logs
     */
    record Identified(String identity, String source) implements IdentityResult {

        public static final String HEADER = "header";
        public static final String JWT = "jwt";
        public static final String CLIENT_IP = "client-ip";

        public Identified {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The request carried credentials that failed verification; answer 401 and do not try other sources.
     *
     * @param error an RFC 6750 error code, e.g. {@code invalid_token}
     * @param description fixed ASCII text without quotes or backslashes, safe in a
     *     {@code WWW-Authenticate} quoted string; never echoes what the client sent
     */
    record Rejected(String error, String description) implements IdentityResult {

        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(description, "description");
        }
    }

    /** A source yielded an identity longer than {@code identity.max-length}; answer 431 and keep nothing. */
    enum TooLong implements IdentityResult {
        INSTANCE
    }

    /** No source yielded an identity. */
    enum Anonymous implements IdentityResult {
        INSTANCE
    }
}
