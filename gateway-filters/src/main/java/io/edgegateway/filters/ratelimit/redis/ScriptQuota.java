package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;
import java.nio.charset.StandardCharsets;

/**
 * A quota as the limiter scripts take it: its ARGV spec, already encoded, and N as decisions
 * report it. Worked out once per {@link Quota} (see {@link ScriptQuotas}), so a decision neither
 * formats nor encodes it.
 */
final class ScriptQuota {

    final Quota quota;
    /** {@link LimiterScript#spec} in ASCII. */
    final byte[] spec;
    /** N as a decision reports it: held to {@link LimiterScript#MAX_REQUESTS}. */
    final long limit;

    private ScriptQuota(Quota quota) {
        this.quota = quota;
        this.spec = LimiterScript.spec(quota).getBytes(StandardCharsets.US_ASCII);
        this.limit = LimiterScript.requests(quota);
    }

    static ScriptQuota of(Quota quota) {
        return new ScriptQuota(quota);
    }
}
