package io.edgegateway.server.demo;

import io.edgegateway.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The small upstream the demo configuration points at, so that the gateway answers out of the box
 * with no other server: every request gets a JSON greeting naming its method and path.
 */
public final class DemoUpstream implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private DemoUpstream(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static DemoUpstream start(String host, int port) throws InterruptedException {
        Transport transport = Transport.auto();
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelType())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new HttpObjectAggregator(1024 * 1024))
                                    .addLast(Greeter.INSTANCE);
                        }
                    })
                    .bind(host, port).sync().channel();
            return new DemoUpstream(group, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Greeter extends SimpleChannelInboundHandler<FullHttpRequest> {
        static final Greeter INSTANCE = new Greeter();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String json = "{\"message\":\"hello from the demo upstream\",\"method\":\"" + request.method()
                    + "\",\"uri\":\"" + request.uri().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
            ByteBuf body = ctx.alloc().buffer(json.length());
            body.writeCharSequence(json, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            ctx.writeAndFlush(response);
        }
    }
}
