package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Base64UrlTest {

    @Test
    void decodesEveryTailLengthLikeTheJdk() {
        byte[] bytes = new byte[64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 251);
        }
        for (int length = 0; length <= bytes.length; length++) {
            byte[] expected = java.util.Arrays.copyOf(bytes, length);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(expected);
            assertThat(decode(encoded)).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void decodesARangeOfTheText() {
        String text = "xx.aGk.yy";

        assertThat(Base64Url.decode(text, 3, 6)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void usesTheUrlAlphabet() {
        assertThat(decode("-_8")).containsExactly(0xfb, 0xff);
        assertThat(decode("+/8")).isNull();
    }

    @Test
    void refusesPaddingAndImpossibleLengths() {
        assertThat(decode("aGk=")).isNull();
        assertThat(decode("aGVsbG8")).isNotNull();
        assertThat(decode("aGVsb")).isNull();
    }

    @Test
    void refusesNonZeroTrailingBits() {
        assertThat(decode("aGk")).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode("aGl")).isNull();
    }

    @Test
    void refusesCharactersOutsideTheAlphabet() {
        assertThat(decode("a Gk")).isNull();
        assertThat(decode("aGké")).isNull();
        assertThat(decode("a.Gk")).isNull();
    }

    private static byte[] decode(String text) {
        return Base64Url.decode(text, 0, text.length());
    }
}
