package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.edgegateway.testkit.RefusingPort;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grpc-java service behind the gateway on an {@code h2c://} upstream, called by a grpc-java client
 * over h2c: unary, server-streaming and bidirectional calls, a status with trailers, and the
 * gateway's own answers in gRPC's terms.
 */
class GrpcProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> COUNT =
            method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    private static final MethodDescriptor<String, String> REFUSE = method("Refuse", MethodDescriptor.MethodType.UNARY);
    private static final Metadata.Key<String> REASON = Metadata.Key.of("x-reason", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path dir;
    /** Released by a test to let the server-streaming call send its second half. */
    private final CountDownLatch secondHalf = new CountDownLatch(1);
    private Server service;
    private GatewayServer gateway;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(TEXT)
                .setResponseMarshaller(TEXT)
                .build();
    }

    @BeforeEach
    void startService() throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, answer) -> {
                    answer.onNext("echo " + request);
                    answer.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, answer) -> {
                    int n = Integer.parseInt(request);
                    for (int i = 1; i <= n; i++) {
                        if (i == n / 2 + 1) {
                            awaitQuietly(secondHalf);
                        }
                        answer.onNext(Integer.toString(i));
                    }
                    answer.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(answer -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String message) {
                        answer.onNext("heard " + message);
                    }

                    @Override
                    public void onError(Throwable error) {
                    }

                    @Override
                    public void onCompleted() {
                        answer.onCompleted();
                    }
                }))
                .addMethod(REFUSE, ServerCalls.asyncUnaryCall((request, answer) -> {
                    Metadata trailers = new Metadata();
                    trailers.put(REASON, "because " + request);
                    answer.onError(Status.PERMISSION_DENIED.withDescription("not you").asRuntimeException(trailers));
                }))
                .build();
        service = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo).build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        service.shutdownNow().awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private void startGateway(String routeKeys, String extra) throws Exception {
        startGateway(service.getPort(), routeKeys, extra);
    }

    private void startGateway(int upstreamPort, String routeKeys, String extra) throws Exception {
        gateway = GatewayServer.start(TestGateway.config("""
                routes = [ { id = grpc, match { path-prefix = "/" }, upstreams = ["h2c://127.0.0.1:%d"], retries = off %s } ]
                %s
                """.formatted(upstreamPort, routeKeys, extra)), 1);
        await().atMost(WAIT).until(gateway::isReady);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aUnaryCallIsAnswered() throws Exception {
        startGateway("", "");
        assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, options(), "hello")).isEqualTo("echo hello");
        assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, options(), "again")).isEqualTo("echo again");
    }

    @Test
    void aStatusAndItsTrailersReachTheClient() throws Exception {
        startGateway("", "");
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, REFUSE, options(), "reasons"));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("not you");
        assertThat(refused.getTrailers().get(REASON)).isEqualTo("because reasons");
    }

    @Test
    void aServerStreamStaysOpenWhileTheServiceWaits() throws Exception {
        startGateway("", "");
        Iterator<String> messages = ClientCalls.blockingServerStreamingCall(channel, COUNT, options(), "6");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(messages.next());
        }
        assertThat(seen).as("the first half arrives before the service goes on").containsExactly("1", "2", "3");
        secondHalf.countDown();
        messages.forEachRemaining(seen::add);
        assertThat(seen).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void aBidirectionalStreamInterleaves() throws Exception {
        startGateway("", "");
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, options()),
                new StreamObserver<String>() {
                    @Override
                    public void onNext(String message) {
                        heard.add(message);
                    }

                    @Override
                    public void onError(Throwable error) {
                        heard.add("error " + Status.fromThrowable(error));
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (String word : List.of("one", "two", "three")) {
            requests.onNext(word);
            assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("each answer comes before the next message is sent").isEqualTo("heard " + word);
        }
        requests.onCompleted();
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(heard).isEmpty();
    }

    @Test
    void aLimitedCallIsResourceExhaustedAndEveryStatusIsCountedAndLogged() throws Exception {
        Path log = dir.resolve("access.log");
        startGateway(", rate-limit { requests = 2, window = 60s }",
                "access-log { enabled = true, path = \"%s\" }".formatted(log.toString().replace("\\", "/")));
        assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, options(), "first")).isEqualTo("echo first");
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, REFUSE, options(), "x"));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        StatusRuntimeException limited = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, UNARY, options(), "third"));
        assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(limited.getStatus().getDescription()).isEqualTo("rate_limited");
        assertThat(limited.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
                .as("the limiter's headers come with the status").isNotNull();

        await().atMost(WAIT).untilAsserted(() -> assertThat(Files.exists(log)
                ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.<String>of()).hasSize(3));
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).contains("\"status\":200,\"grpc_status\":0,");
        assertThat(lines.get(1)).contains("\"status\":200,\"grpc_status\":7,");
        assertThat(lines.get(2)).contains("\"status\":429,\"grpc_status\":8,");
        String metrics = admin("/metrics");
        for (int status : new int[] {0, 7, 8}) {
            assertThat(metrics).contains("gateway_grpc_responses_total{route=\"grpc\",grpc_status=\"" + status + "\",} 1.0");
        }
    }

    @Test
    void anUnreachableUpstreamIsUnavailable() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            startGateway(refusing.port(), "", "");
            StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(channel, UNARY, options(), "anyone"));
            assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(admin("/metrics")).contains("gateway_grpc_responses_total{route=\"grpc\",grpc_status=\"14\",} 1.0");
        }
    }

    private String admin(String path) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
