package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedIdentityTest {

    @Test
    void anIdentityUpToTheBoundIsKeptAsItIsWithoutACopy() {
        String identity = "k".repeat(BoundedIdentity.HASH_ABOVE);

        assertThat(BoundedIdentity.of(identity)).isSameAs(identity);
        assertThat(BoundedIdentity.of("alice")).isEqualTo("alice");
        assertThat(BoundedIdentity.of("a~b")).isEqualTo("a~b");
    }

    @Test
    void aLongerOneIsTheBase64urlOfItsSha256() {
        // printf %s "$(printf 'k%.0s' $(seq 200))" | sha256sum, in base64url: the same on every gateway.
        assertThat(BoundedIdentity.of("k".repeat(200))).isEqualTo("~bePCiGkQNzYZYgQfInPzgWWBh-QmGHl54Cc9Am6huUY");
        assertThat(BoundedIdentity.of("k".repeat(BoundedIdentity.HASH_ABOVE + 1))).startsWith("~").hasSize(44);
    }

    @Test
    void twelveThousandCharactersDifferingInTheLastByteAreTwoIdentities() {
        String base = "k".repeat(11_999);

        assertThat(BoundedIdentity.of(base + "a")).isNotEqualTo(BoundedIdentity.of(base + "b"));
        assertThat(BoundedIdentity.of(base + "a")).isEqualTo(BoundedIdentity.of(new String((base + "a").toCharArray())));
    }

    @Test
    void anIdentityThatCouldPassForADigestIsHashed() {
        String victim = BoundedIdentity.of("k".repeat(200));

        assertThat(BoundedIdentity.of(victim)).isNotEqualTo(victim).startsWith("~");
        assertThat(BoundedIdentity.of("~short")).isEqualTo("~5IkQyGCEvETO2RqJP1Tlf5PKxkSFwDrbiUpMJw2uLuM");
    }
}
