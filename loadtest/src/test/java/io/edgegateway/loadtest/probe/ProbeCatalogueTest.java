package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeCatalogueTest {

    @Test
    void everyProbeHasAUniqueNameAndAKnownGroup() {
        List<Probe> probes = ProbeCatalogue.probes(ProbeSettings.DEFAULTS);
        Set<String> names = new HashSet<>();
        for (Probe probe : probes) {
            assertTrue(names.add(probe.group() + " " + probe.name()), "twice: " + probe.name());
            assertTrue(ProbeCatalogue.GROUPS.contains(probe.group()), probe.group());
        }
        assertEquals(Set.copyOf(ProbeCatalogue.GROUPS), Set.copyOf(probes.stream().map(Probe::group).toList()));
        assertTrue(names.contains("path /caf\\xc3\\xa9"), "raw bytes are shown escaped: " + names);
    }

    @Test
    void chunkedProbesWriteTheirFramingExactlyThenTheSmuggledRequest() {
        String text = new String(HostileRequests.bytes(HostileRequests.chunkedThenSmuggled("-5\r\nhello\r\n0\r\n\r\n"), "p1-7"),
                StandardCharsets.ISO_8859_1);
        assertEquals("POST /pub/framing HTTP/1.1\r\nHost: example.test\r\nX-Probe-Id: p1-7\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: example.test\r\nX-Probe-Id: p1-7\r\n\r\n", text);
    }

    @Test
    void requestBytesAreTheCharsGiven() {
        byte[] bytes = HostileRequests.bytes(HostileRequests.get("/caf\u00c3\u00a9"), "id");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("GET /caf\u00e9 HTTP/1.1\r\n"), "the two chars are the UTF-8 bytes of an e-acute: " + text);
        String[] big = HostileRequests.bigHeaders(40, 1024);
        assertEquals(40, big.length);
        assertTrue(List.of(big).stream().allMatch(h -> h.length() == 1024));
    }

    @Test
    void methodsAreFixedDistinctTokensAndHalfOfThemCapitals() {
        List<String> methods = MethodSpray.methods(300, 300);
        assertEquals(methods, MethodSpray.methods(300, 300));
        assertEquals(300, Set.copyOf(methods).size());
        String tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (String method : methods) {
            assertTrue(method.chars().allMatch(c -> tchar.indexOf(c) >= 0), method);
            assertFalse(List.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "CONNECT")
                    .contains(method));
        }
        assertEquals(150, methods.stream().filter(m -> m.chars().allMatch(c -> c >= 'A' && c <= 'Z')).count());
    }
}
