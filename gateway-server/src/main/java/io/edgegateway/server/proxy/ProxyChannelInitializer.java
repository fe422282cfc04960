package io.edgegateway.server.proxy;

import io.edgegateway.config.Http2Config;
import io.edgegateway.config.Http2FloodLimits;
import io.edgegateway.server.tls.ServerTls;
import io.edgegateway.transport.IoUringCloseGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a client connection. In clear text it is HTTP/1.1, or HTTP/2 when the client
 * starts with HTTP/2's preface (h2c with prior knowledge). With TLS, the certificate is picked by
 * server name and ALPN decides between h2 and HTTP/1.1.
 *
 * <p>HTTP/1.1 connections read one HTTP object at a time (auto-read off). An HTTP/2 connection
 * reads freely, since its control frames and every stream share it; each stream reads one object
 * at a time, and its flow-control window bounds what the client may send ahead.
 */
@ChannelHandler.Sharable
public final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Bytes of a request line before the gateway answers 414. */
    private static final int MAX_REQUEST_LINE = 8192;
    /** Largest body piece the decoder hands on at once; bodies stream through in pieces this size. */
    private static final int MAX_CHUNK = 64 * 1024;

    private final ProxyContext context;
    private final ChannelGroup clients;
    private final Http2Config http2;
    /** TLS is on or off for the listener's life (certificates may change, not that). */
    private final boolean secure;
    private final Http2StreamInitializer streams;
    private final ConnectionAdmission admission;

    public ProxyChannelInitializer(ProxyContext context, ChannelGroup clients, Http2Config http2,
            ConnectionAdmission admission) {
        this.context = context;
        this.clients = clients;
        this.admission = admission;
        this.http2 = http2;
        this.secure = context.tls() != null;
        this.streams = new Http2StreamInitializer(context, secure);
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        IoUringCloseGuard.addTo(channel);
        if (!admission.admit(channel)) {
            channel.close();
            return;
        }
        clients.add(channel);
        // First, for every protocol and before it is known: a client that says nothing is closed.
        channel.pipeline().addLast("idle", new IdleStateHandler(context.idleTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS));
        ServerTls tls = context.tls();
        if (tls != null) {
            // Reads freely through the handshake; the protocol's pipeline then sets its own reading.
            channel.config().setAutoRead(true);
            channel.pipeline().addLast("tls", tls.newHandler()).addLast("alpn", new AlpnSelector(this));
        } else if (http2.enabled()) {
            channel.pipeline().addLast("detect", new PriorKnowledgeDetector(this));
        } else {
            addHttp1(channel);
        }
    }

    void addHttp1(Channel channel) {
        channel.config().setAutoRead(false);
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(context.limits().headerTimeout().toNanos());
        channel.pipeline()
                .addLast("head-deadline", headDeadline)
                .addLast("codec", new HttpServerCodec(decoderConfig(context.limits().maxHeaderBytes())))
                .addLast("head-end", headDeadline.headEnd())
                .addLast("flow-control", new FlowControlHandler())
                .addLast("proxy", new ProxyFrontendHandler(context, secure));
    }

    /**
     * The HTTP/1.1 decoder, strict where Netty can be and each option set here rather than left to
     * Netty's defaults (which system properties can change): a bare LF ends no line, chunk sizes and
     * the CRLF after chunk data are checked, {@code Transfer-Encoding} in HTTP/1.0 or beside
     * {@code Content-Length} is an error, and header names and values are validated. Partial chunks
     * stay allowed: a large chunk streams through in pieces instead of being gathered.
     */
    static HttpDecoderConfig decoderConfig(int maxHeaderBytes) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(MAX_CHUNK)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false)
                .setValidateHeaders(true)
                .setAllowPartialChunks(true);
    }

    void addHttp2(Channel channel) {
        Http2FloodLimits flood = http2.flood();
        int resetWindowSeconds = (int) flood.resetWindow().toSeconds();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(http2.maxConcurrentStreams())
                        .initialWindowSize(http2.initialWindowSize())
                        .maxFrameSize(http2.maxFrameSize())
                        .maxHeaderListSize(context.limits().maxHeaderBytes()))
                .gracefulShutdownTimeoutMillis(context.shutdownGrace().toMillis())
                .validateHeaders(true)
                // Each over its limit is a connection error ENHANCE_YOUR_CALM: GOAWAY, then close.
                .decoderEnforceMaxRstFramesPerWindow(flood.maxResetsPerWindow(), resetWindowSeconds)
                .encoderEnforceMaxRstFramesPerWindow(flood.maxResetsPerWindow(), resetWindowSeconds)
                .encoderEnforceMaxQueuedControlFrames(flood.maxQueuedControlFrames())
                .decoderEnforceMaxConsecutiveEmptyDataFrames(flood.maxEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(flood.maxSmallContinuationFrames())
                .build();
        // Streams answered in the same loop turn (their upstream responses read together) go out in
        // one write instead of one each.
        channel.pipeline()
                .addLast("flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                .addLast("frame-rate", new Http2FrameRateGuard(flood, Ticker.systemTicker()))
                .addLast("h2", codec)
                .addLast("streams", new Http2MultiplexHandler(streams))
                .addLast("connection", new Http2ConnectionGuard(codec));
        // The connection's window starts at 64k whatever the streams' are: one stream whose upstream
        // is slow would hold all of it and stall every other stream. It gets room for every stream's
        // window instead; each stream is still bounded by its own.
        int connectionWindow = (int) Math.min(Integer.MAX_VALUE,
                (long) http2.maxConcurrentStreams() * http2.initialWindowSize());
        int extra = connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        if (extra > 0) {
            channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(extra), channel.voidPromise());
        }
        channel.config().setAutoRead(true);
    }
}
