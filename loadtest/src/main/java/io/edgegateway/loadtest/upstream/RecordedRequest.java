package io.edgegateway.loadtest.upstream;

import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the mock upstream received it, for tests to assert what a proxy forwarded.
 *
 * @param method the request method, e.g. {@code GET}
 * @param uri the request target exactly as sent, path and query
 * @param headers every header in arrival order, names lower-cased, repeated headers kept as several values
 * @param bodyBytes how many body bytes arrived
 * @param connection which accepted connection carried it, counting from 1 in accept order
 */
public record RecordedRequest(
        String method, String uri, Map<String, List<String>> headers, long bodyBytes, int connection) {

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    static RecordedRequest of(HttpRequest request, long bodyBytes, int connection) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(header -> headers
                .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .add(header.getValue()));
        return new RecordedRequest(request.method().name(), request.uri(), headers, bodyBytes, connection);
    }

    /** Every value of a header, case-insensitively; empty when absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of a header, case-insensitively, or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The path of {@link #uri()}, without the query. */
    public String path() {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
