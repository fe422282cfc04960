package io.edgegateway.loadtest.probe;

import static io.edgegateway.loadtest.probe.HostileRequests.SMUGGLED;
import static io.edgegateway.loadtest.probe.HostileRequests.chunkedThenSmuggled;
import static io.edgegateway.loadtest.probe.HostileRequests.get;
import static io.edgegateway.loadtest.probe.HostileRequests.head;
import static io.edgegateway.loadtest.probe.HostileRequests.withHost;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed list of hostile requests, in the order they run. The {@code /limited} route is limited
 * to one request a minute on every target, so a spelling of it that gets 200 after the second plain
 * request was routed elsewhere: it escaped the limit.
 */
final class ProbeCatalogue {

    static final List<String> GROUPS = List.of("path", "host", "framing", "header", "method", "slow", "linger", "h2");
    /** Groups whose probes run in the background beside the others: they take real time. */
    static final List<String> BACKGROUND_GROUPS = List.of("slow");

    private static final List<String> PATHS = List.of(
            "/pub/..%2fadmin", "/pub/%2e%2e%2fadmin", "/pub/..;/admin", "/pub/..\\admin", "/pub/..%5cadmin",
            "//limited/x", "/%6cimited/x", "/LIMITED/x", "/limited./x", "/limited;a=b/x", "/limited%2fx",
            "/pub/%2e%2e/admin", "/a/./b/../c", "/caf\u00c3\u00a9");

    private static final List<String> HOSTS = List.of("a b", "a/b", "a@b", "a,b", HostileRequests.HOST + ".");

    private ProbeCatalogue() {
    }

    static List<Probe> probes(ProbeSettings settings) {
        List<Probe> probes = new ArrayList<>();
        probes.add(Probe.raw("path", "/limited/x (1st)", get("/limited/x"), 1, UpstreamViews.TARGETS));
        probes.add(Probe.raw("path", "/limited/x (2nd)", get("/limited/x"), 1, UpstreamViews.TARGETS));
        for (String path : PATHS) {
            probes.add(Probe.raw("path", ByteText.show(path), get(path), 1, UpstreamViews.TARGETS));
        }
        for (String host : HOSTS) {
            probes.add(Probe.raw("host", "Host: " + host, withHost(host), 1, UpstreamViews.HOSTS));
        }
        framing(probes);
        probes.add(Probe.raw("header", "X_Forwarded_For: 1.2.3.4",
                head("GET /pub/underscore HTTP/1.1", "X_Forwarded_For: 1.2.3.4"), 1, UpstreamViews.UNDERSCORES));
        probes.add(new Probe("header", "absolute-form http://other.test/x, Host: example.test",
                (target, id) -> RawExchange.run(target, HostileRequests.bytes(
                        "GET http://other.test/x HTTP/1.1\r\nHost: example.test\r\nX-Probe-Id: $ID\r\n\r\n", id), 1),
                UpstreamViews.HOSTS));
        List<String> methods = MethodSpray.methods(settings.methods(), 300);
        probes.add(new Probe("method", settings.methods() + " random extension methods",
                (target, id) -> MethodSpray.run(target, id, methods), UpstreamViews.methods(methods)));
        slow(probes, settings);
        linger(probes);
        h2(probes, settings);
        return List.copyOf(probes);
    }

