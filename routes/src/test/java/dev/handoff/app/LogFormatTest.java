package dev.handoff.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void jsonInAnyCaseIsJsonAndAnythingElseIsText() {
        assertThat(LogFormat.of("json")).isEqualTo("json");
        assertThat(LogFormat.of(" JSON ")).isEqualTo("json");
        assertThat(LogFormat.of(null)).isEqualTo("text");
        assertThat(LogFormat.of("")).isEqualTo("text");
        assertThat(LogFormat.of("Text")).isEqualTo("text");
        assertThat(LogFormat.of("yaml")).as("a typo must not silence the logs").isEqualTo("text");
    }
}
