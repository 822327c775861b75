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

    private record Run(Instant startedAt, boolean running, Instant lastCompletedStart) {
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
            return new Run(now, true, run == null ? null : run.lastCompletedStart());
        });
        return started[0];
    }

    /** Ends the running cycle, whether it succeeded or failed. Harmless when none runs. */
    public void finish(String flow) {
        runs.computeIfPresent(flow, (k, run) -> run.running() ? new Run(run.startedAt(), false, run.startedAt()) : run);
    }

    /** True once a cycle that started at or after {@code time} has finished. */
    public boolean completedSince(String flow, Instant time) {
        Run run = runs.get(flow);
        return run != null && run.lastCompletedStart() != null && !run.lastCompletedStart().isBefore(time);
    }
}
