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
 */
public final class PollSchedule {

    private final Clock clock;
    private final Map<String, Duration> intervals;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastFinished = new ConcurrentHashMap<>();
    private volatile CycleListener listener = (flow, wallNanos) -> { };

    private record Run(Instant startedAt, boolean running, Instant lastCompletedStart, long startNanos) {
    }

    /** Hears every finished cycle with its wall-clock duration (for batch latency metrics). */
    @FunctionalInterface
    public interface CycleListener {
        void finished(String flow, long wallNanos);
    }

    public PollSchedule(Clock clock, Map<String, Duration> intervals) {
        this.clock = clock;
        this.intervals = Map.copyOf(intervals);
    }

    /** True (and the cycle counts as started) when the flow's interval has passed since its last start. */
    public boolean tryStart(String flow) {
        Duration interval = intervals.get(flow);
        if (interval == null) {
            throw new IllegalArgumentException("no poll interval configured for flow '" + flow + "'");
        }
        Instant now = clock.instant();
        boolean[] started = {false};
        runs.compute(flow, (k, run) -> {
            if (run != null && (run.running() || now.isBefore(run.startedAt().plus(interval)))) {
                return run;
            }
            started[0] = true;
            return new Run(now, true, run == null ? null : run.lastCompletedStart(), System.nanoTime());
        });
        return started[0];
    }

    /** Ends the running cycle, whether it succeeded or failed. Harmless when none runs. */
    public void finish(String flow) {
        long[] took = {-1};
        runs.computeIfPresent(flow, (k, run) -> {
            if (!run.running()) {
                return run;
            }
            took[0] = System.nanoTime() - run.startNanos();
            return new Run(run.startedAt(), false, run.startedAt(), run.startNanos());
        });
        if (took[0] >= 0) {
            lastFinished.put(flow, clock.instant());
            listener.finished(flow, took[0]);
        }
    }

    public void setCycleListener(CycleListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** When the flow last finished a cycle (on the application clock), if it has. */
    public java.util.Optional<Instant> lastFinished(String flow) {
        return java.util.Optional.ofNullable(lastFinished.get(flow));
    }

    /** When the flow's current or last cycle started, if one has. */
    public java.util.Optional<Instant> lastStarted(String flow) {
        Run run = runs.get(flow);
        return run == null ? java.util.Optional.empty() : java.util.Optional.of(run.startedAt());
    }

    /** Whether a cycle of the flow is running now. */
    public boolean running(String flow) {
        Run run = runs.get(flow);
        return run != null && run.running();
    }

    /** True once a cycle that started at or after {@code time} has finished. */
    public boolean completedSince(String flow, Instant time) {
        Run run = runs.get(flow);
        return run != null && run.lastCompletedStart() != null && !run.lastCompletedStart().isBefore(time);
    }
}
