package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ViaTest {

    private final Via via = Via.random();

    @Test
    void theEntryNamesTheProtocolTheRequestCameOver() {
        HttpHeaders headers = new DefaultHttpHeaders();
        via.append(headers, HttpVersion.HTTP_1_0, false);
        assertThat(headers.get("via")).isEqualTo("1.0 " + via.pseudonym());

        headers = new DefaultHttpHeaders().add("via", "1.1 cdn");
        via.append(headers, HttpVersion.HTTP_1_1, true);
        assertThat(headers.get("via")).isEqualTo("1.1 cdn, 2 " + via.pseudonym());
    }

    @Test
    void aRequestHasPassedWhenAnyViaFieldNamesThisGateway() {
        Via other = Via.random();
        HttpHeaders headers = new DefaultHttpHeaders().add("via", "1.1 cdn");
        other.append(headers, HttpVersion.HTTP_1_1, false);
        assertThat(via.hasPassed(headers)).as("through another gateway only").isFalse();

        headers.add("via", "1.1 lb, 1.1 " + via.pseudonym());
        assertThat(via.hasPassed(headers)).isTrue();
        assertThat(via.hasPassed(new DefaultHttpHeaders())).isFalse();
    }
}
