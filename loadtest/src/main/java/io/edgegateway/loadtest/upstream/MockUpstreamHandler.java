package io.edgegateway.loadtest.upstream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Answers the requests of one connection in order, each once its body has arrived and its delay elapsed.
 *
 * <p>The delay is a task scheduled on the channel's event loop, never a blocking wait. Bodies are counted
 * as they stream in and every buffer is released at once (by {@link SimpleChannelInboundHandler}); pipelined
 * requests wait in a queue so answers go out in request order.
 */
final class MockUpstreamHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final System.Logger LOG = System.getLogger(MockUpstreamHandler.class.getName());

    private final UpstreamState state;
    private final int connection;
    private final ArrayDeque<UpstreamExchange> waiting = new ArrayDeque<>();
    private UpstreamExchange receiving;
    private boolean answering;

    MockUpstreamHandler(UpstreamState state, int connection) {
        this.state = state;
        this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (message instanceof HttpRequest request) {
            requestStarted(ctx, request); // a malformed head completes at once and is answered with 400
        }
        if (message instanceof HttpContent content && receiving != null) {
            if (content.decoderResult().isFailure()) {
                ctx.close(); // a body that cannot be decoded leaves the connection unusable
                return;
            }
            receiving.received(content.content().readableBytes());
            if (content instanceof LastHttpContent) {
                requestComplete(ctx);
            }
        }
    }

    private void requestStarted(ChannelHandlerContext ctx, HttpRequest request) {
        ResponseInstructions instructions = request.decoderResult().isSuccess()
                ? ResponseInstructions.from(request.uri())
                : ResponseInstructions.badRequest("malformed request: " + request.decoderResult().cause());
        UpstreamExchange exchange = new UpstreamExchange(request, instructions);
        waiting.addLast(exchange);
        receiving = exchange;
        long delayNanos = instructions.delayNanos() >= 0 ? instructions.delayNanos() : state.latency().nextDelayNanos();
        if (delayNanos == 0 || instructions.problem() != null) {
            exchange.delayElapsed();
        } else {
            exchange.delayScheduled(ctx.executor().schedule(() -> {
                exchange.delayElapsed();
                answerNextIfReady(ctx);
            }, delayNanos, TimeUnit.NANOSECONDS));
        }
        if (!request.decoderResult().isSuccess()) {
            requestComplete(ctx);
        }
    }

    private void requestComplete(ChannelHandlerContext ctx) {
        UpstreamExchange exchange = receiving;
        receiving = null;
        exchange.bodyComplete();
        RecordedRequest recorded = RecordedRequest.of(exchange.request(), exchange.receivedBytes(), connection);
        exchange.recorded(recorded);
        state.recentRequests().add(recorded);
        answerNextIfReady(ctx);
    }

    private void answerNextIfReady(ChannelHandlerContext ctx) {
        UpstreamExchange next = waiting.peekFirst();
        if (answering || next == null || !next.readyToAnswer() || !ctx.channel().isActive()) {
            return;
        }
        waiting.removeFirst();
        answering = true;
        state.requestServed();
        String name = state.nameFor(((InetSocketAddress) ctx.channel().localAddress()).getPort());
        ChannelFuture written = UpstreamResponder.respond(ctx, next, name, state.bodyBytesSent());
        written.addListener(future -> answered(ctx, next, future.isSuccess()));
    }

    private void answered(ChannelHandlerContext ctx, UpstreamExchange exchange, boolean success) {
        answering = false;
        if (success && exchange.instructions().resetsMidBody()) {
            // SO_LINGER 0 makes close() send a RST instead of a FIN: the upstream "crashes" mid-body.
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            ctx.close();
        } else if (!success || !exchange.keepsConnection()) {
            ctx.close();
        } else {
            answerNextIfReady(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(UpstreamExchange::abandon);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.log(System.Logger.Level.WARNING, "mock upstream connection failed; closing it", cause);
        }
        ctx.close();
    }
}
