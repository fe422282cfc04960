/**
 * Forwarding: the client-side handler ({@link io.edgegateway.server.proxy.ProxyFrontendHandler}), one
 * request's trip ({@link io.edgegateway.server.proxy.Exchange}), the upstream-side handler
 * ({@link io.edgegateway.server.proxy.ProxyBackendHandler}), header rewriting and request checks.
 */
package io.edgegateway.server.proxy;
