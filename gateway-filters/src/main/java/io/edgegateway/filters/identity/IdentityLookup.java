package io.edgegateway.filters.identity;

import io.netty.handler.codec.http.HttpHeaders;

/** One configured identity source; {@link IdentityResult.Anonymous} means "not here, try the next source". */
interface IdentityLookup {

    IdentityResult lookup(HttpHeaders headers, String peerIp);
}
