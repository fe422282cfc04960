/**
 * The gateway server: a Netty reverse proxy driven by HOCON routes.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.server.GatewayMain}: the command line, {@code --config}, {@code --check}, {@code --demo};</li>
 *   <li>{@link io.edgegateway.server.GatewayServer}: the listening ports, event loops, reload and drain;</li>
 *   <li>{@link io.edgegateway.server.proxy.ProxyFrontendHandler}: where a client's request is routed or answered;</li>
 *   <li>{@link io.edgegateway.server.upstream.UpstreamPool}: keep-alive connections per upstream and event loop.</li>
 * </ul>
 */
package io.edgegateway.server;
