package io.edgegateway.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** TLS towards {@code https://} upstreams: TLS 1.2 and 1.3, chain and host name verified. */
public final class UpstreamTls {

    private UpstreamTls() {
    }

    /** Trusts the certificates of {@code trustFile}, or the JDK's default trust store without one. */
    public static SslContext clientContext(Optional<Path> trustFile) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS");
            trustFile.ifPresent(file -> builder.trustManager(file.toFile()));
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("upstream.trust-file: cannot use " + trustFile.orElse(null) + ": " + e.getMessage(), e);
        }
    }
}
