package io.edgegateway.server.upstream.health;

import io.edgegateway.transport.IoUringCloseGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The checks of one instance, all on one event loop: one check at a time, the next one
 * {@code interval} after the previous one ended, so a slow instance is never probed twice at once.
 */
final class HealthCheckSchedule implements HealthChecker.Handle {

    private final Object target;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress address;
    private final String path;
    private final String host;
    private final String hostHeader;
    private final Optional<SslContext> tls;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final HealthCheckStreak streak;
    private final HealthChecker.Listener listener;
    private final Consumer<HealthCheckSchedule> onCancel;
    private volatile boolean healthy;
    private volatile boolean cancelled;
    /** The check under way, or the wait for the next one; touched on {@link #loop} only. */
    private Channel inFlight;
    private Future<?> next;

    HealthCheckSchedule(Object target, EventLoop loop, Class<? extends SocketChannel> channelType,
                        InetSocketAddress address, String host, Optional<SslContext> tls, String path,
                        Duration interval, Duration timeout, HealthCheckStreak streak,
                        HealthChecker.Listener listener, Consumer<HealthCheckSchedule> onCancel) {
        this.target = target;
        this.loop = loop;
        this.address = address;
        this.path = path;
        this.hostHeader = hostHeader(host, address.getPort(), tls.isPresent());
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.streak = streak;
        this.healthy = streak.healthy();
        this.listener = listener;
        this.onCancel = onCancel;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        this.host = host;
        this.tls = tls;
    }

    private ChannelInitializer<SocketChannel> pipeline(Promise<Boolean> result) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                IoUringCloseGuard.addTo(channel);
                tls.ifPresent(context -> channel.pipeline()
                        .addLast("tls", context.newHandler(channel.alloc(), host, address.getPort())));
                channel.pipeline()
                        .addLast("http", new HttpClientCodec())
                        .addLast("probe", new HealthCheckProbe(path, hostHeader, result));
            }
        };
    }

    /** {@code host}, with the port unless it is the scheme's default, as a client would send it. */
    private static String hostHeader(String host, int port, boolean tls) {
        return port == (tls ? 443 : 80) ? host : host + ":" + port;
    }

    void start() {
        loop.execute(this::check);
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        onCancel.accept(this);
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            if (inFlight != null) {
                inFlight.close();
            }
        });
    }

    private void check() {
        if (cancelled) {
            return;
        }
        Promise<Boolean> result = loop.newPromise();
        Future<?> deadline = loop.schedule(() -> result.trySuccess(false), timeoutNanos, TimeUnit.NANOSECONDS);
        ChannelFuture connect = bootstrap.clone().handler(pipeline(result)).connect(address);
        inFlight = connect.channel();
        connect.addListener(connected -> {
            if (!connected.isSuccess()) {
                result.trySuccess(false);
            }
        });
        result.addListener(done -> {
            deadline.cancel(false);
            connect.channel().close();
            inFlight = null;
            record(result.getNow());
        });
    }

    private void record(boolean good) {
        if (cancelled) {
            return;
        }
        if (streak.record(good)) {
            healthy = streak.healthy();
            listener.onHealthChanged(target, healthy);
        }
        next = loop.schedule(this::check, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "health check of " + target + " at " + address + path;
    }
}
