package io.edgegateway.server.tls;

import io.edgegateway.config.TlsConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The listener's TLS: one {@link SslContext} per certificate of the configuration, chosen by the
 * server name the client sends (SNI), the default one otherwise. TLS 1.2 and 1.3 only, with the
 * cipher suites HTTP/2 allows; ALPN offers h2 (when HTTP/2 is on) before http/1.1. BoringSSL when it
 * loads, the JDK's engine otherwise.
 *
 * <p>Immutable: a reload builds a new one from the files, and connections already open keep the
 * context they were accepted with.
 */
public final class ServerTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Mapping<String, SslContext> byServerName;
    private final SslProvider provider;

    private ServerTls(Mapping<String, SslContext> byServerName, SslProvider provider) {
        this.byServerName = byServerName;
        this.provider = provider;
    }

    /** Reads and checks every certificate and key of {@code config}; throws naming the file that failed. */
    public static ServerTls load(TlsConfig config, boolean http2) {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        List<String> protocols = new ArrayList<>();
        if (http2) {
            protocols.add(ApplicationProtocolNames.HTTP_2);
        }
        protocols.add(ApplicationProtocolNames.HTTP_1_1);
        DomainWildcardMappingBuilder<SslContext> mapping =
                new DomainWildcardMappingBuilder<>(context(config.certFile(), config.keyFile(), provider, protocols));
        for (TlsConfig.SniCertificate certificate : config.sni()) {
            SslContext context = context(certificate.certFile(), certificate.keyFile(), provider, protocols);
            for (String host : certificate.hosts()) {
                mapping.add(host, context);
            }
        }
        return new ServerTls(mapping.build(), provider);
    }

    private static SslContext context(Path certFile, Path keyFile, SslProvider provider, List<String> protocols) {
        try {
            KeyPairFiles files = KeyPairFiles.read(certFile, keyFile);
            return SslContextBuilder.forServer(files.key(), files.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("listen.tls: cannot use certificate " + certFile + " with key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    /** A handler that reads the client's hello, picks the certificate and then becomes the TLS handler. */
    public SniHandler newHandler() {
        return new SniHandler(byServerName);
    }

    /** OPENSSL (BoringSSL) or JDK. */
    public String provider() {
        return provider.name();
    }
}
