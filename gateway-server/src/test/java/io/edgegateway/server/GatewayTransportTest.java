package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.transport.Transport;
import io.edgegateway.transport.TransportKind;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code gateway.transport} and {@code gateway.event-loops} decide the gateway's loops; each transport proxies. */
class GatewayTransportTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void eachAvailableTransportProxies(TransportKind kind) throws Exception {
        assumeTrue(kind.isAvailable(), () -> kind.label() + " is not available here");
        try (MockUpstream upstream = MockUpstream.builder().start();
                GatewayServer gateway = GatewayServer.start(TestGateway.config("transport = " + kind.label()
                        + "\nroutes = [" + TestGateway.route("r", "/", upstream.port()) + "]"), 1)) {
            assertThat(gateway.transport().kind()).isEqualTo(kind);
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void autoTakesTheMachinesBest() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(TestGateway.config("transport = auto"), 1)) {
            assertThat(gateway.transport().kind()).isEqualTo(Transport.auto().kind());
        }
    }

    @Test
    void eventLoopsSetsHowManyLoopsServeClients() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(TestGateway.config("event-loops = 3"))) {
            int loops = 0;
            for (EventExecutor ignored : gateway.workers()) {
                loops++;
            }
            assertThat(loops).isEqualTo(3);
        }
    }

    @Test
    void ioUringNamedWhereTheKernelRefusesItDoesNotStart() {
        assumeFalse(TransportKind.IO_URING.isAvailable(), "io_uring is available here");
        assertThatThrownBy(() -> GatewayServer.start(TestGateway.config("transport = io-uring"), 1))
                .hasMessageContaining("transport io-uring is not available on this machine");
    }
}
