package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.UnderscoreHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

class RequestChecksTest {

    private static HttpRequest request(HttpVersion version, String uri) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.GET, uri);
        request.headers().set("Host", "a");
        return request;
    }

    @Test
    void versionsOtherThanOneZeroAndOneOneAre505() {
        assertThat(RequestChecks.refusal(request(HttpVersion.valueOf("HTTP/9.9"), "/"), UnderscoreHeaders.DROP))
                .isEqualTo(RequestChecks.Refusal.VERSION_NOT_SUPPORTED);
        assertThat(RequestChecks.refusal(request(HttpVersion.valueOf("HTTP/2.0"), "/"), UnderscoreHeaders.DROP))
                .isEqualTo(RequestChecks.Refusal.VERSION_NOT_SUPPORTED);
        assertThat(RequestChecks.refusal(request(HttpVersion.HTTP_1_1, "/"), UnderscoreHeaders.DROP)).isNull();
        assertThat(RequestChecks.refusal(request(HttpVersion.HTTP_1_0, "/"), UnderscoreHeaders.DROP)).isNull();
    }

    @Test
    void aVersionSpelledInLowerCaseIsMalformed() {
        assertThat(RequestChecks.refusal(request(HttpVersion.valueOf("http/1.1"), "/"), UnderscoreHeaders.DROP))
                .isEqualTo(RequestChecks.Refusal.BAD_REQUEST);
    }

    @Test
    void controlCharactersInTheTargetAreMalformed() {
        for (char c : new char[] {0, 1, '\t', 0x1b, 0x1f, 0x7f}) {
            assertThat(RequestChecks.isTargetClean("/a" + c + "b")).as("0x%02x", (int) c).isFalse();
        }
        assertThat(RequestChecks.isTargetClean("/a/b?c=%00&d=~!$&'()*+,;=:@")).isTrue();
        assertThat(RequestChecks.isTargetClean("/caf\u00e9")).as("non-ASCII is for path normalisation").isTrue();
    }

    @Test
    void underscoredFieldsAreDroppedAllowedOrRefused() {
        HttpRequest dropped = request(HttpVersion.HTTP_1_1, "/");
        dropped.headers().add("X_Forwarded_For", "6.6.6.6").add("x_a", "1").add("X_A", "2").add("X-A", "3");
        assertThat(RequestChecks.refusal(dropped, UnderscoreHeaders.DROP)).isNull();
        assertThat(dropped.headers().names()).containsExactlyInAnyOrder("Host", "X-A");

        HttpRequest allowed = request(HttpVersion.HTTP_1_1, "/");
        allowed.headers().add("X_A", "1");
        assertThat(RequestChecks.refusal(allowed, UnderscoreHeaders.ALLOW)).isNull();
        assertThat(allowed.headers().get("X_A")).isEqualTo("1");

        HttpRequest refused = request(HttpVersion.HTTP_1_1, "/");
        refused.headers().add("X_A", "1");
        assertThat(RequestChecks.refusal(refused, UnderscoreHeaders.REJECT)).isEqualTo(RequestChecks.Refusal.BAD_REQUEST);
        assertThat(RequestChecks.refusal(request(HttpVersion.HTTP_1_1, "/"), UnderscoreHeaders.REJECT)).isNull();
    }

    @Test
    void underscoredTrailersFollowThePolicyToo() {
        LastHttpContent dropped = new DefaultLastHttpContent();
        dropped.trailingHeaders().add("X_T", "1").add("X-T", "2");
        assertThat(RequestChecks.isBodyRefused(dropped, UnderscoreHeaders.DROP)).isFalse();
        assertThat(dropped.trailingHeaders().names()).containsExactly("X-T");

        LastHttpContent refused = new DefaultLastHttpContent();
        refused.trailingHeaders().add("X_T", "1");
        assertThat(RequestChecks.isBodyRefused(refused, UnderscoreHeaders.REJECT)).isTrue();
        assertThat(RequestChecks.isBodyRefused(LastHttpContent.EMPTY_LAST_CONTENT, UnderscoreHeaders.REJECT)).isFalse();
        dropped.release();
        refused.release();
    }
}
