package dev.handoff.bench;

import java.time.Duration;

/**
 * The least wall time the vendors' limits and the network allow for a given number of calls: a
 * lower bound no connector can beat, whatever its design. Three bounds, the largest wins:
 * <ul>
 *   <li><b>rate</b>: at most {@code rateCalls} Marketo calls start in any {@code window}, so call
 *       n cannot start before ⌈n / rateCalls⌉ − 1 whole windows have passed since the first; it
 *       then takes one latency;</li>
 *   <li><b>concurrency</b>: at most {@code maxConcurrent} Marketo calls in flight, each taking one
 *       latency;</li>
 *   <li><b>dependencies</b>: the activity feed is a chain of paging tokens (each page names the
 *       next); after the last page come a lead read, the dedupe lookup, the upsert, the reps'
 *       decision delay, the disposition read and the feedback write, one after the other.</li>
 * </ul>
 * Salesforce has no short-term rate limit to add (only a daily allocation).
 */
public record TimeFloor(double seconds, String binding) {

    public static TimeFloor of(long marketoCalls, long activityPages, Duration latency, Duration repDelay, int rateCalls,
            Duration window, int maxConcurrent) {
        if (marketoCalls < 0 || activityPages < 0 || rateCalls < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("calls and limits must not be negative");
        }
        double l = latency.toNanos() / 1e9;
        double rate = marketoCalls == 0 ? 0 : ((marketoCalls + rateCalls - 1) / rateCalls - 1) * (window.toNanos() / 1e9) + l;
        double concurrency = ((marketoCalls + maxConcurrent - 1) / maxConcurrent) * l;
        double chain = (activityPages + 5) * l + repDelay.toNanos() / 1e9;
        if (rate >= concurrency && rate >= chain) {
            return new TimeFloor(rate, "marketo rate limit");
        }
        return concurrency >= chain ? new TimeFloor(concurrency, "marketo concurrency") : new TimeFloor(chain, "dependencies");
    }
}
