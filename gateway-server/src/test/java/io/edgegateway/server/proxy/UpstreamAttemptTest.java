package io.edgegateway.server.proxy;

import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.InvalidConfigException;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.config.UpstreamDefaults;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.transport.Transport;
import io.edgegateway.server.upstream.AttemptOutcome;
import io.edgegateway.server.upstream.PoolExhaustedException;
import io.edgegateway.server.upstream.UpstreamInstance;
import io.edgegateway.server.upstream.UpstreamPool;
import io.edgegateway.server.upstream.UpstreamPools;
import io.edgegateway.server.upstream.UpstreamRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt's state machine, driven frame by frame: an {@link EmbeddedChannel} with a
 * {@link ProxyBackendHandler} stands for the upstream connection, a {@link RecordingOwner} for the
 * call. What the attempt reports is read where it lands: {@code gateway_upstream_errors_total} and
 * the instance's standing (one instance failure ejects it: {@code consecutive-failures = 1}).
 */
class UpstreamAttemptTest {

    private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);
    private static final String UPSTREAM = "127.0.0.1:1";

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final AtomicLong clock = new AtomicLong();
    private final UpstreamInstance instance = instance(metrics, 1);
    private final EmbeddedChannel connection = new EmbeddedChannel(new ProxyBackendHandler());
    private final UpstreamPools pools = new UpstreamPools(Transport.auto(), new ChannelInboundHandlerAdapter(),
            new UpstreamDefaults(4, 0, Duration.ofMinutes(1), Optional.empty(), Optional.empty(), Duration.ofMinutes(1),
                    Duration.ZERO), 1);
    private final UpstreamPool pool = pools.pool(connection.eventLoop(), instance.address());
    private final RecordingOwner owner = new RecordingOwner();
    private final HttpRequest head = new DefaultHttpRequest(HTTP_1_1, HttpMethod.GET, "/");
    private final UpstreamAttempt attempt = new UpstreamAttempt(owner, instance, pool, head);

    @AfterEach
    void close() {
        connection.finishAndReleaseAll();
    }

    @Test
    void aResponseReadWholeIsASuccessAndItsConnectionGoesBackToThePool() {
        pool.release(connection, true); // a kept-alive connection idles in the pool
        int inFlight = pool.inFlight();
        attempt.start(1000);
        attempt.sendLast(LastHttpContent.EMPTY_LAST_CONTENT, AN_HOUR, false);
        assertThat((Object) connection.readOutbound()).isSameAs(head);
        assertThat((Object) connection.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);

        connection.writeInbound(response(200), last("hello"));
        attempt.finish(true);

        assertThat(owner.calls()).containsExactly("connected", "answered 200", "content 5");
        assertThat(owner.events).contains("readComplete");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCESS);
        assertThat(attempt.connected()).isFalse();
        assertThat(errors()).isZero();
        assertThat(instance.inRotation()).isTrue();
        assertThat(pool.inFlight()).isEqualTo(inFlight);
        UpstreamAttempt next = new UpstreamAttempt(new RecordingOwner(), instance, pool, head);
        next.start(1000);
        assertThat(next.connected()).as("the connection was lent again").isTrue();
        next.cancel();
    }

    @Test
    void aFiveHundredReadWholeIsAnErrorStatus() {
        lentAndSent(false);
        connection.writeInbound(response(503), last(""));
        attempt.finish(true);

        assertThat(owner.calls()).containsExactly("connected", "answered 503", "content 0");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.ERROR_STATUS);
        assertThat(errors()).isZero(); // a status is no transport error
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void aFailureIsReportedOnceThoughTheAttemptIsEndedAgain() {
        GatewayMetrics ownMetrics = new GatewayMetrics();
        UpstreamInstance lenient = instance(ownMetrics, 2);
        UpstreamAttempt once = new UpstreamAttempt(owner, lenient, pool, head);
        once.lent(connection, false);
        once.sendLast(LastHttpContent.EMPTY_LAST_CONTENT, AN_HOUR, false);
        connection.writeInbound(response(503), last(""));
        once.finish(true);
        once.cancel();
        once.abandon(AttemptOutcome.RESET);

        assertThat(once.outcome()).isEqualTo(AttemptOutcome.ERROR_STATUS);
        assertThat(lenient.inRotation()).as("two failures reported would eject it").isTrue();
        assertThat(errors(ownMetrics, "reset")).isZero();
    }

    @Test
    void informationalResponsesAreNotTheOwnersBusiness() {
        lentAndSent(false);
        connection.writeInbound(response(100), LastHttpContent.EMPTY_LAST_CONTENT,
                response(103), LastHttpContent.EMPTY_LAST_CONTENT, response(200), content("ab"), last("cde"));
        attempt.finish(true);

        assertThat(owner.calls()).containsExactly("connected", "answered 200", "content 2", "content 3");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCESS);
    }

    @Test
    void aKeptAliveConnectionLostBeforeAnyResponseIsStale() {
        lentAndSent(true);
        connection.close();

        assertThat(owner.calls()).containsExactly("connected", "failed STALE_CONNECTION");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.STALE_CONNECTION);
        assertThat(attempt.connected()).isFalse();
        assertThat(errors("stale_connection")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).as("an idle connection closed is nobody's failure").isTrue();
    }

    @Test
    void aFreshConnectionLostBeforeTheHeadIsAReset() {
        lentAndSent(false);
        connection.pipeline().fireChannelInactive();

        assertThat(owner.calls()).containsExactly("connected", "failed RESET");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESET);
        assertThat(connection.isActive()).as("the connection is given up").isFalse();
        assertThat(errors("reset")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void aKeptAliveConnectionLostAfterBodyBytesWentOutIsAReset() {
        attempt.lent(connection, true);
        attempt.send(content("abc"));
        attempt.sendLast(last("de"), AN_HOUR, true);
        connection.close();

        assertThat(attempt.bodyBytesSent()).isEqualTo(5);
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESET);
        assertThat(errors("reset")).isEqualTo(1);
    }

    @Test
    void aKeptAliveConnectionLostAfterAnInformationalResponseIsNoStaleConnection() {
        lentAndSent(true);
        connection.writeInbound(response(103), LastHttpContent.EMPTY_LAST_CONTENT);
        connection.close();

        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESET);
    }

    @Test
    void aConnectionLostAfterTheHeadIsAResetDuringResponse() {
        lentAndSent(true);
        connection.writeInbound(response(200), content("abc"));
        connection.close();

        assertThat(owner.calls()).containsExactly("connected", "answered 200", "content 3",
                "failed RESET_DURING_RESPONSE");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESET_DURING_RESPONSE);
        assertThat(errors("reset_during_response")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void aResponseThatCannotBeParsedIsInvalidEvenOnAKeptAliveConnection() {
        lentAndSent(true);
        HttpResponse garbled = response(200);
        garbled.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid status line")));
        connection.writeInbound(garbled);
        connection.runPendingTasks();

        assertThat(owner.calls()).containsExactly("connected", "failed INVALID_RESPONSE");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.INVALID_RESPONSE);
        assertThat(connection.isActive()).isFalse();
        assertThat(errors("invalid_response")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void noHeadInTimeIsAResponseTimeout() {
        attempt.lent(connection, false);
        attempt.sendLast(LastHttpContent.EMPTY_LAST_CONTENT, 0, false);
        connection.runScheduledPendingTasks();

        assertThat(owner.calls()).containsExactly("connected", "failed RESPONSE_TIMEOUT");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESPONSE_TIMEOUT);
        assertThat(connection.isActive()).as("its response may still come: the connection is closed").isFalse();
        assertThat(errors("response_timeout")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void theTimeoutOfARequestWithABodyRunsOnceItsLastPieceIsWritten() {
        List<Runnable> heldWrites = new ArrayList<>();
        connection.pipeline().addFirst(new ChannelOutboundHandlerAdapter() { // a slow upstream: writes wait
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                heldWrites.add(() -> ctx.write(msg, promise));
            }
        });
        attempt.lent(connection, false);
        attempt.send(content("bo"));
        attempt.sendLast(last("dy"), 0, true);
        connection.runScheduledPendingTasks();
        assertThat(attempt.outcome()).as("the body is still going out").isNull();

        heldWrites.forEach(Runnable::run);
        connection.flush();
        connection.runScheduledPendingTasks();

        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESPONSE_TIMEOUT);
        assertThat(attempt.bodyBytesSent()).isEqualTo(4);
    }

    @Test
    void aTimeoutAfterTheHeadChangesNothing() {
        lentAndSent(false);
        connection.writeInbound(response(200));
        attempt.onResponseTimeout();
        connection.writeInbound(last("ok"));
        attempt.finish(true);

        assertThat(owner.calls()).containsExactly("connected", "answered 200", "content 2");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCESS);
    }

    @Test
    void aCancelAfterAFailureReportsNothingMore() {
        lentAndSent(false);
        attempt.onResponseTimeout();
        attempt.cancel();
        attempt.abandon(AttemptOutcome.RESET);

        assertThat(owner.calls()).containsExactly("connected", "failed RESPONSE_TIMEOUT");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RESPONSE_TIMEOUT);
        assertThat(errors()).isEqualTo(1);
        assertThat(attempt.gaveUp()).isTrue();
    }

    @Test
    void contentAfterTheOwnerCancelledOnTheHeadIsReleased() {
        owner.onAnswered = (cancelled, response) -> cancelled.cancel();
        lentAndSent(false);
        HttpContent late = content("late");
        connection.writeInbound(response(200), late);

        assertThat(late.refCnt()).isZero();
        assertThat(owner.calls()).containsExactly("connected", "answered 200");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CANCELLED);
        assertThat(connection.isActive()).as("a response cut short leaves the connection unusable").isFalse();
        assertThat(errors()).isZero();
        assertThat(instance.inRotation()).as("a cancel is nobody's failure").isTrue();
    }

    @Test
    void contentHandedToACancelledAttemptIsReleased() {
        lentAndSent(false);
        connection.writeInbound(response(200));
        attempt.cancel();
        HttpContent late = content("late");
        attempt.onResponseContent(late);

        assertThat(late.refCnt()).isZero();
        assertThat(owner.calls()).containsExactly("connected", "answered 200");
    }

    @Test
    void anAttemptCancelledBeforeItsConnectionCameHasGivenUp() {
        assertThat(attempt.gaveUp()).isFalse();
        attempt.cancel();

        assertThat(attempt.gaveUp()).as("a connection lent now goes back to the pool").isTrue();
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CANCELLED);
        assertThat(owner.calls()).isEmpty();
    }

    @Test
    void aConnectTimeoutCountsAgainstTheInstance() {
        attempt.notLent(new ConnectTimeoutException("connection timed out: " + UPSTREAM));

        assertThat(owner.calls()).containsExactly("failed CONNECT_TIMEOUT");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CONNECT_TIMEOUT);
        assertThat(attempt.gaveUp()).isTrue();
        assertThat(errors("connect_timeout")).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() {
        attempt.notLent(new ConnectException("Connection refused"));

        assertThat(owner.calls()).containsExactly("failed CONNECT_FAILED");
        assertThat(errors("connect_failed")).isEqualTo(1);
        assertThat(errors()).isEqualTo(1);
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void anExhaustedPoolIsTheGatewaysLimitNotTheInstancesFailure() {
        attempt.notLent(new PoolExhaustedException(instance.address()));

        assertThat(owner.calls()).containsExactly("failed POOL_EXHAUSTED");
        assertThat(errors("pool_exhausted")).isEqualTo(1);
        assertThat(instance.inRotation()).isTrue();
    }

    @Test
    void anAbandonedAttemptReportsTheGivenOutcomeWithoutTellingItsOwner() {
        owner.onAnswered = (abandoned, response) -> abandoned.abandon(AttemptOutcome.ERROR_STATUS); // to retry
        lentAndSent(false);
        HttpContent late = last("bad gateway");
        connection.writeInbound(response(502), late);

        assertThat(owner.calls()).containsExactly("connected", "answered 502");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.ERROR_STATUS);
        assertThat(late.refCnt()).isZero();
        assertThat(connection.isActive()).isFalse();
        assertThat(instance.inRotation()).isFalse();
    }

    @Test
    void aSwitchOfProtocolsDetachesTheConnectionForATunnel() {
        lentAndSent(true);
        connection.writeInbound(response(101));
        Channel tunnel = attempt.detach();

        assertThat(owner.calls()).containsExactly("connected", "answered 101");
        assertThat(tunnel).isSameAs(connection);
        assertThat(tunnel.isActive()).isTrue();
        assertThat(attempt.connected()).isFalse();
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCESS);
        connection.pipeline().fireChannelInactive();
        assertThat(owner.calls()).as("the tunnel's end is not the attempt's").hasSize(2);
    }

    @Test
    void aConnectionWhoseClientWentAwayIsDrainedBackIntoThePool() {
        ProxyContext context = new ProxyContext(null, null, pools, metrics, null, Duration.ZERO, null, null, null);
        lentAndSent(false);
        connection.writeInbound(response(200));
        attempt.drain(context, true);
        HttpContent rest = last("rest");
        connection.writeInbound(content("more"), rest);

        assertThat(owner.calls()).containsExactly("connected", "answered 200");
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CANCELLED);
        assertThat(rest.refCnt()).isZero();
        assertThat(connection.isActive()).isTrue();
        assertThat(metrics.registry().getSampleValue("gateway_upstream_drains_total",
                new String[] {"result"}, new String[] {"reused"})).isEqualTo(1.0);
        assertThat(errors()).isZero();
        assertThat(instance.inRotation()).isTrue();
    }

    @Test
    void readsAndWritabilityOfTheConnectionGoToTheOwner() {
        lentAndSent(false);
        connection.pipeline().fireChannelWritabilityChanged();
        connection.writeInbound(response(200));

        assertThat(owner.events).containsExactly("connected", "writable true", "answered 200", "readComplete");
        attempt.cancel();
    }

    private void lentAndSent(boolean reused) {
        attempt.lent(connection, reused);
        attempt.sendLast(LastHttpContent.EMPTY_LAST_CONTENT, AN_HOUR, false);
    }

    private UpstreamInstance instance(GatewayMetrics into, int consecutiveFailures) {
        RouteConfig route;
        try {
            route = ConfigLoader.parse("gateway { routes = [ {id = r, match { path-prefix = \"/\" },"
                    + " upstreams = [\"http://" + UPSTREAM + "\"], outlier-detection { consecutive-failures = "
                    + consecutiveFailures + " } } ] }", "t.conf").routes().get(0);
        } catch (InvalidConfigException e) {
            throw new AssertionError(e);
        }
        return new UpstreamRegistry(into, null, Optional.empty(), null, clock::get).clusterFor(route).instances().get(0);
    }

    private double errors(String errorType) {
        return errors(metrics, errorType);
    }

    private static double errors(GatewayMetrics from, String errorType) {
        Double value = from.registry().getSampleValue("gateway_upstream_errors_total",
                new String[] {"route", "upstream", "error_type"}, new String[] {"r", UPSTREAM, errorType});
        return value == null ? 0 : value;
    }

    /** Every error counted for the instance, whatever its type. */
    private double errors() {
        double total = 0;
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            if (outcome.errorLabel() != null) {
                total += errors(outcome.errorLabel());
            }
        }
        return total;
    }

    private static HttpResponse response(int status) {
        return new DefaultHttpResponse(HTTP_1_1, HttpResponseStatus.valueOf(status));
    }

    private static HttpContent content(String text) {
        return new DefaultHttpContent(buffer(text));
    }

    private static LastHttpContent last(String text) {
        return new DefaultLastHttpContent(buffer(text));
    }

    private static ByteBuf buffer(String text) {
        return ByteBufAllocator.DEFAULT.buffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
