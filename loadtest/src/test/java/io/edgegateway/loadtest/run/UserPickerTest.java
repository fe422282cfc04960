package io.edgegateway.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserPickerTest {

    private static int[] draw(UserPicker picker, int users, int draws) {
        SplittableRandom random = new SplittableRandom(42);
        int[] counts = new int[users + 1];
        for (int i = 0; i < draws; i++) {
            counts[picker.next(random)]++;
        }
        return counts;
    }

    @Test
    void uniformDrawsEveryIdentityAboutEquallyOften() {
        int[] counts = draw(new UserPicker(10, UserSpread.UNIFORM), 10, 100_000);

        assertEquals(0, counts[0]);
        for (int user = 1; user <= 10; user++) {
            assertTrue(counts[user] > 9_000 && counts[user] < 11_000, "user " + user + ": " + counts[user]);
        }
    }

    @Test
    void zipfDrawsIdentityKInProportionToOneOverK() {
        int[] counts = draw(new UserPicker(100, UserSpread.parse("zipf")), 100, 200_000);

        // H(100) = 5.187: user 1 gets 19.3%, user 2 half of that, user 10 a tenth
        assertEquals(0.193, counts[1] / 200_000.0, 0.01);
        assertEquals(2.0, (double) counts[1] / counts[2], 0.15);
        assertEquals(10.0, (double) counts[1] / counts[10], 1.5);
    }

    @Test
    void noUsersMeansNoIdentity() {
        assertTrue(!new UserPicker(0, UserSpread.UNIFORM).sendsIdentity());
    }

    @Test
    void spreadsAreParsedOrRefusedByName() {
        assertEquals(UserSpread.UNIFORM, UserSpread.parse("uniform"));
        assertEquals(new UserSpread(UserSpread.Kind.ZIPF, 1.2), UserSpread.parse("zipf:1.2"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> UserSpread.parse("pareto"));
        assertTrue(error.getMessage().contains("expected: uniform, zipf or zipf:S"), error.getMessage());
    }
}
