package io.edgegateway.config;

/** {@code access-log.identity}: what the access log writes as a request's {@code identity}. */
public enum IdentityInLog {
    /** A short digest: the first 16 hex digits of SHA-256 of the identity (HMAC-SHA-256 with {@code identity-salt}). */
    HASH,
    /** {@code "redacted"} for every identified request. */
    REDACT,
    /** The identity as it is: API keys included. */
    PLAIN
}
