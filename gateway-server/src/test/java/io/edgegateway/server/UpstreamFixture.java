package io.edgegateway.server;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The upstream instances one test starts and the gateway it puts in front of them, for the
 * upstream resilience tests: registered as an instance {@code @RegisterExtension} field, it closes
 * them after each test, the gateway first so that no request is in flight to a closed instance.
 */
final class UpstreamFixture implements AfterEachCallback {

    private final List<AutoCloseable> upstreams = new ArrayList<>();
    private TestGateway gateway;

    /** A mock instance answering as {@code name} (its {@code x-upstream}), started. */
    MockUpstream mock(String name) {
        MockUpstream upstream = MockUpstream.builder().name(name).start();
        upstreams.add(upstream);
        return upstream;
    }

    /** A scripted instance answering as {@code name}, started. */
    ScriptedUpstream scripted(String name) throws Exception {
        ScriptedUpstream upstream = ScriptedUpstream.start(name);
        upstreams.add(upstream);
        return upstream;
    }

    /** The test's gateway on {@code gatewayBody} (see {@link TestGateway#start}), started. */
    TestGateway startGateway(String gatewayBody) throws Exception {
        gateway = TestGateway.start(gatewayBody);
        return gateway;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }
}
