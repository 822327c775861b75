package dev.handoff.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code handoff.ha.*}: on for a shared PostgreSQL ledger, off for the embedded H2 file, validated by key. */
class HaConfigTest {

    private static final String POSTGRES = "jdbc:postgresql://db:5432/handoff";
    private static final String H2 = "jdbc:h2:file:./data/handoff-ledger";

    @Test
    void electionIsOnForPostgresqlAndOffForH2UnlessSaidOtherwise() {
        assertThat(HaConfig.from(new Settings(Map.of()), POSTGRES).enabled()).isTrue();
        assertThat(HaConfig.from(new Settings(Map.of()), H2).enabled()).isFalse();
        assertThat(HaConfig.from(new Settings(Map.of("handoff.ha.enabled", "true")), H2).enabled()).isTrue();
        assertThat(HaConfig.from(new Settings(Map.of("handoff.ha.enabled", "false")), POSTGRES).enabled()).isFalse();
    }

    @Test
    void defaultsGiveEveryProcessItsOwnNameAndATakeoverWellInside30Seconds() {
        HaConfig ha = HaConfig.from(new Settings(Map.of()), POSTGRES);
        assertThat(ha.nodeId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(ha.lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ha.lease().plus(ha.heartbeat())).isLessThan(Duration.ofSeconds(30));
        assertThat(ha.heartbeat()).isEqualTo(Duration.ofMillis(1500));
        assertThat(ha.stepDownMargin()).isEqualTo(Duration.ofMillis(3750));
    }

    @Test
    void explicitValuesAreUsed() {
        HaConfig ha = HaConfig.from(new Settings(Map.of("handoff.ha.node-id", "pod-7.eu-west", "handoff.ha.lease", "40s")), POSTGRES);
        assertThat(ha.nodeId()).isEqualTo("pod-7.eu-west");
        assertThat(ha.lease()).isEqualTo(Duration.ofSeconds(40));
        assertThat(ha.heartbeat()).isEqualTo(Duration.ofSeconds(4));
        assertThat(new HaConfig(true, "n", Duration.ofSeconds(1)).heartbeat()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> HaConfig.from(new Settings(Map.of("handoff.ha.node-id", "node a")), POSTGRES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.ha.node-id").hasMessageContaining("node a");
        assertThatThrownBy(() -> HaConfig.from(new Settings(Map.of("handoff.ha.node-id", "x".repeat(201))), POSTGRES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.ha.node-id");
        assertThatThrownBy(() -> HaConfig.from(new Settings(Map.of("handoff.ha.lease", "500ms")), POSTGRES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.ha.lease").hasMessageContaining("1s..10m");
        assertThatThrownBy(() -> HaConfig.from(new Settings(Map.of("handoff.ha.lease", "soon")), POSTGRES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.ha.lease");
        assertThatThrownBy(() -> HaConfig.from(new Settings(Map.of("handoff.ha.enabled", "maybe")), POSTGRES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.ha.enabled");
    }
}
