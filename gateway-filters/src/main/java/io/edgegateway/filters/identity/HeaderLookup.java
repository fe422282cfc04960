package io.edgegateway.filters.identity;

import io.netty.handler.codec.http.HttpHeaders;

/** The trimmed value of a request header such as {@code X-API-Key}; an empty value counts as absent. */
final class HeaderLookup implements IdentityLookup {

    private final String name;

    HeaderLookup(String name) {
        this.name = name;
    }

    @Override
    public IdentityResult lookup(HttpHeaders headers, String peerIp) {
        String value = headers.get(name);
        if (value == null) {
            return IdentityResult.Anonymous.INSTANCE;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty()
                ? IdentityResult.Anonymous.INSTANCE
                : new IdentityResult.Identified(trimmed, IdentityResult.Identified.HEADER);
    }
}
