package io.edgegateway.filters.shed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PriorityTest {

    @Test
    void readsTheHeaderCaseInsensitively() {
        assertThat(Priority.fromHeader("low")).isEqualTo(Priority.LOW);
        assertThat(Priority.fromHeader("HIGH")).isEqualTo(Priority.HIGH);
        assertThat(Priority.fromHeader("Normal")).isEqualTo(Priority.NORMAL);
    }

    @Test
    void absentOrUnknownIsNormal() {
        assertThat(Priority.fromHeader(null)).isEqualTo(Priority.NORMAL);
        assertThat(Priority.fromHeader("")).isEqualTo(Priority.NORMAL);
        assertThat(Priority.fromHeader("urgent")).isEqualTo(Priority.NORMAL);
        assertThat(Priority.HEADER).isEqualTo("X-Priority");
    }
}
