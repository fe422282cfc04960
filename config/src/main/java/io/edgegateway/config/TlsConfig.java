package io.edgegateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code gateway.listen.tls}: the certificate served by default and, by server name (SNI), others.
 * Files are PEM; they are read again on every reload, so replacing them and reloading swaps the
 * certificates for new connections.
 */
public record TlsConfig(Path certFile, Path keyFile, List<SniCertificate> sni) {

    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        sni = List.copyOf(sni);
    }

    /**
     * A certificate for some server names.
     *
     * @param hosts names as clients send them ({@code api.example.com}), or {@code *.example.com}
     *     for any one label in front of {@code example.com}
     */
    public record SniCertificate(List<String> hosts, Path certFile, Path keyFile) {

        public SniCertificate {
            hosts = List.copyOf(hosts);
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }
}
