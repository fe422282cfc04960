package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwksConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.edgegateway.testkit.JwksServer;
import io.edgegateway.testkit.RefusingPort;
import io.edgegateway.testkit.SigningKey;
import io.edgegateway.testkit.TestCertificate;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.prometheus.client.Counter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys from a JWKS served by a real HTTPS server: rotation, unknown kids (a fetch at most once per
 * min-refresh, on a clock moved by hand), the endpoint failing or down (the last good set kept),
 * and nothing fetched yet. A client-ip source follows the jwt one, so a wrong fall-through shows.
 */
class JwksVerificationTest {

    private static final long NOW = 1_700_000_000L;
    private static final String SECRET = "s3cret";
    private static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    private static final SigningKey RSA_1 = SigningKey.rsa("rsa-1");
    private static final SigningKey RSA_2 = SigningKey.rsa("rsa-2");
    private static final SigningKey EC_1 = SigningKey.ec("ec-1");
    private static final Identified ALICE = new Identified("alice", "jwt");

    @TempDir
    static Path dir;
    private static TestCertificate certificate;

    private final AtomicLong nanos = new AtomicLong();
    private final Counter refreshes = Counter.build().name("gateway_jwks_refresh_total").help("fetches").labelNames("result").create();
    private JwksServer server;
    private JwksRegistry registry;

    @BeforeAll
    static void makeCertificate() {
        certificate = TestCertificate.create(dir, "idp", "localhost");
    }

    @BeforeEach
    void start() {
        server = JwksServer.start(certificate);
        registry = new JwksRegistry(refreshes, nanos::get);
    }

    @AfterEach
    void stop() {
        registry.close();
        server.close();
    }

    private JwksConfig jwks(URI url, Duration timeout) {
        return new JwksConfig(url, Optional.of(certificate.certFile()), Duration.ofMinutes(10), MIN_REFRESH, timeout);
    }

    private JwksConfig jwks() {
        return jwks(server.url(), Duration.ofSeconds(5));
    }

