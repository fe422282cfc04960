package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code gateway.transport} and {@code gateway.event-loops}. */
class EventLoopsConfigTest {

    @Test
    void defaultsAreAutoAndOneLoopPerCore() throws Exception {
        EventLoopsConfig loops = loops("gateway {}");
        assertEquals(TransportChoice.AUTO, loops.transport());
        assertEquals(OptionalInt.empty(), loops.count());
        assertEquals(7, loops.countOr(7));
    }

    @Test
    void eachTransportByItsName() throws Exception {
        assertEquals(TransportChoice.IO_URING, loops("gateway.transport = io-uring").transport());
        assertEquals(TransportChoice.EPOLL, loops("gateway.transport = epoll").transport());
        assertEquals(TransportChoice.NIO, loops("gateway.transport = nio").transport());
        assertEquals("io-uring", TransportChoice.IO_URING.label());
    }

    @Test
    void aFixedNumberOfLoops() throws Exception {
        EventLoopsConfig loops = loops("gateway.event-loops = 3");
        assertEquals(OptionalInt.of(3), loops.count());
        assertEquals(3, loops.countOr(7));
        assertEquals(OptionalInt.empty(), loops("gateway.event-loops = auto").count());
    }

    @Test
    void theEnvironmentReplacesTheDefaultButNotAFileValue() throws Exception {
        String previous = System.setProperty("GATEWAY_TRANSPORT", "nio");
        try {
            assertEquals(TransportChoice.NIO, loops("gateway {}").transport());
            assertEquals(TransportChoice.EPOLL, loops("gateway.transport = epoll").transport());
        } finally {
            if (previous == null) {
                System.clearProperty("GATEWAY_TRANSPORT");
            } else {
                System.setProperty("GATEWAY_TRANSPORT", previous);
            }
        }
    }

    @Test
    void badValuesAreReportedWithTheirLine() {
        assertProblems("""
                gateway {
                  transport = kqueue
                  event-loops = 0
                }
                """,
                "t.conf:2: gateway.transport: \"kqueue\" (expected: one of auto, io-uring, epoll, nio)",
                "t.conf:3: gateway.event-loops: 0 (expected: an integer in 1..4096)");
        assertProblems("gateway.event-loops = many",
                "t.conf:1: gateway.event-loops: \"many\" (expected: auto or an integer >= 1)");
    }

    private static EventLoopsConfig loops(String hocon) throws Exception {
        return ConfigLoader.parse(hocon, "t.conf").eventLoops();
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
