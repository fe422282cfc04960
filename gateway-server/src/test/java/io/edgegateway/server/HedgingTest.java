package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hedged requests through a real gateway to two mock upstream instances, one of them slow. */
class HedgingTest {

    private MockUpstream slow;
    private MockUpstream fast;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        slow.close();
        fast.close();
    }

    private void start(String slowLatency, String hedge) throws Exception {
        slow = MockUpstream.builder().name("slow").latency(slowLatency).start();
        fast = MockUpstream.builder().name("fast").start();
        gateway = TestGateway.start("routes = [{ id = hedged, match { path-prefix = \"/\" }, upstreams = ["
                + "\"http://127.0.0.1:" + slow.port() + "\", \"http://127.0.0.1:" + fast.port() + "\"], "
                + "timeouts { response = 30s }, hedge " + hedge + " }]");
    }

    private double metric(String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{route=\"hedged\",?\\} (\\S+)$")
                .matcher(gateway.admin("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void aLateAnswerIsHedgedToTheOtherInstanceWhoseAnswerWinsAndTheLoserIsClosed() throws Exception {
        start("fixed:20s", "{ after = 50ms, max-extra-percent = 100 }");

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = gateway.get("/r/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("request " + i).hasValue("fast");
        }

        double hedges = metric("gateway_hedge_requests_total");
        assertThat(hedges).as("round-robin sent some first attempts to the slow instance").isGreaterThan(0);
        assertThat(metric("gateway_hedge_wins_total")).isEqualTo(hedges);
        assertThat(fast.requestsServed()).isEqualTo(6);
        // Every first attempt on the slow instance lost: its connection was closed, not pooled.
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.connectionsOpen() == 0);
        assertThat(slow.connectionsAccepted()).isEqualTo((int) hedges);
    }

    @Test
    void aPostIsNeverHedged() throws Exception {
        start("fixed:300ms", "{ after = 10ms, max-extra-percent = 100 }");

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/p/" + i))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        assertThat(metric("gateway_hedge_requests_total")).isZero();
        assertThat(slow.recordedRequests().size() + fast.recordedRequests().size()).isEqualTo(4);
    }

    @Test
    void theBudgetKeepsHedgesUnderItsShareWhenEveryAnswerIsLate() throws Exception {
        slow = MockUpstream.builder().name("slow").latency("fixed:60ms").start();
        fast = MockUpstream.builder().name("fast").latency("fixed:60ms").start();
        gateway = TestGateway.start("routes = [{ id = hedged, match { path-prefix = \"/\" }, upstreams = ["
                + "\"http://127.0.0.1:" + slow.port() + "\", \"http://127.0.0.1:" + fast.port() + "\"], "
                + "hedge { after = 5ms, max-extra-percent = 10 } }]");

        int requests = 40;
        for (int i = 0; i < requests; i++) {
            assertThat(gateway.get("/b/" + i).statusCode()).isEqualTo(200);
        }

        double hedges = metric("gateway_hedge_requests_total");
        // Each event loop keeps its own budget of 10%, so two loops round down separately.
        assertThat(hedges).isBetween(1.0, requests * 0.10);
        // Every request reached an instance once, and each hedge once more (its loser is cut off unanswered).
        assertThat(slow.recordedRequests().size() + fast.recordedRequests().size()).isEqualTo(requests + (int) hedges);
    }
}