    private IdentityResolver resolver(JwksConfig jwks) {
        JwtIdentity source = new JwtIdentity("Authorization", "sub", Optional.of(SECRET), Optional.empty(), Optional.of(jwks),
                Optional.empty(), List.of(), JwtIdentity.DEFAULT_CLOCK_SKEW);
        return new IdentityResolver(new IdentityConfig(List.of(source, new ClientIpIdentity(List.of()))), registry,
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    /** A resolver whose first fetch is done. */
    private IdentityResolver started(JwksConfig jwks) throws Exception {
        IdentityResolver resolver = resolver(jwks);
        registry.firstFetches().get(30, TimeUnit.SECONDS);
        return resolver;
    }

    private static IdentityResult resolve(IdentityResolver resolver, String token) {
        return resolver.resolve(new DefaultHttpHeaders().add("Authorization", "Bearer " + token), "198.51.100.7");
    }

    private static String alice(SigningKey key) {
        return key.sign("{\"sub\":\"alice\"}");
    }

    private double fetches(String result) {
        return refreshes.labels(result).get();
    }

    @Test
    void tokensSignedWithAPublishedRsaOrP256KeyAreAccepted() throws Exception {
        server.serve(RSA_1, EC_1);
        IdentityResolver resolver = started(jwks());

        assertThat(resolve(resolver, alice(RSA_1))).isEqualTo(ALICE);
        assertThat(resolve(resolver, alice(EC_1))).isEqualTo(ALICE);
        assertThat(resolve(resolver, TokenSigner.hs256(SECRET, "{\"sub\":\"alice\"}"))).as("the secret still counts").isEqualTo(ALICE);
        assertThat(fetches("ok")).isEqualTo(1);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void theAlgorithmMustBeTheKeysAndTheSignatureItsOwn() throws Exception {
        server.serve(RSA_1, EC_1);
        IdentityResolver resolver = started(jwks());
        SigningKey impostor = SigningKey.rsa("rsa-1");

        assertThat(resolve(resolver, EC_1.sign("{\"alg\":\"ES256\",\"kid\":\"rsa-1\"}", "{\"sub\":\"alice\"}")))
                .isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
        assertThat(resolve(resolver, alice(impostor))).isEqualTo(InvalidToken.BAD_SIGNATURE);
        assertThat(resolve(resolver, TokenSigner.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", "{\"sub\":\"alice\"}")))
                .isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
        assertThat(resolve(resolver, RSA_1.sign("{\"alg\":\"RS256\",\"kid\":1}", "{\"sub\":\"alice\"}"))).isEqualTo(InvalidToken.MALFORMED);
        assertThat(resolve(resolver, RSA_1.sign("{\"alg\":\"RS256\"}", "{\"sub\":\"alice\"}")))
                .as("no kid: the set's one RS256 key").isEqualTo(ALICE);
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenFirstNamesIt() throws Exception {
        server.serve(RSA_1);
        IdentityResolver resolver = started(jwks());
        server.serve(RSA_2);
        nanos.addAndGet(MIN_REFRESH.toNanos());

        assertThat(resolve(resolver, alice(RSA_2))).as("answered with the keys at hand, not after a fetch")
                .isEqualTo(InvalidToken.UNKNOWN_KEY);
        await().atMost(Duration.ofSeconds(30)).until(() -> resolve(resolver, alice(RSA_2)).equals(ALICE));

        assertThat(resolve(resolver, alice(RSA_1))).as("rotated out").isEqualTo(InvalidToken.UNKNOWN_KEY);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(fetches("ok")).isEqualTo(2);
    }

    @Test
    void unknownKidsAskForAFetchAtMostOncePerMinRefresh() throws Exception {
        server.serve(RSA_1);
        IdentityResolver resolver = started(jwks());
        JwksCache cache = registry.cacheFor(jwks());
        String unknown = SigningKey.rsa("nobody").sign("{\"sub\":\"mallory\"}");

        assertThat(resolve(resolver, unknown)).isEqualTo(InvalidToken.UNKNOWN_KEY);
        assertThat(cache.unknownKeyFetches()).as("within min-refresh of the first fetch").isZero();

        nanos.addAndGet(MIN_REFRESH.toNanos());
        for (int i = 0; i < 10; i++) {
            assertThat(resolve(resolver, unknown)).isEqualTo(InvalidToken.UNKNOWN_KEY);
        }
        assertThat(cache.unknownKeyFetches()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("ok") == 2);

        nanos.addAndGet(MIN_REFRESH.toNanos() - 1);
        resolve(resolver, unknown);
        assertThat(cache.unknownKeyFetches()).isEqualTo(1);
        nanos.addAndGet(1);
        resolve(resolver, unknown);
        assertThat(cache.unknownKeyFetches()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("ok") == 3);
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void whenTheEndpointFailsOrIsDownTheLastGoodSetIsKept() throws Exception {
        server.serve(RSA_1);
        IdentityResolver resolver = started(jwks());
        String unknown = alice(RSA_2);

        server.fail(503);
        nanos.addAndGet(MIN_REFRESH.toNanos());
        resolve(resolver, unknown);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("error") == 1);
        assertThat(resolve(resolver, alice(RSA_1))).isEqualTo(ALICE);

        server.serve("{\"keys\":[]}");
        nanos.addAndGet(MIN_REFRESH.toNanos());
        resolve(resolver, unknown);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("error") == 2);
        assertThat(resolve(resolver, alice(RSA_1))).as("a bad document changes nothing").isEqualTo(ALICE);

        server.close();
        nanos.addAndGet(MIN_REFRESH.toNanos());
        resolve(resolver, unknown);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("error") == 3);
        assertThat(resolve(resolver, alice(RSA_1))).isEqualTo(ALICE);
        assertThat(fetches("ok")).isEqualTo(1);
    }

    @Test
    void withNothingFetchedEveryJwksTokenIsRejectedNotPassedOn() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            IdentityResolver resolver = started(jwks(URI.create("https://127.0.0.1:" + refusing.port() + JwksServer.PATH), Duration.ofSeconds(5)));

            assertThat(fetches("error")).isEqualTo(1);
            assertThat(resolve(resolver, alice(RSA_1))).as("401, never the client-ip fallback").isEqualTo(InvalidToken.UNKNOWN_KEY);
            assertThat(resolve(resolver, TokenSigner.hs256(SECRET, "{\"sub\":\"alice\"}"))).isEqualTo(ALICE);
            assertThat(resolver.resolve(new DefaultHttpHeaders(), "198.51.100.7"))
                    .as("no token: the next source").isEqualTo(new Identified("198.51.100.7", "client-ip"));
        }
    }

