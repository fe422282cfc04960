/** Which route serves a request: {@link io.edgegateway.server.routing.RouteTable}. */
package io.edgegateway.server.routing;
