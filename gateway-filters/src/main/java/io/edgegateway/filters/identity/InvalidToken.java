package io.edgegateway.filters.identity;

import io.edgegateway.filters.identity.IdentityResult.Rejected;

/** The ways a bearer token is refused, allocated once. */
final class InvalidToken {

    static final String ERROR = "invalid_token";

    static final Rejected MALFORMED = reject("the token is malformed");
    static final Rejected ALGORITHM_NOT_ACCEPTED = reject("the token algorithm is not accepted");
    static final Rejected UNSUPPORTED_CRITICAL = reject("the token requires unsupported extensions");
    static final Rejected BAD_SIGNATURE = reject("the token signature is invalid");
    static final Rejected UNKNOWN_KEY = reject("the token key is not known");
    static final Rejected EXPIRED = reject("the token has expired");
    static final Rejected NOT_YET_VALID = reject("the token is not valid yet");
    static final Rejected WRONG_ISSUER = reject("the token issuer is not accepted");
    static final Rejected WRONG_AUDIENCE = reject("the token audience is not accepted");
    static final Rejected NO_IDENTITY = reject("the token has no non-empty string or number identity claim");

    private InvalidToken() {
    }

    private static Rejected reject(String description) {
        return new Rejected(ERROR, description);
    }
}