    @Test
    void aServerTheTrustFileDoesNotVouchForIsNotBelieved() throws Exception {
        server.serve(RSA_1);
        IdentityResolver resolver = started(new JwksConfig(server.url(), Optional.empty(), Duration.ofMinutes(10), MIN_REFRESH,
                Duration.ofSeconds(5)));

        assertThat(fetches("error")).isEqualTo(1);
        assertThat(resolve(resolver, alice(RSA_1))).isEqualTo(InvalidToken.UNKNOWN_KEY);
    }

    @Test
    void aFetchThatNeverAnswersEndsAtTheTimeoutAndRequestsNeverWaitForIt() throws Exception {
        server.serve(RSA_1);
        server.hold();
        IdentityResolver resolver = resolver(jwks(server.url(), Duration.ofMillis(500)));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests() == 1);

        assertThat(resolve(resolver, alice(RSA_1))).as("while the fetch hangs").isEqualTo(InvalidToken.UNKNOWN_KEY);
        registry.firstFetches().get(30, TimeUnit.SECONDS);
        assertThat(fetches("error")).isEqualTo(1);
        server.release();
    }

    @Test
    void anOversizedDocumentIsRefused() throws Exception {
        server.serve("{\"padding\":\"" + "x".repeat(JwksFetcher.MAX_BYTES) + "\"," + SigningKey.jwks(RSA_1).substring(1));
        IdentityResolver resolver = started(jwks());

        assertThat(fetches("error")).isEqualTo(1);
        assertThat(resolve(resolver, alice(RSA_1))).isEqualTo(InvalidToken.UNKNOWN_KEY);
    }

    @Test
    void aReloadNamingTheSameJwksKeepsItsKeysAndOneNamingNoneStopsIt() throws Exception {
        server.serve(RSA_1);
        started(jwks());
        IdentityResolver reloaded = started(jwks());

        assertThat(resolve(reloaded, alice(RSA_1))).isEqualTo(ALICE);
        assertThat(server.requests()).as("kept, not fetched again").isEqualTo(1);

        JwksCache kept = registry.cacheFor(jwks());
        registry.retainOnly(new IdentityConfig(List.of(new ClientIpIdentity(List.of()))));
        assertThat(registry.cacheFor(jwks())).as("a new one: the old was let go").isNotSameAs(kept);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests() == 2);
    }

    @Test
    void newCertificatesInTheTrustFileTakeANewCacheOnReload() throws Exception {
        Path trust = dir.resolve("trust.crt");
        Files.copy(certificate.certFile(), trust, StandardCopyOption.REPLACE_EXISTING);
        JwksConfig config = new JwksConfig(server.url(), Optional.of(trust), Duration.ofMinutes(10), MIN_REFRESH, Duration.ofSeconds(5));
        server.serve(RSA_1);
        started(config);
        JwksCache before = registry.cacheFor(config);

        Files.writeString(trust, Files.readString(certificate.certFile()) + "\n");
        assertThat(registry.cacheFor(config)).isNotSameAs(before);
    }

    @Test
    void theSetIsFetchedAgainEveryRefresh() throws Exception {
        server.serve(RSA_1);
        IdentityResolver resolver = started(new JwksConfig(server.url(), Optional.of(certificate.certFile()),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        server.serve(RSA_2);

        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("ok") >= 2);
        assertThat(resolve(resolver, alice(RSA_2))).isEqualTo(ALICE);
    }
}
