package io.edgegateway.filters.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedKeyTest {

    private static final String LONG = "users:" + "k".repeat(200);

    @Test
    void aShortKeyIsKeptAsItIsWithoutACopy() {
        String key = "users:" + "a".repeat(BoundedKey.HASH_ABOVE - 6);

        assertThat(BoundedKey.of(key)).isSameAs(key);
        assertThat(BoundedKey.of("")).isEmpty();
        assertThat(BoundedKey.of("users:alice")).isEqualTo("users:alice");
    }

    @Test
    void aLongKeyIsItsBase64urlSha256TheSameInEveryProcess() {
        // Computed outside Java (Python's hashlib): gateways sharing a Redis store must agree on it.
        assertThat(BoundedKey.of(LONG)).isEqualTo("~u4gOQ6wvr7_AYV9UravNffpeByWwp1-udv6g_-gu4jU");
        assertThat(BoundedKey.of(new String(LONG.toCharArray()))).isEqualTo(BoundedKey.of(LONG)).hasSize(44);
        assertThat(BoundedKey.of("users:" + "a".repeat(BoundedKey.HASH_ABOVE - 5))).startsWith("~").hasSize(44);
    }

    @Test
    void longKeysThatDifferInTheirLastByteGetDifferentDigests() {
        String base = "users:" + "x".repeat(12_000);

        assertThat(BoundedKey.of(base + "a")).isNotEqualTo(BoundedKey.of(base + "b"));
        assertThat(BoundedKey.of(base + "a")).isEqualTo(BoundedKey.of(base + "a"));
    }

    @Test
    void aKeyThatLooksLikeADigestIsHashedToo() {
        String digest = BoundedKey.of(LONG);

        assertThat(BoundedKey.of(digest)).isNotEqualTo(digest).startsWith("~").hasSize(44);
        assertThat(BoundedKey.of("~short")).isEqualTo("~5IkQyGCEvETO2RqJP1Tlf5PKxkSFwDrbiUpMJw2uLuM");
    }
}
