package io.edgegateway.filters.identity;

import io.edgegateway.config.JwksConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GETs one JWKS document with the JDK's HTTP client, asynchronously on the given executor (never
 * an event loop): bounded in time by {@code jwks-timeout}, connect to last byte, and in size by
 * {@link #MAX_BYTES}; the server verified against {@code jwks-trust-file} or the JDK's trust store.
 * Anything but 200 fails, a redirect included. There is nothing to close: the client's selector
 * thread ends once the client is no longer referenced.
 */
final class JwksFetcher {

    /** Far above any real key set (a few KiB), far below what would hurt the heap. */
    static final int MAX_BYTES = 512 * 1024;

    private final HttpClient client;
    private final HttpRequest request;
    private final long timeoutMillis;

    /** @throws IllegalArgumentException when the trust file cannot be read as certificates */
    JwksFetcher(JwksConfig config, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        config.trustFile().ifPresent(file -> builder.sslContext(trusting(file)));
        this.client = builder.build();
        this.request = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Accept", "application/jwk-set+json, application/json")
                .GET()
                .build();
        this.timeoutMillis = config.timeout().toMillis();
    }

    /** The document's text, or a failure saying what went wrong. */
    CompletableFuture<String> fetch() {
        return client.sendAsync(request, info -> new CappedBody(MAX_BYTES))
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("status " + response.statusCode());
                    }
                    return new String(response.body(), StandardCharsets.UTF_8);
                });
    }

    private static SSLContext trusting(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("jwks-trusted-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("jwks-trust-file " + file + ": " + e.getMessage(), e);
        }
    }
}
