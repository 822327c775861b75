package dev.handoff.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiThrottleTest {

    @ParameterizedTest(name = "{0} per {1} ms")
    @CsvSource({"100, 20000", "10, 2000", "2, 1000", "37, 20000", "1000, 60000", "100, 10000", "190, 10000",
            "250, 10000", "4, 1000", "5, 1000"})
    void fixedPeriodsNeverExceedTheRollingLimit(int calls, long windowMillis) {
        Duration window = Duration.ofMillis(windowMillis);
        ApiThrottle.Plan plan = ApiThrottle.plan(calls, window);
        assertThat(plan.perPeriod()).isPositive();
        assertThat(plan.callsPerWindowAtMost(window)).isLessThanOrEqualTo(calls);
    }

    @Test
    void marketoDefaultsAllowNinetyCallsPerTwentySeconds() {
        ApiThrottle.Plan plan = ApiThrottle.plan(100, Duration.ofSeconds(20));
        assertThat(plan.period()).isEqualTo(Duration.ofSeconds(2));
        assertThat(plan.perPeriod()).isEqualTo(9);
    }

    @Test
    void hubSpotDefaultsAllowNinetyCallsPerTenSecondsAndThreeSearchesPerSecond() {
        ApiThrottle.Plan general = ApiThrottle.plan(100, Duration.ofSeconds(10));
        assertThat(general.period()).isEqualTo(Duration.ofSeconds(1));
        assertThat(general.perPeriod()).isEqualTo(9);
        ApiThrottle.Plan search = ApiThrottle.plan(4, Duration.ofSeconds(1));
        assertThat(search.perPeriod()).isEqualTo(1);
        assertThat(search.period()).isEqualTo(Duration.ofNanos(333_333_334));
    }
}