    /** Each hostile framing is followed on the same connection by {@link HostileRequests#SMUGGLED}. */
    private static void framing(List<Probe> probes) {
        framingProbe(probes, "chunk size over 64 bits", chunkedThenSmuggled("10000000000000005\r\nhello\r\n0\r\n\r\n"));
        framingProbe(probes, "negative chunk size", chunkedThenSmuggled("-5\r\nhello\r\n0\r\n\r\n"));
        framingProbe(probes, "chunk size 0x5", chunkedThenSmuggled("0x5\r\nhello\r\n0\r\n\r\n"));
        framingProbe(probes, "chunk size 5junk", chunkedThenSmuggled("5junk\r\nhello\r\n0\r\n\r\n"));
        framingProbe(probes, "chunk size ' 5'", chunkedThenSmuggled(" 5\r\nhello\r\n0\r\n\r\n"));
        framingProbe(probes, "chunk data without CRLF", chunkedThenSmuggled("5\r\nhello0\r\n\r\n"));
        framingProbe(probes, "bare LF in the head",
                "GET /pub/framing HTTP/1.1\nHost: example.test\nX-Probe-Id: $ID\n\n" + SMUGGLED);
        framingProbe(probes, "bare LF in chunk framing", chunkedThenSmuggled("5\nhello\n0\n\n"));
        framingProbe(probes, "HTTP/9.9", head("GET /pub/framing HTTP/9.9") + SMUGGLED);
        framingProbe(probes, "NUL in the target", head("GET /pub/a\u0000b HTTP/1.1") + SMUGGLED);
        framingProbe(probes, "Content-Length: 3 with Transfer-Encoding: chunked",
                head("POST /pub/framing HTTP/1.1", "Content-Length: 3", "Transfer-Encoding: chunked")
                        + "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    }

    private static void framingProbe(List<Probe> probes, String name, String template) {
        probes.add(Probe.raw("framing", name, template, 2, UpstreamViews.FRAMING));
    }

    private static void slow(List<Probe> probes, ProbeSettings settings) {
        long headBytes = settings.slowCap().toMillis() / Math.max(1, settings.slowHeadInterval().toMillis()) + 64;
        String slowHead = head("GET /pub/slowloris HTTP/1.1", "X-Pad: " + "a".repeat((int) headBytes));
        probes.add(new Probe("slow", String.format("slowloris: head at 1 byte/%dms (cap %ds)",
                settings.slowHeadInterval().toMillis(), settings.slowCap().toSeconds()),
                (target, id) -> new DribbleClient(new byte[0], HostileRequests.bytes(slowHead, id),
                        settings.slowHeadInterval(), settings.slowCap()).run(target),
                UpstreamViews.BODY_TIMING));
        String bodyHead = head("POST /pub/slowbody HTTP/1.1", "Content-Length: 1000", "Content-Type: text/plain");
        byte[] body = "b".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        probes.add(new Probe("slow", String.format("slow body: 1000 B at 1 byte/%dms (cap %ds)",
                settings.slowBodyInterval().toMillis(), settings.slowCap().toSeconds()),
                (target, id) -> new DribbleClient(HostileRequests.bytes(bodyHead, id), body,
                        settings.slowBodyInterval(), settings.slowCap()).run(target),
                UpstreamViews.BODY_TIMING));
    }

    private static void linger(List<Probe> probes) {
        int bodyBytes = 3 * 1024 * 1024;
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        String[] big = HostileRequests.bigHeaders(40, 1024);
        String[] headers = new String[big.length + 1];
        System.arraycopy(big, 0, headers, 0, big.length);
        headers[big.length] = "Content-Length: " + bodyBytes;
        String bigHead = head("POST /pub/linger HTTP/1.1", headers);
        probes.add(new Probe("linger", "40 KB head + 3 MB body, written before reading",
                (target, id) -> WriteFirstClient.run(target, concat(HostileRequests.bytes(bigHead, id), body)),
                UpstreamViews.BODY_TIMING));
        String smallHead = head("POST /pub/linger HTTP/1.1", "Content-Length: " + bodyBytes);
        probes.add(new Probe("linger", "3 MB body, written before reading",
                (target, id) -> WriteFirstClient.run(target, concat(HostileRequests.bytes(smallHead, id), body)),
                UpstreamViews.BODY_TIMING));
    }

    private static void h2(List<Probe> probes, ProbeSettings settings) {
        int frames = settings.h2Frames();
        probes.add(h2Probe(String.format("rapid reset: HEADERS + RST_STREAM x %,d", settings.h2Streams()),
                (target, id) -> H2Session.run(target, H2Plans.rapidReset(id, settings.h2Streams()), false)));
        probes.add(h2Probe(String.format("SETTINGS flood x %,d", frames),
                (target, id) -> H2Session.run(target, H2Plans.settingsFlood(frames), false)));
        probes.add(h2Probe(String.format("PING flood x %,d", frames),
                (target, id) -> H2Session.run(target, H2Plans.pingFlood(frames), false)));
        probes.add(h2Probe(String.format("PRIORITY flood x %,d", frames),
                (target, id) -> H2Session.run(target, H2Plans.priorityFlood(frames), false)));
        probes.add(h2Probe(String.format("WINDOW_UPDATE flood x %,d", frames),
                (target, id) -> H2Session.run(target, H2Plans.windowUpdateFlood(frames), false)));
        probes.add(h2Probe(String.format("empty DATA flood x %,d", frames),
                (target, id) -> H2Session.run(target, H2Plans.emptyDataFlood(id, frames), false)));
        probes.add(new Probe("h2", ":path with a space (/pub/a b)",
                (target, id) -> H2Session.run(target, H2Plans.single("/pub/a b", id), true), UpstreamViews.TARGETS));
    }

    private static Probe h2Probe(String name, Probe.Script script) {
        return new Probe("h2", name, script, UpstreamViews.COUNT);
    }

    private static byte[] concat(byte[] head, byte[] body) {
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
