package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.transport.Transport;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionEvents;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.BootstrapConfig;
import io.netty.channel.ChannelOption;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Lettuce clients whose sockets are of the transport of the loops they run on. Lettuce picks a
 * socket type by its own rule (epoll before io_uring, for the whole JVM), and a channel registers
 * only on a loop of its own transport: each connection's bootstrap, once Lettuce has configured it,
 * is remade with the loops' socket type and name resolver (Netty's bootstrap takes a channel type
 * only once).
 */
final class LoopTransportClients {

    private LoopTransportClients() {
    }

    static RedisClient standalone(ClientResources resources, Transport transport, AddressResolverGroup<?> resolver) {
        return new RedisClient(resources, new RedisURI()) {
            @Override
            protected void connectionBuilder(Mono<SocketAddress> address, ConnectionBuilder builder,
                    ConnectionEvents events, RedisURI uri) {
                super.connectionBuilder(address, builder, events, uri);
                builder.bootstrap(remade(builder.bootstrap(), transport, resolver));
            }
        };
    }

    static RedisClusterClient cluster(ClientResources resources, Iterable<RedisURI> seeds, Transport transport,
            AddressResolverGroup<?> resolver) {
        return new RedisClusterClient(resources, seeds) {
            @Override
            protected void connectionBuilder(Mono<SocketAddress> address, ConnectionBuilder builder,
                    ConnectionEvents events, RedisURI uri) {
                super.connectionBuilder(address, builder, events, uri);
                builder.bootstrap(remade(builder.bootstrap(), transport, resolver));
            }
        };
    }

    /** {@code configured}'s loop, options and attributes, with the transport's socket type and resolver. */
    @SuppressWarnings("unchecked")
    private static Bootstrap remade(Bootstrap configured, Transport transport, AddressResolverGroup<?> resolver) {
        BootstrapConfig config = configured.config();
        Bootstrap bootstrap = new Bootstrap().group(config.group()).channel(transport.channelType()).resolver(resolver);
        for (Map.Entry<ChannelOption<?>, Object> option : config.options().entrySet()) {
            bootstrap.option((ChannelOption<Object>) option.getKey(), option.getValue());
        }
        for (Map.Entry<AttributeKey<?>, Object> attribute : config.attrs().entrySet()) {
            bootstrap.attr((AttributeKey<Object>) attribute.getKey(), attribute.getValue());
        }
        if (config.handler() != null) {
            bootstrap.handler(config.handler());
        }
        return bootstrap;
    }
}
