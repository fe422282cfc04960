/**
 * Forwarding: the client-side handler ({@link io.edgegateway.server.proxy.ProxyFrontendHandler}), one
 * request's trip ({@link io.edgegateway.server.proxy.Exchange}), the upstream-side handler
 * ({@link io.edgegateway.server.proxy.ProxyBackendHandler}), header rewriting and request checks; the
 * byte relay that replaces them all once an upgrade request is answered 101
 * ({@link io.edgegateway.server.proxy.Tunnel}).
 */
package io.edgegateway.server.proxy;
