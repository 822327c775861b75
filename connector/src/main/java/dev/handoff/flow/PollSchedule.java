package dev.handoff.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each flow polls, measured on the application clock rather than the timer's: the timer only
 * ticks, this decides whether a tick does any work. That keeps polling frugal (one cycle per
 * interval, however fast the timer) and lets a simulated clock drive a whole day in seconds.
 *
 * <p>Work that arrives by push (a webhook) can ask for an early cycle with {@link #request}: the
 * flow then starts once the requested time has come, without waiting for its interval. Such a
 * cycle is not a full one ({@link #fullCycle} is false, so it skips polling the MAP), it leaves
 * the interval's rhythm alone and it does not count for {@link #completedSince}.
 */
public final class PollSchedule {

    private final Clock clock;
    private final Map<String, Duration> intervals;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, Long> startNanos = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastFinished = new ConcurrentHashMap<>();
    private volatile CycleListener listener = (flow, wallNanos) -> { };

    /** Hears every finished cycle with its wall-clock duration (for batch latency metrics). */
    @FunctionalInterface
    public interface CycleListener {
        void finished(String flow, long wallNanos);
    }

    /**
     * @param startedAt          start of the last full cycle (the interval counts from here)
     * @param full               whether the running (or last) cycle is a full one
     * @param requestedBy        an early cycle asked for, not started yet; null when none
     */
    private record Run(Instant startedAt, boolean running, boolean full, Instant lastCompletedStart, Instant requestedBy) {
    }

    public PollSchedule(Clock clock, Map<String, Duration> intervals) {
        this.clock = clock;
        this.intervals = Map.copyOf(intervals);
    }

    /**
     * True (and the cycle counts as started) when the flow's interval has passed since its last
     * full start, or when an early cycle was requested for now or earlier.
     */
    public boolean tryStart(String flow) {
        Duration interval = intervals.get(flow);
        if (interval == null) {
            throw new IllegalArgumentException("no poll interval configured for flow '" + flow + "'");
        }
        Instant now = clock.instant();
        boolean[] started = {false};
        runs.compute(flow, (k, run) -> {
            if (run != null && run.running()) {
                return run;
            }
            if (run == null || run.startedAt() == null || !now.isBefore(run.startedAt().plus(interval))) {
                started[0] = true;
                // a full cycle does everything an early one would, so it answers a due request too
                Instant pending = run == null || run.requestedBy() == null || !run.requestedBy().isAfter(now) ? null
                        : run.requestedBy();
                return new Run(now, true, true, run == null ? null : run.lastCompletedStart(), pending);
            }
            if (run.requestedBy() != null && !now.isBefore(run.requestedBy())) {
                started[0] = true;
                return new Run(run.startedAt(), true, false, run.lastCompletedStart(), null);
            }
            return run;
        });
        if (started[0]) {
            startNanos.put(flow, System.nanoTime());
        }
        return started[0];
    }

    /**
     * Asks for a cycle of {@code flow} no later than {@code dueBy} (it starts at the first tick from
     * then on, or when the running cycle ends). An earlier pending request wins, so requests made
     * while one is pending join the same cycle: that is what batches pushed work.
     */
    public void request(String flow, Instant dueBy) {
        if (!intervals.containsKey(flow)) {
            throw new IllegalArgumentException("no poll interval configured for flow '" + flow + "'");
        }
        runs.compute(flow, (k, run) -> {
            if (run == null) {
                return new Run(null, false, false, null, dueBy);
            }
            Instant keep = run.requestedBy() != null && !run.requestedBy().isAfter(dueBy) ? run.requestedBy() : dueBy;
            return new Run(run.startedAt(), run.running(), run.full(), run.lastCompletedStart(), keep);
        });
    }

    /** True when the running cycle was started by the interval, false for an early (requested) one. */
    public boolean fullCycle(String flow) {
        Run run = runs.get(flow);
        return run == null || run.full();
    }

    /** Ends the running cycle, whether it succeeded or failed. Harmless when none runs. */
    public void finish(String flow) {
        boolean[] ended = {false};
        runs.computeIfPresent(flow, (k, run) -> {
            if (!run.running()) {
                return run;
            }
            ended[0] = true;
            return new Run(run.startedAt(), false, run.full(), run.full() ? run.startedAt() : run.lastCompletedStart(),
                    run.requestedBy());
        });
        Long started = startNanos.get(flow);
        if (ended[0] && started != null) {
            lastFinished.put(flow, clock.instant());
            listener.finished(flow, System.nanoTime() - started);
        }
    }

    public void setCycleListener(CycleListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** When the flow last finished a cycle (on the application clock), if it has. */
    public java.util.Optional<Instant> lastFinished(String flow) {
        return java.util.Optional.ofNullable(lastFinished.get(flow));
    }

    /** When the flow's last full cycle started, if one has. */
    public java.util.Optional<Instant> lastStarted(String flow) {
        Run run = runs.get(flow);
        return run == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(run.startedAt());
    }

    /** Whether a cycle of the flow is running now. */
    public boolean running(String flow) {
        Run run = runs.get(flow);
        return run != null && run.running();
    }

    /** True once a full cycle that started at or after {@code time} has finished. */
    public boolean completedSince(String flow, Instant time) {
        Run run = runs.get(flow);
        return run != null && run.lastCompletedStart() != null && !run.lastCompletedStart().isBefore(time);
    }
}
