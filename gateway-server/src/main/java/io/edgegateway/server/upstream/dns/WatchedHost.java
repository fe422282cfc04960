package io.edgegateway.server.upstream.dns;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One watched host name: at most one lookup under way, its result applied on the resolver's loop,
 * the listener told only when the addresses change. A failed lookup keeps the last addresses: a
 * DNS outage must not empty a cluster that was serving.
 */
final class WatchedHost implements DnsWatch.Watch {

    private static final System.Logger LOG = System.getLogger(DnsWatch.class.getName());

    private final String host;
    private final DnsWatch.Listener listener;
    private final EventLoop loop;
    private final Function<String, CompletableFuture<List<InetAddress>>> lookup;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final Consumer<WatchedHost> onCancel;
    private volatile List<InetAddress> current = List.of();
    private volatile boolean cancelled;
    /** Whether the last lookup failed, so a long outage is logged once, not at every refresh. */
    private boolean failing;

    WatchedHost(String host, DnsWatch.Listener listener, EventLoop loop,
                Function<String, CompletableFuture<List<InetAddress>>> lookup, Consumer<WatchedHost> onCancel) {
        this.host = host;
        this.listener = listener;
        this.loop = loop;
        this.lookup = lookup;
        this.onCancel = onCancel;
    }

    /** Looks the host up again unless the previous lookup is still under way. */
    void refresh() {
        if (cancelled || !inFlight.compareAndSet(false, true)) {
            return;
        }
        lookup.apply(host).whenComplete((addresses, failure) -> {
            if (loop.inEventLoop()) {
                apply(addresses, failure);
            } else {
                loop.execute(() -> apply(addresses, failure));
            }
        });
    }

    private void apply(List<InetAddress> addresses, Throwable failure) {
        inFlight.set(false);
        if (cancelled) {
            return;
        }
        if (failure != null) {
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, "lookup of upstream host {0} failed, keeping {1}: {2}",
                        host, current, failure.toString());
            }
            failing = true;
            listener.onLookupFailed(host, failure);
            return;
        }
        failing = false;
        if (!addresses.equals(current)) {
            current = addresses;
            listener.onAddresses(host, addresses);
        }
    }

    @Override
    public List<InetAddress> current() {
        return current;
    }

    @Override
    public void cancel() {
        cancelled = true;
        onCancel.accept(this);
    }
}
