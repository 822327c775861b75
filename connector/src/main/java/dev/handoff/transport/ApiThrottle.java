package dev.handoff.transport;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps the connector under a vendor's rate limit on its own side, so the vendor never has to
 * refuse us (Marketo 606/615, HubSpot 429): at most {@code calls} per rolling {@code window}, and
 * optionally at most {@code maxConcurrent} in flight.
 *
 * <p>Resilience4j's limiter refills a fixed allowance per period. Any rolling window of length W
 * overlaps at most k + 1 periods of length W / k, so an allowance of ⌊calls / (k + 1)⌋ per period
 * can never exceed the rolling limit; k is chosen for the most throughput (90 per 20 s for
 * Marketo's 100, 90 per 10 s for HubSpot's 100, 3 per second for a search limit of 4).
 */
public class ApiThrottle {

    private final String system;
    private final String name;
    private final RateLimiter rate;
    private final Bulkhead concurrency;
    private final Plan plan;

    /** The fixed-period allowance that honours a rolling limit. */
    public record Plan(Duration period, int perPeriod) {
        public long callsPerWindowAtMost(Duration window) {
            long periods = (window.toNanos() + period.toNanos() - 1) / period.toNanos() + 1;
            return periods * perPeriod;
        }
    }

    /**
     * @param system        names the vendor in errors ({@code marketo}, {@code hubspot})
     * @param name          which of its limits ({@code rate}, {@code search})
     * @param maxConcurrent calls in flight at most; 0 for no such limit
     * @param maxWait       the longest a call waits for room before failing as transient
     */
    public ApiThrottle(String system, String name, int calls, Duration window, int maxConcurrent, Duration maxWait) {
        this.system = system;
        this.name = name;
        this.plan = plan(calls, window);
        this.rate = RateLimiter.of(system + "-" + name, RateLimiterConfig.custom()
                .limitRefreshPeriod(plan.period())
                .limitForPeriod(plan.perPeriod())
                .timeoutDuration(maxWait)
                .build());
        this.concurrency = maxConcurrent <= 0 ? null : Bulkhead.of(system + "-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(maxWait)
                .build());
    }

    /** No limit on this side at all: for tests that count calls, never for a real vendor. */
    public static ApiThrottle unlimited(String system) {
        return new ApiThrottle(system, "unlimited", 2, Duration.ofNanos(1), 0, Duration.ZERO) {
            @Override
            public <T> T call(Supplier<T> call) {
                return call.get();
            }
        };
    }

    public static Plan plan(int calls, Duration window) {
        if (calls < 2) {
            throw new IllegalArgumentException("a rate limit needs at least 2 calls per window, got " + calls);
        }
        int bestK = 1;
        long best = 0;
        for (int k = 1; k <= 10; k++) {
            long throughput = (long) k * (calls / (k + 1));
            if (throughput >= best && calls / (k + 1) > 0) {
                best = throughput;
                bestK = k;
            }
        }
        // Rounded up: a period a nanosecond short would let a window touch one period more.
        long periodNanos = (window.toNanos() + bestK - 1) / bestK;
        return new Plan(Duration.ofNanos(Math.max(1, periodNanos)), calls / (bestK + 1));
    }

    public Plan plan() {
        return plan;
    }

    /** Runs one call within the limits, waiting for room up to the configured wait. */
    public <T> T call(Supplier<T> call) {
        if (concurrency != null && !concurrency.tryAcquirePermission()) {
            throw new ConnectorException(system, "THROTTLED", ErrorClass.TRANSIENT,
                    "no free " + system + " connection slot within the wait limit", null);
        }
        try {
            if (!rate.acquirePermission()) {
                throw new ConnectorException(system, "THROTTLED", ErrorClass.TRANSIENT,
                        "the " + system + " " + name + " rate allowance did not free up within the wait limit", null);
            }
            return call.get();
        } finally {
            if (concurrency != null) {
                concurrency.onComplete();
            }
        }
    }
}
