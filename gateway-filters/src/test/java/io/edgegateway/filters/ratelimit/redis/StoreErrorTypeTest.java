package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which {@code error_type} a store failure is counted under. */
class StoreErrorTypeTest {

    @Test
    void aClusterThatIsDownCountsAsUnreachableNotAsAScriptError() {
        assertThat(StoreErrorType.of(new CompletionException(
                new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")))).isEqualTo(StoreErrorType.CONNECTION);
        assertThat(StoreErrorType.of(new RedisCommandExecutionException(
                "ERR user_script:3: attempt to compare nil with number"))).isEqualTo(StoreErrorType.SCRIPT);
    }

    @Test
    void timeoutsRejectionsAndADemotedPrimary() {
        assertThat(StoreErrorType.of(new RedisCommandTimeoutException("Command timed out"))).isEqualTo(StoreErrorType.TIMEOUT);
        assertThat(StoreErrorType.of(new RedisException("Currently not connected. Commands are rejected.")))
                .isEqualTo(StoreErrorType.CONNECTION);
        assertThat(StoreErrorType.of(new RedisReadOnlyException("READONLY You can't write against a read only replica.")))
                .isEqualTo(StoreErrorType.CONNECTION);
    }
}
