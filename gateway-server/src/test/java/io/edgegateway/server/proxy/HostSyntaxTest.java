package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a", "A.EXAMPLE", "api.example.com", "api.example.com.", "a:1", "a:80", "a:65535", "127.0.0.1",
        "127.0.0.1:8080", "[::1]", "[::1]:443", "[2001:db8::7]", "[::ffff:192.0.2.1]:80", "xn--bcher-kva.example",
        "a-b_c~d", "%41%42", "a!$&'()*+;=b"})
    void acceptsRfc3986Hosts(String host) {
        assertThat(HostSyntax.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a b", " a", "a\t", "a/b", "a\\b", "user@a", "a,b", "a, b", "a:", "a:8o", "a:-1", "a:000080", "a:65536",
        "a:99999", "a:80:81", ":80", "a?b", "a#b", "a\"b", "a<b", "%", "a%4", "a%zz", "[::1", "::1", "[::1]x",
        "[::1]:", "[zz::1]", "[]", "[fe80::1%25eth0]", "[v1.x]", "[1.2.3.4]", "a\u0000b", "caf\u00e9"})
    void refusesEverythingElse(String host) {
        assertThat(HostSyntax.isValid(host)).isFalse();
    }
}
