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

    @Test
    void requestedCycleStartsEarlyAsAPartialCycleAndLeavesTheIntervalAlone() {
        PollSchedule s = new PollSchedule(clock, Map.of("handoff", Duration.ofMinutes(5)));
        Instant firstFull = now;
        assertThat(s.tryStart("handoff")).isTrue();
        assertThat(s.fullCycle("handoff")).isTrue();
        s.finish("handoff");
        now = now.plusSeconds(10);
        s.request("handoff", now.plusMillis(500));
        s.request("handoff", now.plusMillis(900));
        assertThat(s.tryStart("handoff")).as("not due yet").isFalse();
        now = now.plusMillis(500);
        assertThat(s.tryStart("handoff")).isTrue();
        assertThat(s.fullCycle("handoff")).isFalse();
        s.finish("handoff");
        assertThat(s.completedSince("handoff", firstFull.plusSeconds(1))).as("an early cycle is not a full one").isFalse();
        assertThat(s.tryStart("handoff")).as("both requests were answered by one cycle").isFalse();
        now = firstFull.plus(Duration.ofMinutes(5));
        assertThat(s.tryStart("handoff")).as("the interval still counts from the last full cycle").isTrue();
        assertThat(s.fullCycle("handoff")).isTrue();
    }

    @Test
    void requestDuringARunningCycleStartsTheNextOneWhenItIsDue() {
        PollSchedule s = new PollSchedule(clock, Map.of("handoff", Duration.ofMinutes(5)));
        assertThat(s.tryStart("handoff")).isTrue();
        s.request("handoff", now);
        assertThat(s.tryStart("handoff")).as("no overlap").isFalse();
        s.finish("handoff");
        assertThat(s.tryStart("handoff")).isTrue();
        assertThat(s.fullCycle("handoff")).isFalse();
    }

    @Test
    void requestForAnUnknownFlowIsAnError() {
        PollSchedule s = new PollSchedule(clock, Map.of("handoff", Duration.ofMinutes(5)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.request("nope", now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }
}
