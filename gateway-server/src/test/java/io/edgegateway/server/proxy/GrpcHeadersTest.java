package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

/** Telling gRPC calls, reading their status, keeping {@code TE: trailers}, and the gateway's gRPC answers. */
class GrpcHeadersTest {

    private static HttpHeaders contentType(String type) {
        return new DefaultHttpHeaders().set("content-type", type);
    }

    @Test
    void grpcContentTypesAreCallsAndLookAlikesAreNot() {
        assertThat(Grpc.isCall(contentType("application/grpc"))).isTrue();
        assertThat(Grpc.isCall(contentType("application/grpc+proto"))).isTrue();
        assertThat(Grpc.isCall(contentType("Application/GRPC; charset=utf-8"))).isTrue();
        assertThat(Grpc.isCall(contentType("application/grpc-web"))).isFalse();
        assertThat(Grpc.isCall(contentType("application/json"))).isFalse();
        assertThat(Grpc.isCall(new DefaultHttpHeaders())).isFalse();
    }

    @Test
    void aStatusIsReadOnlyWhenItIsANumber() {
        assertThat(Grpc.status(new DefaultHttpHeaders().set("grpc-status", "14"))).isEqualTo(14);
        assertThat(Grpc.status(new DefaultHttpHeaders().set("grpc-status", "0"))).isZero();
        assertThat(Grpc.status(new DefaultHttpHeaders().set("grpc-status", "-1"))).isEqualTo(-1);
        assertThat(Grpc.status(new DefaultHttpHeaders().set("grpc-status", "9999999999"))).isEqualTo(-1);
        assertThat(Grpc.status(new DefaultHttpHeaders())).isEqualTo(-1);
    }

    @Test
    void aTimeoutIsReadInEveryUnitAndAMalformedOneIsNone() {
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "300m"))).isEqualTo(300_000_000L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "2S"))).isEqualTo(2_000_000_000L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "1M"))).isEqualTo(60_000_000_000L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "1H"))).isEqualTo(3_600_000_000_000L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "7u"))).isEqualTo(7_000L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "99999999n"))).isEqualTo(99_999_999L);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "99999999H")))
                .as("longer than a long holds: no deadline").isEqualTo(-1);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "123456789m")))
                .as("nine digits").isEqualTo(-1);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "10x"))).isEqualTo(-1);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "m"))).isEqualTo(-1);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders().set("grpc-timeout", "-1S"))).isEqualTo(-1);
        assertThat(Grpc.timeoutNanos(new DefaultHttpHeaders())).isEqualTo(-1);
    }

    @Test
    void teTrailersCrossesTheProxyAndOtherCodingsDoNot() {
        HttpHeaders grpc = new DefaultHttpHeaders().set("te", "trailers").set("connection", "te");
        ProxyHeaders.removeHopByHopKeepingTrailers(grpc);
        assertThat(grpc.getAll("te")).containsExactly("trailers");
        assertThat(grpc.contains("connection")).isFalse();

        HttpHeaders other = new DefaultHttpHeaders().set("te", "gzip, deflate");
        ProxyHeaders.removeHopByHopKeepingTrailers(other);
        assertThat(other.contains("te")).isFalse();

        HttpHeaders both = new DefaultHttpHeaders().set("te", "gzip, trailers");
        ProxyHeaders.removeHopByHopKeepingTrailers(both);
        assertThat(both.getAll("te")).containsExactly("trailers");
    }

    @Test
    void theGatewaysAnswersAreTrailersOnlyWithTheMappedStatus() {
        FullHttpResponse limited = GrpcLocalResponses.error(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited");
        assertThat(limited.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(limited.content().isReadable()).isFalse();
        assertThat(limited.headers().get("content-type")).isEqualTo("application/grpc");
        assertThat(limited.headers().get("grpc-status")).isEqualTo("8");
        assertThat(limited.headers().get("grpc-message")).isEqualTo("rate_limited");
        limited.release();

        assertThat(GrpcLocalResponses.statusFor(503)).isEqualTo(14);
        assertThat(GrpcLocalResponses.statusFor(502)).isEqualTo(14);
        assertThat(GrpcLocalResponses.statusFor(504)).isEqualTo(4);
        assertThat(GrpcLocalResponses.statusFor(404)).isEqualTo(12);
        assertThat(GrpcLocalResponses.statusFor(401)).isEqualTo(16);
        assertThat(GrpcLocalResponses.statusFor(418)).isEqualTo(2);
    }
}
