/** TLS on the listener: certificates by server name, with ALPN for HTTP/2. */
package io.edgegateway.server.tls;
