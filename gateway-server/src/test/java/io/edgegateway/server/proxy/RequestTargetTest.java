package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void splitsPathAndQuery() {
        RequestTarget target = RequestTarget.parse("/a/b?x=1&y=2");
        assertThat(target.path()).isEqualTo("/a/b");
        assertThat(target.query()).isEqualTo("?x=1&y=2");
        assertThat(target.withPath("/b")).isEqualTo("/b?x=1&y=2");
    }

    @Test
    void takesThePathOfAnAbsoluteTarget() {
        assertThat(RequestTarget.parse("http://example.test:8080/a?q").path()).isEqualTo("/a");
        assertThat(RequestTarget.parse("http://example.test").path()).isEqualTo("/");
    }

    @Test
    void dropsAFragment() {
        assertThat(RequestTarget.parse("/a#frag").path()).isEqualTo("/a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "/..", "/a/./b", "/a/%2e%2E/b", "/a/.%2e", "/%2e", "*", "a/b", ""})
    void refusesDotSegmentsAndOddForms(String uri) {
        assertThat(RequestTarget.parse(uri)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/.../b", "/a/..b", "/.well-known/x", "/a/b.", "/%2e%2e%2e", "/", "/a//b"})
    void keepsNamesThatOnlyContainDots(String uri) {
        assertThat(RequestTarget.parse(uri)).isNotNull();
    }
}
