package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    @Test
    void suggestsTheClosestWithinTwoEdits() {
        List<String> keys = List.of("strip-prefix", "upstreams", "id", "hedge");

        assertEquals(Optional.of("strip-prefix"), DidYouMean.closest("strip-prefx", keys));
        assertEquals(Optional.of("upstreams"), DidYouMean.closest("upstraems", keys));
        assertEquals(Optional.of("hedge"), DidYouMean.closest("Hedge", keys));
        assertEquals(Optional.empty(), DidYouMean.closest("xy", keys));
        assertEquals(Optional.empty(), DidYouMean.closest("timeouts", keys));
    }
}
