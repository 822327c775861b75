package dev.handoff.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillWindowsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void windowsAreContiguousAndNoLongerThanTheMaximum() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        List<Backfill.Window> w = Backfill.windows(from, NOW, Duration.ofDays(31));
        assertThat(w.get(0).from()).isEqualTo(from);
        assertThat(w.get(w.size() - 1).to()).isEqualTo(NOW);
        for (int i = 0; i < w.size(); i++) {
            assertThat(Duration.between(w.get(i).from(), w.get(i).to())).isPositive().isLessThanOrEqualTo(Duration.ofDays(31));
            if (i > 0) {
                assertThat(w.get(i).from()).isEqualTo(w.get(i - 1).to());
            }
        }
        assertThat(w).hasSize(11);
        assertThat(Backfill.windows(NOW, NOW, Duration.ofDays(31))).isEmpty();
    }

    @Test
    void sinceIsRequiredAndNamed() {
        assertThatThrownBy(() -> BackfillConfig.from(new Settings(Map.of()), null, null, NOW))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.backfill.since");
    }

    @Test
    void windowDaysAbove31AreRefused() {
        Settings s = new Settings(Map.of("handoff.backfill.since", "2026-01-01T00:00:00Z", "handoff.backfill.window-days", "40"));
        assertThatThrownBy(() -> BackfillConfig.from(s, null, null, NOW)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("handoff.backfill.window-days");
    }

    @Test
    void untilDefaultsToNowAndCommandLineWins() {
        Settings s = new Settings(Map.of("handoff.backfill.since", "2026-01-01T00:00:00Z", "handoff.backfill.download-chunk-kb", "64"));
        BackfillConfig c = BackfillConfig.from(s, Instant.parse("2026-06-01T00:00:00Z"), null, NOW);
        assertThat(c.since()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(c.until()).isEqualTo(NOW);
        assertThat(c.downloadChunkBytes()).isEqualTo(64 * 1024);
        assertThat(c.windowDays()).isEqualTo(31);
    }
}
