package io.edgegateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code gateway.listen}: address, TLS and HTTP/2. */
final class ListenConfigReader {

    private static final String POSITIVE = "an integer > 0";
    private static final String RESET_WINDOW = "a whole number of seconds >= 1s";
    private static final String HOST_NAME = "a server name such as api.example.com or *.example.com";
    private static final Pattern SERVER_NAME =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private ListenConfigReader() {
    }

    static Optional<ListenConfig> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("host", "port", "tls", "http2"));
        r.require("host", "a host name or address");
        r.require("port", "a port number");
        r.require("http2", "an object { ... }");
        Optional<String> host = r.nonEmptyString("host", "a host name or address");
        Optional<Integer> port = r.intValue("port", 0, 65535);
        Optional<Optional<TlsConfig>> tls = r.has("tls")
                ? r.object("tls").flatMap(ListenConfigReader::tls).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Http2Config> http2 = r.object("http2").flatMap(ListenConfigReader::http2);
        return r.build(() -> new ListenConfig(host.orElseThrow(), port.orElseThrow(), tls.orElseThrow(), http2.orElseThrow()));
    }

    private static Optional<TlsConfig> tls(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("cert-file", "key-file", "sni"));
        r.require("cert-file", PemFileReader.CERTIFICATES);
        r.require("key-file", PemFileReader.PRIVATE_KEY);
        Optional<Path> certFile = r.value("cert-file").flatMap(PemFileReader::certificates);
        Optional<Path> keyFile = r.value("key-file").flatMap(PemFileReader::privateKey);
        Optional<List<TlsConfig.SniCertificate>> sni = r.has("sni")
                ? r.value("sni").flatMap(v -> v.listOf("a list of { hosts, cert-file, key-file }", ListenConfigReader::sniCertificate))
                : Optional.of(List.of());
        return r.build(() -> new TlsConfig(certFile.orElseThrow(), keyFile.orElseThrow(), sni.orElseThrow()));
    }

    private static Optional<TlsConfig.SniCertificate> sniCertificate(ConfigValueReader v) {
        return v.object().flatMap(r -> {
            r.rejectUnknownKeys(Set.of("hosts", "cert-file", "key-file"));
            r.require("hosts", "a list of server names");
            r.require("cert-file", PemFileReader.CERTIFICATES);
            r.require("key-file", PemFileReader.PRIVATE_KEY);
            Optional<List<String>> hosts = r.value("hosts").flatMap(h -> h.nonEmptyListOf("a list of server names",
                    name -> name.nonEmptyString(HOST_NAME).filter(s -> name.check(SERVER_NAME.matcher(s).matches(), HOST_NAME))));
            Optional<Path> certFile = r.value("cert-file").flatMap(PemFileReader::certificates);
            Optional<Path> keyFile = r.value("key-file").flatMap(PemFileReader::privateKey);
            return r.build(() -> new TlsConfig.SniCertificate(hosts.orElseThrow(), certFile.orElseThrow(), keyFile.orElseThrow()));
        });
    }

    private static Optional<Http2Config> http2(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("enabled", "max-concurrent-streams", "initial-window-size", "max-frame-size",
                "max-resets-per-window", "reset-window", "max-control-frames-per-second", "max-settings-per-second",
                "max-queued-control-frames", "max-empty-data-frames", "max-small-continuation-frames"));
        r.require("enabled", "true or false");
        r.require("max-concurrent-streams", POSITIVE);
        r.require("initial-window-size", ConfigValueReader.SIZE);
        r.require("max-frame-size", ConfigValueReader.SIZE);
        Optional<Boolean> enabled = r.bool("enabled");
        Optional<Integer> streams = positive(r, "max-concurrent-streams");
        Optional<Long> window = r.bytes("initial-window-size", 1, Http2Config.MAX_WINDOW_SIZE);
        Optional<Long> frame = r.bytes("max-frame-size", Http2Config.MIN_FRAME_SIZE, Http2Config.MAX_FRAME_SIZE);
        Optional<Http2FloodLimits> flood = floodLimits(r);
        return r.build(() -> new Http2Config(enabled.orElseThrow(), streams.orElseThrow(), window.orElseThrow().intValue(),
                frame.orElseThrow().intValue(), flood.orElseThrow()));
    }

    private static Optional<Http2FloodLimits> floodLimits(ConfigReader r) {
        for (String key : List.of("max-resets-per-window", "max-control-frames-per-second", "max-settings-per-second",
                "max-queued-control-frames", "max-empty-data-frames", "max-small-continuation-frames")) {
            r.require(key, POSITIVE);
        }
        r.require("reset-window", RESET_WINDOW);
        Optional<Integer> resets = positive(r, "max-resets-per-window");
        Optional<Duration> resetWindow = r.value("reset-window").flatMap(v -> v.duration(Duration.ofSeconds(1), RESET_WINDOW)
                .filter(d -> v.check(d.toNanosPart() == 0 && d.toSeconds() <= Integer.MAX_VALUE, RESET_WINDOW)));
        Optional<Integer> control = positive(r, "max-control-frames-per-second");
        Optional<Integer> settings = positive(r, "max-settings-per-second");
        Optional<Integer> queued = positive(r, "max-queued-control-frames");
        Optional<Integer> empty = positive(r, "max-empty-data-frames");
        Optional<Integer> continuations = positive(r, "max-small-continuation-frames");
        return r.build(() -> new Http2FloodLimits(resets.orElseThrow(), resetWindow.orElseThrow(), control.orElseThrow(),
                settings.orElseThrow(), queued.orElseThrow(), empty.orElseThrow(), continuations.orElseThrow()));
    }

    private static Optional<Integer> positive(ConfigReader r, String key) {
        return r.intValue(key, 1, Integer.MAX_VALUE);
    }
}
