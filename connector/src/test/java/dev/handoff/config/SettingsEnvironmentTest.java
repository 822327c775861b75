package dev.handoff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsEnvironmentTest {

    @Test
    void theEnvironmentNameIsTheKeyUpperCasedWithDotsAndDashesAsUnderscores() {
        assertThat(Settings.environmentName("handoff.ledger.url")).isEqualTo("HANDOFF_LEDGER_URL");
        assertThat(Settings.environmentName("handoff.retry.initial-delay")).isEqualTo("HANDOFF_RETRY_INITIAL_DELAY");
        assertThat(Settings.environmentName("handoff.webhook.secret.generic")).isEqualTo("HANDOFF_WEBHOOK_SECRET_GENERIC");
    }

    @Test
    void anEnvironmentVariableBeatsTheFileAndAppliesToKeysTheFileLacks() {
        Map<String, String> env = Map.of("HANDOFF_LEDGER_URL", "jdbc:postgresql://db:5432/handoff",
                "HANDOFF_INTAKE_INTERVAL", "30s");
        Settings s = Settings.withEnvironment(Map.of("handoff.ledger.url", "jdbc:h2:file:./data/ledger",
                "handoff.map", "marketo"), env::get);

        assertThat(s.string("handoff.ledger.url", "x")).isEqualTo("jdbc:postgresql://db:5432/handoff");
        assertThat(s.duration("handoff.intake.interval", Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.string("handoff.map", "x")).as("no variable: the file's value").isEqualTo("marketo");
    }

    @Test
    void aBadOverrideIsReportedUnderTheKeyItOverrides() {
        Settings s = Settings.withEnvironment(Map.of(), Map.of("HANDOFF_RETRY_REDELIVERIES", "many")::get);
        assertThatThrownBy(() -> s.integer("handoff.retry.redeliveries", 3, 0, 20))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.retry.redeliveries")
                .hasMessageContaining("many");
    }

    @Test
    void plainSettingsIgnoreTheEnvironment() {
        assertThat(new Settings(Map.of("handoff.map", "hubspot")).string("handoff.map", "x")).isEqualTo("hubspot");
    }
}
