package io.edgegateway.filters.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.filters.identity.BoundedIdentity;
import org.junit.jupiter.api.Test;

class BoundedKeyTest {

    private static final String LONG = "users:" + "k".repeat(300);

    @Test
    void aGatewayKeyOfABoundedIdentityIsKeptAsItIsWithoutACopy() {
        String key = "a-route-id-of-127-characters-".repeat(5).substring(0, 127) + ':' + "i".repeat(BoundedIdentity.HASH_ABOVE);

        assertThat(key).hasSize(BoundedKey.HASH_ABOVE);
        assertThat(BoundedKey.of(key)).isSameAs(key);
        assertThat(BoundedKey.of("")).isEmpty();
        assertThat(BoundedKey.of("users:" + BoundedIdentity.of("k".repeat(12_000)))).startsWith("users:~");
    }

    @Test
    void aLongKeyIsItsBase64urlSha256TheSameInEveryProcess() {
        // Computed outside Java (Python's hashlib): gateways sharing a Redis store must agree on it.
        assertThat(BoundedKey.of(LONG)).isEqualTo("~2Ji8eGDVMuN7YsUTmbGQmgRLoM0Xt9bwznDiSaBuCZk");
        assertThat(BoundedKey.of(new String(LONG.toCharArray()))).isEqualTo(BoundedKey.of(LONG)).hasSize(44);
        assertThat(BoundedKey.of("x".repeat(BoundedKey.HASH_ABOVE + 1))).startsWith("~").hasSize(44);
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
