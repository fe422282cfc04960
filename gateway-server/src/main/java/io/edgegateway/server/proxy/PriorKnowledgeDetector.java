package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;

/**
 * On a clear-text connection, tells HTTP/2 with prior knowledge (h2c: the connection starts with
 * the HTTP/2 preface) from HTTP/1.1 by its first bytes, sets the pipeline up for the one it is, and
 * leaves; what it read goes on to the protocol's codec.
 */
final class PriorKnowledgeDetector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ProxyChannelInitializer protocols;

    PriorKnowledgeDetector(ProxyChannelInitializer protocols) {
        this.protocols = protocols;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
    }

    /** Nothing, or not enough to tell, within the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean matches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), length);
        if (matches && length < PREFACE.readableBytes()) {
            ctx.read();
            return; // so far so good: wait for the rest of the preface
        }
        if (matches) {
            protocols.addHttp2(ctx.channel());
        } else {
            protocols.addHttp1(ctx.channel());
        }
        ctx.pipeline().remove(this);
    }
}
