package io.edgegateway.server.proxy;

import io.edgegateway.config.UnderscoreHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code limits.headers-with-underscores} to a request's fields before anything reads
 * them (identity, filters, forwarding): CGI and WSGI map both {@code X-Forwarded-For} and
 * {@code X_Forwarded_For} to {@code HTTP_X_FORWARDED_FOR}, so a client could otherwise pass off
 * its own value as the gateway's.
 */
final class UnderscoredHeaderFields {

    private UnderscoredHeaderFields() {
    }

    /**
     * Drops the fields whose name has {@code _} when the policy says so; false when the policy is
     * {@code reject} and there is one. Requests without such fields (nearly all) cost one pass over
     * the names.
     */
    static boolean screen(HttpHeaders headers, UnderscoreHeaders policy) {
        if (policy == UnderscoreHeaders.ALLOW || headers.isEmpty() || !hasUnderscoredName(headers)) {
            return true;
        }
        if (policy == UnderscoreHeaders.REJECT) {
            return false;
        }
        List<CharSequence> underscored = new ArrayList<>(2);
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            CharSequence name = fields.next().getKey();
            if (hasUnderscore(name)) {
                underscored.add(name);
            }
        }
        for (CharSequence name : underscored) {
            headers.remove(name);
        }
        return true;
    }

    private static boolean hasUnderscoredName(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            if (hasUnderscore(fields.next().getKey())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUnderscore(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '_') {
                return true;
            }
        }
        return false;
    }
}
