package io.edgegateway.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code /health}, {@code /ready} and {@code /metrics} on the admin port. */
@ChannelHandler.Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(AdminHandler.class.getName());

    private final CollectorRegistry registry;
    private final BooleanSupplier ready;

    public AdminHandler(CollectorRegistry registry, BooleanSupplier ready) {
        this.registry = registry;
        this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
        FullHttpResponse response;
        String path = request.uri();
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
        } else {
            response = switch (path) {
                case "/health" -> text(ctx, HttpResponseStatus.OK, "ok\n");
                case "/ready" -> ready.getAsBoolean()
                        ? text(ctx, HttpResponseStatus.OK, "ready\n")
                        : text(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n");
                case "/metrics" -> metrics(ctx);
                default -> text(ctx, HttpResponseStatus.NOT_FOUND, "not found\n");
            };
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) throws IOException {
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        try (Writer writer = new OutputStreamWriter(new ByteBufOutputStream(body), StandardCharsets.UTF_8)) {
            TextFormat.write004(writer, registry.metricFamilySamples());
        } catch (IOException | RuntimeException e) {
            body.release();
            throw e;
        }
        return response(HttpResponseStatus.OK, TextFormat.CONTENT_TYPE_004, body);
    }

    private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        ByteBuf body = ctx.alloc().buffer(text.length());
        body.writeCharSequence(text, StandardCharsets.UTF_8);
        return response(status, "text/plain; charset=utf-8", body);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** A scrape that fails (e.g. out of memory while rendering) is logged: monitoring going blind must be visible. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.log(System.Logger.Level.ERROR, "admin request failed; closing its connection", cause);
        }
        ctx.close();
    }
}
