package io.edgegateway.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.PathParameterPolicy;
import io.edgegateway.config.PathsConfig;
import io.edgegateway.config.SeparatorPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy table of path normalisation; {@code 400} stands for a refused path. */
class PathNormalizerTest {

    private static final String REFUSED = "400";

    private static String normalize(PathsConfig paths, String path) {
        String normal = new PathNormalizer(paths).normalize(path);
        return normal == null ? REFUSED : normal;
    }

    private static PathsConfig with(SeparatorPolicy escapedSlash, SeparatorPolicy backslash,
            PathParameterPolicy parameters, boolean mergeSlashes) {
        return new PathsConfig(escapedSlash, backslash, parameters, mergeSlashes, false);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                        | /
            /a/b                     | /a/b
            /a/b/                    | /a/b/
            /.well-known/x           | /.well-known/x
            /a/.../b                 | /a/.../b
            /a/..b/c.                | /a/..b/c.
            /%7Euser/%41%62%2d%5f%2E | /~user/Ab-_.
            /a%3a%2cb%3F%25          | /a%3A%2Cb%3F%25
            /a%3bb                   | /a%3Bb
            /a/./b                   | /a/b
            /a/../b                  | /b
            /a/b/..                  | /a/
            /a/b/.                   | /a/b/
            /a/.                     | /a/
            /.                       | /
            /a/..                    | /
            /a/b/../../c             | /c
            /a/%2e%2E/b              | /b
            /a/.%2e/b                | /b
            /a/%2e/b                 | /a/b
            /%2e%2e%2e               | /...
            //a//b//                 | /a/b/
            //                       | /
            /a//../b                 | /b
            /..                      | 400
            /a/../..                 | 400
            /%2e%2e/a                | 400
            /pub/..%2fadmin          | 400
            /pub/%2e%2e%2fadmin      | 400
            /pub/..;/admin           | 400
            /limited;a=b/x           | 400
            /limited%2fx             | 400
            /limited%2Fx             | 400
            /pub/..%5cadmin          | 400
            /a%5Cb                   | 400
            /a%zz                    | 400
            /a%4                     | 400
            /a%                      | 400
            /a%%41                   | 400
            /%6cimited/x             | /limited/x
            /%6Cimited/x             | /limited/x
            """)
    void theDefaultPolicy(String path, String expected) {
        assertThat(normalize(PathsConfig.DEFAULTS, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/pub/..\\admin", "/a\\b", "/a b", "/a\tb", "/a\u0000b", "/a\u007fb", "/a\u0100", "", "a/b", "*"})
    void refusesBackslashesControlCharactersAndWhatIsNoPath(String path) {
        assertThat(normalize(PathsConfig.DEFAULTS, path)).isEqualTo(REFUSED);
    }

    @Test
    void rawBytesAbove0x7FArePercentEncodedAsTheEscapesOfTheSameBytes() {
        String rawUtf8 = "/caf\u00c3\u00a9";
        assertThat(normalize(PathsConfig.DEFAULTS, rawUtf8)).isEqualTo("/caf%C3%A9");
        assertThat(normalize(PathsConfig.DEFAULTS, "/caf%c3%a9")).isEqualTo("/caf%C3%A9");
        assertThat(normalize(PathsConfig.DEFAULTS, "/caf%C3%A9")).isEqualTo("/caf%C3%A9");
        // An escaped byte above 0x7F is never an unreserved character, however it is spelled.
        assertThat(normalize(PathsConfig.DEFAULTS, "/%C5%AE%2E")).isEqualTo("/%C5%AE.");
        assertThat(normalize(PathsConfig.DEFAULTS, "/\u00ae%ae")).isEqualTo("/%AE%AE");
    }

    @Test
    void aPathAlreadyInNormalFormIsTheSameString() {
        String path = "/api/users/42/.hidden/a.b";
        assertThat(PathNormalizer.DEFAULT.normalize(path)).isSameAs(path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /pub/..%2fadmin       | 400
            /pub/%2e%2e%2fadmin   | 400
            /a%2F..               | 400
            /a%2F.%2Fb            | 400
            /a%2fb                | /a%2Fb
            /a%2F%2Fb/../c        | /c
            /limited%2Fx          | /limited%2Fx
            """)
    void escapedSlashKept(String path, String expected) {
        PathsConfig keep = with(SeparatorPolicy.KEEP, SeparatorPolicy.REJECT, PathParameterPolicy.REJECT, true);
        assertThat(normalize(keep, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /pub/..%2fadmin       | /admin
            /pub/%2e%2e%2fadmin   | /admin
            /limited%2fx          | /limited/x
            /a%2F%2Fb             | /a/b
            /%2F..                | 400
            """)
    void escapedSlashDecoded(String path, String expected) {
        PathsConfig decode = with(SeparatorPolicy.DECODE, SeparatorPolicy.REJECT, PathParameterPolicy.REJECT, true);
        assertThat(normalize(decode, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /pub/..\\admin        | 400
            /pub/..%5cadmin       | 400
            /a\\b                 | /a\\b
            /a%5cb                | /a%5Cb
            /a\\.\\b              | 400
            """)
    void backslashKept(String path, String expected) {
        PathsConfig keep = with(SeparatorPolicy.REJECT, SeparatorPolicy.KEEP, PathParameterPolicy.REJECT, true);
        assertThat(normalize(keep, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /pub/..\\admin        | /admin
            /pub/..%5cadmin       | /admin
            /a\\b                 | /a/b
            /a\\\\b               | /a/b
            """)
    void backslashDecoded(String path, String expected) {
        PathsConfig decode = with(SeparatorPolicy.REJECT, SeparatorPolicy.DECODE, PathParameterPolicy.REJECT, true);
        assertThat(normalize(decode, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /limited;a=b/x        | /limited/x
            /pub/..;/admin        | /admin
            /a;jsessionid=1       | /a
            /a;x/b;y=%zz          | /a/b
            /;x/a                 | /a
            /a/b;c/../d           | /a/d
            """)
    void pathParametersStripped(String path, String expected) {
        PathsConfig strip = with(SeparatorPolicy.REJECT, SeparatorPolicy.REJECT, PathParameterPolicy.STRIP, true);
        assertThat(normalize(strip, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /limited;a=b/x        | /limited;a=b/x
            /a;jsessionid=1       | /a;jsessionid=1
            /pub/..;/admin        | 400
            /pub/.;x/admin        | 400
            /a;..                 | 400
            /a;x/../b             | /b
            """)
    void pathParametersKept(String path, String expected) {
        PathsConfig keep = with(SeparatorPolicy.REJECT, SeparatorPolicy.REJECT, PathParameterPolicy.KEEP, true);
        assertThat(normalize(keep, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            //limited/x           | //limited/x
            /a//b/                | /a//b/
            /a//../b              | /a/b
            //..                  | /
            /a/./../b             | /b
            """)
    void slashesNotMerged(String path, String expected) {
        PathsConfig keepSlashes = with(SeparatorPolicy.REJECT, SeparatorPolicy.REJECT, PathParameterPolicy.REJECT, false);
        assertThat(normalize(keepSlashes, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/b", "/a%2fb", "/a\\b", "/a;b/c", "/%7e/./x/../y", "//a//", "/caf\u00c3\u00a9",
            "/a%2F..b", "/x/%2e%2e/y"})
    void normalisingTwiceChangesNothing(String path) {
        for (SeparatorPolicy separators : SeparatorPolicy.values()) {
            for (PathParameterPolicy parameters : PathParameterPolicy.values()) {
                for (boolean merge : new boolean[] {true, false}) {
                    PathNormalizer normalizer = new PathNormalizer(with(separators, separators, parameters, merge));
                    String once = normalizer.normalize(path);
                    if (once != null) {
                        assertThat(normalizer.normalize(once)).as("%s %s %s %s", path, separators, parameters, merge)
                                .isEqualTo(once);
                    }
                }
            }
        }
    }
}
