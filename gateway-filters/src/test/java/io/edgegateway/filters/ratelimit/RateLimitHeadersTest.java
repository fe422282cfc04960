package io.edgegateway.filters.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Quota;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private final RateLimitHeaders headers = new RateLimitHeaders("orders", new Quota(1_000_000_000L, Duration.ofSeconds(60)));

    @Test
    void everyFieldCarriesItsNumberWhateverItsWidth() {
        HttpHeaders written = write(RateLimitDecision.allowedMillis(1_000_000_000L, 999_999_999L, 59_001));

        assertThat(written.get("RateLimit-Policy")).isEqualTo("\"orders\";q=1000000000;w=60");
        assertThat(written.get("RateLimit")).isEqualTo("\"orders\";r=999999999;t=60");
        assertThat(written.get("X-RateLimit-Limit")).isEqualTo("1000000000");
        assertThat(written.get("X-RateLimit-Remaining")).isEqualTo("999999999");
        assertThat(written.get("X-RateLimit-Reset")).isEqualTo("60");
        assertThat(written.get("X-RateLimit-Reset-Ms")).isEqualTo("59001");
    }

    @Test
    void zerosAreWrittenAsOneDigit() {
        HttpHeaders written = write(RateLimitDecision.allowedMillis(1_000_000_000L, 0, 0));

        assertThat(written.get("RateLimit")).isEqualTo("\"orders\";r=0;t=0");
        assertThat(written.get("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(written.get("X-RateLimit-Reset")).isEqualTo("0");
        assertThat(written.get("X-RateLimit-Reset-Ms")).isEqualTo("0");
    }

    @Test
    void aDenialRoundsItsResetUpToWholeSeconds() {
        HttpHeaders written = write(RateLimitDecision.deniedMillis(1_000_000_000L, 1_001));

        assertThat(written.get("RateLimit")).isEqualTo("\"orders\";r=0;t=2");
        assertThat(written.get("X-RateLimit-Reset")).isEqualTo("2");
        assertThat(written.get("X-RateLimit-Reset-Ms")).isEqualTo("1001");
    }

    @Test
    void theFieldsReplaceOnesTheUpstreamSent() {
        HttpHeaders written = new DefaultHttpHeaders().add("X-RateLimit-Remaining", "7").add("RateLimit", "x");
        headers.write(written, RateLimitDecision.allowedMillis(1_000_000_000L, Long.MAX_VALUE, 1_000));

        assertThat(written.getAll("X-RateLimit-Remaining")).containsExactly(Long.toString(Long.MAX_VALUE));
        assertThat(written.getAll("RateLimit")).containsExactly("\"orders\";r=" + Long.MAX_VALUE + ";t=1");
    }

    private HttpHeaders write(RateLimitDecision decision) {
        HttpHeaders written = new DefaultHttpHeaders();
        headers.write(written, decision);
        return written;
    }
}
