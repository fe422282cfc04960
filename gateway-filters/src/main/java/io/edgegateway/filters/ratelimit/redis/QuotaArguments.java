package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A quota as the limiter script takes it in ARGV ({@code N} and the spec) and as decisions report
 * it. Every decision of a route names the same quota, so the text is made once per quota rather
 * than twice per decision ({@link #of}).
 *
 * @param requests N, as text
 * @param spec the quota's spec ({@link LimiterScript#spec})
 * @param limit N as decisions report it
 */
record QuotaArguments(String requests, String spec, long limit) {

    /**
     * One entry per distinct quota the configuration named since the start (a reload naming the same
     * quotas finds them here), which keeps it small.
     */
    private static final ConcurrentMap<Quota, QuotaArguments> MADE = new ConcurrentHashMap<>();

    static QuotaArguments of(Quota quota) {
        QuotaArguments made = MADE.get(quota);
        if (made == null) {
            made = MADE.computeIfAbsent(quota, q -> new QuotaArguments(LimiterScript.requests(q), LimiterScript.spec(q),
                    Math.min(q.requests(), LimiterScript.MAX_REQUESTS)));
        }
        return made;
    }
}
