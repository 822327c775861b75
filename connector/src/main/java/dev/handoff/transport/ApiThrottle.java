package dev.handoff.transport;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps the connector under a vendor's rate limit on its own side, so the vendor never has to
 * refuse us (Marketo 606/615, HubSpot 429): at most {@code calls} per rolling {@code window}
 * ({@link RollingWindow}: a call holds its slot from the moment it is sent until one window after
 * its answer), and optionally at most {@code maxConcurrent} in flight.
 */
public class ApiThrottle {

    private final String system;
    private final String name;
    private final RollingWindow rate;
    private final Bulkhead concurrency;
    private final Duration maxWait;

    /**
     * @param system        names the vendor in errors ({@code marketo}, {@code hubspot})
     * @param name          which of its limits ({@code rate}, {@code search})
     * @param maxConcurrent calls in flight at most; 0 for no such limit
     * @param maxWait       the longest a call waits for room before failing as transient
     */
    public ApiThrottle(String system, String name, int calls, Duration window, int maxConcurrent, Duration maxWait) {
        this.system = system;
        this.name = name;
        this.maxWait = maxWait;
        this.rate = new RollingWindow(calls, window);
        this.concurrency = maxConcurrent <= 0 ? null : Bulkhead.of(system + "-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(maxWait)
                .build());
    }

    /** No limit on this side at all: for tests that count calls, never for a real vendor. */
    public static ApiThrottle unlimited(String system) {
        return new ApiThrottle(system, "unlimited", 1, Duration.ofNanos(1), 0, Duration.ZERO) {
            @Override
            public <T> T call(Supplier<T> call) {
                return call.get();
            }
        };
    }

    /** Runs one call within the limits, waiting for room up to the configured wait. */
    public <T> T call(Supplier<T> call) {
        if (concurrency != null && !concurrency.tryAcquirePermission()) {
            throw new ConnectorException(system, "THROTTLED", ErrorClass.TRANSIENT,
                    "no free " + system + " connection slot within the wait limit", null);
        }
        try {
            if (!acquireRate()) {
                throw new ConnectorException(system, "THROTTLED", ErrorClass.TRANSIENT,
                        "the " + system + " " + name + " rate allowance did not free up within the wait limit", null);
            }
            try {
                return call.get();
            } finally {
                rate.release();
            }
        } finally {
            if (concurrency != null) {
                concurrency.onComplete();
            }
        }
    }

    private boolean acquireRate() {
        try {
            return rate.acquire(maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(system, "INTERRUPTED", ErrorClass.TRANSIENT,
                    "interrupted while waiting for the " + system + " " + name + " rate allowance", e);
        }
    }
}
