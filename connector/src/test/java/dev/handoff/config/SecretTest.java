package dev.handoff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.marketo.MarketoConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void secretNeverPrintsItsValue() {
        Secret s = Secret.of("hunter2-very-secret");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(String.valueOf(s)).isEqualTo("******");
        assertThat(s.reveal()).isEqualTo("hunter2-very-secret");
    }

    @Test
    void configRecordsDoNotRevealSecrets() {
        Settings settings = new Settings(Map.of("handoff.marketo.base-url", "https://123-ABC-456.mktorest.com",
                "handoff.marketo.client-id", "cid", "handoff.marketo.client-secret", "s3cr3t-value"));
        assertThat(MarketoConfig.from(settings).toString()).doesNotContain("s3cr3t-value").contains("cid");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        Settings settings = new Settings(Map.of("handoff.marketo.base-url", "https://x.mktorest.com"));
        assertThatThrownBy(() -> MarketoConfig.from(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("handoff.marketo.client-id");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        Settings s = new Settings(Map.of("a", "500ms", "b", "30s", "c", "5m", "d", "2h", "e", "PT6H", "f", "soon"));
        assertThat(s.duration("a", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("b", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.duration("c", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("d", null)).isEqualTo(Duration.ofHours(2));
        assertThat(s.duration("e", null)).isEqualTo(Duration.ofHours(6));
        assertThatThrownBy(() -> s.duration("f", null)).hasMessageContaining("f:").hasMessageContaining("soon");
    }

    @Test
    void outOfRangeNumberNamesKeyAndRange() {
        Settings s = new Settings(Map.of("handoff.salesforce.upsert-batch-size", "500"));
        assertThatThrownBy(() -> s.integer("handoff.salesforce.upsert-batch-size", 200, 1, 200))
                .hasMessage("handoff.salesforce.upsert-batch-size: 500 is outside 1..200");
    }
}
