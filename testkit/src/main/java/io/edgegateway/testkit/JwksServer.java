package io.edgegateway.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An identity provider's JWKS endpoint for tests: the JDK's HTTPS server on a free loopback port
 * with a {@link TestCertificate}, serving whatever document (or status) the test sets now, counting
 * requests, and able to hold requests unanswered until released.
 */
public final class JwksServer implements AutoCloseable {

    public static final String PATH = "/.well-known/jwks.json";

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jwks-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String document = "{\"keys\":[]}";
    private volatile int status = 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private JwksServer(TestCertificate certificate) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificate)));
        server.createContext(PATH, this::answer);
        server.setExecutor(threads);
        server.start();
    }

    public static JwksServer start(TestCertificate certificate) {
        try {
            return new JwksServer(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Serves a JWKS of these keys from now on, with 200. */
    public JwksServer serve(SigningKey... keys) {
        return serve(SigningKey.jwks(keys));
    }

    /** Serves this text from now on, with 200. */
    public JwksServer serve(String text) {
        document = text;
        status = 200;
        return this;
    }

    /** Answers {@code code} with an empty body from now on. */
    public JwksServer fail(int code) {
        status = code;
        return this;
    }

    /** Requests from now on wait, unanswered, until {@link #release}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** Requests received so far, answered or held. */
    public int requests() {
        return requests.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            hold.await(60, TimeUnit.SECONDS);
            byte[] body = status == 200 ? document.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and closes every connection: the endpoint is down. */
    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private static SSLContext serverContext(TestCertificate certificate) {
        try {
            String pem = Files.readString(certificate.keyFile(), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "test".toCharArray();
            store.setKeyEntry("server", key, password, new Certificate[] {certificate.certificate()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
