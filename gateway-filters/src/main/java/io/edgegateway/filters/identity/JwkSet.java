package io.edgegateway.filters.identity;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The usable keys of one JWKS document, immutable, looked up by a token's {@code kid} without allocating. */
final class JwkSet {

    static final JwkSet EMPTY = new JwkSet(List.of());

    private final Map<String, Jwk> byKid = new HashMap<>();
    private final Jwk[] keys;

    /** @throws IllegalArgumentException when two keys share a kid: which one a token means would be a guess */
    JwkSet(List<Jwk> keys) {
        this.keys = keys.toArray(Jwk[]::new);
        for (Jwk key : this.keys) {
            if (key.kid() != null && byKid.put(key.kid(), key) != null) {
                throw new IllegalArgumentException("two keys with kid \"" + key.kid() + "\"");
            }
        }
    }

    /**
     * The key a token names by {@code kid}; without a kid, the set's one key for {@code alg}, if it
     * has exactly one. Null when there is no such key (the set may be stale, or the token forged).
     */
    Jwk find(String kid, String alg) {
        if (kid != null) {
            return byKid.get(kid);
        }
        Jwk only = null;
        for (Jwk key : keys) {
            if (key.alg().equals(alg)) {
                if (only != null) {
                    return null;
                }
                only = key;
            }
        }
        return only;
    }

    int size() {
        return keys.length;
    }

    /** The kids, for the log when a new set is taken. */
    List<String> kids() {
        return Arrays.stream(keys).map(key -> key.kid() == null ? "(no kid)" : key.kid()).toList();
    }
}
