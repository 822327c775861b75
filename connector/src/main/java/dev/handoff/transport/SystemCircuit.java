package dev.handoff.transport;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one external system. Every logical call to the system goes through it
 * (a token renewal and replay inside that call included). While the recent calls fail too often it
 * opens, and calls fail fast with a transient {@code CIRCUIT_OPEN} instead of adding load to a
 * system that is down; after the wait it lets a few trial calls through and closes again when
 * they succeed. Waits are measured on the application clock.
 *
 * <p>Only the system's own transient failures count against it (5xx, resets, timeouts,
 * unreadable bodies, Marketo 6xx, {@code SERVER_UNAVAILABLE}…). A call the connector held back
 * itself (its own rate or budget limits) does not count at all; an answer that refuses one record
 * or the request (permanent, fatal) shows the system is up and counts as a success.
 */
public final class SystemCircuit {

    /** The code of the failure a call gets while the circuit is open. */
    public static final String OPEN_CODE = "CIRCUIT_OPEN";

    /** Failures on the connector's side of the wire: they say nothing about the system's health. */
    private static final Set<String> OWN_CODES = Set.of("THROTTLED", "API_BUDGET_SPENT", "REQUEST_LIMIT_BACKOFF", OPEN_CODE);

    private static final Logger LOG = LoggerFactory.getLogger(SystemCircuit.class);

    /**
     * A circuit's state and what it went through since start.
     *
     * @param state      {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or {@code DISABLED}
     * @param opened     times it opened (from closed, or again after failed trial calls)
     * @param halfOpened times it let trial calls through
     * @param closed     times it closed again after trial calls succeeded
     * @param rejected   calls that failed fast while it was open
     */
    public record Status(String state, long opened, long halfOpened, long closed, long rejected) {
    }

    private final String system;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final java.time.Duration waitInOpen;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong halfOpened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile Instant openUntil;

    private SystemCircuit(String system, CircuitBreakerSettings settings, Clock clock) {
        this.system = system;
        this.clock = clock;
        this.waitInOpen = settings == null ? null : settings.waitInOpen();
        this.breaker = settings == null || !settings.enabled() ? null : CircuitBreaker.of(system, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindow())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build());
        if (breaker != null) {
            breaker.getEventPublisher().onStateTransition(e -> transitioned(e.getStateTransition().getToState()));
        }
    }

    /** The circuit of {@code system} with these thresholds, timed on {@code clock}. */
    public static SystemCircuit of(String system, CircuitBreakerSettings settings, Clock clock) {
        return new SystemCircuit(system, java.util.Objects.requireNonNull(settings, "settings"), clock);
    }

    /** A circuit that never opens: for one-shot commands (check, setup), which report failures themselves. */
    public static SystemCircuit alwaysClosed(String system) {
        return new SystemCircuit(system, null, Clock.systemUTC());
    }

    public String system() {
        return system;
    }

    /** Runs one call to the system, or fails fast with {@code CIRCUIT_OPEN} while the circuit is open. */
    public <T> T call(Supplier<T> call) {
        if (breaker == null) {
            return call.get();
        }
        if (!breaker.tryAcquirePermission()) {
            rejected.incrementAndGet();
            Instant until = openUntil;
            throw new ConnectorException(system, OPEN_CODE, ErrorClass.TRANSIENT, "circuit for " + system + " is "
                    + breaker.getState() + " after repeated failures; not calling " + system
                    + (until != null && breaker.getState() == CircuitBreaker.State.OPEN ? " before " + until : " until trial calls end"),
                    null);
        }
        long start = System.nanoTime();
        try {
            T result = call.get();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (ConnectorException e) {
            if (OWN_CODES.contains(e.code())) {
                breaker.releasePermission();
            } else if (e.isTransient()) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            } else {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            throw e;
        }
    }

    public Status status() {
        return new Status(breaker == null ? "DISABLED" : breaker.getState().name(), opened.get(), halfOpened.get(),
                closed.get(), rejected.get());
    }

    private void transitioned(CircuitBreaker.State to) {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        switch (to) {
            case OPEN -> {
                opened.incrementAndGet();
                openUntil = clock.instant().plus(waitInOpen);
                LOG.warn("circuit for {} OPEN after {} failures in the last {} calls; calls to {} fail fast until {}",
                        system, m.getNumberOfFailedCalls(), m.getNumberOfBufferedCalls(), system, openUntil);
            }
            case HALF_OPEN -> {
                halfOpened.incrementAndGet();
                LOG.info("circuit for {} HALF_OPEN: letting {} trial calls through", system,
                        breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState());
            }
            case CLOSED -> {
                closed.incrementAndGet();
                LOG.info("circuit for {} CLOSED again: trial calls succeeded", system);
            }
            default -> LOG.info("circuit for {} {}", system, to);
        }
    }
}
