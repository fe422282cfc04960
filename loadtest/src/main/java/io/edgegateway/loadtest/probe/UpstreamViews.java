package io.edgegateway.loadtest.probe;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The ways the table describes what reached the upstream, one per kind of probe. */
final class UpstreamViews {

    static final String NOTHING = "—";
    private static final int SHOWN = 3;

    private UpstreamViews() {
    }

    /** Each request's method and exact target: {@code GET /pub/..%2fadmin}. */
    static final UpstreamView TARGETS = (seen, start) -> list(seen, UpstreamViews::requestLine);

    /** The target and the {@code Host} the upstream got. */
    static final UpstreamView HOSTS = (seen, start) ->
            list(seen, r -> requestLine(r) + " Host: " + ByteText.show(r.header("Host").orElse("(none)")));

    /** Whether a header name with an underscore arrived, and the {@code X-Forwarded-For} beside it. */
    static final UpstreamView UNDERSCORES = (seen, start) -> list(seen, r -> {
        String underscored = r.headers().stream().filter(h -> h.name().contains("_"))
                .map(h -> ByteText.show(h.name() + ": " + h.value())).collect(Collectors.joining(", "));
        String text = underscored.isEmpty() ? "no underscore header" : underscored + " passed";
        return text + r.header("X-Forwarded-For").map(v -> "; X-Forwarded-For: " + ByteText.show(v)).orElse("");
    });

    /** The first request with its body, then whether the trailing {@code GET /smuggled} arrived and how. */
    static final UpstreamView FRAMING = (seen, start) -> {
        List<UpstreamRecord> probed = seen.stream().filter(r -> !r.target().contains("/smuggled")).toList();
        String first = probed.isEmpty() ? NOTHING : list(probed, r -> requestLine(r)
                + (r.bodyLength() > 0 || !r.complete() ? " " + body(r) : ""));
        String smuggled;
        if (seen.stream().anyMatch(r -> r.target().contains("/smuggled"))) {
            smuggled = "/smuggled as a request";
        } else if (seen.stream().anyMatch(r -> r.bodyPrefix().contains("/smuggled"))) {
            smuggled = "/smuggled inside a body";
        } else {
            smuggled = "no /smuggled";
        }
        return first + "; " + smuggled;
    };

    /** When the head arrived (from the probe's start) and how much of the body. */
    static final UpstreamView BODY_TIMING = (seen, start) -> list(seen, r -> String.format(Locale.ROOT,
            "%s at +%.1fs, %s", requestLine(r), (r.receivedAtMillis() - start) / 1000.0, body(r)));

    /** How many requests arrived, and the first one. */
    static final UpstreamView COUNT = (seen, start) -> seen.isEmpty() ? NOTHING
            : H2Session.count(seen.size()) + " request" + (seen.size() == 1 ? "" : "s") + ", first "
                    + requestLine(seen.get(0));

    /** How many of the methods sent arrived as sent, and how many other methods arrived. */
    static UpstreamView methods(List<String> sent) {
        return (seen, start) -> {
            Set<String> sentSet = new HashSet<>(sent);
            Set<String> arrived = new HashSet<>();
            int others = 0;
            for (UpstreamRecord record : seen) {
                if (sentSet.contains(record.method())) {
                    arrived.add(record.method());
                } else {
                    others++;
                }
            }
            return arrived.size() + " of " + sentSet.size() + " distinct methods arrived as sent"
                    + (others > 0 ? ", " + others + " requests with another method" : "");
        };
    }

    static String requestLine(UpstreamRecord record) {
        return ByteText.show(record.method() + " " + record.target())
                + (record.version().matches("HTTP/1\\.[01]") ? "" : " " + ByteText.show(record.version()));
    }

    static String body(UpstreamRecord record) {
        String shown = record.bodyPrefix().length() > 24
                ? record.bodyPrefix().substring(0, 24) + "..." : record.bodyPrefix();
        return "body " + record.bodyLength() + " B" + (shown.isEmpty() ? "" : " \"" + ByteText.show(shown) + "\"")
                + (record.complete() ? "" : " (incomplete)");
    }

    private static String list(List<UpstreamRecord> seen, Function<UpstreamRecord, String> each) {
        if (seen.isEmpty()) {
            return NOTHING;
        }
        String shown = seen.stream().limit(SHOWN).map(each).collect(Collectors.joining("; "));
        return seen.size() > SHOWN ? shown + "; and " + (seen.size() - SHOWN) + " more" : shown;
    }
}
