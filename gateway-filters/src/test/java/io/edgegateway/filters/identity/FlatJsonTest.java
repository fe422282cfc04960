package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlatJsonTest {

    @Test
    void readsTheScalarMembers() {
        Map<String, Object> members = parse(
                " {\"sub\" : \"alice\", \"exp\":1700000000, \"admin\":true, \"guest\":false, \"nick\":null, \"ratio\":-0.5e2}\n");

        assertThat(members)
                .containsEntry("sub", "alice")
                .containsEntry("exp", new BigDecimal("1700000000"))
                .containsEntry("admin", Boolean.TRUE)
                .containsEntry("guest", Boolean.FALSE)
                .containsEntry("nick", null)
                .containsEntry("ratio", new BigDecimal("-0.5e2"))
                .hasSize(6);
    }

    @Test
    void readsAnEmptyObject() {
        assertThat(parse("{}")).isEmpty();
        assertThat(parse(" { } ")).isEmpty();
    }

    @Test
    void decodesEscapes() {
        Map<String, Object> members = parse("{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\", \"k\\u0031\":\"x\"}");

        assertThat(members).containsEntry("s", "a\"b\\c/d\b\f\n\r\t\u00e9\u20ac").containsEntry("k1", "x");
    }

    @Test
    void keepsNonAsciiText() {
        assertThat(parse("{\"sub\":\"zoë\"}")).containsEntry("sub", "zoë");
    }

    @Test
    void keepsAClaimsArrayButSkipsWhatIsNestedInsideItIncludingBracketsInStrings() {
        Map<String, Object> members = parse(
                "{\"aud\":[\"a\",\"b]\",{\"x\":[1,2]},[3]],\"roles\":{\"admin\":{\"q\":\"}\\\"\"}},\"sub\":\"bob\"}");

        assertThat(members).containsEntry("aud", List.of("a", "b]", FlatJson.NESTED, FlatJson.NESTED))
                .containsEntry("roles", FlatJson.NESTED).containsEntry("sub", "bob");
    }

    @Test
    void aDocumentIsReadWhole() {
        Map<String, Object> document = FlatJson.parseDocument(
                "{\"keys\":[{\"kid\":\"a\",\"n\":[1,{\"x\":true}]},{}],\"empty\":[]}").orElseThrow();

        assertThat(document).containsEntry("keys",
                List.of(Map.of("kid", "a", "n", List.of(BigDecimal.ONE, Map.of("x", true))), Map.of()));
        assertThat(document).containsEntry("empty", List.of());
    }

    @Test
    void aDocumentDeeperThanTheBoundIsMalformed() {
        String nested = "[".repeat(FlatJson.MAX_DEPTH - 1) + "]".repeat(FlatJson.MAX_DEPTH - 1);

        assertThat(FlatJson.parseDocument("{\"a\":" + nested + "}")).isPresent();
        assertThat(FlatJson.parseDocument("{\"a\":[" + nested + "]}")).isEmpty();
        assertThat(FlatJson.parseDocument("{\"a\":" + "[".repeat(100_000) + "}")).isEmpty();
    }

    @Test
    void refusesDuplicateMembers() {
        assertThat(FlatJson.parse("{\"sub\":\"alice\",\"sub\":\"mallory\"}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "[]", "\"sub\"", "42", "null", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
        "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":-}",
        "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
        "{\"a\":\"line\nbreak\"}", "{\"a\":[1,2}", "{\"a\":{\"b\":1}", "{} {}", "{}x", "{\"a\":1e99999999999}",
    })
    void refusesWhatIsNotOneFlatObject(String text) {
        assertThat(FlatJson.parse(text)).as(text).isEmpty();
    }

    @Test
    void survivesDeepNestingWithoutRecursion() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(parse("{\"a\":" + deep + ",\"sub\":\"x\"}")).containsEntry("sub", "x");
    }

    private static Map<String, Object> parse(String text) {
        return FlatJson.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }
}
