package dev.handoff.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import dev.handoff.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SystemCircuitTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-02T09:00:00Z"));
    private final CircuitBreakerSettings settings = new CircuitBreakerSettings(true, 50, 10, 4, Duration.ofSeconds(30), 2);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SystemCircuit.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private static String fail(String code, ErrorClass errorClass) {
        throw new ConnectorException("salesforce", code, errorClass, "failed", null);
    }

    @Test
    void opensAfterRepeatedTransientFailuresFailsFastThenClosesAgainAfterTheWaitOnTheGivenClock() {
        SystemCircuit circuit = SystemCircuit.of("salesforce", settings, clock);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> circuit.call(() -> fail("SERVER_UNAVAILABLE", ErrorClass.TRANSIENT)))
                    .isInstanceOf(ConnectorException.class).extracting("code").isEqualTo("SERVER_UNAVAILABLE");
        }
        assertThat(circuit.status().state()).isEqualTo("OPEN");

        AtomicInteger reached = new AtomicInteger();
        assertThatThrownBy(() -> circuit.call(reached::incrementAndGet))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(SystemCircuit.OPEN_CODE);
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("circuit for salesforce is OPEN", "2026-11-02T09:00:30Z");
                });
        assertThat(reached).hasValue(0);

        clock.advance(Duration.ofSeconds(31));
        assertThat(circuit.call(reached::incrementAndGet)).isEqualTo(1);
        assertThat(circuit.status().state()).isEqualTo("HALF_OPEN");
        assertThat(circuit.call(reached::incrementAndGet)).isEqualTo(2);

        assertThat(circuit.status()).isEqualTo(new SystemCircuit.Status("CLOSED", 1, 1, 1, 1));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsSubsequence(
                "circuit for salesforce OPEN after 4 failures in the last 4 calls; calls to salesforce fail fast until 2026-11-02T09:00:30Z",
                "circuit for salesforce HALF_OPEN: letting 2 trial calls through",
                "circuit for salesforce CLOSED again: trial calls succeeded");
    }

    @Test
    void failedTrialCallsOpenItAgain() {
        SystemCircuit circuit = SystemCircuit.of("marketo", settings, clock);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> circuit.call(() -> fail("IO", ErrorClass.TRANSIENT)));
        }
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> circuit.call(() -> fail("IO", ErrorClass.TRANSIENT))).extracting("code").isEqualTo("IO");
        }

        assertThat(circuit.status()).isEqualTo(new SystemCircuit.Status("OPEN", 2, 1, 0, 0));
    }

    @Test
    void ownLimitsAndAnswersThatRefuseTheRequestDoNotOpenIt() {
        SystemCircuit circuit = SystemCircuit.of("marketo", settings, clock);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> circuit.call(() -> fail("THROTTLED", ErrorClass.TRANSIENT)));
            assertThatThrownBy(() -> circuit.call(() -> fail("API_BUDGET_SPENT", ErrorClass.TRANSIENT)));
            assertThatThrownBy(() -> circuit.call(() -> fail("1013", ErrorClass.FATAL)));
            assertThatThrownBy(() -> circuit.call(() -> {
                throw new IllegalArgumentException("a client bug, not the system's failure");
            }));
        }
        assertThat(circuit.status()).isEqualTo(new SystemCircuit.Status("CLOSED", 0, 0, 0, 0));
    }

    @Test
    void aFewFailuresAmongSuccessesLeaveItClosed() {
        SystemCircuit circuit = SystemCircuit.of("hubspot", settings, clock);
        for (int i = 0; i < 100; i++) {
            if (i % 4 == 1) {
                assertThatThrownBy(() -> circuit.call(() -> fail("HTTP_503", ErrorClass.TRANSIENT)));
            } else {
                circuit.call(() -> "ok");
            }
        }
        assertThat(circuit.status().state()).isEqualTo("CLOSED");
    }

    @Test
    void disabledOrAlwaysClosedCircuitsNeverFailFast() {
        SystemCircuit disabled = SystemCircuit.of("salesforce",
                CircuitBreakerSettings.from(new Settings(Map.of("handoff.circuit-breaker.enabled", "false"))), clock);
        SystemCircuit none = SystemCircuit.alwaysClosed("salesforce");
        for (SystemCircuit c : new SystemCircuit[] {disabled, none}) {
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> c.call(() -> fail("IO", ErrorClass.TRANSIENT))).extracting("code").isEqualTo("IO");
            }
            assertThat(c.status().state()).isEqualTo("DISABLED");
        }
    }

    @Test
    void settingsAreReadFromTheKeysAndRejectedByName() {
        CircuitBreakerSettings s = CircuitBreakerSettings.from(new Settings(Map.of(
                "handoff.circuit-breaker.failure-rate-threshold", "70",
                "handoff.circuit-breaker.sliding-window", "40",
                "handoff.circuit-breaker.minimum-calls", "15",
                "handoff.circuit-breaker.wait-in-open", "2m",
                "handoff.circuit-breaker.half-open-calls", "5")));
        assertThat(s).isEqualTo(new CircuitBreakerSettings(true, 70, 40, 15, Duration.ofMinutes(2), 5));
        assertThat(CircuitBreakerSettings.from(new Settings(Map.of()))).isEqualTo(CircuitBreakerSettings.defaults());

        assertThatThrownBy(() -> CircuitBreakerSettings.from(new Settings(Map.of("handoff.circuit-breaker.minimum-calls", "30"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.circuit-breaker.minimum-calls");
        assertThatThrownBy(() -> CircuitBreakerSettings.from(new Settings(Map.of("handoff.circuit-breaker.failure-rate-threshold", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.circuit-breaker.failure-rate-threshold");
        assertThatThrownBy(() -> CircuitBreakerSettings.from(new Settings(Map.of("handoff.circuit-breaker.wait-in-open", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.circuit-breaker.wait-in-open");
    }

    @Test
    void circuitsAreKeptPerSystem() {
        SystemCircuits circuits = new SystemCircuits(settings, clock);
        SystemCircuit sf = circuits.forSystem("salesforce");
        assertThat(circuits.forSystem("salesforce")).isSameAs(sf);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> sf.call(() -> fail("IO", ErrorClass.TRANSIENT)));
        }
        assertThat(circuits.forSystem("marketo").call(() -> "ok")).isEqualTo("ok");
        assertThat(circuits.status()).containsOnlyKeys("marketo", "salesforce");
        assertThat(circuits.status().get("salesforce").state()).isEqualTo("OPEN");
        assertThat(circuits.status().get("marketo").state()).isEqualTo("CLOSED");
    }
}
