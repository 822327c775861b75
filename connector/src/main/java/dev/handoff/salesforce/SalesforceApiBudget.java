package dev.handoff.salesforce;

import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Our share of the org's daily API allowance. Salesforce counts every integration against one
 * rolling 24-hour limit; a connector that spends it all stops sales' other tools too. We count our
 * own calls over the last 24 hours (on the application clock), learn the org's limit and usage
 * from each response's limit header, and refuse to call once our share is spent. After a
 * {@code REQUEST_LIMIT_EXCEEDED} we stay away for the backoff period.
 */
public final class SalesforceApiBudget {

    private static final Duration DAY = Duration.ofHours(24);

    private final Clock clock;
    private final double share;
    private long totalCalls;
    private final Duration backoff;
    private final Deque<Instant> ourCalls = new ArrayDeque<>();
    private long orgUsed = -1;
    private long orgLimit = -1;
    private Instant backoffUntil = Instant.MIN;

    /** Usage as last known: our calls in the last 24 h, the org's usage and limit (-1 until known). */
    public record Usage(long ourCalls24h, long ceiling, long orgUsed, long orgLimit, double share) {
    }

    public SalesforceApiBudget(Clock clock, double share, Duration backoff) {
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("the API budget share must be in (0, 1], got " + share);
        }
        this.clock = clock;
        this.share = share;
        this.backoff = backoff;
    }

    /** Throws a transient error when the call must wait: the cycle ends and the next poll tries again. */
    public synchronized void beforeCall(String operation) {
        Instant now = clock.instant();
        if (now.isBefore(backoffUntil)) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "REQUEST_LIMIT_BACKOFF", ErrorClass.TRANSIENT,
                    operation + " held back: Salesforce refused calls for exceeding a request limit; retrying after "
                            + backoffUntil, null);
        }
        prune(now);
        long ceiling = ceiling();
        if (ceiling >= 0 && ourCalls.size() >= ceiling) {
            throw new ConnectorException(SalesforceGateway.SYSTEM, "API_BUDGET_SPENT", ErrorClass.TRANSIENT,
                    operation + " held back: Handoff used " + ourCalls.size() + " API calls in 24 h, its ceiling of "
                            + ceiling + " (" + Math.round(share * 100) + "% of the org's " + orgLimit + ")", null);
        }
    }

    /** Counts a call Salesforce answered (faults count too: they are charged) and what it said of the org's usage. */
    public synchronized void afterCall(long used, long limit) {
        ourCalls.addLast(clock.instant());
        totalCalls++;
        if (limit > 0) {
            orgUsed = used;
            orgLimit = limit;
        }
    }

    /** Every call Salesforce answered since this process started (monotonic, for a metrics counter). */
    public synchronized long totalCalls() {
        return totalCalls;
    }

    public synchronized void requestLimitExceeded() {
        backoffUntil = clock.instant().plus(backoff);
    }

    public synchronized Usage usage() {
        prune(clock.instant());
        return new Usage(ourCalls.size(), ceiling(), orgUsed, orgLimit, share);
    }

    private long ceiling() {
        return orgLimit < 0 ? -1 : (long) Math.floor(orgLimit * share);
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(DAY);
        while (!ourCalls.isEmpty() && !ourCalls.peekFirst().isAfter(horizon)) {
            ourCalls.removeFirst();
        }
    }
}
