package io.edgegateway.server.proxy;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.server.routing.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What refusing one request costs the gateway's own code, without the socket: the HTTP/1.1
 * pipeline the gateway builds, on an embedded channel whose loop always refuses, fed one request
 * and drained of its answer at a time; nanoseconds per request over the last of several passes.
 * The read and write system calls a real refusal adds are in {@code RefusalCost}. Not a test; run
 * by hand (docs/benchmarks.md):
 *
 * <pre>java -cp gateway-server/target/test-classes:gateway-server/target/classes:$(cat cp.txt) \
 *     io.edgegateway.server.proxy.RefusalCostInProcess [requests per pass=500000] [passes=6]</pre>
 */
public final class RefusalCostInProcess {

    private static final byte[] REQUEST = ("GET /cost HTTP/1.1\r\nHost: bench\r\nUser-Agent: refusal-cost\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private RefusalCostInProcess() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        GatewayConfig config = ConfigLoader.parse("gateway { listen.port = 0, admin.port = 0 }", "cost.conf");
        GatewayMetrics metrics = new GatewayMetrics();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        ProxyContext context = new ProxyContext(RouteTable.compile(List.of(), metrics), null, null, metrics,
                config.limits(), config.shutdownGrace(), AccessLog.open(config.accessLog(), metrics.accessLogDropped),
                EventLoopLag.refusingAll(channel.eventLoop()), null);
        new ProxyChannelInitializer(context, new io.netty.channel.group.DefaultChannelGroup(channel.eventLoop()),
                config.listen().http2(), new ConnectionAdmission(config.limits(), metrics)).addHttp1(channel);
        channel.pipeline().fireChannelActive();
        ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST));
        long bytes = 0;
        for (int pass = 1; pass <= passes; pass++) {
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                channel.writeInbound(request.duplicate());
                Object out;
                while ((out = channel.readOutbound()) != null) {
                    bytes += ((ByteBuf) out).readableBytes();
                    ReferenceCountUtil.release(out);
                }
            }
            long nanos = System.nanoTime() - start;
            System.out.printf("pass %d: %.0f ns/request%n", pass, (double) nanos / requests);
        }
        System.out.printf("answered %d bytes (%.1f a request)%n", bytes, (double) bytes / requests / passes);
        channel.finishAndReleaseAll();
    }
}
