package dev.handoff.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.error.ConnectorException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiThrottleTest {

    @Test
    void refusesAsTransientOnceTheWindowIsFullEvenWhenEarlierCallsFailed() {
        ApiThrottle throttle = new ApiThrottle("marketo", "rate", 2, Duration.ofHours(1), 10, Duration.ZERO);
        assertThat(throttle.call(() -> "first")).isEqualTo("first");
        assertThatThrownBy(() -> throttle.call(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> throttle.call(() -> "third"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("rate allowance"));
    }

    @Test
    void unlimitedNeverWaits() {
        ApiThrottle throttle = ApiThrottle.unlimited("hubspot");
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.call(() -> 1)).isEqualTo(1);
        }
    }
}
