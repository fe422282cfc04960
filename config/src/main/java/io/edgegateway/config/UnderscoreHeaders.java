package io.edgegateway.config;

/**
 * What the gateway does with a request header whose name contains {@code _}:
 * {@code limits.headers-with-underscores = drop | allow | reject}.
 *
 * <p>CGI and WSGI turn {@code -} into {@code _} when they map headers to variables, so an
 * application behind the gateway cannot tell {@code X_Forwarded_For} from the
 * {@code X-Forwarded-For} the gateway sets.
 */
public enum UnderscoreHeaders {
    /** Removed before identity is read and before forwarding, as nginx's {@code underscores_in_headers off}. */
    DROP,
    /** Forwarded like any other header. */
    ALLOW,
    /** The request is answered 400 and the connection closed. */
    REJECT
}
