package dev.handoff.transport;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.time.Duration;

/**
 * When the circuit of an external system opens and closes again ({@code handoff.circuit-breaker.*});
 * the same thresholds apply to each system, each with its own circuit.
 *
 * @param failureRateThreshold percent of failed calls among the last {@code slidingWindow} that opens it
 * @param minimumCalls         calls to see before the rate counts at all
 * @param waitInOpen           how long calls fail fast before trial calls are let through
 * @param halfOpenCalls        trial calls; the circuit closes when fewer than the threshold fail
 */
public record CircuitBreakerSettings(boolean enabled, int failureRateThreshold, int slidingWindow, int minimumCalls,
        Duration waitInOpen, int halfOpenCalls) {

    public CircuitBreakerSettings {
        if (failureRateThreshold < 1 || failureRateThreshold > 100 || slidingWindow < 1 || minimumCalls < 1
                || halfOpenCalls < 1 || waitInOpen.isNegative() || waitInOpen.isZero()) {
            throw new IllegalArgumentException("circuit breaker settings out of range");
        }
    }

    /** Half of the last 20 calls failed, at least 10 seen; 30 s of failing fast; 3 trial calls. */
    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(true, 50, 20, 10, Duration.ofSeconds(30), 3);
    }

    public static CircuitBreakerSettings from(Settings settings) {
        CircuitBreakerSettings d = defaults();
        int window = settings.integer("handoff.circuit-breaker.sliding-window", d.slidingWindow(), 1, 1000);
        int minimum = settings.integer("handoff.circuit-breaker.minimum-calls", d.minimumCalls(), 1, 1000);
        if (minimum > window) {
            throw new ConfigException("handoff.circuit-breaker.minimum-calls",
                    minimum + " is more than handoff.circuit-breaker.sliding-window (" + window + ")");
        }
        Duration wait = settings.duration("handoff.circuit-breaker.wait-in-open", d.waitInOpen());
        if (wait.isNegative() || wait.isZero()) {
            throw new ConfigException("handoff.circuit-breaker.wait-in-open", "must be a positive duration like 30s");
        }
        return new CircuitBreakerSettings(
                settings.bool("handoff.circuit-breaker.enabled", d.enabled()),
                settings.integer("handoff.circuit-breaker.failure-rate-threshold", d.failureRateThreshold(), 1, 100),
                window, minimum, wait,
                settings.integer("handoff.circuit-breaker.half-open-calls", d.halfOpenCalls(), 1, 100));
    }
}
