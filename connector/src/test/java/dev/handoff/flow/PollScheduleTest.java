package dev.handoff.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private Instant now = Instant.parse("2026-11-02T09:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void flowPollsOncePerIntervalHoweverOftenTheTimerTicks() {
        PollSchedule s = new PollSchedule(clock, Map.of("handoff", Duration.ofMinutes(5)));
        assertThat(s.tryStart("handoff")).isTrue();
        s.finish("handoff");
        assertThat(s.tryStart("handoff")).isFalse();
        now = now.plus(Duration.ofMinutes(4));
        assertThat(s.tryStart("handoff")).isFalse();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(s.tryStart("handoff")).isTrue();
    }

    @Test
    void cycleDoesNotOverlapItself() {
        PollSchedule s = new PollSchedule(clock, Map.of("handoff", Duration.ZERO));
        assertThat(s.tryStart("handoff")).isTrue();
        assertThat(s.tryStart("handoff")).isFalse();
        s.finish("handoff");
        assertThat(s.tryStart("handoff")).isTrue();
    }

    @Test
    void completedSinceOnlyCountsCyclesStartedAtOrAfterTheTime() {
        PollSchedule s = new PollSchedule(clock, Map.of("d", Duration.ofHours(1)));
        Instant t0 = now;
        assertThat(s.completedSince("d", t0)).isFalse();
        s.tryStart("d");
        assertThat(s.completedSince("d", t0)).isFalse();
        s.finish("d");
        assertThat(s.completedSince("d", t0)).isTrue();
        assertThat(s.completedSince("d", t0.plusSeconds(1))).isFalse();
    }
}
