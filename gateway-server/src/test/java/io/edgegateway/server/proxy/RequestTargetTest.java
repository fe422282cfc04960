package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.server.routing.PathNormalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    private static RequestTarget parse(String uri) {
        return RequestTarget.parse(uri, PathNormalizer.DEFAULT);
    }

    @Test
    void splitsPathAndQuery() {
        RequestTarget target = parse("/a/b?x=1&y=2");
        assertThat(target.path()).isEqualTo("/a/b");
        assertThat(target.query()).isEqualTo("?x=1&y=2");
        assertThat(target.authority()).isNull();
        assertThat(target.withPath("/b")).isEqualTo("/b?x=1&y=2");
    }

    @Test
    void takesThePathAndAuthorityOfAnAbsoluteTarget() {
        RequestTarget target = parse("http://example.test:8080/a?q");
        assertThat(target.path()).isEqualTo("/a");
        assertThat(target.query()).isEqualTo("?q");
        assertThat(target.authority()).isEqualTo("example.test:8080");
        assertThat(parse("HTTPS://example.test").path()).isEqualTo("/");
        assertThat(parse("http://example.test?x=1").query()).isEqualTo("?x=1");
        assertThat(parse("http://example.test/a/../b/%7e").path()).isEqualTo("/b/~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.test/a", "http://user@example.test/a", "http://user:pw@example.test/",
            "http:///a", "http:/a", "ws://example.test/", "example.test/a"})
    void refusesOtherSchemesUserinfoAndMissingAuthorities(String uri) {
        assertThat(parse(uri)).isNull();
    }

    @Test
    void dropsAFragment() {
        assertThat(parse("/a#frag").path()).isEqualTo("/a");
    }

    @Test
    void normalisesThePathButNotTheQuery() {
        RequestTarget target = parse("/a/./%7Eb/../c?x=%7e/../y&z=%2f");
        assertThat(target.path()).isEqualTo("/a/c");
        assertThat(target.query()).isEqualTo("?x=%7e/../y&z=%2f");
    }

    @Test
    void encodesRawBytesOfTheQuery() {
        RequestTarget target = parse("/caf\u00c3\u00a9?q=\u00c3\u00a9&r=%C3%A9");
        assertThat(target.path()).isEqualTo("/caf%C3%A9");
        assertThat(target.query()).isEqualTo("?q=%C3%A9&r=%C3%A9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/../..", "/a/%2e%2E/../..", "*", "a/b", "", "/a%2fb", "/a;b", "/a\\b", "/%zz"})
    void refusesWhatThePolicyRefusesAndOddForms(String uri) {
        assertThat(parse(uri)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/.../b", "/a/..b", "/.well-known/x", "/a/b.", "/%2e%2e%2e", "/", "/a//b", "/a/../b"})
    void keepsNamesThatOnlyContainDots(String uri) {
        assertThat(parse(uri)).isNotNull();
    }
}
