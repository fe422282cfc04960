package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated request ids keep their shape: 32 lowercase hex digits, the first of each half 8..f. */
class RequestIdsTest {

    @Test
    void everyIdIsThirtyTwoHexDigitsWithTheHighBitOfEachHalfSet() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.next();
            assertThat(id).matches("[89a-f][0-9a-f]{15}[89a-f][0-9a-f]{15}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void anIdIsNotChangedByTheNextOne() {
        String first = RequestIds.next();
        String copy = new String(first);
        RequestIds.next();
        assertThat(first).isEqualTo(copy);
    }
}
