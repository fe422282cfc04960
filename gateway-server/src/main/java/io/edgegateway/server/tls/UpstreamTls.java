package io.edgegateway.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS towards {@code https://} and {@code h2://} upstreams: TLS 1.2 and 1.3, chain and host name
 * verified; for {@code h2://} ALPN offers {@code h2} alone.
 */
public final class UpstreamTls {

    private UpstreamTls() {
    }

    /** Trusts the certificates of {@code trustFile}, or the JDK's default trust store without one. */
    public static SslContext clientContext(Optional<Path> trustFile) {
        return build(trustFile, false);
    }

    /** As {@link #clientContext}, offering {@code h2} by ALPN: HTTP/2 over TLS needs it (RFC 9113 §3.2). */
    public static SslContext http2ClientContext(Optional<Path> trustFile) {
        return build(trustFile, true);
    }

    private static SslContext build(Optional<Path> trustFile, boolean h2) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS");
            trustFile.ifPresent(file -> builder.trustManager(file.toFile()));
            if (h2) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("upstream.trust-file: cannot use " + trustFile.orElse(null) + ": " + e.getMessage(), e);
        }
    }
}
